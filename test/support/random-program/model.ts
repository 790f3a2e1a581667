/**
 * The shape of a random program (test/random-programs.test.ts, scripts/soak.ts):
 * a tree of blocks per method of one class, before it is written as assembler
 * text (`emit-class.ts`). The tree is what the generator draws (`generate.ts`)
 * and what the minimiser shrinks (`minimise.ts`): removing any block, with its
 * nested blocks, leaves a program that still assembles and verifies, because
 * every block starts and ends with an empty operand stack, reads only locals the
 * method's prologue initialised (or scratch slots it wrote itself), and each
 * leaf draws its instructions from its own `seed`, so a leaf emits the same code
 * wherever the tree around it changed.
 *
 * Invariant: a program is plain JSON (written next to a failure to replay it).
 */

/** One structured piece of code; nested lists are the bodies of the structure. */
export type Block =
  /** Straight-line int/long/double arithmetic over the state, some of it able to throw. */
  | { kind: "arith"; seed: number }
  /** A counted loop (2 to 4 turns) around its body. */
  | { kind: "loop"; seed: number; body: Block[] }
  /** if/else on a comparison of two state values. */
  | { kind: "if"; seed: number; then: Block[]; else: Block[] }
  /** tableswitch or lookupswitch on a state value; cases may fall through. */
  | { kind: "switch"; seed: number; lookup: boolean; cases: Block[][]; default: Block[] }
  /** try { body } catch (...) { ... } [finally { ... }], finally copied on every path (javac's way). */
  | { kind: "try"; seed: number; body: Block[]; catches: CatchClause[]; finally?: Block[] }
  /** A retry loop whose head is the handler: the back edge is an exception edge. */
  | { kind: "retry"; seed: number; body: Block[] }
  /** Throws (IllegalStateException, Exception, Error, ...) when a state value says so. */
  | { kind: "throw"; seed: number }
  /** synchronized (new Object()) { body }, with javac's catch-all that releases the monitor. */
  | { kind: "sync"; seed: number; body: Block[] }
  /** Values kept on the operand stack across branches, a switch and a loop around the body. */
  | { kind: "stack"; seed: number; body: Block[] }
  /** Scratch slots written with other types than last time (int, long, double, reference). */
  | { kind: "scratch"; seed: number }
  /** Calls the class's synchronized method or constructs an instance (run() only). */
  | { kind: "call"; seed: number }
  /** try { body } finally { fin } the old way: jsr to a subroutine ending in ret (class version < 50). */
  | { kind: "jsr"; seed: number; body: Block[]; fin: Block[] }
  /**
   * An interpreter's dispatch loop: a counted loop around a switch on a key computed
   * from the counter and the state, whose cases continue the loop, fall into the next
   * case or leave the loop on a condition (drawn only for `dispatch` programs).
   */
  | { kind: "dispatch"; seed: number; lookup: boolean; cases: Block[][]; default: Block[] };

export interface CatchClause {
  /** Internal name of the caught class. */
  type: string;
  body: Block[];
  /** The handler rethrows what it caught after its body. */
  rethrow: boolean;
}

/** Where a block list sits, which decides what may be nested in it. */
export type MethodPart = "clinit" | "initBeforeSuper" | "initAfterSuper" | "syncMethod" | "run";

export interface Program {
  /** The seed the program was drawn from. */
  seed: number;
  /** Class file major version: 45 and 49 use jsr/ret and no frames, 50 with or without frames, 51 and up with frames. */
  major: number;
  minor: number;
  /** Version 50 only: write a StackMapTable (else the JVM falls back to the old verifier). */
  frames: boolean;
  /** The class extends java/util/ArrayList and passes a capacity computed with branches to super(int). */
  extendsList: boolean;
  /** Extra int and long state locals of run(), all live from its prologue to its end (over 255 slots when large). */
  wideInts: number;
  wideLongs: number;
  parts: Record<MethodPart, Block[]>;
  /**
   * `dead-stack` programs only: values run() pushes and never takes again (as
   * Clojure's namespace loaders leave each form's value), each before run()'s
   * top-level block `at` (at the end when past the last), of a descriptor among I,
   * J, F, D and Ljava/lang/String;; its `areturn` discards them. run() then has no
   * exception handlers (a handler's stack starts empty, so its code could not join
   * the code below the values).
   */
  deadValues?: { at: number; type: string }[];
  /** Set by the minimiser: tells its candidates apart (case names, failures) ... */
  tag?: string;
  /** ... and splits each at the limit the failure had, not the one drawn from the seed. */
  limit?: number;
}

export const PARTS: readonly MethodPart[] = ["clinit", "initBeforeSuper", "initAfterSuper", "syncMethod", "run"];

/** Every block of a tree, depth first. */
export function* blocksOf(list: readonly Block[]): Generator<Block> {
  for (const b of list) {
    yield b;
    for (const child of childLists(b)) yield* blocksOf(child);
  }
}

/** The nested block lists of a block. */
export function childLists(b: Block): Block[][] {
  switch (b.kind) {
    case "loop":
    case "retry":
    case "sync":
    case "stack":
      return [b.body];
    case "if":
      return [b.then, b.else];
    case "switch":
    case "dispatch":
      return [...b.cases, b.default];
    case "try":
      return [b.body, ...b.catches.map((c) => c.body), ...(b.finally ? [b.finally] : [])];
    case "jsr":
      return [b.body, b.fin];
    default:
      return [];
  }
}

export function blockCount(p: Program): number {
  let n = 0;
  for (const part of PARTS) for (const _ of blocksOf(p.parts[part])) n++;
  return n;
}
