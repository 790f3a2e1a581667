/**
 * A parser's semantic-action method, as parser generators (CUP, JavaCC, ANTLR,
 * yacc ports) emit it: `reduce(production, seed)` sets up 300 int locals (more
 * than 255 slots, so `wide` loads and stores), switches on the production, and
 * each case combines a few of them; after the switch every local is summed, so
 * all 300 are live across every case. A unit is one case (about 24 bytes with its
 * switch entry). `main` prints the sum of reduce(p, 3p) over up to 500
 * productions spread over all of them.
 */
import { Access, Op, addMethod, newClass } from "megasplit";
import { cp, jump, label, printInt, sharedShorthands, unitsForBytes, buildForBytes, withMain } from "./emit.mjs";

export const name = "parser-actions";
export const description = "a switch over productions with 300 int locals live (over 255 slots)";
export const CLASS = "gen/Parser";
export const METHOD = "reduce";
export const LOCALS = 300;
const FIRST = 2; // slots 0 and 1 are the parameters

/** Case p: v[d] = v[a] * v[b] + c (indices into the 300 locals). */
export function action(p) {
  return { a: (p * 7) % LOCALS, b: (p * 13 + 5) % LOCALS, d: (p * 17 + 11) % LOCALS, c: ((p * 7919) % 60000) - 30000 };
}

/** The productions main reduces (at most 500, spread over all of them). */
export function sampled(units) {
  const step = Math.max(1, Math.ceil(units / 500));
  const out = [];
  for (let p = 0; p < units; p += step) out.push(p);
  return out;
}

export function build(units) {
  let cf = newClass({ name: CLASS, sourceFile: "Parser.cup" });
  const pool = cf.constantPool;
  const END = 0, CASE = 1;
  // Equal nodes are one object (sharedShorthands), as the decoder makes them.
  const { iload, istore, op, int, line } = sharedShorthands();
  const gotoEnd = jump(Op.GOTO, END);
  const code = [];
  for (let k = 0; k < LOCALS; k++) code.push(iload(1), int(pool, k), op(Op.IADD), istore(FIRST + k));
  code.push(iload(0), { kind: "tableswitch", low: 0, high: units - 1, defaultTarget: END, targets: Array.from({ length: units }, (_, p) => CASE + p) });
  for (let p = 0; p < units; p++) {
    const a = action(p);
    code.push(label(CASE + p), line(1 + (p % 60000)), iload(FIRST + a.a), iload(FIRST + a.b), op(Op.IMUL), int(pool, a.c), op(Op.IADD), istore(FIRST + a.d), gotoEnd);
  }
  code.push(label(END), iload(FIRST));
  for (let k = 1; k < LOCALS; k++) code.push(iload(FIRST + k), op(Op.IADD));
  code.push(op(Op.IRETURN));
  cf = addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: METHOD, descriptor: "(II)I", code });
  const reduce = pool.addMemberRef("Methodref", CLASS, METHOD, "(II)I");
  const main = [op(Op.ICONST_0)];
  for (const p of sampled(units)) main.push(int(pool, p), int(pool, 3 * p), cp(Op.INVOKESTATIC, reduce), op(Op.IADD));
  return withMain(cf, [...main, ...printInt(pool)]);
}

export const unitsFor = (bytes) => unitsForBytes(build, METHOD, bytes);
/** The class with its method about `bytes` long, and the units it took (built once). */
export const buildFor = (bytes) => buildForBytes(build, METHOD, bytes);
