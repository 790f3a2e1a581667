/**
 * The WebAssembly linker: writes a partitioned WasmCfg (passes/core/partition.ts
 * over wasm-cfg.ts) as functions that call each other by real tail calls (core
 * spec 3.0, `return_call`), so a loop whose body spans functions runs without
 * growing the call stack.
 *
 * Each single-entry region of a piece (regions.ts: a piece entered at several
 * blocks becomes one function per entry) is a function. Its parameters are the
 * locals live at its entry, ascending by original index, typed from `localTypes`;
 * the other locals its blocks touch are declared after them in original order,
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
import { instr } from "./instr.js";
import { singleEntryRegions } from "./regions.js";
import { stackify } from "./stackify.js";
import type { Terminator, WasmBlock, WasmCfg } from "./wasm-cfg.js";

/** Most values one transfer may hand over as parameters. */
export const MAX_TRANSFER_PARAMS = 255;
/** What every engine accepts at most: locals of a function, targets of a br_table. */
const ENGINE_MAX_LOCALS = 50_000;
const ENGINE_MAX_TABLE = 65_520;

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
}

export interface LinkedFunction {
  /** The block this function starts at. */
  readonly entry: number;
  readonly params: readonly ValType[];
  readonly body: FuncBody;
  readonly form: "structured" | "dispatch" | "stub";
}

export type WasmLinkResult =
  | { readonly ok: true; readonly driver: LinkedFunction; readonly functions: LinkedFunction[] }
  | { readonly ok: false; readonly reason: string };

/** A function to be: its entry block, its parameters as original local indices, the values it receives in globals. */
interface Plan {
  readonly entry: number;
  readonly params: readonly number[];
  /** Original local and the global carrying it. */
  readonly viaGlobals: readonly (readonly [local: number, global: number])[];
  readonly index: number;
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
  const regions = singleEntryRegions(cfg, pieceOf);
  const entry = regions.entries[0]!;
  const entryReentered = cfg.predecessors[entry]!.some((p) => cfg.reachable[p] && regions.regionOf[p] !== entry);
  const originalParams = Array.from({ length: cfg.paramCount }, (_, i) => i);
  const plans = new Map<number, Plan>();
  let next = input.firstFunction;
  for (const e of regions.entries) {
    if (e === entry && !entryReentered) continue;
    const values = handover(cfg, liveIn[e]!, e, input);
    if (typeof values === "string") return { ok: false, reason: values };
    plans.set(e, { entry: e, ...values, index: next++ });
  }
  const functions: LinkedFunction[] = [];
  for (const plan of plans.values()) {
    const f = regionFunction(cfg, regions.members.get(plan.entry)!, plan, plans);
    if (typeof f === "string") return { ok: false, reason: f };
    functions.push(f);
  }
  const driver = entryReentered
    ? driverStub(cfg, liveIn[entry]!, plans.get(entry)!)
    : regionFunction(cfg, regions.members.get(entry)!, { params: originalParams, viaGlobals: [] }, plans);
  if (typeof driver === "string") return { ok: false, reason: driver };
  return { ok: true, driver, functions };
}

/** Original local indices -> the new function's, in the order they are declared. */
class LocalMap {
  private readonly index: Int32Array;
  readonly declared: number[] = [];
  constructor(
    private readonly cfg: WasmCfg,
    readonly params: readonly number[],
  ) {
    this.index = new Int32Array(cfg.localTypes.length).fill(-1);
    params.forEach((l, i) => (this.index[l] = i));
  }
  /** Declares the non-parameter locals of `used` (ascending), after the parameters. */
  declare(used: Iterable<number>): void {
    for (const l of [...used].sort((a, b) => a - b)) {
      if (this.index[l] !== -1) continue;
      this.index[l] = this.params.length + this.declared.length;
      this.declared.push(l);
    }
  }
  of(l: number): number {
    const i = this.index[l]!;
    assert(i >= 0, `link: local ${l} used but not declared`);
    return i;
  }
  get count(): number {
    return this.params.length + this.declared.length;
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

/** The function of one region: its blocks, a stub per target outside it, stackified; or why it cannot be written. */
function regionFunction(cfg: WasmCfg, members: readonly number[], values: Pick<Plan, "params" | "viaGlobals">, plans: ReadonlyMap<number, Plan>): LinkedFunction | string {
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
    for (const l of plan.params) used.add(l);
    for (const [l] of plan.viaGlobals) used.add(l);
    return nodeOf.get(target)!;
  };
  for (const [l] of values.viaGlobals) used.add(l);
  const terms = members.map((b) => {
    localsOf(cfg.blocks[b]!.code, used);
    return remapTerminator(cfg.blocks[b]!.term, nodeFor);
  });
  const map = new LocalMap(cfg, params);
  map.declare(used);
  const refusal = undeclarable(cfg, map, members[0]!);
  if (refusal) return refusal;
  const nodes: WasmBlock[] = members.map((b, i) => ({ code: renumbered(cfg.blocks[b]!.code, map), term: terms[i]! }));
  for (const t of exits) nodes.push(transferStub(plans.get(t)!, map));
  let entry = 0;
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
  return { entry: members[0]!, params: params.map((l) => cfg.localTypes[l]!), body, form: s.form };
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

/** The values `plan`'s function receives in globals stored, `local.get` of each of its parameters, then `return_call` of it. */
function transferStub(plan: Plan, map: LocalMap): WasmBlock {
  const stores = plan.viaGlobals.flatMap(([l, g]) => [instr("local.get", map.of(l)), instr("global.set", g)]);
  return { code: [...stores, ...plan.params.map((l) => instr("local.get", map.of(l)))], term: { kind: "tail", instr: instr("return_call", plan.index) } };
}

/** The driver when the entry block is re-entered from another function: hands its values to that function. */
function driverStub(cfg: WasmCfg, live: readonly number[], plan: Plan): LinkedFunction | string {
  const map = new LocalMap(cfg, Array.from({ length: cfg.paramCount }, (_, i) => i));
  map.declare(live);
  const refusal = undeclarable(cfg, map, plan.entry);
  if (refusal) return refusal;
  const stub = transferStub(plan, map);
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
