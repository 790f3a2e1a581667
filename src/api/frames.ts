/**
 * Frames for methods a compiler built in memory and the splitter leaves alone.
 * The splitter computes a StackMapTable for every method it writes (JVMS 4.7.4);
 * a method that fits the limit is kept as it is, and one built with `addMethod`
 * has no frames, which a class of version 50 and up needs at every branch target
 * (4.10.1). Only methods built by `addMethod` are framed: a class read from a file
 * keeps every byte of its untouched methods, and assembled text keeps the frames
 * and limits its author wrote. Cost: one frame inference per such method.
 */
import { decodeBody } from "../bytecode/decode.js";
import { encodeBody } from "../bytecode/encode.js";
import { type ClassFile, type MethodInfo, codeOf, findAttribute } from "../classfile/model.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";
import { type ClassHierarchy, methodContext } from "../../passes/pass.js";
import { isBuiltWithoutFrames } from "./build.js";
import { newMethodBody } from "../bytecode/method-body.js";

/** `cf` with frames computed for its built, frameless methods of at most `maxSize` bytes. */
export function frameBuiltMethods(cf: ClassFile, hierarchy: ClassHierarchy, maxSize: number): ClassFile {
  if (cf.majorVersion < 50) return cf;
  let changed = false;
  const methods = cf.methods.map((m): MethodInfo => {
    const code = codeOf(m);
    if (!isBuiltWithoutFrames(m) || !code || code.code.length > maxSize || findAttribute(code.attributes, "StackMapTable")) return m;
    const ctx = methodContext(cf, m, { hierarchy });
    const framed0 = computeStackMapFrames(decodeBody(code, cf.constantPool, ctx.where), ctx, { asInferred: true });
    const body = newMethodBody({ ...framed0, hasStackMapTable: framed0.nodes.some((n) => n.kind === "frame") });
    const framed = { ...encodeBody(body, cf.constantPool, { where: ctx.where }), nameIndex: code.nameIndex };
    changed = true;
    return { ...m, attributes: m.attributes.map((a) => (a === code ? framed : a)) };
  });
  return changed ? { ...cf, methods } : cf;
}
