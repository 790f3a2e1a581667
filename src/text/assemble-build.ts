/**
 * The assembler's second half: a parsed class plan (`assemble-plan.ts`) to a
 * ClassFile. The pool is the `.const` pool when the text gives one (complete and
 * valid, or an error) and otherwise grows as the steps resolve constants in text
 * order; Code attributes are encoded by `bytecode/encode.ts`, with max_stack and
 * max_locals computed (`limits.ts`) where `.limit` does not give them. Errors are
 * E_ASM_SYNTAX at the line that caused them. Cost: linear in the plan.
 */
import { ConstantPool } from "../classfile/constant-pool.js";
import { Access, type Attribute, type BootstrapMethod, type ClassFile, type CpEntry, type MemberInfo } from "../classfile/model.js";
import { encodeBody } from "../bytecode/encode.js";
import type { MethodBody } from "../bytecode/model.js";
import { MegasplitError } from "../diagnostics.js";
import type { ClassPlan, CodePlan, MemberPlan, Resolver } from "./assemble-plan.js";
import { PoolBuilder } from "./constants.js";
import { superMayDefaultToNone } from "./disassemble.js";
import { computeMaxLocals, computeMaxStack } from "./limits.js";
import { newMethodBody } from "../bytecode/method-body.js";

/** Reports a syntax error at a line of the text; never returns. */
export type Fail = (message: string, line: number) => never;

export function buildClass(plan: ClassPlan, fail: Fail): ClassFile {
  const cp = pool(plan, fail);
  const bsms: BootstrapMethod[] = plan.bsmTable ? plan.bsmTable.rows.slice() : [];
  const pb = new PoolBuilder(cp, bsms);
  const r: Resolver = {
    pb,
    cp,
    resolve: (spec, line) => {
      try {
        return pb.resolve(spec, (m) => fail(m, line));
      } catch (e) {
        if (e instanceof MegasplitError && e.code !== "E_ASM_SYNTAX") fail(e.diagnostic.message, line);
        throw e;
      }
    },
  };
  const exact = plan.exact;
  const version = plan.version ?? { major: 45, minor: 3 };
  let flags = plan.flags;
  if (plan.jasminInterface) flags |= Access.INTERFACE | (exact ? 0 : Access.ABSTRACT);
  if (!exact && (flags & Access.INTERFACE) === 0) flags |= Access.SUPER;
  const thisClass = r.resolve(plan.name!, plan.line);
  let superClass = 0;
  if (plan.superSpec) superClass = r.resolve(plan.superSpec, plan.line);
  else if (plan.superSpec === undefined && !superMayDefaultToNone(plan.nameText ?? "", flags)) superClass = r.resolve({ t: "Class", name: "java/lang/Object" }, plan.line);
  const interfaces = plan.interfaces.map((x) => r.resolve(x.spec, x.line));
  const member = (m: MemberPlan): MemberInfo => ({
    accessFlags: m.flags,
    nameIndex: r.resolve(m.name, m.line),
    descriptorIndex: r.resolve(m.desc, m.line),
    attributes: m.attrs.map((a) => a.build(r)),
  });
  const fields = plan.fields.map(member);
  const className = plan.nameText ?? cp.className(thisClass);
  const methods = plan.methods.map((m) => {
    const info = member(m);
    if (m.code) {
      const code = codeAttribute(m, m.code, r, className, fail);
      info.attributes.splice(m.code.at, 0, code);
    }
    return info;
  });
  const attributes = plan.attrs.map((a) => a.build(r));
  if (!plan.bsmTable && bsms.length > 0) {
    attributes.push({ kind: "BootstrapMethods", nameIndex: r.resolve({ t: "Utf8", value: "BootstrapMethods" }, plan.line), methods: bsms });
  }
  return { minorVersion: version.minor, majorVersion: version.major, constantPool: cp, accessFlags: flags, thisClass, superClass, interfaces, fields, methods, attributes };
}

function pool(plan: ClassPlan, fail: Fail): ConstantPool {
  if (plan.consts.size === 0) return new ConstantPool();
  let max = 0;
  for (const [i, x] of plan.consts) max = Math.max(max, i + (x.entry.kind === "Long" || x.entry.kind === "Double" ? 1 : 0));
  const entries: (CpEntry | undefined)[] = new Array(max + 1).fill(undefined);
  for (const [i, x] of plan.consts) {
    entries[i] = x.entry;
    if (x.entry.kind === "Long" || x.entry.kind === "Double") {
      if (plan.consts.has(i + 1)) fail(`constant [${i + 1}] is the unusable slot after a ${x.entry.kind}`, plan.consts.get(i + 1)!.line);
    }
  }
  for (let i = 1; i <= max; i++) {
    if (entries[i] !== undefined) continue;
    const prev = entries[i - 1];
    if (prev?.kind === "Long" || prev?.kind === "Double") continue;
    fail(`constant-pool slot [${i}] is missing (a .const pool must be complete)`, plan.line);
  }
  const cp = new ConstantPool(entries);
  try {
    cp.validate();
  } catch (e) {
    if (e instanceof MegasplitError) fail(e.diagnostic.message, plan.line);
    throw e;
  }
  return cp;
}

function codeAttribute(m: MemberPlan, code: CodePlan, r: Resolver, className: string, fail: Fail): Attribute {
  for (const [name, l] of code.labels) if (!l.placed) fail(`label ${name} is used but never defined`, l.line);
  for (const s of code.steps) s(r);
  const body: MethodBody = newMethodBody({
    maxStack: 0,
    maxLocals: 0,
    nodes: code.nodes,
    labelCount: code.labelCount,
    handlers: code.handlers,
    // A table `.attributeorder` names exists even without rows (an empty table in the class).
    localVariables: code.locals ?? (code.attributeOrder?.includes("LocalVariableTable") ? [] : undefined),
    localVariableTypes: code.localTypes ?? (code.attributeOrder?.includes("LocalVariableTypeTable") ? [] : undefined),
    hasStackMapTable: code.hasStackMapTable,
    otherAttributes: code.other.map((a) => a.build(r)),
    attributeOrder: code.attributeOrder,
  });
  const where = { className, method: (m.name.t === "Utf8" ? m.name.value : "") + m.descText };
  body.maxStack = code.maxStack ?? computeMaxStack(body, r.cp, { ...where, line: code.line });
  body.maxLocals = code.maxLocals ?? computeMaxLocals(body, m.descText, (m.flags & Access.STATIC) !== 0);
  try {
    return encodeBody(body, r.cp, { where });
  } catch (e) {
    if (e instanceof MegasplitError) fail(e.diagnostic.message, code.line);
    throw e;
  }
}
