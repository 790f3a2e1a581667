/**
 * Builds the CFG of one WebAssembly function (wasm-cfg.ts): structured control
 * (core spec, Validation, "Control Instructions": block, loop, if/else, br, br_if,
 * br_table, return, unreachable, return_call*) flattened into blocks of
 * straight-line code ended by one terminator, in one forward pass that runs the
 * spec's validation algorithm (Appendix, "Validation Algorithm": a control stack of
 * frames over an operand stack) to know every stack value's type.
 *
 * Block boundaries are where control joins or splits: a loop header, the
 * continuation after `end` of a block that some branch targets, both arms and the
 * join of an `if`, the fallthrough of `br_if`. A `block` whose label no branch
 * targets costs nothing (its code stays in the enclosing CFG block). Values on the
 * stack at a boundary go into spill locals (operand-stack.ts); a branch that
 * carries values stores them where its label expects them (position = the label's
 * frame height, type = the label's types), in the branching block for `br` and on
 * a block of its own for a taken `br_if`/`br_table` edge (the fallthrough may still
 * need the slots that edge overwrites). Code after an unconditional transfer is
 * dead up to the `else`/`end` of its frame and dropped untyped.
 *
 * Refusals (a reason, not an exception): exception handling, typed-reference
 * branches, and what stack-types.ts cannot type. A body that does not validate
 * (stack underflow, a label out of range) is `E_WASM_INVALID`.
 *
 * Cost: O(instructions + stack height at boundaries), one pass, no recursion (the
 * control stack is an array: QuickJS nests blocks hundreds deep), instructions
 * shared with the decoded body.
 */
import { decodeBody, type FuncBody } from "../../src/wasm/body.js";
import { ErrorCodes, MegasplitError, assert } from "../../src/diagnostics.js";
import type { Instr } from "../../src/wasm/instructions.js";
import { section, type WasmModule } from "../../src/wasm/module.js";
import type { BlockType, ValType } from "../../src/wasm/types.js";
import { blockGraphOf } from "./cfg-graph.js";
import { moduleTypes, type ModuleTypes } from "./module-types.js";
import { LocalInstrs, OperandStack } from "./operand-stack.js";
import { FunctionTyping, invalid } from "./stack-types.js";
import type { Terminator, WasmBlock, WasmCfg } from "./wasm-cfg.js";

export type CfgResult = { readonly ok: true; readonly cfg: WasmCfg } | { readonly ok: false; readonly reason: string };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Frame {
  readonly kind: "block" | "loop" | "if" | "func";
  /** Stack height at the frame's start, its parameters excluded. */
  readonly height: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** The block a branch to this frame's label enters (loop header, or continuation), -1 until needed. */
  label: number;
  /** For `if`: the block ended by the `if` terminator, whose else edge is set at `else`/`end`. */
  readonly ifBlock: number;
  hasElse: boolean;
}

class Refusal {
  constructor(readonly reason: string) {}
}

const REFUSED_EH = new Set(["try", "catch", "catch_all", "throw", "rethrow", "delegate", "try_table", "throw_ref"]);
const REFUSED_REF_BRANCH = new Set(["br_on_null", "br_on_non_null", "br_on_cast", "br_on_cast_fail"]);
const OPENS = new Set(["block", "loop", "if", "try", "try_table"]);

class CfgBuilder {
  private readonly blockCode: Instr[][] = [];
  private readonly terms: (Mutable<Terminator> | undefined)[] = [];
  private readonly frames: Frame[] = [];
  private readonly stack: OperandStack;
  private cur = 0;
  private live = true;

  constructor(
    private readonly typing: FunctionTyping,
    private readonly results: readonly ValType[],
  ) {
    this.stack = new OperandStack(typing.locals.length, new LocalInstrs());
  }

  private newBlock(): number {
    this.blockCode.push([]);
    this.terms.push(undefined);
    return this.blockCode.length - 1;
  }

  private start(b: number): void {
    this.cur = b;
    this.stack.out = this.blockCode[b]!;
    this.live = true;
  }

  private end(t: Terminator): void {
    assert(this.terms[this.cur] === undefined, `block ${this.cur} ended twice`);
    this.terms[this.cur] = t as Mutable<Terminator>;
  }

  private blockType(bt: BlockType): { params: readonly ValType[]; results: readonly ValType[] } {
    if (bt.kind === "empty") return { params: [], results: [] };
    if (bt.kind === "value") return { params: [], results: [bt.type] };
    return this.typing.funcType(bt.index);
  }

  private labelTypes(f: Frame): readonly ValType[] {
    return f.kind === "loop" ? f.params : f.results;
  }

  private labelBlock(f: Frame): number {
    if (f.label < 0) f.label = this.newBlock();
    return f.label;
  }

  private frameAt(depth: number): Frame {
    const f = this.frames[this.frames.length - 1 - depth];
    if (!f) invalid(`branch to label ${depth} with ${this.frames.length} labels in scope`);
    return f;
  }

  private need(k: number): void {
    const top = this.frames[this.frames.length - 1]!;
    if (this.stack.height - k < top.height) invalid(`operand stack underflow (${k} needed, ${this.stack.height - top.height} available)`);
  }

  build(code: readonly Instr[]): Instr[][] {
    this.start(this.newBlock());
    this.frames.push({ kind: "func", height: 0, params: [], results: this.results, label: -1, ifBlock: -1, hasElse: false });
    let deadDepth = 0;
    for (let i = 0; i < code.length; i++) {
      const ins = code[i]!;
      const name = ins.op.name;
      if (!this.live) {
        // Dead code up to the else/end of the current frame: skipped, untyped.
        if (OPENS.has(name)) {
          deadDepth++;
          continue;
        }
        const closes = name === "end" || name === "delegate";
        if (!closes && name !== "else") continue;
        if (deadDepth > 0) {
          if (closes) deadDepth--;
          continue;
        }
      }
      this.instruction(ins, name);
      if (this.frames.length === 0) {
        if (i !== code.length - 1) invalid("instructions after the function's final end");
        return this.blockCode;
      }
    }
    return invalid("function body without its final end");
  }

  private instruction(ins: Instr, name: string): void {
    switch (name) {
      case "block":
      case "loop":
      case "if":
        return this.open(ins, name);
      case "else":
        return this.elseArm();
      case "end":
        return this.endFrame();
      case "br":
        return this.br(this.frameAt(ins.imm as number));
      case "br_if":
        return this.brIf(this.frameAt(ins.imm as number));
      case "br_table":
        return this.brTable(ins.imm as { labels: readonly number[]; default: number });
      case "return":
        return this.leave(this.results.length, { kind: "return" });
      case "unreachable":
        this.stack.dropAll();
        this.end({ kind: "unreachable" });
        this.live = false;
        return;
      case "return_call":
      case "return_call_indirect":
      case "return_call_ref":
        return this.tailCall(ins, name);
      default:
        return this.straight(ins, name);
    }
  }

  private straight(ins: Instr, name: string): void {
    const s = this.stack;
    if (name === "drop" && s.base === s.height && s.height > this.frames[this.frames.length - 1]!.height) {
      s.types.length--; // the value waits in a local: nothing to emit
      s.base--;
      return;
    }
    const e = this.typing.effectOf(ins, s.types);
    if (typeof e === "string") {
      if (REFUSED_EH.has(name)) throw new Refusal(`exception handling (${name})`);
      if (REFUSED_REF_BRANCH.has(name)) throw new Refusal(`typed-reference branch (${name})`);
      throw new Refusal(e);
    }
    const pops = e.pops.length;
    this.need(pops);
    s.materializeTop(pops);
    s.out.push(ins);
    s.types.length -= pops;
    for (let j = 0; j < e.pushes.length; j++) s.types.push(e.pushes[j]!);
  }

  private tailCall(ins: Instr, name: string): void {
    const t = this.typing;
    const e =
      name === "return_call"
        ? t.callEffect(ins.imm as number)
        : name === "return_call_indirect"
          ? t.callIndirectEffect(...(ins.imm as readonly [number, number]))
          : t.callRefEffect(ins.imm as number);
    if (typeof e === "string") throw new Refusal(e);
    this.leave(e.pops.length, { kind: "tail", instr: ins });
  }

  /** Ends the block with a terminator that leaves the function consuming the top `k` values. */
  private leave(k: number, t: Terminator): void {
    this.need(k);
    this.stack.exactTop(k, true);
    this.end(t);
    this.live = false;
  }

  private open(ins: Instr, name: "block" | "loop" | "if"): void {
    const { params, results } = this.blockType(ins.imm as BlockType);
    const s = this.stack;
    const cond = name === "if" ? 1 : 0;
    this.need(params.length + cond);
    const height = s.height - cond - params.length;
    if (name === "block") {
      this.frames.push({ kind: "block", height, params, results, label: -1, ifBlock: -1, hasElse: false });
      return;
    }
    if (name === "loop") {
      const frame: Frame = { kind: "loop", height, params, results, label: this.newBlock(), ifBlock: -1, hasElse: false };
      this.frames.push(frame);
      this.gotoLabel(frame);
      this.start(frame.label);
      s.resetTo(height, params);
      return;
    }
    this.takeCondition();
    this.retype(height, params, s.out);
    const then = this.newBlock();
    this.end({ kind: "if", then, else: -1 });
    this.frames.push({ kind: "if", height, params, results, label: -1, ifBlock: this.cur, hasElse: false });
    this.start(then);
    s.resetTo(height + params.length, []);
  }

  /** Gets the i32 on top alone onto the real stack (everything below into locals) and pops it. */
  private takeCondition(): void {
    this.need(1);
    this.stack.exactTop(1, false);
    this.stack.types.length--;
    this.stack.base = this.stack.height;
  }

  /** Moves the (in-local) values at [height, height + types.length) to the locals of `types`, retyping those slots. */
  private retype(height: number, types: readonly ValType[], code: Instr[]): void {
    const s = this.stack;
    for (let j = 0; j < types.length; j++) {
      const from = s.localFor(height + j, s.types[height + j]!);
      const to = s.localFor(height + j, types[j]!);
      if (from !== to) s.copy(code, from, to);
      s.types[height + j] = types[j]!;
    }
  }

  private elseArm(): void {
    const f = this.frames[this.frames.length - 1]!;
    if (f.kind !== "if" || f.hasElse) invalid("else without its if");
    this.checkEnd(f);
    if (this.live) this.gotoLabel(f);
    const e = this.newBlock();
    (this.terms[f.ifBlock] as { else: number }).else = e;
    f.hasElse = true;
    this.start(e);
    this.stack.resetTo(f.height, f.params);
  }

  private checkEnd(f: Frame): void {
    const n = this.stack.height - f.height;
    if (this.live && n !== f.results.length) invalid(`${f.kind} ends with ${n} values for ${f.results.length} results`);
  }

  private endFrame(): void {
    const f = this.frames[this.frames.length - 1]!;
    if (f.kind === "func") {
      this.checkEnd(f);
      if (f.label >= 0) {
        if (this.live) this.gotoLabel(f);
        this.start(f.label);
        this.stack.resetTo(0, f.results);
      }
      if (this.live) this.leave(f.results.length, { kind: "return" });
      this.frames.pop();
      return;
    }
    this.checkEnd(f);
    if (f.kind === "if" && !f.hasElse) {
      // The false edge: the parameters, already in their locals, become the results.
      const join = this.labelBlock(f);
      (this.terms[f.ifBlock] as { else: number }).else = this.edgeBlock(f.height, f.params, f, join);
    }
    this.frames.pop();
    if (f.kind === "loop" || f.label < 0) return; // falls through in the same block (or stays dead)
    if (this.live) this.gotoLabel(f);
    this.start(f.label);
    this.stack.resetTo(f.height, f.results);
  }

  /**
   * `br` to `f`, or falling into its label: stores the branch values where the
   * label expects them, the slots below the frame into their own locals, and ends
   * the block with a goto.
   */
  private gotoLabel(f: Frame): void {
    const s = this.stack;
    const lt = this.labelTypes(f);
    const k = lt.length;
    const n = s.height;
    const from = n - k;
    if (s.base <= from) {
      for (let j = k - 1; j >= 0; j--) s.storeTo(s.localFor(f.height + j, lt[j]!));
      for (let p = from - 1; p >= s.base; p--) {
        if (p >= f.height) s.pushDrop();
        else s.storeTo(s.localFor(p, s.types[p]!));
      }
    } else {
      s.spillAll();
      this.copyDown(from, f.height, lt, s.out);
    }
    s.base = n;
    this.end({ kind: "goto", target: this.labelBlock(f) });
  }

  /** Copies in-local slots [from, from + types.length) to the label slots at `to` (ascending: safe as to <= from). */
  private copyDown(from: number, to: number, types: readonly ValType[], code: Instr[]): void {
    const s = this.stack;
    for (let j = 0; j < types.length; j++) {
      const a = s.localFor(from + j, s.types[from + j]!);
      const b = s.localFor(to + j, types[j]!);
      if (a !== b) s.copy(code, a, b);
    }
  }

  /** The block a conditional branch to `f` goes to: the label, or a block moving the values first. */
  private edgeBlock(from: number, fromTypes: readonly ValType[] | undefined, f: Frame, target: number): number {
    const s = this.stack;
    const lt = this.labelTypes(f);
    let moves: Instr[] | undefined;
    for (let j = 0; j < lt.length; j++) {
      const a = s.localFor(from + j, fromTypes ? fromTypes[j]! : s.types[from + j]!);
      const b = s.localFor(f.height + j, lt[j]!);
      if (a !== b) s.copy((moves ??= []), a, b);
    }
    if (moves === undefined) return target;
    const e = this.newBlock();
    this.blockCode[e] = moves;
    this.terms[e] = { kind: "goto", target };
    return e;
  }

  private br(f: Frame): void {
    this.need(this.labelTypes(f).length);
    if (f.kind === "func") return this.leave(f.results.length, { kind: "return" });
    this.gotoLabel(f);
    this.live = false;
  }

  private brIf(f: Frame): void {
    this.takeCondition();
    const k = this.labelTypes(f).length;
    this.need(k);
    const taken = this.edgeBlock(this.stack.height - k, undefined, f, this.labelBlock(f));
    const fallthrough = this.newBlock();
    this.end({ kind: "if", then: taken, else: fallthrough });
    this.start(fallthrough);
  }

  private brTable(t: { labels: readonly number[]; default: number }): void {
    this.takeCondition();
    const edges = new Map<number, number>();
    const edgeTo = (depth: number): number => {
      let e = edges.get(depth);
      if (e === undefined) {
        const f = this.frameAt(depth);
        const k = this.labelTypes(f).length;
        this.need(k);
        e = this.edgeBlock(this.stack.height - k, undefined, f, this.labelBlock(f));
        edges.set(depth, e);
      }
      return e;
    };
    const targets = t.labels.map(edgeTo);
    this.end({ kind: "table", targets, default: edgeTo(t.default) });
    this.live = false;
  }

  /** The finished blocks (every block ended). */
  blocks(): WasmBlock[] {
    const out: WasmBlock[] = new Array(this.blockCode.length);
    for (let b = 0; b < out.length; b++) {
      const term = this.terms[b];
      assert(term !== undefined && !(term.kind === "if" && term.else < 0), `block ${b} has no terminator`);
      out[b] = { code: this.blockCode[b]!.slice(), term }; // exact length: push left spare capacity
    }
    return out;
  }

  addedLocals(): readonly ValType[] {
    return this.stack.addedTypes;
  }
}

function expandLocals(params: readonly ValType[], body: FuncBody): ValType[] {
  const out = params.slice();
  for (const d of body.locals) for (let i = 0; i < d.count; i++) out.push(d.type);
  return out;
}

/** The CFG of a body with the given module facts and function type (for callers that decoded it). */
export function buildCfgOfBody(mt: ModuleTypes, typeIndex: number, body: FuncBody): CfgResult {
  const ft = new FunctionTyping(mt, []).funcType(typeIndex);
  const locals = expandLocals(ft.params, body);
  const builder = new CfgBuilder(new FunctionTyping(mt, locals, body.code), ft.results);
  try {
    builder.build(body.code);
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason };
    throw e;
  }
  const blocks = builder.blocks();
  const graph = blockGraphOf(blocks.map((b) => b.term));
  const cfg: WasmCfg = { ...graph, blocks, localTypes: [...locals, ...builder.addedLocals()], paramCount: ft.params.length, results: ft.results };
  return { ok: true, cfg };
}

/** The CFG of function `funcIndex` (function index space: imports first) of `m`. */
export function buildWasmCfg(m: WasmModule, funcIndex: number): CfgResult {
  const mt = moduleTypes(m);
  const defined = funcIndex - mt.importedFuncs;
  const entry = section(m, "code")?.entries[defined];
  if (defined < 0 || !entry) throw new MegasplitError(ErrorCodes.USAGE, `function ${funcIndex} is not a defined function`);
  const body = entry.body ?? decodeBody(entry.raw, entry.offset);
  return buildCfgOfBody(mt, mt.funcTypeIndex[funcIndex]!, body);
}
