/**
 * Helper classes: where the pieces of a split method go when its own class cannot
 * hold them. Two cases (docs/design/splitter.md, "Interfaces and helper classes"):
 *
 * - an interface below class version 52, whose only method with code is
 *   `<clinit>` (JVMS 4.6: before 52 every other interface method is public
 *   abstract): the pieces become package-private static synthetic methods of a new
 *   class of the same package and version, ACC_SYNTHETIC | ACC_FINAL, super
 *   java/lang/Object, and the interface's `<clinit>` (the driver) calls them;
 * - a class of version 55 and up whose constant pool would overflow (JVMS 4.1:
 *   at most 65,535 entries) and that is its own nest host: the pieces become
 *   private static synthetic methods of a nest-mate (JVMS 4.7.28 NestHost in the
 *   helper, 4.7.29 NestMembers in the class; JEP 181: nest-mates may use each
 *   other's private members, JVMS 5.4.4).
 *
 * The split itself runs unchanged, against a *shadow* of the class: the same class
 * name and method, with a fresh constant pool holding only what the method uses.
 * Then the driver's code is copied back into the class's pool and the pieces' code
 * into the helper's, each constant copied deeply (`PoolTransfer`), and every call
 * into a generated method redirected to the helper. Code that only the class itself
 * may run stays in the driver (`mustStayInClass`): writes of its final fields
 * (JVMS 6.5 putfield/putstatic: only `<init>`/`<clinit>` of the declaring class),
 * `invokespecial` of anything but `<init>` (JVMS 4.10.1.9: the receiver must be
 * the current class; super calls), `invokedynamic` and dynamic constants (their
 * bootstrap rows belong to the class, JVMS 4.7.23), and members the class may
 * reach only as a subclass (protected members of a superclass of another package,
 * JVMS 5.4.4). Cost: two copies of the method's code and constants.
 */
import { ConstantPool } from "../classfile/constant-pool.js";
import { Access, type Attribute, type ClassFile, type CodeAttribute, codeOf, type CpEntry, findAttribute, type MethodInfo } from "../classfile/model.js";
import type { CodeNode, FrameNode, FrameType, LocalVariable, MethodBody } from "../bytecode/model.js";
import { decodeBody } from "../bytecode/decode.js";
import { encodeBody } from "../bytecode/encode.js";
import { Op } from "../bytecode/opcodes.js";
import { ErrorCodes, InternalError, MegasplitError } from "../diagnostics.js";
import { refusal, refusalFromError, type RefusalCode } from "./refusal.js";
import { type ControlFlowGraph, isInstruction } from "../../passes/cfg.js";
import type { PassContext } from "../../passes/pass.js";
import { splitMethod, type MethodSplit, type SplitMethodOptions } from "./split-method.js";
import { newMethodBody } from "../bytecode/method-body.js";
import { withPoolIndex } from "../bytecode/node-shapes.js";

/**
 * Copies constants of one pool into another, deeply (a Methodref brings its Class,
 * NameAndType and Utf8 entries), each once. `redirect` names a new owner for a
 * member reference (calls into methods that moved to another class).
 */
export class PoolTransfer {
  private readonly done = new Map<number, number>();

  constructor(
    readonly from: ConstantPool,
    readonly to: ConstantPool,
    private readonly redirect?: (owner: string, name: string) => string | undefined,
  ) {}

  constant(index: number): number {
    let out = this.done.get(index);
    if (out === undefined) {
      out = this.to.add(this.copy(this.from.get(index), index));
      this.done.set(index, out);
    }
    return out;
  }

  private copy(e: CpEntry, index: number): CpEntry {
    const c = (i: number) => this.constant(i);
    switch (e.kind) {
      case "Utf8":
      case "Integer":
      case "Float":
      case "Long":
      case "Double":
        return e;
      case "Class":
      case "Module":
      case "Package":
        return { kind: e.kind, nameIndex: c(e.nameIndex) };
      case "String":
        return { kind: "String", stringIndex: c(e.stringIndex) };
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref": {
        const ref = this.from.memberRef(index);
        const owner = e.kind === "Fieldref" ? undefined : this.redirect?.(ref.owner, ref.name);
        if (owner !== undefined) {
          return { kind: "Methodref", classIndex: this.to.addClass(owner), nameAndTypeIndex: this.to.addNameAndType(ref.name, ref.descriptor) };
        }
        return { kind: e.kind, classIndex: c(e.classIndex), nameAndTypeIndex: c(e.nameAndTypeIndex) };
      }
      case "NameAndType":
        return { kind: "NameAndType", nameIndex: c(e.nameIndex), descriptorIndex: c(e.descriptorIndex) };
      case "MethodHandle":
        return { kind: "MethodHandle", referenceKind: e.referenceKind, referenceIndex: c(e.referenceIndex) };
      case "MethodType":
        return { kind: "MethodType", descriptorIndex: c(e.descriptorIndex) };
      case "Dynamic":
      case "InvokeDynamic":
        // The bootstrap row stays the class's: only the driver (in the class) may hold these.
        return { kind: e.kind, bootstrapMethodAttrIndex: e.bootstrapMethodAttrIndex, nameAndTypeIndex: c(e.nameAndTypeIndex) };
    }
  }

  /** The body with every constant-pool index moved to `to` (raw code attributes dropped). */
  body(b: MethodBody): MethodBody {
    const c = (i: number) => this.constant(i);
    const type = (t: FrameType): FrameType => (t.tag === "object" ? { tag: "object", classIndex: c(t.classIndex) } : t);
    const frame = (f: FrameNode): FrameNode => {
      switch (f.type) {
        case "same":
        case "chop":
          return f;
        case "same_locals_1_stack_item":
          return { ...f, stack: type(f.stack) };
        case "append":
          return { type: f.type, locals: f.locals.map(type) };
        case "full":
          return { type: f.type, locals: f.locals.map(type), stack: f.stack.map(type) };
      }
    };
    const nodes = b.nodes.map((n): CodeNode => {
      switch (n.kind) {
        case "cp":
        case "invokeinterface":
        case "invokedynamic":
        case "multianewarray":
          return withPoolIndex(n, c(n.index));
        case "frame":
          return { kind: "frame", frame: frame(n.frame) };
        default:
          return n;
      }
    });
    const vars = (vs: LocalVariable[] | undefined) => vs?.map((v) => ({ ...v, nameIndex: c(v.nameIndex), descriptorIndex: c(v.descriptorIndex) }));
    const localVariables = vars(b.localVariables);
    const localVariableTypes = vars(b.localVariableTypes);
    return newMethodBody({
      ...b,
      nodes,
      handlers: b.handlers.map((h) => ({ ...h, catchType: h.catchType === 0 ? 0 : c(h.catchType) })),
      localVariables,
      localVariableTypes,
      otherAttributes: [],
    });
  }

  /** A Code attribute of `from` re-encoded against `to`. */
  code(code: CodeAttribute, where: { className: string; method: string }): CodeAttribute {
    return encodeBody(this.body(decodeBody(code, this.from, where)), this.to, { where });
  }
}

/** The package part of an internal name (`a/b/C` -> `a/b`). */
function packageOf(internalName: string): string {
  const slash = internalName.lastIndexOf("/");
  return slash < 0 ? "" : internalName.slice(0, slash);
}

/**
 * Whether one instruction may run only in the class itself (see the file comment).
 * `finals` are the class's final fields (`name:descriptor`), `declared` its own
 * members (`name:descriptor` for fields and `name(descriptor)` for methods),
 * `generated` the names of the methods the split made (they move with the pieces).
 */
export function needsOwnClass(n: CodeNode, ctx: PassContext, finals: ReadonlySet<string>, declared: ReadonlySet<string>, generated: (name: string) => boolean): boolean {
  if (n.kind === "invokedynamic") return true;
  if (n.kind !== "cp" && n.kind !== "invokeinterface") return false;
  const op = n.kind === "invokeinterface" ? Op.INVOKEINTERFACE : n.op;
  if (op === Op.LDC || op === Op.LDC2_W) {
    const kind = ctx.cp.get(n.index).kind;
    return kind === "Dynamic" || kind === "MethodHandle";
  }
  const member = op >= Op.GETSTATIC && op <= Op.INVOKEINTERFACE;
  if (!member) return false;
  const ref = ctx.cp.memberRef(n.index);
  if (op === Op.INVOKESPECIAL && ref.name !== "<init>") return true;
  const isField = op <= Op.PUTFIELD;
  if ((op === Op.PUTFIELD || op === Op.PUTSTATIC) && ref.owner === ctx.className && finals.has(`${ref.name}:${ref.descriptor}`)) return true;
  if (ref.owner.startsWith("[")) return false;
  const key = isField ? `${ref.name}:${ref.descriptor}` : `${ref.name}${ref.descriptor}`;
  // Not declared: inherited, maybe protected in another package (a generated method is the helper's).
  if (ref.owner === ctx.className) return !declared.has(key) && !(!isField && generated(ref.name));
  // A member the class may reach as a subclass of its owner (protected, JVMS 5.4.4); a helper may not.
  if (packageOf(ref.owner) === packageOf(ctx.className)) return false;
  if (ref.owner === "java/lang/Object") return ref.name === "clone" || ref.name === "finalize";
  return ctx.hierarchy ? ctx.hierarchy.isAssignable(ref.owner, ctx.className) : true;
}

/** The final fields and the declared members of a class, as `needsOwnClass` takes them. */
export function ownMembers(cf: ClassFile): { finals: Set<string>; declared: Set<string> } {
  const cp = cf.constantPool;
  const finals = new Set<string>();
  const declared = new Set<string>();
  for (const f of cf.fields) {
    const key = `${cp.utf8(f.nameIndex)}:${cp.utf8(f.descriptorIndex)}`;
    declared.add(key);
    if (f.accessFlags & Access.FINAL) finals.add(key);
  }
  for (const m of cf.methods) declared.add(cp.utf8(m.nameIndex) + cp.utf8(m.descriptorIndex));
  return { finals, declared };
}

/** Where a class's pieces go when it cannot hold them: one helper class per class. */
export class HelperClass {
  /** The pool and methods committed so far (a refused split leaves them unchanged). */
  private pool = new ConstantPool();
  private readonly methods: MethodInfo[] = [];

  constructor(
    /** The class whose pieces it holds. */
    readonly host: ClassFile,
    readonly name: string,
    /** A nest-mate of `host` (private pieces, NestHost) or a plain class of the same package (package-private pieces). */
    readonly nest: boolean,
  ) {}

  get used(): boolean {
    return this.methods.length > 0;
  }

  /**
   * Splits method `index` of `cf` (the class, its pool possibly a trial copy)
   * with its pieces in this helper. On success the driver's code is in `cf`'s
   * pool and `commit` keeps the pieces; a refusal changes nothing here.
   */
  split(cf: ClassFile, index: number, opts: SplitMethodOptions, taken: Set<string>): { result: MethodSplit; commit(): void } {
    const cp = cf.constantPool;
    const className = cp.className(cf.thisClass);
    const method = cf.methods[index]!;
    const methodName = cp.utf8(method.nameIndex) + cp.utf8(method.descriptorIndex);
    const where = { className, method: methodName };
    const refused = (reason: string, code: RefusalCode = ErrorCodes.REFUSED_NO_FIT): { result: MethodSplit; commit(): void } => ({ result: refusal(code, reason), commit: () => {} });
    const { finals, declared } = ownMembers(this.host);

    // The shadow: the class's name and this one method, over a pool of its own.
    const shadowPool = new ConstantPool();
    shadowPool.where = cp.where;
    const toShadow = new PoolTransfer(cp, shadowPool);
    let shadowMethod: MethodInfo;
    try {
      shadowMethod = {
        accessFlags: method.accessFlags,
        nameIndex: shadowPool.addUtf8(cp.utf8(method.nameIndex)),
        descriptorIndex: shadowPool.addUtf8(cp.utf8(method.descriptorIndex)),
        attributes: [toShadow.code(codeOf(method)!, where)],
      };
    } catch (e) {
      if (e instanceof MegasplitError) return { result: refusalFromError(e), commit: () => {} };
      throw e;
    }
    const shadow: ClassFile = {
      ...cf,
      // Calls into pieces are written as Methodrefs of the class, then redirected to the helper.
      accessFlags: cf.accessFlags & ~(Access.INTERFACE | Access.ABSTRACT | Access.ANNOTATION),
      constantPool: shadowPool,
      thisClass: shadowPool.addClass(className),
      superClass: cf.superClass === 0 ? 0 : shadowPool.addClass(cp.className(cf.superClass)),
      interfaces: [],
      fields: [],
      methods: [shadowMethod],
      attributes: [],
    };
    const { indy: _indy, ...rest } = opts;
    // Names the split hands out (regions, pieces): taken, but not a method of the class.
    const hostNames = new Set(this.host.methods.map((m) => this.host.constantPool.utf8(m.nameIndex)));
    const generated = (name: string) => taken.has(name) && !hostNames.has(name);
    const mustStay = (cfg: ControlFlowGraph, b: number, ctx: PassContext): boolean => {
      for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
        const n = cfg.body.nodes[i]!;
        if (isInstruction(n) && needsOwnClass(n, ctx, finals, declared, generated)) return true;
      }
      return false;
    };
    const result = splitMethod(shadow, 0, { ...rest, helper: { finals, mustStay } }, taken);
    if (result.kind !== "split") {
      if (result.reason.startsWith("E_CP_OVERFLOW")) {
        return refused(`the constant pool would overflow: the pieces of ${methodName} need more than 65,535 constant-pool entries in the helper class ${this.name}`, ErrorCodes.REFUSED_CONSTANT_POOL);
      }
      return result.kind === "refused" ? { result, commit: () => {} } : refused("not split");
    }

    // Copy the driver back into the class and the pieces into the helper.
    const moved = new Set(result.pieces.map((p) => p.name));
    const redirect = (owner: string, name: string) => (owner === className && moved.has(name) ? this.name : undefined);
    const helperPool = this.pool.clone();
    const toClass = new PoolTransfer(shadowPool, cp, redirect);
    const toHelper = new PoolTransfer(shadowPool, helperPool, redirect);
    const shadowCtx = { className, cp: shadowPool } as PassContext;
    let driver: MethodInfo;
    const pieces: MethodInfo[] = [];
    const pieceLengths: number[] = [];
    let stage = "driver";
    try {
      if (this.nest) {
        // Room in the class for its NestMembers entry (withNestMember).
        cp.addClass(this.name);
        cp.addUtf8("NestMembers");
      }
      const driverCode = toClass.code(codeOf(result.driver)!, where);
      if (driverCode.code.length > opts.maxSize) return refused(`the driver of ${methodName} grew to ${driverCode.code.length} bytes in the class's constant pool (limit ${opts.maxSize})`);
      const originalCode = codeOf(method)!;
      // A fresh member (not `...method`): a member read with `raw` bytes is written verbatim.
      driver = {
        accessFlags: method.accessFlags,
        nameIndex: method.nameIndex,
        descriptorIndex: method.descriptorIndex,
        attributes: method.attributes.map((a: Attribute) => (a === originalCode ? { ...driverCode, nameIndex: originalCode.nameIndex } : a)),
      };
      stage = "pieces";
      for (const p of result.pieces) {
        const code = codeOf(p.method)!;
        const body = decodeBody(code, shadowPool, where);
        // A region outlined whole (it fit the limit) was never partitioned: check it here.
        const bad = body.nodes.find((n) => isInstruction(n) && needsOwnClass(n, { ...shadowCtx, ...(opts.hierarchy ? { hierarchy: opts.hierarchy } : {}) } as PassContext, finals, declared, (name) => moved.has(name)));
        if (bad) return refused(`${p.name} of ${methodName} would run code only ${className} may run (a region that cannot be cut holds it)`, ErrorCodes.REFUSED_REGION);
        const encoded = encodeBody(toHelper.body(body), helperPool, { where });
        if (encoded.code.length > opts.maxSize) return refused(`${p.name} grew to ${encoded.code.length} bytes in the helper's constant pool (limit ${opts.maxSize})`);
        pieceLengths.push(encoded.code.length);
        pieces.push({
          accessFlags: (this.nest ? Access.PRIVATE : 0) | Access.STATIC | Access.SYNTHETIC,
          nameIndex: helperPool.addUtf8(p.name),
          descriptorIndex: helperPool.addUtf8(p.descriptor),
          attributes: [encoded],
        });
      }
    } catch (e) {
      if (!(e instanceof MegasplitError)) throw e;
      if (e.code === "E_CP_OVERFLOW") {
        return refused(
          stage === "driver"
            ? `the constant pool would overflow even with the pieces in ${this.name}: ${className} reached ${cp.count - 1} entries (limit 65,535) with the driver's calls into the helper`
            : `the constant pool would overflow: the pieces of ${methodName} need more than 65,535 constant-pool entries in the helper class ${this.name}`,
          ErrorCodes.REFUSED_CONSTANT_POOL,
        );
      }
      // The bodies are ours and were encoded once already: anything else is a bug.
      throw new InternalError(`moving the pieces of ${className}.${methodName} into ${this.name}: ${e.code}: ${e.diagnostic.message}`, { cause: e });
    }
    const split: MethodSplit = {
      ...result,
      driver,
      driverLength: codeOf(driver)!.code.length,
      pieces: result.pieces.map((p, i) => ({ ...p, method: pieces[i]!, codeLength: pieceLengths[i]! })),
    };
    return {
      result: split,
      commit: () => {
        this.pool = helperPool;
        this.methods.push(...pieces);
      },
    };
  }

  /** The helper's class file (JVMS 4.1): the host's version and source file, and NestHost for a nest-mate. */
  classFile(): ClassFile {
    const cp = this.pool;
    const host = this.host;
    const hcp = host.constantPool;
    const attributes: Attribute[] = [];
    const sf = findAttribute(host.attributes, "SourceFile");
    if (sf) attributes.push({ kind: "SourceFile", nameIndex: cp.addUtf8("SourceFile"), sourceFileIndex: cp.addUtf8(hcp.utf8(sf.sourceFileIndex)) });
    if (this.nest) attributes.push({ kind: "NestHost", nameIndex: cp.addUtf8("NestHost"), hostClassIndex: cp.addClass(hcp.className(host.thisClass)) });
    return {
      minorVersion: host.minorVersion,
      majorVersion: host.majorVersion,
      constantPool: cp,
      accessFlags: Access.FINAL | Access.SUPER | Access.SYNTHETIC,
      thisClass: cp.addClass(this.name),
      superClass: cp.addClass("java/lang/Object"),
      interfaces: [],
      fields: [],
      methods: this.methods,
      attributes,
    };
  }

  /** The host with the helper in its NestMembers (JVMS 4.7.29), created or extended. */
  withNestMember(cf: ClassFile): ClassFile {
    if (!this.nest) return cf;
    const cp = cf.constantPool;
    const member = cp.addClass(this.name);
    const old = findAttribute(cf.attributes, "NestMembers");
    // A fresh attribute: one read from a class keeps its `raw` bytes, which the writer copies verbatim.
    const extended: Attribute = { kind: "NestMembers", nameIndex: old?.nameIndex ?? 0, classes: [...(old?.classes ?? []), member] };
    if (old) return { ...cf, attributes: cf.attributes.map((a) => (a === old ? extended : a)) };
    return { ...cf, attributes: [...cf.attributes, { kind: "NestMembers", nameIndex: cp.addUtf8("NestMembers"), classes: [member] }] };
  }
}
