/**
 * A random program (model.ts) as assembler text for one class, `rp/Prog`:
 *
 *   static final long SF; static final int SI   written at the end of <clinit>
 *   final int f; final long g                    written at the end of <init>, f on either arm of a branch
 *   <clinit>                                     its blocks inside a catch-all that records what escaped
 *   <init>(I)V                                   blocks before super() (no handlers there), super() or, when
 *                                                the class extends ArrayList, super(int) whose argument is
 *                                                computed with branches while `this` is uninitialised on the stack,
 *                                                then blocks after
 *   static synchronized long sm(I)J              blocks, returns the checksum
 *   public static String run(I)                  blocks (calls into the above), returns the checksum of all
 *                                                its state (and the wide state) as a string
 *
 * Every method starts with a prologue that derives its whole state from the seed,
 * and ends with an epilogue that folds all of it into its result, so every state
 * value is live across the whole method. The runner (test/java/DiffRunner.java)
 * calls run(1), run(2) and run(-5) and prints each result or the exception that
 * escaped. The text carries no .limit lines: the assembler computes max stack and
 * locals (src/text/limits.ts).
 */
import { prng } from "../prng.js";
import { EmitContext } from "./emit-context.js";
import { emitBlocks } from "./emit-blocks.js";
import { int, mixException, mixIntTop, mixLongTop, pushInt } from "./emit-leaves.js";
import { layoutFor, type Layout } from "./layout.js";
import type { Block, Program } from "./model.js";

export const CLASS_NAME = "rp/Prog";
export const SEEDS = [1, 2, -5];

const STATE = { ints: 5, longs: 3, doubles: 2 };

function prologue(c: EmitContext, r: () => number): void {
  const { seed, checksum, ints, longs, doubles } = c.layout;
  c.emit(`iload ${seed}`, "i2l", `lstore ${checksum}`);
  for (const s of ints) c.emit(`iload ${seed}`, pushInt(int(r, -3000, 3000)), "imul", pushInt(int(r, -100, 100)), "ixor", `istore ${s}`);
  for (const s of longs) c.emit(`iload ${seed}`, "i2l", `ldc2_w ${int(r, 1, 1 << 30) * 7919}L`, "lmul", `lstore ${s}`);
  for (const s of doubles) c.emit(`iload ${seed}`, "i2d", `ldc2_w ${(int(r, 1, 99999) / 64).toFixed(6)}`, "dmul", `dstore ${s}`);
}

/** Folds every state value into the checksum, leaving nothing on the stack. */
function fold(c: EmitContext): void {
  for (const s of c.layout.ints) {
    c.emit(`iload ${s}`);
    mixIntTop(c);
  }
  for (const s of c.layout.longs) {
    c.emit(`lload ${s}`);
    mixLongTop(c);
  }
  for (const s of c.layout.doubles) {
    c.emit(`dload ${s}`, "d2l");
    mixLongTop(c);
  }
}

function method(header: string, c: EmitContext): string {
  return [`.method ${header}`, ...c.catches, ...c.out, ".end method", ""].join("\n");
}

function clinit(p: Program, blocks: Block[], r: () => number): string {
  const c = new EmitContext(CLASS_NAME, layoutFor(0, STATE));
  const [start, end, h, done] = [c.label(), c.label(), c.label(), c.label()];
  c.emit(pushInt(p.seed % 30000), `istore ${c.layout.seed}`);
  prologue(c, r);
  c.place(start);
  c.emit("nop");
  emitBlocks(c, blocks, 0);
  c.place(end);
  c.emit(`goto ${done}`);
  c.place(h);
  c.emit(`astore ${c.layout.wrapException}`);
  mixException(c, c.layout.wrapException);
  c.place(done);
  fold(c);
  c.emit(`lload ${c.layout.checksum}`, `putstatic ${CLASS_NAME}/SF J`, `lload ${c.layout.checksum}`, "l2i", `putstatic ${CLASS_NAME}/SI I`, "return");
  c.handler("java/lang/Throwable", start, end, h);
  return method("static <clinit>()V", c);
}

function init(p: Program, before: Block[], after: Block[], r: () => number): string {
  const c = new EmitContext(CLASS_NAME, layoutFor(2, STATE));
  prologue(c, r);
  emitBlocks(c, before, 0);
  c.emit("aload_0");
  if (p.extendsList) {
    // super(capacity) with the capacity computed on two arms while `this` waits uninitialised on the stack.
    const [arm, join] = [c.label(), c.label()];
    c.emit(`iload ${c.layout.ints[0]}`, `ifge ${arm}`, pushInt(int(r, 0, 20)), `goto ${join}`);
    c.place(arm);
    c.emit(`iload ${c.layout.ints[1]}`, "bipush 15", "iand");
    c.place(join);
    c.emit("invokespecial java/util/ArrayList/<init>(I)V");
  } else {
    c.emit("invokespecial java/lang/Object/<init>()V");
  }
  emitBlocks(c, after, 0);
  fold(c);
  const [other, written] = [c.label(), c.label()];
  c.emit(`iload ${c.layout.ints[2]}`, `ifge ${other}`, "aload_0", `lload ${c.layout.checksum}`, "l2i", `putfield ${CLASS_NAME}/f I`, `goto ${written}`);
  c.place(other);
  c.emit("aload_0", `iload ${c.layout.ints[3]}`, `putfield ${CLASS_NAME}/f I`);
  c.place(written);
  c.emit("aload_0", `lload ${c.layout.checksum}`, `putfield ${CLASS_NAME}/g J`, "return");
  return method("public <init>(I)V", c);
}

function syncMethod(blocks: Block[], r: () => number): string {
  const c = new EmitContext(CLASS_NAME, layoutFor(1, STATE));
  prologue(c, r);
  emitBlocks(c, blocks, 0);
  fold(c);
  c.emit(`lload ${c.layout.checksum}`, "lreturn");
  return method("static synchronized sm(I)J", c);
}

/** A value of descriptor `type` that nothing takes again: `areturn` discards it (`deadValues`). */
function pushDead(c: EmitContext, type: string, r: () => number): void {
  const k = int(r, -5, 5);
  if (type === "I") c.emit(pushInt(k * 1000 + 7));
  else if (type === "J") c.emit(`ldc2_w ${k * 7919}L`);
  else if (type === "F") c.emit(`ldc ${k}.25f`);
  else if (type === "D") c.emit(`ldc2_w ${k}.5`);
  else c.emit(`ldc "dead ${k}"`);
}

function run(p: Program, blocks: Block[], r: () => number): string {
  const layout: Layout = layoutFor(1, { ints: STATE.ints + p.wideInts, longs: STATE.longs + p.wideLongs, doubles: STATE.doubles });
  const c = new EmitContext(CLASS_NAME, layout);
  prologue(c, r);
  const dead = p.deadValues ?? [];
  blocks.forEach((b, i) => {
    for (const v of dead) if (v.at === i) pushDead(c, v.type, r);
    emitBlocks(c, [b], 0);
  });
  for (const v of dead) if (v.at >= blocks.length) pushDead(c, v.type, r);
  fold(c);
  c.emit(`lload ${c.layout.checksum}`, `getstatic ${CLASS_NAME}/SF J`, "lxor", "invokestatic java/lang/Long/toString(J)Ljava/lang/String;", "areturn");
  return method("public static run(I)Ljava/lang/String;", c);
}

export function programText(p: Program): string {
  const r = prng(p.seed ^ 0x5eed);
  const head = [
    `; random program ${p.seed} (test/support/random-program), ${JSON.stringify({ major: p.major, minor: p.minor, frames: p.frames, extendsList: p.extendsList, wideInts: p.wideInts, wideLongs: p.wideLongs })}`,
    `.version ${p.major} ${p.minor}`,
    `.class public super ${CLASS_NAME}`,
    `.super ${p.extendsList ? "java/util/ArrayList" : "java/lang/Object"}`,
    ".field static final SF J",
    ".field static final SI I",
    ".field final f I",
    ".field final g J",
    "",
  ];
  return [
    ...head,
    clinit(p, p.parts.clinit, r),
    init(p, p.parts.initBeforeSuper, p.parts.initAfterSuper, r),
    syncMethod(p.parts.syncMethod, r),
    run(p, p.parts.run, r),
    ".end class",
    "",
  ].join("\n");
}
