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
  /** Words per set. */
  readonly words: number;
  /** Live locals at each block's entry: block b's set is words [b * words, (b + 1) * words) (zero for an unreachable block). */
  readonly liveInBits: Uint32Array;
  /** Declared (non-parameter) locals live at the function's entry: read before any write on some path. */
  readonly zeroInitReads: readonly number[];
}

const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;

function localsOfBits(lv: WasmLiveness, bits: Uint32Array, block: number): number[] {
  const out: number[] = [];
  for (let w = block * lv.words, end = w + lv.words; w < end; w++) {
    let x = bits[w]!;
    while (x !== 0) {
      const low = x & -x;
      out.push(lv.tracked[((w - block * lv.words) << 5) + 31 - Math.clz32(low)]!);
      x ^= low;
    }
  }
  return out.sort((a, b) => a - b);
}

/** The locals live at the entry of block `b`, ascending. */
export function liveInLocals(lv: WasmLiveness, b: number): number[] {
  return localsOfBits(lv, lv.liveInBits, b);
}

/** The live-in locals of every block, as lists (the shape the Wasm linker takes). */
export function liveInLists(lv: WasmLiveness, blockCount: number): number[][] {
  const out: number[][] = new Array(blockCount);
  for (let b = 0; b < blockCount; b++) out[b] = liveInLocals(lv, b);
  return out;
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

/**
 * Sets of `words` words kept in one growing buffer, named by their offset: the
 * solver's facts are these numbers, so a step allocates no object (a typed array
 * per block and step cost more in allocation and collection than the solving).
 * A set is never changed once made; only sets that differ from the block's
 * previous one are added, so the pool grows with the changes, not the steps.
 */
class SetPool {
  buf: Uint32Array;
  used = 0;
  constructor(private readonly words: number, blocks: number) {
    this.buf = new Uint32Array(Math.max(words, 1) * (blocks + 2));
  }
  /** A new set, zeroed (its offset). */
  add(): number {
    const at = this.used;
    if (at + this.words > this.buf.length) {
      const nb = new Uint32Array(this.buf.length * 2 + this.words);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.used = at + this.words;
    return at;
  }
  equal(a: number, b: number): boolean {
    if (a === b) return true;
    const buf = this.buf;
    for (let w = 0; w < this.words; w++) if (buf[a + w] !== buf[b + w]) return false;
    return true;
  }
}

export function wasmLiveness(cfg: WasmCfg): WasmLiveness {
  const n = cfg.blockCount;
  const localCount = cfg.localTypes.length;
  const { gen, kill } = scanBlocks(cfg, localCount);
  const bitOf = new Int32Array(localCount).fill(-1);
  const trackedList: number[] = [];
  for (const g of gen) for (const x of g) if (bitOf[x] === -1) bitOf[x] = trackedList.push(x) - 1;
  const tracked = Int32Array.from(trackedList);
  const words = (tracked.length + 31) >>> 5;
  const genBits = new Uint32Array(n * words);
  const killBits = new Uint32Array(n * words);
  for (let b = 0; b < n; b++) {
    for (const x of gen[b]!) genBits[b * words + (bitOf[x]! >>> 5)]! |= 1 << (bitOf[x]! & 31);
    for (const x of kill[b]!) if (bitOf[x]! >= 0) killBits[b * words + (bitOf[x]! >>> 5)]! |= 1 << (bitOf[x]! & 31);
  }
  const pool = new SetPool(words, n);
  const empty = pool.add();
  const lastIn = new Int32Array(n).fill(-1);
  const problem: DataflowProblem<number> = {
    direction: "backward",
    boundary: () => empty,
    join(a, b) {
      let buf = pool.buf;
      let grows = false;
      for (let w = 0; w < words && !grows; w++) if ((buf[b + w]! & ~buf[a + w]!) !== 0) grows = true;
      if (!grows) return a;
      const s = pool.add();
      buf = pool.buf;
      for (let w = 0; w < words; w++) buf[s + w] = buf[a + w]! | buf[b + w]!;
      return s;
    },
    equal: (a, b) => pool.equal(a, b),
    transfer(b, out) {
      const s = pool.add();
      const buf = pool.buf;
      for (let w = 0, o = b * words; w < words; w++, o++) buf[s + w] = genBits[o]! | (buf[out + w]! & ~killBits[o]!);
      const prev = lastIn[b]!;
      if (prev >= 0 && pool.equal(prev, s)) {
        pool.used = s; // unchanged: give the set back
        return prev;
      }
      lastIn[b] = s;
      return s;
    },
  };
  const r = solve(cfg, problem);
  const liveInBits = new Uint32Array(n * words);
  for (let b = 0; b < n; b++) {
    const i = r.input[b];
    if (i !== undefined) for (let w = 0; w < words; w++) liveInBits[b * words + w] = pool.buf[i + w]!;
  }
  const lv = { tracked, bitOf, words, liveInBits, zeroInitReads: [] as number[] };
  lv.zeroInitReads = liveInLocals(lv, 0).filter((x) => x >= cfg.paramCount);
  return lv;
}
