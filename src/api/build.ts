/**
 * Building classes in memory, for a compiler that generates its code rather than
 * reading class files: an empty class model with its constant pool
 * ({@link newClass}), and a method from a list of code nodes ({@link addMethod},
 * the decoded model of `bytecode/model.ts`: labels instead of offsets, constant
 * references as indices into the class's pool, which grows as the compiler adds
 * to it). The method's code is encoded in memory with no size limit (a code
 * array may be many megabytes; only the class writer enforces the JVM's 65,535
 * bytes), so a method built here goes straight to the splitter without being
 * written as a class file. max_stack and max_locals are computed when not given
 * (JVMS 4.7.3). Cost: one encoding pass over the nodes.
 */
import { ConstantPool } from "../classfile/constant-pool.js";
import { Access, type Attribute, type ClassFile, type MethodInfo } from "../classfile/model.js";
import type { CodeNode, Handler, MethodBody } from "../bytecode/model.js";
import { encodeBody } from "../bytecode/encode.js";
import { computeMaxLocals, computeMaxStack } from "../text/limits.js";
import { newMethodBody } from "../bytecode/method-body.js";

/** What {@link newClass} needs to know about the class. */
export interface ClassSpec {
  /** Internal name, e.g. `com/example/Generated`. */
  name: string;
  /** Internal name of the super class; default `java/lang/Object`. */
  superName?: string;
  /** Internal names of the implemented interfaces. */
  interfaces?: string[];
  /** Access flags (JVMS 4.1); default public + super. */
  accessFlags?: number;
  /** Class-file major version; default 52 (Java 8: StackMapTable, invokedynamic, static interface methods). */
  majorVersion?: number;
  /** The SourceFile attribute, which stack traces and the mapping show. */
  sourceFile?: string;
}

/** An empty class (no fields, no methods) whose constant pool is ready to be added to. */
export function newClass(spec: ClassSpec): ClassFile {
  const cp = new ConstantPool();
  const thisClass = cp.addClass(spec.name);
  const superClass = cp.addClass(spec.superName ?? "java/lang/Object");
  const interfaces = (spec.interfaces ?? []).map((i) => cp.addClass(i));
  const attributes: Attribute[] = [];
  if (spec.sourceFile !== undefined) {
    attributes.push({ kind: "SourceFile", nameIndex: cp.addUtf8("SourceFile"), sourceFileIndex: cp.addUtf8(spec.sourceFile) });
  }
  return {
    minorVersion: 0,
    majorVersion: spec.majorVersion ?? 52,
    constantPool: cp,
    accessFlags: spec.accessFlags ?? Access.PUBLIC | Access.SUPER,
    thisClass,
    superClass,
    interfaces,
    fields: [],
    methods: [],
    attributes,
  };
}

/** A method for {@link addMethod}: its header and its code as decoded nodes. */
export interface MethodSpec {
  /** Access flags (JVMS 4.6), e.g. `Access.PUBLIC | Access.STATIC`. */
  accessFlags: number;
  name: string;
  /** Method descriptor, e.g. `([Ljava/lang/String;)V`. */
  descriptor: string;
  /**
   * The code in order: instructions, `label` nodes (ids from 0, each placed once),
   * optional `line` nodes. No `frame` nodes are needed: the splitter computes
   * frames for every method it writes.
   */
  code: CodeNode[];
  /** Exception handlers, innermost first (JVMS 4.7.3 exception_table order). */
  handlers?: Handler[];
  /** Computed from the code when absent. */
  maxStack?: number;
  /** Computed from the descriptor and the code when absent. */
  maxLocals?: number;
}

/** The decoded body of a {@link MethodSpec}, with its label count and limits filled in. */
export function methodBody(cf: ClassFile, spec: MethodSpec): MethodBody {
  let labelCount = 0;
  // An index loop: for-of over a method of millions of nodes allocates an iterator result per node.
  for (let ni = 0, code = spec.code; ni < code.length; ni++) {
    const n = code[ni]!;
    if (n.kind === "label" && n.label >= labelCount) labelCount = n.label + 1;
  }
  const body: MethodBody = newMethodBody({
    maxStack: 0,
    maxLocals: 0,
    nodes: spec.code,
    labelCount,
    handlers: spec.handlers ?? [],
    hasStackMapTable: false,
    otherAttributes: [],
  });
  body.maxStack = spec.maxStack ?? computeMaxStack(body, cf.constantPool);
  body.maxLocals = spec.maxLocals ?? computeMaxLocals(body, spec.descriptor, (spec.accessFlags & Access.STATIC) !== 0);
  return body;
}

/** Methods made by {@link methodWithBody}: frameless, so the split functions frame them when they stay whole. */
const built = new WeakSet<MethodInfo>();

/** Whether `m` was built here without frames (and not read or assembled, whose frames are the author's). */
export function isBuiltWithoutFrames(m: MethodInfo): boolean {
  return built.has(m);
}

/** `body` encoded (any length) as the Code attribute of a new method of `cf`. */
export function methodWithBody(cf: ClassFile, spec: Pick<MethodSpec, "accessFlags" | "name" | "descriptor">, body: MethodBody): MethodInfo {
  const cp = cf.constantPool;
  const where = { className: cp.className(cf.thisClass), method: spec.name + spec.descriptor };
  const code = { ...encodeBody(body, cp, { where }), nameIndex: cp.addUtf8("Code") };
  const m: MethodInfo = { accessFlags: spec.accessFlags, nameIndex: cp.addUtf8(spec.name), descriptorIndex: cp.addUtf8(spec.descriptor), attributes: [code] };
  built.add(m);
  return m;
}

/**
 * `cf` with the method of `spec` added (or replacing the method of the same name
 * and descriptor). The code is encoded with no size limit and without frames:
 * the split functions of the library frame it (split or not) for a class of
 * version 50 and up; `writeClass` alone writes it without frames.
 */
export function addMethod(cf: ClassFile, spec: MethodSpec): ClassFile {
  const m = methodWithBody(cf, spec, methodBody(cf, spec));
  return withMethod(cf, spec.name, spec.descriptor, m);
}

/** `cf` with `m` in place of its method `name` + `descriptor`, or added last. */
export function withMethod(cf: ClassFile, name: string, descriptor: string, m: MethodInfo): ClassFile {
  const cp = cf.constantPool;
  const at = cf.methods.findIndex((x) => cp.utf8(x.nameIndex) === name && cp.utf8(x.descriptorIndex) === descriptor);
  const methods = at < 0 ? [...cf.methods, m] : cf.methods.map((x, i) => (i === at ? m : x));
  return { ...cf, methods };
}
