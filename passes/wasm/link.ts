/**
 * The WebAssembly linker: writes a partitioned WasmCfg (passes/core/partition.ts
 * over wasm-cfg.ts) as functions that call each other by real tail calls (core
 * spec 3.0, `return_call`), so a loop whose body spans functions runs without
 * growing the call stack.
 *
 * A piece entered from other pieces at several blocks is written in one of the
 * two forms of the design: one function per entry (form B: each single-entry
 * region of the piece, regions.ts, is a function), or one function for the whole
 * piece with an i32 selector parameter after the others and a `br_table` on it at
 * its start (form A: its parameters are the union of the values live at its
 * entries; a transfer passes zero for those not live at its target, then the
 * target's selector). `entryForm` chooses; `auto` takes form A from
 * SELECTOR_MIN_ENTRIES entries (QuickJS's interpreter loop at 20,000 bytes: 4
 * functions instead of 162), when the union fits 254 parameters and every value
 * has a zero (form A pieces take no values through globals). Below that, form B:
 * a piece holding a few buckets of a split dispatch (split-tables.ts) is entered
 * once a step, and its selector table is a second indirect branch and one function
 * to compile instead of several small ones that tier up separately (bench/wasm,
 * the 6.6 MB interpreter, 4 to 8 entries a piece: steady state 181 -> 161 ms,
 * first call 895 -> 666 ms; at 1 MB 89 -> 84 and 247 -> 155 ms).
 *
 * A function's parameters are the locals live at its entry, ascending by original
 * index, typed from `localTypes`; the other locals its blocks touch are declared
 * after them in original order,
 * then the stackifier's scratch i32s; the results are the original function's.
 * Every edge leaving the region goes to a stub block, one per target, holding
 * `local.get` of the target function's parameters and `return_call` of it; the
 * stackifier (stackify.ts) places a stub shared by several edges once. The
 * original function keeps its index and type and is the driver: its body is the
 * region of the CFG's entry, whose parameters stay the original ones (a local
 * live there that is no parameter holds its default zero, as in the original).
 * When another region branches back to the entry block, that region is a function
 * of its own too and the driver's body only tail-calls it.
 *
 * Indirect dispatch (cfg.indirect, indirect-dispatch.ts): each target of such a
 * block's table starts a function of its own (a region entry even inside the
 * dispatch's piece, never part of a form A piece) whose parameters are the union of
 * the values live at the dispatch's targets; the block ends in `local.set $k`, those
 * values, `$k` clamped to the table's length (the default's slot) and
 * `return_call_indirect` through the table `indirectTable` gives, whose elements
 * (`tables`) are those functions in index order. A direct transfer into a target
 * passes zero for what is not live there, as form A does.
 *
 * Many live values: a transfer hands over at most 255 values as parameters (the
 * JVM's rule, kept here). The rest, numeric or v128 locals only, go through
 * module globals (`handoverGlobal`: one mutable global per value type and
 * ordinal, shared by every transfer of the module): the stub stores them with
 * `global.set` just before its `return_call`, and the callee's prologue (a block
 * of its own before the entry, so a loop back to the entry does not rerun it)
 * loads them with `global.get` into declared locals. A tail call runs nothing in
 * between, so the globals hold the values exactly from the store to the load.
 * Globals rather than a frame in linear memory: a splitter cannot know which
 * bytes of a module's memory are free (an allocator owns everything up to
 * `memory.size`), and globals need no memory at all.
 *
 * Refused, with a reason: a transfer that would hand over more than 255 values
 * without `handoverGlobal`, or more than 255 references (globals hold numbers only),
 * a function that would have to declare a local of a non-nullable reference
 * type (no default value; the validator's local initialization does not follow
 * sets across the stackifier's block structure), and a function over the engines'
 * limits (50,000 locals; an irreducible region over a br_table's 65,520 targets).
 * Output depends only on the inputs (functions in reverse postorder of entries).
 */
import type { FuncBody, LocalDecl } from "../../src/wasm/body.js";
import { assert } from "../../src/diagnostics.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { ValType } from "../../src/wasm/types.js";
import { instr, zeroOf } from "./instr.js";
import { indirectTargets, type IndirectDispatch } from "./indirect-dispatch.js";
import { MAX_TRANSFER_PARAMS } from "./link-costs.js";
import { singleEntryRegions } from "./regions.js";
import { stackify } from "./stackify.js";
import type { Terminator, WasmBlock, WasmCfg } from "./wasm-cfg.js";

/** What every engine accepts at most: locals of a function, targets of a br_table. */
const ENGINE_MAX_LOCALS = 50_000;
const ENGINE_MAX_TABLE = 65_520;

/** The ways a piece entered at several blocks may be written (`entryForm`). */
export const ENTRY_FORMS = ["auto", "functions", "selector"] as const;
export type EntryForm = (typeof ENTRY_FORMS)[number];

export interface WasmLinkInput {
  readonly cfg: WasmCfg;
  /** The locals live at each block's entry, ascending. */
  readonly liveIn: readonly (readonly number[])[];
  /** Piece of each block (-1 unreachable), piece 0 the driver's. */
  readonly pieceOf: Int32Array;
  /** The function index the first new function gets. */
  readonly firstFunction: number;
  /** The global that carries the `ordinal`-th handed-over value of type `type` of a transfer (absent: no globals, over 255 values is refused). */
  readonly handoverGlobal?: (type: ValType, ordinal: number) => number;
  /**
   * How a piece entered at several blocks is written: `functions`, one function per
   * entry (form B); `selector`, one function taking a selector (form A) whenever it
   * can; `auto` (default), the selector from {@link SELECTOR_MIN_ENTRIES} entries.
   */
  readonly entryForm?: EntryForm;
  /**
   * The funcref table and function type of the `ordinal`-th indirect dispatch of
   * `cfg` (indirect-dispatch.ts), whose target functions take `params`; required
   * when `cfg.indirect` is not empty.
   */
  readonly indirectTable?: (ordinal: number, params: readonly ValType[]) => IndirectCall;
}

/** Where an indirect dispatch calls through: a funcref table of the module and the function type of its elements. */
export interface IndirectCall {
  readonly table: number;
  readonly type: number;
}

/** The elements of one indirect dispatch's table: the function of each index, then the default's. */
export interface DispatchTable {
  readonly table: number;
  readonly funcs: readonly number[];
}

/** Entries from which `auto` writes a piece as one function with a selector (form B measured faster with 4 to 8, link.ts's header). */
export const SELECTOR_MIN_ENTRIES = 16;

export interface LinkedFunction {
  /** The block this function starts at. */
  readonly entry: number;
  readonly params: readonly ValType[];
  readonly body: FuncBody;
  readonly form: "structured" | "dispatch" | "stub";
}

export type WasmLinkResult =
  | { readonly ok: true; readonly driver: LinkedFunction; readonly functions: LinkedFunction[]; readonly tables: DispatchTable[] }
  | { readonly ok: false; readonly reason: string };

/** A function to be: its entry block, its parameters as original local indices, the values it receives in globals. */
interface Plan {
  readonly entry: number;
  readonly params: readonly number[];
  /** Original local and the global carrying it. */
  readonly viaGlobals: readonly (readonly [local: number, global: number])[];
  readonly index: number;
  /** Form A: the entry's selector value, and the parameters live at this entry (the others are passed as zero). */
  readonly selector?: number;
  readonly live?: ReadonlySet<number>;
}

/** The values live at `entry` split into parameters and globals, or why they cannot be handed over. */
function handover(cfg: WasmCfg, live: readonly number[], entry: number, input: WasmLinkInput): Pick<Plan, "params" | "viaGlobals"> | string {
  if (live.length <= MAX_TRANSFER_PARAMS) return { params: live, viaGlobals: [] };
  const tooMany = `a transfer into block ${entry} would hand over ${live.length} live locals, more than ${MAX_TRANSFER_PARAMS} parameters`;
  if (!input.handoverGlobal) return tooMany;
  // The last numeric locals beyond 255 go through globals.
  const overflow = new Set<number>();
  for (let i = live.length - 1; i >= 0 && live.length - overflow.size > MAX_TRANSFER_PARAMS; i--) {
    if (typeof cfg.localTypes[live[i]!] === "number") overflow.add(live[i]!);
  }
  if (live.length - overflow.size > MAX_TRANSFER_PARAMS) return `${tooMany}, and over ${MAX_TRANSFER_PARAMS} of them are references (globals carry numbers only)`;
  const ordinal = new Map<ValType, number>();
  const viaGlobals = [...overflow].reverse().map((l) => {
    const type = cfg.localTypes[l]!;
    const k = ordinal.get(type) ?? 0;
    ordinal.set(type, k + 1);
    return [l, input.handoverGlobal!(type, k)] as const;
  });
  return { params: live.filter((l) => !overflow.has(l)), viaGlobals };
}

export function linkWasm(input: WasmLinkInput): WasmLinkResult {
  const { cfg, liveIn, pieceOf } = input;
  const dispatchOf = indirectTargets(cfg);
  const regions = singleEntryRegions(cfg, pieceOf, dispatchOf.keys());
  const entry = regions.entries[0]!;
  const entryReentered = cfg.predecessors[entry]!.some((p) => cfg.reachable[p] && regions.regionOf[p] !== entry);
  const selectorPieces = piecesWithSelector(input, entry, dispatchOf);
  const plans = new Map<number, Plan>();
  // The functions in index order: a region's (form B) or a whole piece's (form A).
  const order: ({ kind: "region"; entry: number } | { kind: "piece"; piece: number; entries: number[] })[] = [];
  let next = input.firstFunction;
  for (const e of regions.entries) {
    if (e === entry && !entryReentered) continue;
    const piece = selectorPieces.get(pieceOf[e]!);
    if (piece) {
      const selector = piece.entries.indexOf(e);
      // A region the piece's own blocks lead to (not an entry of the piece) is code inside its function.
      if (selector < 0) continue;
      if (selector === 0) order.push({ kind: "piece", piece: pieceOf[e]!, entries: piece.entries });
      const index = selector === 0 ? next++ : plans.get(piece.entries[0]!)!.index;
      plans.set(e, { entry: e, params: piece.params, viaGlobals: [], index, selector, live: new Set(liveIn[e]) });
      continue;
    }
    const dispatch = dispatchOf.get(e);
    if (dispatch) {
      // A target of an indirect dispatch: the dispatch's common signature, zero for what is not live here.
      plans.set(e, { entry: e, params: dispatch.params, viaGlobals: [], index: next++, live: new Set(liveIn[e]) });
      order.push({ kind: "region", entry: e });
      continue;
    }
    const values = handover(cfg, liveIn[e]!, e, input);
    if (typeof values === "string") return { ok: false, reason: values };
    plans.set(e, { entry: e, ...values, index: next++ });
    order.push({ kind: "region", entry: e });
  }
  const { calls, tables } = dispatchTables(input, plans);
  const functions: LinkedFunction[] = [];
  for (const f of order) {
    const written =
      f.kind === "region"
        ? regionFunction(cfg, regions.members.get(f.entry)!, plans.get(f.entry)!, plans, calls)
        : regionFunction(cfg, blocksOfPiece(cfg, pieceOf, f.piece), plans.get(f.entries[0]!)!, plans, calls, f.entries);
    if (typeof written === "string") return { ok: false, reason: written };
    functions.push(written);
  }
  const originalParams = Array.from({ length: cfg.paramCount }, (_, i) => i);
  const driver = entryReentered
    ? driverStub(cfg, liveIn[entry]!, plans.get(entry)!)
    : regionFunction(cfg, regions.members.get(entry)!, { params: originalParams, viaGlobals: [] }, plans, calls);
  if (typeof driver === "string") return { ok: false, reason: driver };
  return { ok: true, driver, functions, tables };
}

/** An indirect dispatch block's call: what it hands over and where it calls through. */
interface DispatchCall extends IndirectDispatch, IndirectCall {
  /** The table's length before the default (indices at or past it are clamped to it). */
  readonly length: number;
}

/** Each indirect dispatch's call by block, and its table's elements (the functions planned for its targets). */
function dispatchTables(input: WasmLinkInput, plans: ReadonlyMap<number, Plan>): { calls: Map<number, DispatchCall>; tables: DispatchTable[] } {
  const calls = new Map<number, DispatchCall>();
  const tables: DispatchTable[] = [];
  (input.cfg.indirect ?? []).forEach((d, ordinal) => {
    const t = input.cfg.blocks[d.block]!.term;
    assert(t.kind === "table" && input.indirectTable !== undefined, `link: indirect dispatch at block ${d.block} without a table terminator or a table to call through`);
    const call = input.indirectTable(ordinal, d.params.map((l) => input.cfg.localTypes[l]!));
    calls.set(d.block, { ...d, ...call, length: t.targets.length });
    tables.push({ table: call.table, funcs: [...t.targets, t.default].map((x) => plans.get(x)!.index) });
  });
  return { calls, tables };
}

/**
 * The code ending an indirect dispatch block (its index on the stack): the index
 * to the key local, the arguments, the index clamped to the table's default
 * (`k <u N ? k : N`), and the `return_call_indirect`.
 */
function dispatchCode(call: DispatchCall, map: LocalMap): { code: Instr[]; term: Terminator } {
  const key = map.of(call.key);
  const code = [instr("local.set", key), ...call.params.map((l) => instr("local.get", map.of(l)))];
  code.push(instr("local.get", key), instr("i32.const", call.length), instr("local.get", key), instr("i32.const", call.length), instr("i32.lt_u"), instr("select"));
  return { code, term: { kind: "tail", instr: instr("return_call_indirect", [call.type, call.table]) } };
}

/**
 * The pieces written as one function with a selector (form A): entered from other
 * pieces at enough blocks, not the driver's, the union of the values live at their
 * entries at most 254 (the selector is one more parameter), each with a zero value
 * to pass where it is not live. Their entries in reverse postorder, the union ascending.
 */
function piecesWithSelector(input: WasmLinkInput, entry: number, dispatchOf: ReadonlyMap<number, unknown>): Map<number, { entries: number[]; params: number[] }> {
  const { cfg, liveIn, pieceOf } = input;
  const form = input.entryForm ?? "auto";
  const out = new Map<number, { entries: number[]; params: number[] }>();
  if (form === "functions") return out;
  const entries = new Map<number, number[]>();
  for (const b of cfg.reversePostorder) {
    if (!cfg.predecessors[b]!.some((p) => cfg.reachable[p] && pieceOf[p] !== pieceOf[b])) continue;
    const list = entries.get(pieceOf[b]!) ?? [];
    list.push(b);
    entries.set(pieceOf[b]!, list);
  }
  for (const [piece, list] of entries) {
    if (piece === pieceOf[entry] || list.length < (form === "selector" ? 2 : SELECTOR_MIN_ENTRIES)) continue;
    // Targets of an indirect dispatch are functions of their own, with the dispatch's signature.
    if (list.some((b) => dispatchOf.has(b))) continue;
    const union = new Set<number>();
    for (const b of list) for (const l of liveIn[b]!) union.add(l);
    if (union.size >= MAX_TRANSFER_PARAMS) continue;
    const params = [...union].sort((a, b) => a - b);
    if (params.some((l) => zeroOf(cfg.localTypes[l]!) === undefined)) continue;
    out.set(piece, { entries: list, params });
  }
  return out;
}

function blocksOfPiece(cfg: WasmCfg, pieceOf: Int32Array, piece: number): number[] {
  return Array.from(cfg.reversePostorder).filter((b) => pieceOf[b] === piece);
}

/** Original local indices -> the new function's, in the order they are declared. */
class LocalMap {
  private readonly index: Int32Array;
  readonly declared: number[] = [];
  constructor(
    private readonly cfg: WasmCfg,
    readonly params: readonly number[],
    /** Parameters after `params` that are no original local (form A's selector). */
    readonly extraParams = 0,
  ) {
    this.index = new Int32Array(cfg.localTypes.length).fill(-1);
    params.forEach((l, i) => (this.index[l] = i));
  }
  /** Declares the non-parameter locals of `used` (ascending), after the parameters. */
  declare(used: Iterable<number>): void {
    for (const l of [...used].sort((a, b) => a - b)) {
      if (this.index[l] !== -1) continue;
      this.index[l] = this.params.length + this.extraParams + this.declared.length;
      this.declared.push(l);
    }
  }
  of(l: number): number {
    const i = this.index[l]!;
    assert(i >= 0, `link: local ${l} used but not declared`);
    return i;
  }
  get count(): number {
    return this.params.length + this.extraParams + this.declared.length;
  }
  declaredTypes(): ValType[] {
    return this.declared.map((l) => this.cfg.localTypes[l]!);
  }
}

const LOCAL_OPS = new Set(["local.get", "local.set", "local.tee"]);

function localsOf(code: readonly Instr[], into: Set<number>): void {
  for (const i of code) if (LOCAL_OPS.has(i.op.name)) into.add(i.imm as number);
}

function renumbered(code: readonly Instr[], map: LocalMap): Instr[] {
  return code.map((i) => (LOCAL_OPS.has(i.op.name) ? { op: i.op, imm: map.of(i.imm as number) } : i));
}

/** A reason when a local the function must declare has no default value (a non-nullable reference). */
function undeclarable(cfg: WasmCfg, map: LocalMap, entry: number): string | undefined {
  const l = map.declared.find((x) => typeof cfg.localTypes[x] !== "number" && !(cfg.localTypes[x] as { nullable: boolean }).nullable);
  return l === undefined ? undefined : `local ${l} is a non-nullable reference that the function starting at block ${entry} would have to declare (it has no default value)`;
}

/**
 * The function of one region (or, with `selectorEntries`, of a whole piece entered
 * at those blocks, chosen by an i32 parameter after the others): its blocks, a stub
 * per target outside it, stackified; or why it cannot be written.
 */
function regionFunction(
  cfg: WasmCfg,
  members: readonly number[],
  values: Pick<Plan, "params" | "viaGlobals">,
  plans: ReadonlyMap<number, Plan>,
  calls: ReadonlyMap<number, DispatchCall>,
  selectorEntries?: readonly number[],
): LinkedFunction | string {
  const params = values.params;
  const nodeOf = new Map<number, number>();
  members.forEach((b, i) => nodeOf.set(b, i));
  // Targets outside the region, each a stub node after the region's blocks, in first-use order.
  const exits: number[] = [];
  const used = new Set<number>();
  const nodeFor = (target: number): number => {
    const inside = nodeOf.get(target);
    if (inside !== undefined) return inside;
    const plan = plans.get(target);
    assert(plan !== undefined, `link: edge into block ${target}, which starts no function`);
    nodeOf.set(target, members.length + exits.length);
    exits.push(target);
    for (const l of plan.params) if (!plan.live || plan.live.has(l)) used.add(l);
    for (const [l] of plan.viaGlobals) used.add(l);
    return nodeOf.get(target)!;
  };
  for (const [l] of values.viaGlobals) used.add(l);
  const terms = members.map((b) => {
    localsOf(cfg.blocks[b]!.code, used);
    const call = calls.get(b);
    if (!call) return remapTerminator(cfg.blocks[b]!.term, nodeFor);
    for (const l of [...call.params, call.key]) used.add(l);
    return undefined;
  });
  const map = new LocalMap(cfg, params, selectorEntries ? 1 : 0);
  map.declare(used);
  const refusal = undeclarable(cfg, map, members[0]!);
  if (refusal) return refusal;
  const nodes: WasmBlock[] = members.map((b, i) => {
    const code = renumbered(cfg.blocks[b]!.code, map);
    if (terms[i]) return { code, term: terms[i] };
    const ending = dispatchCode(calls.get(b)!, map);
    return { code: [...code, ...ending.code], term: ending.term };
  });
  for (const t of exits) nodes.push(transferStub(cfg, plans.get(t)!, map));
  let entry = 0;
  if (selectorEntries) {
    // The entry: a br_table on the selector (parameter `params.length`) to the block it names.
    entry = nodes.length;
    const targets = selectorEntries.map((b) => nodeOf.get(b)!);
    nodes.push({ code: [instr("local.get", params.length)], term: { kind: "table", targets, default: targets[0]! } });
  }
  if (values.viaGlobals.length > 0) {
    // The prologue: the values handed over in globals, loaded once before the entry block.
    entry = nodes.length;
    nodes.push({ code: values.viaGlobals.flatMap(([l, g]) => [instr("global.get", g), instr("local.set", map.of(l))]), term: { kind: "goto", target: 0 } });
  }
  const scratch: ValType[] = [];
  const first = map.count;
  const s = stackify({ blocks: nodes, entry }, () => {
    scratch.push(0x7f);
    return first + scratch.length - 1;
  });
  if (map.count + scratch.length > ENGINE_MAX_LOCALS) return `the function starting at block ${members[0]} would have ${map.count + scratch.length} locals, over the engines' ${ENGINE_MAX_LOCALS}`;
  if (s.form === "dispatch" && nodes.length > ENGINE_MAX_TABLE) return `the irreducible region starting at block ${members[0]} has ${nodes.length} blocks, over the ${ENGINE_MAX_TABLE} targets of the dispatch form's br_table`;
  const body: FuncBody = { locals: localDecls([...map.declaredTypes(), ...scratch]), code: [...s.code, instr("end")] };
  const types = params.map((l) => cfg.localTypes[l]!);
  if (selectorEntries) types.push(0x7f);
  return { entry: members[0]!, params: types, body, form: s.form };
}

function remapTerminator(t: Terminator, nodeFor: (b: number) => number): Terminator {
  switch (t.kind) {
    case "goto":
      return { kind: "goto", target: nodeFor(t.target) };
    case "if":
      return { kind: "if", then: nodeFor(t.then), else: nodeFor(t.else) };
    case "table":
      return { kind: "table", targets: t.targets.map(nodeFor), default: nodeFor(t.default) };
    default:
      return t;
  }
}

/**
 * The values `plan`'s function receives in globals stored, each of its parameters
 * (`local.get`, or zero where a form A entry does not read it), the selector of a
 * form A entry, then `return_call` of it.
 */
function transferStub(cfg: WasmCfg, plan: Plan, map: LocalMap): WasmBlock {
  const stores = plan.viaGlobals.flatMap(([l, g]) => [instr("local.get", map.of(l)), instr("global.set", g)]);
  const args = plan.params.map((l) => (!plan.live || plan.live.has(l) ? instr("local.get", map.of(l)) : zeroOf(cfg.localTypes[l]!)!));
  if (plan.selector !== undefined) args.push(instr("i32.const", plan.selector));
  return { code: [...stores, ...args], term: { kind: "tail", instr: instr("return_call", plan.index) } };
}

/** The driver when the entry block is re-entered from another function: hands its values to that function. */
function driverStub(cfg: WasmCfg, live: readonly number[], plan: Plan): LinkedFunction | string {
  const map = new LocalMap(cfg, Array.from({ length: cfg.paramCount }, (_, i) => i));
  map.declare(live);
  const refusal = undeclarable(cfg, map, plan.entry);
  if (refusal) return refusal;
  const stub = transferStub(cfg, plan, map);
  const code = [...stub.code, (stub.term as { instr: Instr }).instr, instr("end")];
  return { entry: plan.entry, params: cfg.localTypes.slice(0, cfg.paramCount), body: { locals: localDecls(map.declaredTypes()), code }, form: "stub" };
}

function sameType(a: ValType, b: ValType): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  return a.nullable === b.nullable && a.heap === b.heap;
}

/** Local declarations: runs of one type. */
export function localDecls(types: readonly ValType[]): LocalDecl[] {
  const out: { count: number; type: ValType }[] = [];
  for (const t of types) {
    const last = out[out.length - 1];
    if (last && sameType(last.type, t)) last.count++;
    else out.push({ count: 1, type: t });
  }
  return out;
}
