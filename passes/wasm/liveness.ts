/**
 * Liveness of locals over a WasmCfg (core spec, Execution, "Variable
 * Instructions": `local.get` reads, `local.set`/`local.tee` write): the locals
 * live at each block's entry, as bitsets, solved backward with the one dataflow
 * solver (passes/core/dataflow.ts): in(b) = gen(b) | (out(b) & ~kill(b)), out(b) =
 * union of in(s) over successors, empty after return, unreachable and tail calls.
 *
 * Wasm locals start zeroed (null for references), so a local read before any write
 * on some path is live at the entry block although nothing wrote it: a piece that
 * starts at a block must then be handed that local by its caller, or re-zero it
 * itself. `zeroInitReads` lists those (declared locals live at entry).
 *
 * The bitsets are over the locals that some block reads before writing (only they
 * can be live anywhere), numbered densely: a function with 20,000 locals of which
 * 300 cross blocks costs 10 words per set, not 625. Cost: O(code) to scan, then
 * the solver's sweeps over O(blocks x tracked/32) words.
 */
import { solve, type DataflowProblem } from "../core/dataflow.js";
import type { WasmCfg } from "./wasm-cfg.js";

export interface WasmLiveness {
  /** Local index of each tracked (dense) bit. */
  readonly tracked: Int32Array;
  /** Dense bit of each local, -1 for a local never live at a block boundary. */
  readonly bitOf: Int32Array;
  /** Live locals at each block's entry, a bitset over dense bits (undefined for an unreachable block). */
  readonly liveIn: readonly (Uint32Array | undefined)[];
  /** Live locals at each block's exit. */
  readonly liveOut: readonly (Uint32Array | undefined)[];
  /** Declared (non-parameter) locals live at the function's entry: read before any write on some path. */
  readonly zeroInitReads: readonly number[];
}

const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;

/** The local indices in a dense bitset of `lv`. */
export function localsIn(lv: WasmLiveness, set: Uint32Array | undefined): number[] {
  const out: number[] = [];
  if (!set) return out;
  for (let w = 0; w < set.length; w++) {
    let x = set[w]!;
    while (x !== 0) {
      const low = x & -x;
      out.push(lv.tracked[(w << 5) + 31 - Math.clz32(low)]!);
      x ^= low;
    }
  }
  return out.sort((a, b) => a - b);
}

/** Whether local `local` is live at the entry of block `b`. */
export function isLiveIn(lv: WasmLiveness, b: number, local: number): boolean {
  const bit = lv.bitOf[local]!;
  const set = lv.liveIn[b];
  return bit >= 0 && set !== undefined && (set[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

function isLocalAccess(code: number, prefix: number): boolean {
  return prefix === 0 && (code === GET || code === SET || code === TEE);
}

/** Upward-exposed reads (gen) and writes (kill) of each block, as local lists. */
function scanBlocks(cfg: WasmCfg, localCount: number): { gen: number[][]; kill: number[][] } {
  const writtenIn = new Int32Array(localCount).fill(-1);
  const readIn = new Int32Array(localCount).fill(-1);
  const gen: number[][] = new Array(cfg.blockCount);
  const kill: number[][] = new Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    const g: number[] = [];
    const k: number[] = [];
    for (const ins of cfg.blocks[b]!.code) {
      if (!isLocalAccess(ins.op.code, ins.op.prefix)) continue;
      const x = ins.imm as number;
      if (ins.op.code === GET) {
        if (writtenIn[x] !== b && readIn[x] !== b) {
          readIn[x] = b;
          g.push(x);
        }
      } else if (writtenIn[x] !== b) {
        writtenIn[x] = b;
        k.push(x);
      }
    }
    gen[b] = g;
    kill[b] = k;
  }
  return { gen, kill };
}

export function wasmLiveness(cfg: WasmCfg): WasmLiveness {
  const localCount = cfg.localTypes.length;
  const { gen, kill } = scanBlocks(cfg, localCount);
  const bitOf = new Int32Array(localCount).fill(-1);
  const trackedList: number[] = [];
  for (const g of gen) for (const x of g) if (bitOf[x] === -1) bitOf[x] = trackedList.push(x) - 1;
  const tracked = Int32Array.from(trackedList);
  const words = (tracked.length + 31) >>> 5;
  const toSet = (locals: readonly number[]): Uint32Array => {
    const s = new Uint32Array(words);
    for (const x of locals) {
      const bit = bitOf[x]!;
      if (bit >= 0) s[bit >>> 5]! |= 1 << (bit & 31);
    }
    return s;
  };
  const genSet = gen.map(toSet);
  const killSet = kill.map(toSet);
  const empty = new Uint32Array(words);
  const problem: DataflowProblem<Uint32Array> = {
    direction: "backward",
    boundary: () => empty,
    join(a, b) {
      let grows = false;
      for (let w = 0; w < words && !grows; w++) if ((b[w]! & ~a[w]!) !== 0) grows = true;
      if (!grows) return a;
      const s = new Uint32Array(words);
      for (let w = 0; w < words; w++) s[w] = a[w]! | b[w]!;
      return s;
    },
    equal(a, b) {
      if (a === b) return true;
      for (let w = 0; w < words; w++) if (a[w] !== b[w]) return false;
      return true;
    },
    transfer(b, out) {
      const g = genSet[b]!;
      const k = killSet[b]!;
      const s = new Uint32Array(words);
      for (let w = 0; w < words; w++) s[w] = g[w]! | (out[w]! & ~k[w]!);
      return s;
    },
  };
  const r = solve(cfg, problem);
  const lv = { tracked, bitOf, liveIn: r.input, liveOut: r.output, zeroInitReads: [] as number[] };
  lv.zeroInitReads = localsIn(lv, r.input[0]).filter((x) => x >= cfg.paramCount);
  return lv;
}
