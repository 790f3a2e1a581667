/**
 * Assembler text for the structured blocks of a random program (model.ts):
 * loops, if/else, table and lookup switches, try/catch/finally the javac way
 * (the finally copied on the normal path, after each catch, and in a catch-all
 * handler that rethrows), retry loops whose head is an exception handler,
 * synchronized blocks with javac's self-covering monitor-release handler, values
 * kept on the operand stack across a diamond, a switch and a loop, and old-style
 * finally subroutines (jsr/ret). A structure at depth d uses only depth d's
 * slots (layout.ts) and puts its body at depth d + 1.
 *
 * Invariants the generator guarantees and this file relies on: nothing with an
 * exception handler (try, retry, sync, jsr) sits inside a `stack` block (a
 * handler starts with an empty stack, so it could not join back), nor in a
 * constructor before super(); `jsr` only in class versions below 50; `call`
 * only in run().
 */
import { prng } from "../prng.js";
import type { EmitContext } from "./emit-context.js";
import { emitArith, emitCall, emitScratch, emitThrow, int, mixException, mixIntTop, mixLongTop, pick, pushInt } from "./emit-leaves.js";
import { MAX_DEPTH } from "./layout.js";
import type { Block, CatchClause } from "./model.js";

export function emitBlocks(c: EmitContext, list: readonly Block[], depth: number): void {
  for (const b of list) emitBlock(c, b, depth);
}

function emitBlock(c: EmitContext, b: Block, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`block nested deeper than ${MAX_DEPTH}`);
  const slots = c.layout.depth[depth]!;
  switch (b.kind) {
    case "arith":
      return emitArith(c, b.seed);
    case "throw":
      return emitThrow(c, b.seed);
    case "scratch":
      return emitScratch(c, b.seed);
    case "call":
      return emitCall(c, b.seed);
    case "loop":
      return emitLoop(c, b.seed, b.body, depth, slots.counter);
    case "if":
      return emitIf(c, b.seed, b.then, b.else, depth);
    case "switch":
      return emitSwitch(c, b.seed, b.lookup, b.cases, b.default, depth);
    case "try":
      return emitTry(c, b.body, b.catches, b.finally, depth, slots.exception);
    case "retry":
      return emitRetry(c, b.seed, b.body, depth, slots.counter, slots.exception);
    case "sync":
      return emitSync(c, b.body, depth, slots.lock, slots.exception);
    case "stack":
      return emitStack(c, b.seed, b.body, depth, slots.counter);
    case "jsr":
      return emitJsr(c, b.body, b.fin, depth, slots.exception, slots.returnAddress);
    case "dispatch":
      return emitDispatch(c, b.seed, b.lookup, b.cases, b.default, depth, slots.counter);
  }
}

/** A protected range is never empty (JVMS 4.7.3: start_pc < end_pc), even once the minimiser emptied it. */
function emitProtected(c: EmitContext, body: readonly Block[], depth: number): void {
  if (body.length === 0) c.emit("nop");
  emitBlocks(c, body, depth);
}

/** A counted loop, tested at the bottom or at the top, sometimes with an early exit. */
function emitLoop(c: EmitContext, seed: number, body: Block[], depth: number, counter: number): void {
  const r = prng(seed);
  const turns = int(r, 2, 4);
  const [head, test, exit] = [c.label(), c.label(), c.label()];
  const topTested = r() < 0.5;
  c.emit("iconst_0", `istore ${counter}`);
  if (topTested) c.emit(`goto ${test}`);
  c.place(head);
  if (r() < 0.3) c.emit(`iload ${pick(r, c.layout.ints)}`, pushInt(int(r, 5, 9)), "irem", `ifeq ${exit}`);
  emitBlocks(c, body, depth + 1);
  c.emit(`iinc ${counter} 1`);
  c.place(test);
  c.emit(`iload ${counter}`, pushInt(turns), `if_icmplt ${head}`);
  c.place(exit);
}

function emitCondition(c: EmitContext, r: () => number, elseLabel: string): void {
  const { ints, longs, doubles } = c.layout;
  switch (int(r, 0, 3)) {
    case 0:
      c.emit(`iload ${pick(r, ints)}`, `iload ${pick(r, ints)}`, `${pick(r, ["if_icmplt", "if_icmpge", "if_icmpeq", "if_icmpne", "if_icmpgt", "if_icmple"])} ${elseLabel}`);
      break;
    case 1:
      c.emit(`lload ${pick(r, longs)}`, `lload ${pick(r, longs)}`, "lcmp", `${pick(r, ["iflt", "ifge", "ifne"])} ${elseLabel}`);
      break;
    case 2:
      c.emit(`dload ${pick(r, doubles)}`, `dload ${pick(r, doubles)}`, pick(r, ["dcmpl", "dcmpg"]), `${pick(r, ["ifle", "ifgt"])} ${elseLabel}`);
      break;
    default:
      c.emit(`iload ${pick(r, ints)}`, "iconst_1", "iand", `${pick(r, ["ifeq", "ifne"])} ${elseLabel}`);
  }
}

function emitIf(c: EmitContext, seed: number, then: Block[], otherwise: Block[], depth: number): void {
  const r = prng(seed);
  const [elseLabel, end] = [c.label(), c.label()];
  emitCondition(c, r, elseLabel);
  emitBlocks(c, then, depth + 1);
  if (otherwise.length > 0) c.emit(`goto ${end}`);
  c.place(elseLabel);
  emitBlocks(c, otherwise, depth + 1);
  c.place(end);
}

/** The selector is `state % m`, in (-m, m); a quarter of the cases fall through into the next. */
function emitSwitch(c: EmitContext, seed: number, lookup: boolean, cases: Block[][], dflt: Block[], depth: number): void {
  const r = prng(seed);
  const m = cases.length + int(r, 0, 2);
  const end = c.label();
  const caseLabels = cases.map(() => c.label());
  const dfltLabel = c.label();
  c.emit(`iload ${pick(r, c.layout.ints)}`, pushInt(m), "irem");
  if (lookup) {
    const pool = Array.from({ length: 2 * m - 1 }, (_, i) => i - m + 1);
    const keys: number[] = [];
    for (let i = 0; i < cases.length; i++) keys.push(pool.splice(int(r, 0, pool.length - 1), 1)[0]! * (r() < 0.3 ? 1000 : 1));
    const order = keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0]);
    c.emit("lookupswitch", ...order.map(([k, i]) => `    ${k} : ${caseLabels[i]}`), `    default : ${dfltLabel}`);
  } else {
    const low = int(r, -cases.length + 1, 0);
    c.emit(`tableswitch ${low} ${low + cases.length - 1}`, ...caseLabels.map((l) => `    ${l}`), `    default : ${dfltLabel}`);
  }
  cases.forEach((body, i) => {
    c.place(caseLabels[i]!);
    emitBlocks(c, body, depth + 1);
    if (r() < 0.75) c.emit(`goto ${end}`);
  });
  c.place(dfltLabel);
  emitBlocks(c, dflt, depth + 1);
  c.place(end);
}

/**
 * An interpreter's dispatch loop: `turns` times, a switch on (counter * k + state)
 * % m, in (-m, m), so the key follows what the cases did to the state and some
 * turns take the default. Most cases go back to the loop head; some fall into the
 * next case (the last into the default) and some leave the loop when a condition
 * on the state holds. The default's code, if any, also goes back to the head.
 */
function emitDispatch(c: EmitContext, seed: number, lookup: boolean, cases: Block[][], dflt: Block[], depth: number, counter: number): void {
  const r = prng(seed);
  const turns = int(r, 6, 30);
  const m = cases.length + int(r, 0, 2);
  const [head, next, exit] = [c.label(), c.label(), c.label()];
  const caseLabels = cases.map(() => c.label());
  const dfltLabel = c.label();
  c.emit("iconst_0", `istore ${counter}`);
  c.place(head);
  c.emit(`iload ${counter}`, pushInt(int(r, 1, 7)), "imul", `iload ${pick(r, c.layout.ints)}`, "iadd", pushInt(m), "irem");
  if (lookup) {
    const pool = Array.from({ length: 2 * m - 1 }, (_, i) => i - m + 1);
    const keys = cases.map(() => pool.splice(int(r, 0, pool.length - 1), 1)[0]!);
    const order = keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0]);
    c.emit("lookupswitch", ...order.map(([k, i]) => `    ${k} : ${caseLabels[i]}`), `    default : ${dfltLabel}`);
  } else {
    c.emit(`tableswitch 0 ${cases.length - 1}`, ...caseLabels.map((l) => `    ${l}`), `    default : ${dfltLabel}`);
  }
  cases.forEach((body, i) => {
    c.place(caseLabels[i]!);
    emitBlocks(c, body, depth + 1);
    const end = r();
    if (end < 0.12) emitCondition(c, r, exit);
    if (end < 0.85) c.emit(`goto ${next}`);
  });
  c.place(dfltLabel);
  emitBlocks(c, dflt, depth + 1);
  c.place(next);
  c.emit(`iinc ${counter} 1`, `iload ${counter}`, pushInt(turns), `if_icmplt ${head}`);
  c.place(exit);
}

/** try/catch/finally as javac compiles it (JVMS 3.13 without jsr). */
function emitTry(c: EmitContext, body: Block[], catches: CatchClause[], fin: Block[] | undefined, depth: number, exc: number): void {
  const [start, end, done, any] = [c.label(), c.label(), c.label(), c.label()];
  const finallyRanges: [string, string][] = [];
  c.place(start);
  emitProtected(c, body, depth + 1);
  c.place(end);
  if (fin) emitBlocks(c, fin, depth + 1);
  c.emit(`goto ${done}`);
  const handlerEntries: [string, string][] = [];
  for (const clause of catches) {
    const [h, hEnd] = [c.label(), c.label()];
    handlerEntries.push([clause.type, h]);
    c.place(h);
    c.emit(`astore ${exc}`);
    mixException(c, exc);
    emitBlocks(c, clause.body, depth + 1);
    if (clause.rethrow) {
      c.emit(`aload ${exc}`, "athrow");
      c.place(hEnd);
    } else {
      c.place(hEnd);
      if (fin) emitBlocks(c, fin, depth + 1);
      c.emit(`goto ${done}`);
    }
    finallyRanges.push([h, hEnd]);
  }
  if (fin) {
    c.place(any);
    c.emit(`astore ${exc}`);
    emitBlocks(c, fin, depth + 1);
    c.emit(`aload ${exc}`, "athrow");
  }
  c.place(done);
  for (const [type, h] of handlerEntries) c.handler(type, start, end, h);
  if (fin) {
    c.handler(undefined, start, end, any);
    for (const [h, hEnd] of finallyRanges) c.handler(undefined, h, hEnd, any);
  }
}

/**
 * A loop whose head is a RuntimeException handler, entered first by falling into
 * it with a fresh exception; the body is forced to throw on the first turns.
 */
function emitRetry(c: EmitContext, seed: number, body: Block[], depth: number, counter: number, exc: number): void {
  const r = prng(seed);
  const [h, start, end] = [c.label(), c.label(), c.label()];
  const turns = int(r, 2, 3);
  c.emit("iconst_m1", `istore ${counter}`, "new java/lang/IllegalStateException", "dup", `ldc "retry"`, "invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V");
  c.place(h);
  c.emit(`astore ${exc}`);
  mixException(c, exc);
  c.emit(`iinc ${counter} 1`, `iload ${counter}`, pushInt(turns), `if_icmpge ${end}`);
  c.place(start);
  emitBlocks(c, body, depth + 1);
  c.emit(`iload ${counter}`, pushInt(int(r, 1, turns)), `if_icmpge ${end}`);
  c.emit("new java/lang/IllegalStateException", "dup", `ldc "again"`, "invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V", "athrow");
  c.place(end);
  c.handler("java/lang/RuntimeException", start, end, h);
}

/** synchronized (new Object()) { body } with javac's handler that releases the monitor and covers itself. */
function emitSync(c: EmitContext, body: Block[], depth: number, lock: number, exc: number): void {
  const [start, end, h, hEnd, done] = [c.label(), c.label(), c.label(), c.label(), c.label()];
  c.emit("new java/lang/Object", "dup", "invokespecial java/lang/Object/<init>()V", "dup", `astore ${lock}`, "monitorenter");
  c.place(start);
  emitBlocks(c, body, depth + 1);
  c.emit(`aload ${lock}`, "monitorexit");
  c.place(end);
  c.emit(`goto ${done}`);
  c.place(h);
  c.emit(`astore ${exc}`, `aload ${lock}`, "monitorexit");
  c.place(hEnd);
  c.emit(`aload ${exc}`, "athrow");
  c.place(done);
  c.handler(undefined, start, end, h);
  c.handler(undefined, h, hEnd, h);
}

/**
 * An int or a long carried on the operand stack: across an if/else diamond, then
 * into a loop whose head has it on the stack, through a switch whose arms each
 * push a second value, and out into the checksum.
 */
function emitStack(c: EmitContext, seed: number, body: Block[], depth: number, counter: number): void {
  const r = prng(seed);
  const { ints, longs } = c.layout;
  const long = r() < 0.4;
  const [x1, x2, head, j] = [c.label(), c.label(), c.label(), c.label()];
  const s0 = c.label();
  const s1 = c.label();
  const sd = c.label();
  c.emit(long ? `lload ${pick(r, longs)}` : `iload ${pick(r, ints)}`);
  c.emit(`iload ${pick(r, ints)}`, `ifge ${x1}`, pushInt(int(r, -50, 50)));
  if (long) c.emit("i2l");
  c.emit(`goto ${x2}`);
  c.place(x1);
  c.emit(long ? `lload ${pick(r, longs)}` : `iload ${pick(r, ints)}`);
  c.place(x2);
  c.emit(long ? "ladd" : "iadd", "iconst_0", `istore ${counter}`);
  c.place(head);
  c.emit(`iload ${counter}`);
  c.emit(long ? "i2l\n    ladd" : "iadd");
  emitBlocks(c, body, depth + 1);
  c.emit(`iload ${pick(r, ints)}`, "iconst_3", "irem", "tableswitch 0 1", `    ${s0}`, `    ${s1}`, `    default : ${sd}`);
  c.place(s0);
  c.emit(long ? `ldc2_w ${int(r, 1, 999)}L` : pushInt(int(r, 1, 999)), `goto ${j}`);
  c.place(s1);
  c.emit(long ? `lload ${pick(r, longs)}` : `iload ${pick(r, ints)}`, `goto ${j}`);
  c.place(sd);
  c.emit(long ? "lconst_1" : "iconst_1");
  c.place(j);
  c.emit(long ? "lxor" : "ixor", `iinc ${counter} 1`, `iload ${counter}`, pushInt(int(r, 2, 3)), `if_icmplt ${head}`);
  if (long) mixLongTop(c);
  else mixIntTop(c);
}

/** try { body } finally { fin } with the finally as a subroutine (jsr/ret, class versions below 50). */
function emitJsr(c: EmitContext, body: Block[], fin: Block[], depth: number, exc: number, ret: number): void {
  const [start, end, h, sub, done] = [c.label(), c.label(), c.label(), c.label(), c.label()];
  c.place(start);
  emitProtected(c, body, depth + 1);
  c.place(end);
  c.emit(`jsr ${sub}`, `goto ${done}`);
  c.place(h);
  c.emit(`astore ${exc}`, `jsr ${sub}`, `aload ${exc}`, "athrow");
  c.place(sub);
  c.emit(`astore ${ret}`);
  emitBlocks(c, fin, depth + 1);
  c.emit(`ret ${ret}`);
  c.place(done);
  c.handler(undefined, start, end, h);
}
