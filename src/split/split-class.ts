/**
 * Splits every method of a class whose code is longer than the limit, and reports
 * per method what happened. The pieces join the class as private static synthetic
 * methods (JVMS 4.6); the original method keeps its name, descriptor, flags and
 * other attributes. Interfaces need class version 53 for private methods (JVMS
 * 4.6); below that a method is refused with the reason until helper classes exist.
 * Cost: one method split per over-sized method.
 */
import { Access, type ClassFile, codeOf, type MethodInfo } from "../classfile/model.js";
import type { ClassHierarchy } from "../../passes/pass.js";
import type { SplitLinkMode } from "./split-method.js";
import { IndyCallSites } from "./indy.js";
import { splitMethod, type MethodSplit } from "./split-method.js";

export interface SplitOptions {
  maxSize: number;
  link: SplitLinkMode;
  hierarchy?: ClassHierarchy;
  /** Check every written body with the internal verifier (a bug throws). */
  verify?: boolean;
}

export interface MethodReport {
  className: string;
  /** name + descriptor */
  method: string;
  originalLength: number;
  result: MethodSplit;
}

export interface ClassSplit {
  classFile: ClassFile;
  changed: boolean;
  reports: MethodReport[];
  /** The first synthetic call-site line: above every line the class had. */
  syntheticBase: number;
}

/** The largest source line any method of the class names (JVMS 4.7.12). */
function maxLine(cf: ClassFile): number {
  let max = 0;
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    for (const a of code.attributes) if (a.kind === "LineNumberTable") for (const e of a.entries) if (e.line > max) max = e.line;
  }
  return max;
}

export function splitClass(cf: ClassFile, opts: SplitOptions): ClassSplit {
  const cp = cf.constantPool;
  const className = cp.className(cf.thisClass);
  const reports: MethodReport[] = [];
  const taken = new Set(cf.methods.map((m) => cp.utf8(m.nameIndex)));
  const methods: MethodInfo[] = [];
  const added: MethodInfo[] = [];
  let changed = false;
  const isInterface = (cf.accessFlags & Access.INTERFACE) !== 0;
  // Bound call sites need invokedynamic (class version 51); below it, indy links as direct.
  const indy = (opts.link === "indy" || opts.link === "auto") && cf.majorVersion >= 51 ? new IndyCallSites(cf, taken) : undefined;
  const syntheticBase = maxLine(cf) + 1;
  const lines = { next: syntheticBase };
  cf.methods.forEach((m, i) => {
    const code = codeOf(m);
    if (!code || code.code.length <= opts.maxSize) {
      methods.push(m);
      return;
    }
    const name = cp.utf8(m.nameIndex) + cp.utf8(m.descriptorIndex);
    let result: MethodSplit;
    if (isInterface && cf.majorVersion < 53) {
      result = { kind: "refused", reason: `interface of class version ${cf.majorVersion}: private static pieces need version 53 (helper classes are not written yet)` };
    } else {
      result = splitMethod(cf, i, { ...opts, lines, ...(indy ? { indy } : {}) }, taken);
    }
    reports.push({ className, method: name, originalLength: code.code.length, result });
    if (result.kind === "split") {
      changed = true;
      methods.push(result.driver);
      for (const p of result.pieces) added.push(p.method);
    } else {
      methods.push(m);
    }
  });
  if (!changed) return { classFile: cf, changed, reports, syntheticBase };
  const out: ClassFile = { ...cf, methods: [...methods, ...added] };
  return { classFile: indy ? indy.finish(out) : out, changed, reports, syntheticBase };
}
