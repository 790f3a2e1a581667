/**
 * Draws a random program (model.ts) from a seed: the class version (45.3 and 49
 * with jsr/ret and no frames, 50 with or without a StackMapTable, 51 to 61 with
 * one), whether the class extends ArrayList (a super(int) call with a computed
 * argument), the wide state (a fifth of run() methods keep at least 267 slots
 * live from prologue to epilogue), and the block trees of each method. Over
 * seeds 1-400, run() has 250 bytes to 16 KB of bytecode (median 1.1 KB, 90th
 * percentile 5.9 KB) and a class 2 to 32 KB (median 5.5 KB). The same seed
 * always gives the same program.
 *
 * What may nest where follows emit-blocks.ts's invariants: no handler-carrying
 * structure inside a `stack` block or before super(); `jsr` only below version
 * 50; `call` only in run(), and never deeper than one loop (calls re-run whole
 * methods, so they multiply the running time). Loops nest at most three deep
 * (each runs at most four turns), so every program runs in milliseconds.
 *
 * A `dispatch` program (the soak's `--dispatch`, and a batch of the test) has the
 * same parts, but its run() is an interpreter-shaped method: a few blocks, one
 * dispatch loop of 6 to 40 cases (up to 30 turns, each case one to four blocks),
 * a few blocks (in two programs of five inside a try). That is the shape the
 * loop-spine and region-piece rules of the partition are for
 * (docs/design/jit-speed.md): a driver calls case pieces at its exits in about
 * one variant in six of these, one in a hundred of mixed programs. A `dead-stack`
 * program's run() has no handlers and leaves 1 to 12 values on the stack between
 * its blocks that nothing takes again (`Program.deadValues`, passes/dead-stack.ts).
 * The mixed programs of a seed do not change with either.
 */
import { prng } from "../prng.js";
import { int, pick, type Rand } from "./emit-leaves.js";
import { MAX_DEPTH } from "./layout.js";
import { blocksOf, type Block, type CatchClause, type MethodPart, type Program } from "./model.js";

interface Env {
  depth: number;
  loops: number;
  /** No exception handlers allowed (inside a `stack` block or before super()). */
  noHandlers: boolean;
  calls: boolean;
  jsr: boolean;
  /**
   * How many `finally` bodies enclose this one. A finally body is copied once per
   * way out of its try (javac's form), so nested ones multiply: four deep, with a
   * switch between, made a constructor of 87 KB, over the JVM's 65,535-byte limit
   * (soak seeds 143276 and 144563). From the second level, a finally body has no
   * handlers of its own.
   */
  finallyDepth?: number;
}

const CAUGHT = ["java/lang/RuntimeException", "java/lang/ArithmeticException", "java/lang/IllegalStateException", "java/lang/Exception", "java/lang/Throwable", "java/lang/ArrayIndexOutOfBoundsException", "java/lang/Error"];

type Kind = Block["kind"];

function kindsFor(env: Env): [Kind, number][] {
  const leafOnly = env.depth >= MAX_DEPTH - 1;
  const k: [Kind, number][] = [
    ["arith", 10],
    ["throw", 3],
    ["scratch", 2],
  ];
  if (env.calls && env.loops <= 1) k.push(["call", 2]);
  if (leafOnly) return k;
  if (env.loops < 3) k.push(["loop", 3], ["stack", 1.5]);
  k.push(["if", 3], ["switch", 2]);
  if (!env.noHandlers) {
    k.push(["try", 3], ["sync", 1.5]);
    if (env.loops < 3) k.push(["retry", 1.5]);
    if (env.jsr) k.push(["jsr", 2]);
  }
  return k;
}

function weighted<T>(r: Rand, xs: [T, number][]): T {
  let total = 0;
  for (const [, w] of xs) total += w;
  let x = r() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs[xs.length - 1]![0];
}

/** Blocks worth about `budget` leaves. */
function blocks(r: Rand, budget: number, env: Env): Block[] {
  const out: Block[] = [];
  while (budget > 0) {
    const kind = weighted(r, kindsFor(env));
    const seed = Math.floor(r() * 0x7fffffff);
    const inner = { ...env, depth: env.depth + 1 };
    const share = () => Math.max(1, Math.floor(r() * Math.min(budget, 12)));
    const sub = (n: number, e: Env = inner) => blocks(r, n, e);
    switch (kind) {
      case "arith":
      case "throw":
      case "scratch":
      case "call":
        out.push({ kind, seed });
        break;
      case "loop":
        out.push({ kind, seed, body: sub(share(), { ...inner, loops: env.loops + 1 }) });
        break;
      case "if":
        out.push({ kind, seed, then: sub(share()), else: r() < 0.7 ? sub(share()) : [] });
        break;
      case "switch": {
        const n = int(r, 1, 5);
        const cases = Array.from({ length: n }, () => sub(Math.ceil(share() / 2)));
        out.push({ kind, seed, lookup: r() < 0.5, cases, default: r() < 0.6 ? sub(1) : [] });
        break;
      }
      case "try": {
        const body = sub(share());
        const catches: CatchClause[] = Array.from({ length: int(r, r() < 0.2 ? 0 : 1, 3) }, () => ({ type: pick(r, CAUGHT), body: sub(int(r, 0, 2)), rethrow: r() < 0.25 }));
        const finallyDepth = (env.finallyDepth ?? 0) + 1;
        const finEnv = { ...inner, finallyDepth, ...(finallyDepth >= 2 ? { noHandlers: true } : {}) };
        const fin = catches.length === 0 || r() < 0.4 ? sub(int(r, 1, 2), finEnv) : undefined;
        out.push(fin ? { kind, seed, body, catches, finally: fin } : { kind, seed, body, catches });
        break;
      }
      case "retry":
        out.push({ kind, seed, body: sub(share(), { ...inner, loops: env.loops + 1 }) });
        break;
      case "sync":
        out.push({ kind, seed, body: sub(share()) });
        break;
      case "stack":
        out.push({ kind, seed, body: sub(Math.min(share(), 3), { ...inner, loops: env.loops + 1, noHandlers: true, calls: false }) });
        break;
      case "jsr":
        out.push({ kind, seed, body: sub(share()), fin: sub(int(r, 1, 2), { ...inner, noHandlers: true }) });
        break;
    }
    // The budget counts the blocks actually drawn, nested ones included.
    for (const _ of blocksOf([out[out.length - 1]!])) budget--;
  }
  return out;
}

const VERSIONS: [[number, number], number][] = [
  [[45, 3], 1],
  [[49, 0], 2],
  [[50, 0], 1],
  [[51, 0], 1],
  [[52, 0], 2],
  [[55, 0], 1],
  [[61, 0], 2],
];

/**
 * What run() looks like: blocks of every kind, an interpreter's dispatch loop among
 * a few, or blocks without exception handlers with values left on the stack below
 * them that nothing takes again (`deadValues`: the shape of passes/dead-stack.ts).
 */
export type ProgramShape = "mixed" | "dispatch" | "dead-stack";

const DEAD_TYPES = ["I", "J", "F", "D", "Ljava/lang/String;"];

/**
 * An interpreter's dispatch loop (emit-blocks.ts `emitDispatch`) at `env`'s depth;
 * in two cases of five inside a try with one or two catches (interpreters often
 * catch around their loop: the pieces of its cases then throw into the driver's
 * handlers).
 */
function dispatchLoop(r: Rand, env: Env): Block {
  const wrapped = r() < 0.4;
  const at = wrapped ? { ...env, depth: env.depth + 1 } : env;
  const seed = Math.floor(r() * 0x7fffffff);
  const inner = { ...at, depth: at.depth + 1, loops: at.loops + 1 };
  const cases = Array.from({ length: int(r, 6, 40) }, () => blocks(r, int(r, 1, 4), inner));
  const loop: Block = { kind: "dispatch", seed, lookup: r() < 0.3, cases, default: r() < 0.5 ? blocks(r, 1, inner) : [] };
  if (!wrapped) return loop;
  const catches = Array.from({ length: int(r, 1, 2) }, () => ({ type: pick(r, CAUGHT), body: blocks(r, int(r, 0, 2), at), rethrow: r() < 0.2 }));
  return { kind: "try", seed: Math.floor(r() * 0x7fffffff), body: [loop], catches };
}

export function generateProgram(seed: number, shape: ProgramShape = "mixed"): Program {
  const r = prng(seed);
  const [major, minor] = weighted(r, VERSIONS);
  const jsr = major < 50;
  const env = (part: MethodPart): Env => ({ depth: 0, loops: 0, noHandlers: part === "initBeforeSuper", calls: part === "run", jsr });
  const wide = r() < 0.2;
  const size = r() < 0.3 ? int(r, 2, 6) : int(r, 6, 18);
  // A dead-stack program draws its run() first, the others last.
  const dead = shape === "dead-stack" ? deadStackRun(r, size, env("run")) : undefined;
  const program: Program = {
    seed,
    major,
    minor,
    frames: major >= 51 || (major === 50 && r() < 0.5),
    extendsList: r() < 0.3,
    wideInts: wide ? int(r, 170, 230) : int(r, 0, 4),
    wideLongs: wide ? int(r, 40, 70) : int(r, 0, 2),
    parts: {
      clinit: blocks(r, int(r, 1, 5), env("clinit")),
      initBeforeSuper: blocks(r, int(r, 1, 4), env("initBeforeSuper")),
      initAfterSuper: blocks(r, int(r, 1, 5), env("initAfterSuper")),
      syncMethod: blocks(r, int(r, 1, 6), env("syncMethod")),
      run: dead?.run ?? (shape === "mixed" ? blocks(r, size, env("run")) : [...blocks(r, int(r, 0, 3), env("run")), dispatchLoop(r, env("run")), ...blocks(r, int(r, 0, 3), env("run"))]),
    },
  };
  return dead ? { ...program, deadValues: dead.deadValues } : program;
}

/** A `dead-stack` program's run(): blocks without handlers, with 1 to 12 dead values spread between them. */
function deadStackRun(r: Rand, size: number, env: Env): { run: Block[]; deadValues: NonNullable<Program["deadValues"]> } {
  const run = blocks(r, size, { ...env, noHandlers: true, jsr: false });
  const deadValues = Array.from({ length: int(r, 1, 12) }, () => ({ at: int(r, 0, run.length), type: pick(r, DEAD_TYPES) })).sort((a, b) => a.at - b.at);
  return { run, deadValues };
}
