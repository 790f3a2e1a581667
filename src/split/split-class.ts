/**
 * Splits every method of a class whose code is longer than the limit, and reports
 * per method what happened. The pieces join the class as private static synthetic
 * methods (JVMS 4.6); the original method keeps its name, descriptor, flags
 * (`synchronized` included) and other attributes. Interfaces of version 52 and up
 * hold their pieces the same way (JVMS 4.6: an interface method of a 52+ class is
 * public or private, and may be static), called through InterfaceMethodref
 * constants (JVMS 4.4.2). Where the class cannot hold them, the pieces go into a
 * helper class (`helper-class.ts`): for an interface below version 52 (its
 * `<clinit>` is its only method with code), and, for a class of version 55 and up
 * that is its own nest host, when its constant pool would overflow (JVMS 4.1, at
 * most 65,535 entries); otherwise that method is refused with the counts.
 *
 * Each method is split against a copy of the class's constant pool, kept only when
 * the split succeeds, so a refused method leaves the class as it was.
 * Cost: one method split per over-sized method.
 */
import { ConstantPool } from "../classfile/constant-pool.js";
import { Access, type ClassFile, codeOf, findAttribute, type MethodInfo } from "../classfile/model.js";
import type { ClassHierarchy } from "../../passes/pass.js";
import type { SplitLinkMode } from "./split-method.js";
import { IndyCallSites } from "../../passes/link/indy.js";
import { usesIndy } from "../../passes/link/modes.js";
import { splitMethod, type MethodSplit } from "./split-method.js";
import { HelperClass } from "./helper-class.js";
import { type Diagnostic, ErrorCodes } from "../diagnostics.js";
import { refusal } from "./refusal.js";

export interface SplitOptions {
  maxSize: number;
  link: SplitLinkMode;
  hierarchy?: ClassHierarchy;
  /** Check every written body with the internal verifier (a bug throws). */
  verify?: boolean;
  /** Internal names of the classes a helper class must not take (the bundle's). */
  takenClassNames?: ReadonlySet<string>;
  /** Where warnings about the bodies written go. */
  diagnostics?: Diagnostic[];
}

export interface MethodReport {
  className: string;
  /** name + descriptor */
  method: string;
  originalLength: number;
  result: MethodSplit;
  /** Internal name of the helper class holding the pieces, when not the class itself. */
  pieceClass?: string;
}

export interface ClassSplit {
  classFile: ClassFile;
  changed: boolean;
  reports: MethodReport[];
  /** The first synthetic call-site line: above every line the class had. */
  syntheticBase: number;
  /** A new class holding pieces of this one (written next to it). */
  helper?: ClassFile;
}

/** The largest source line any method of the class names (JVMS 4.7.12). */
function maxLine(cf: ClassFile): number {
  let max = 0;
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    for (const a of code.attributes) {
      if (a.kind !== "LineNumberTable") continue;
      for (let k = 0; k < a.entries.length; k++) if (a.entries[k]!.line > max) max = a.entries[k]!.line;
    }
  }
  return max;
}

/** `<class>$megasplit`, or with a number, not taken by any class of the bundle. */
function helperName(className: string, taken: ReadonlySet<string> | undefined): string {
  let name = `${className}$megasplit`;
  for (let k = 2; taken?.has(name); k++) name = `${className}$megasplit${k}`;
  return name;
}

const OVERFLOW = "E_CP_OVERFLOW";

export function splitClass(cf: ClassFile, opts: SplitOptions): ClassSplit {
  // Most classes of a jar have no method over the limit: nothing to set up for them.
  if (!cf.methods.some((m) => (codeOf(m)?.code.length ?? 0) > opts.maxSize)) return { classFile: cf, changed: false, reports: [], syntheticBase: maxLine(cf) + 1 };
  const original = cf.constantPool;
  const className = original.className(cf.thisClass);
  const reports: MethodReport[] = [];
  const taken = new Set(cf.methods.map((m) => original.utf8(m.nameIndex)));
  const methods: MethodInfo[] = [];
  const added: MethodInfo[] = [];
  let changed = false;
  const isInterface = (cf.accessFlags & Access.INTERFACE) !== 0;
  // Bound call sites need invokedynamic (class version 51); below it, indy links as direct.
  const indy = usesIndy(opts.link) && cf.majorVersion >= 51 ? new IndyCallSites(cf, taken) : undefined;
  const syntheticBase = maxLine(cf) + 1;
  const lines = { next: syntheticBase };
  let pool: ConstantPool = original;
  let helper: HelperClass | undefined;
  const helperFor = (nest: boolean) => (helper ??= new HelperClass(cf, helperName(className, opts.takenClassNames), nest));
  const nestHost = findAttribute(cf.attributes, "NestHost");
  cf.methods.forEach((m, i) => {
    const code = codeOf(m);
    if (!code || code.code.length <= opts.maxSize) {
      methods.push(m);
      return;
    }
    const name = original.utf8(m.nameIndex) + original.utf8(m.descriptorIndex);
    const trial = pool.clone();
    const work: ClassFile = { ...cf, constantPool: trial };
    const undoIndy = indy?.checkpoint(trial);
    const methodOpts = { ...opts, lines };
    let result: MethodSplit;
    let commit = () => {};
    let pieceClass: string | undefined;
    let adopt = trial;
    if (isInterface && cf.majorVersion < 52) {
      // Before 52 an interface may have no static or private methods (JVMS 4.6).
      const h = helperFor(false);
      ({ result, commit } = h.split(work, i, methodOpts, taken));
      pieceClass = h.name;
    } else {
      result = splitMethod(work, i, { ...methodOpts, ...(indy ? { indy } : {}) }, taken);
      if (result.kind === "refused" && result.code === ErrorCodes.REFUSED_CONSTANT_POOL && result.reason.startsWith(OVERFLOW)) {
        undoIndy?.();
        const room = `${className} has ${pool.count - 1} constant-pool entries and the split needs more than the ${65535 - pool.count} left (limit 65,535)`;
        if (cf.majorVersion < 55) {
          result = refusal(ErrorCodes.REFUSED_CONSTANT_POOL, `the constant pool would overflow: ${room}; a nest-mate helper class needs class version 55 (this is ${cf.majorVersion})`);
        } else if (nestHost) {
          const host = original.className(nestHost.hostClassIndex);
          result = refusal(ErrorCodes.REFUSED_CONSTANT_POOL, `the constant pool would overflow: ${room}; ${className} is a nest member of ${host}, so a helper class cannot join its nest`);
        } else {
          adopt = pool.clone();
          const h = helperFor(true);
          ({ result, commit } = h.split({ ...cf, constantPool: adopt }, i, methodOpts, taken));
          pieceClass = h.name;
          // A missing class refuses the method whatever the pool: its own code says what to do about it.
          if (result.kind === "refused" && result.code !== ErrorCodes.REFUSED_MISSING_CLASS) {
            result = { ...result, code: ErrorCodes.REFUSED_CONSTANT_POOL, reason: `the constant pool would overflow (${room}), and a nest-mate helper class did not help: ${result.reason}` };
          }
        }
      }
    }
    if (result.kind === "split") {
      pool = adopt;
      commit();
    } else undoIndy?.();
    reports.push({ className, method: name, originalLength: code.code.length, result, ...(pieceClass !== undefined && result.kind === "split" ? { pieceClass } : {}) });
    if (result.kind === "split") {
      changed = true;
      methods.push(result.driver);
      if (pieceClass === undefined) for (const p of result.pieces) added.push(p.method);
    } else {
      methods.push(m);
    }
  });
  if (!changed) return { classFile: cf, changed, reports, syntheticBase };
  let out: ClassFile = { ...cf, constantPool: pool, methods: [...methods, ...added] };
  if (indy) out = indy.finish(out);
  if (helper?.used) {
    out = helper.withNestMember(out);
    return { classFile: out, changed, reports, syntheticBase, helper: helper.classFile() };
  }
  return { classFile: out, changed, reports, syntheticBase };
}
