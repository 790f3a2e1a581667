/**
 * The stackifier: turns a graph of WebAssembly basic blocks (wasm-cfg.ts: straight
 * -line code, one terminator, empty operand stack at every boundary) into the
 * structured control flow of a function body (core spec, "Instructions", control
 * instructions: block, loop, if, br, br_if, br_table).
 *
 * Reducible graphs get the dominator-tree algorithm of "Beyond Relooper" (Ramsey,
 * ICFP 2022), the one WebAssembly stackifiers use: blocks are visited along the
 * dominator tree; a block with a back edge into it (a loop header) is wrapped in a
 * `loop`; a block with two or more forward in-edges (a merge node) is placed right
 * after a `block` opened in its immediate dominator, children with the highest
 * reverse-postorder number outermost; a forward edge into any other block inlines
 * that block's subtree at the branch. A branch to a loop header or merge node is a
 * `br` whose depth counts the labels open around it.
 *
 * Terminators: `goto` is a branch; `if` is `br_if` when one side is a label, else
 * `if ... else ... end`; `table` is one `br_table`, whose targets that are not
 * labels already get a stub each: the selector goes to a scratch local, one empty
 * `block` per stub is opened, the `br_table` picks a stub (or a label directly),
 * and after each stub's `end` comes the branch to its target. Every terminator
 * leaves the validator in unreachable state (a `br`, `return`, tail call, or an
 * `unreachable` added after an `if ... end` and a `loop ... end`), so code after a
 * construct never needs a value; the one exception, a branch to the merge node
 * whose `block` ends right there, is left out and falls through that `end`.
 *
 * Irreducible graphs (a retreating edge whose target does not dominate its source)
 * fall back to the label-loop dispatch form: an i32 label local, a `loop` around
 * one nested `block` per block, a `br_table` on the label; a transfer sets the
 * label and branches back to the loop. The entry is label 0, the local's default.
 *
 * Cost: O(blocks + edges) for the orders and the emission, dominators by the
 * Cooper-Harvey-Kennedy iteration (a few sweeps on reducible code). The emission
 * is iterative (an explicit task stack), so a dominator tree thousands deep does
 * not exhaust the JavaScript stack.
 */
import { assert, internalError } from "../../src/diagnostics.js";
import type { Instr } from "../../src/wasm/instructions.js";
import { instr, openEmpty } from "./instr.js";
import { terminatorTargets, type Terminator, type WasmBlock } from "./wasm-cfg.js";

export interface StackifyGraph {
  readonly blocks: readonly WasmBlock[];
  /** The block control enters first. Blocks it does not reach are left out. */
  readonly entry: number;
}

export interface Stackified {
  /** The body's instructions, without the final `end`. */
  readonly code: Instr[];
  readonly form: "structured" | "dispatch";
}

/**
 * Structured code for `g`. `newI32Local` declares a fresh i32 local of the
 * function being built and returns its index (a `br_table` selector, the dispatch
 * label). `form` forces the dispatch form (for tests comparing the two).
 */
export function stackify(g: StackifyGraph, newI32Local: () => number, form?: "dispatch"): Stackified {
  const order = orderOf(g);
  if (form !== "dispatch" && order.reducible) return { code: new StructuredEmitter(g, order, newI32Local).run(), form: "structured" };
  return { code: new DispatchEmitter(g, order, newI32Local).run(), form: "dispatch" };
}

/** Whether the blocks reachable from the entry form a reducible graph (so `stackify` gives the structured form). */
export function isReducible(g: StackifyGraph): boolean {
  return orderOf(g).reducible;
}

/** Reverse postorder, dominators and the edge classes of the blocks reachable from the entry. */
interface Order {
  /** Reachable blocks in reverse postorder, entry first. */
  readonly rpo: number[];
  /** Rank in `rpo`, -1 for unreachable blocks. */
  readonly rank: Int32Array;
  /** Immediate dominator (the entry's is itself), -1 for unreachable blocks. */
  readonly idom: Int32Array;
  /** Forward in-edges (from a block of lower rank), counted with multiplicity. */
  readonly forwardIn: Int32Array;
  /** 1 for blocks entered by a retreating edge. */
  readonly loopHeader: Uint8Array;
  readonly reducible: boolean;
}

function orderOf(g: StackifyGraph): Order {
  const n = g.blocks.length;
  const succ = g.blocks.map((b) => terminatorTargets(b.term));
  const rank = new Int32Array(n).fill(-1);
  const post: number[] = [];
  const seen = new Uint8Array(n);
  const stack: { b: number; i: number }[] = [{ b: g.entry, i: 0 }];
  seen[g.entry] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const s = succ[top.b]!;
    if (top.i < s.length) {
      const t = s[top.i++]!;
      if (!seen[t]) {
        seen[t] = 1;
        stack.push({ b: t, i: 0 });
      }
    } else {
      post.push(top.b);
      stack.pop();
    }
  }
  const rpo = post.reverse();
  rpo.forEach((b, i) => (rank[b] = i));
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (const b of rpo) for (const t of succ[b]!) preds[t]!.push(b);
  const idom = dominators(rpo, rank, preds);
  const forwardIn = new Int32Array(n);
  const loopHeader = new Uint8Array(n);
  let reducible = true;
  for (const b of rpo) {
    for (const t of succ[b]!) {
      if (rank[t]! > rank[b]!) forwardIn[t]!++;
      else {
        loopHeader[t] = 1;
        if (!dominates(idom, rank, t, b)) reducible = false;
      }
    }
  }
  return { rpo, rank, idom, forwardIn, loopHeader, reducible };
}

/** Cooper, Harvey and Kennedy's iterative dominators over ranks. */
function dominators(rpo: readonly number[], rank: Int32Array, preds: readonly (readonly number[])[]): Int32Array {
  const idom = new Int32Array(rank.length).fill(-1);
  if (rpo.length === 0) return idom;
  idom[rpo[0]!] = rpo[0]!;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rank[a]! > rank[b]!) a = idom[a]!;
      while (rank[b]! > rank[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i < rpo.length; i++) {
      const b = rpo[i]!;
      let d = -1;
      for (const p of preds[b]!) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
      if (d !== idom[b]) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  return idom;
}

function dominates(idom: Int32Array, rank: Int32Array, a: number, b: number): boolean {
  while (rank[b]! > rank[a]!) b = idom[b]!;
  return a === b;
}

/** What a label on the control stack stands for. */
type Frame = { kind: "loop"; block: number } | { kind: "follow"; block: number } | { kind: "plain" };

/** The emission shared by both forms: the output, the control stack and the task stack. */
abstract class Emitter {
  protected readonly out: Instr[] = [];
  protected readonly frames: Frame[] = [];
  /** Stack position of the open `loop` headed by each block, and of the `block` each merge node follows; -1 when none. */
  protected readonly loopAt: Int32Array;
  protected readonly followAt: Int32Array;
  private readonly tasks: (() => void)[] = [];
  private selector = -1;

  constructor(
    protected readonly g: StackifyGraph,
    protected readonly order: Order,
    protected readonly newI32Local: () => number,
  ) {
    this.loopAt = new Int32Array(g.blocks.length).fill(-1);
    this.followAt = new Int32Array(g.blocks.length).fill(-1);
  }

  /** Schedules `steps` to run next, in the order given. */
  protected then(...steps: (() => void)[]): void {
    for (let i = steps.length - 1; i >= 0; i--) this.tasks.push(steps[i]!);
  }

  protected drain(): Instr[] {
    for (let task = this.tasks.pop(); task; task = this.tasks.pop()) task();
    return this.out;
  }

  protected emit(...ins: Instr[]): void {
    for (const i of ins) this.out.push(i);
  }

  protected push(f: Frame): void {
    if (f.kind === "loop") this.loopAt[f.block] = this.frames.length;
    else if (f.kind === "follow") this.followAt[f.block] = this.frames.length;
    this.frames.push(f);
  }

  protected pop(): void {
    const f = this.frames.pop() ?? internalError("stackify: control stack underflow");
    if (f.kind === "loop") this.loopAt[f.block] = -1;
    else if (f.kind === "follow") this.followAt[f.block] = -1;
  }

  protected depthOf(position: number): number {
    assert(position >= 0 && position < this.frames.length, "stackify: branch to a label that is not open");
    return this.frames.length - 1 - position;
  }

  /** The label depth a branch from `from` to `to` uses, or -1 when the branch is code (inlined or a dispatch transfer). */
  protected abstract labelOf(from: number, to: number): number;
  /** Schedules the code of a branch that is not a label. */
  protected abstract branchCode(from: number, to: number): void;

  protected branch(from: number, to: number): void {
    const d = this.labelOf(from, to);
    if (d < 0) return this.branchCode(from, to);
    // A branch to the block this code is the end of falls through its `end` instead
    // (a branch is always the last code of the innermost label's content).
    const top = this.frames[this.frames.length - 1];
    if (d === 0 && top?.kind === "follow" && top.block === to) return;
    this.emit(instr("br", d));
  }

  /** Schedules the block's code and its terminator. */
  protected blockBody(b: number): void {
    this.emit(...this.g.blocks[b]!.code);
    this.terminator(b, this.g.blocks[b]!.term);
  }

  private terminator(b: number, t: Terminator): void {
    switch (t.kind) {
      case "goto":
        return this.branch(b, t.target);
      case "if":
        return this.conditional(b, t.then, t.else);
      case "table":
        return this.table(b, [...t.targets, t.default], t.targets.length);
      case "return":
        return this.emit(instr("return"));
      case "unreachable":
        return this.emit(instr("unreachable"));
      case "tail":
        return this.emit(t.instr);
    }
  }

  private conditional(b: number, thenTo: number, elseTo: number): void {
    const thenLabel = this.labelOf(b, thenTo);
    if (thenLabel >= 0) {
      this.emit(instr("br_if", thenLabel));
      return this.branch(b, elseTo);
    }
    const elseLabel = this.labelOf(b, elseTo);
    if (elseLabel >= 0) {
      this.emit(instr("i32.eqz"), instr("br_if", elseLabel));
      return this.branch(b, thenTo);
    }
    this.emit(openEmpty("if"));
    this.push({ kind: "plain" });
    this.then(
      () => this.branch(b, thenTo),
      () => this.emit(instr("else")),
      () => this.branch(b, elseTo),
      () => {
        this.pop();
        this.emit(instr("end"), instr("unreachable"));
      },
    );
  }

  /** `targets` lists the table's targets, then its default at index `count`. */
  private table(b: number, targets: readonly number[], count: number): void {
    const distinct = [...new Set(targets)];
    const stubs = distinct.filter((t) => this.labelOf(b, t) < 0);
    if (stubs.length > 0) {
      if (this.selector < 0) this.selector = this.newI32Local();
      this.emit(instr("local.set", this.selector));
      for (let i = 0; i < stubs.length; i++) {
        this.emit(openEmpty("block"));
        this.push({ kind: "plain" });
      }
      this.emit(instr("local.get", this.selector));
    }
    // Stub j is the j-th block from the inside: depth j.
    const depthOf = (t: number): number => {
      const j = stubs.indexOf(t);
      return j >= 0 ? j : this.labelOf(b, t);
    };
    const depths = targets.map(depthOf);
    this.emit(instr("br_table", { labels: depths.slice(0, count), default: depths[count]! }));
    const steps: (() => void)[] = [];
    for (const t of stubs) {
      steps.push(() => {
        this.pop();
        this.emit(instr("end"));
      });
      steps.push(() => this.branch(b, t));
    }
    this.then(...steps);
  }
}

/** Ramsey's structured form for a reducible graph. */
class StructuredEmitter extends Emitter {
  /** Dominator-tree children of each block that are merge nodes, highest rank first. */
  private readonly mergeChildren: number[][];

  constructor(g: StackifyGraph, order: Order, newI32Local: () => number) {
    super(g, order, newI32Local);
    this.mergeChildren = g.blocks.map(() => []);
    for (let i = order.rpo.length - 1; i > 0; i--) {
      const b = order.rpo[i]!;
      if (order.forwardIn[b]! >= 2) this.mergeChildren[order.idom[b]!]!.push(b);
    }
  }

  run(): Instr[] {
    this.then(() => this.tree(this.g.entry));
    const code = this.drain();
    assert(this.frames.length === 0, "stackify: labels left open");
    return code;
  }

  protected labelOf(from: number, to: number): number {
    const { rank, forwardIn } = this.order;
    if (rank[to]! <= rank[from]!) return this.depthOf(this.loopAt[to]!);
    if (forwardIn[to]! >= 2) return this.depthOf(this.followAt[to]!);
    return -1;
  }

  protected branchCode(_from: number, to: number): void {
    this.then(() => this.tree(to));
  }

  /** The code of `x` and of the blocks it dominates. */
  private tree(x: number): void {
    if (!this.order.loopHeader[x]) return this.within(x, 0);
    this.emit(openEmpty("loop"));
    this.push({ kind: "loop", block: x });
    this.then(
      () => this.within(x, 0),
      () => {
        this.pop();
        this.emit(instr("end"), instr("unreachable"));
      },
    );
  }

  /** `x`'s code inside `block`s for its merge children from the i-th on, each child placed after its block's end. */
  private within(x: number, i: number): void {
    const ys = this.mergeChildren[x]!;
    if (i === ys.length) return this.blockBody(x);
    const y = ys[i]!;
    this.emit(openEmpty("block"));
    this.push({ kind: "follow", block: y });
    this.then(
      () => this.within(x, i + 1),
      () => {
        this.pop();
        this.emit(instr("end"));
      },
      () => this.tree(y),
    );
  }
}

/** The label-loop form for an irreducible graph: every transfer goes through the loop's `br_table`. */
class DispatchEmitter extends Emitter {
  private label = -1;

  run(): Instr[] {
    const rpo = this.order.rpo;
    this.label = this.newI32Local();
    this.emit(openEmpty("loop"));
    this.push({ kind: "plain" });
    for (let i = 0; i < rpo.length; i++) {
      this.emit(openEmpty("block"));
      this.push({ kind: "plain" });
    }
    // Block rpo[i] follows the end of the i-th block from the inside.
    const labels = rpo.map((_, i) => i);
    this.emit(instr("local.get", this.label), instr("br_table", { labels, default: rpo.length - 1 }));
    const steps: (() => void)[] = [];
    for (const b of rpo) {
      steps.push(() => {
        this.pop();
        this.emit(instr("end"));
      });
      steps.push(() => this.blockBody(b));
    }
    steps.push(() => {
      this.pop();
      this.emit(instr("end"), instr("unreachable"));
    });
    this.then(...steps);
    const code = this.drain();
    assert(this.frames.length === 0, "stackify: labels left open");
    return code;
  }

  protected labelOf(): number {
    return -1;
  }

  protected branchCode(_from: number, to: number): void {
    this.emit(instr("i32.const", this.order.rank[to]!), instr("local.set", this.label), instr("br", this.depthOf(0)));
  }
}
