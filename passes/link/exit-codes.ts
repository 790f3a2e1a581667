/**
 * Whether a heap-frame partition's exit codes fit the class's constant pool. A
 * body leaves for a block of piece p >= 1 by returning the code `(p << 16) | entry`
 * (`heap-frame.ts`), at least 65,536, which `ldc` pushes as a CONSTANT_Integer of
 * its own (JVMS 4.4.4): one constant per entry of such a piece, and the pool holds
 * at most 65,535 entries (JVMS 4.1). An interpreter of half a million cases wants
 * eight times that. When the codes would not fit, the link pushes them without
 * the pool (`wideCodes`), priced by `wideCodeCosts` (costs.ts); every other method
 * keeps `ldc`. Cost: one pass over the blocks and their successors.
 */
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import type { Partition } from "../core/partition.js";
import type { ControlFlowGraph } from "../cfg.js";
import { pieceEntries } from "./blocks.js";

/** constant_pool_count is a u2: the last usable index is 65,534. */
const LAST_INDEX = 65_534;
/**
 * Entries the link and the encoder add besides the codes: per piece (and per
 * dispatcher) a Methodref, its NameAndType and its name; the classes a `checkcast`
 * names and the attribute names are few and counted in the fixed part.
 */
const PER_PIECE = 4;
const FIXED = 1024;

/** The distinct exit codes over 32,767 a partition may push: the entries of its pieces 1 and up. */
export function largeExitCodes(cfg: ControlFlowGraph, partition: Extract<Partition, { ok: true }>): number {
  const { entries } = pieceEntries(cfg, partition);
  let count = 0;
  for (let p = 1; p < entries.length; p++) count += entries[p]!.length;
  return count;
}

/** True when pushing every large exit code with `ldc` could overflow `cp`. */
export function exitCodesOverflow(cfg: ControlFlowGraph, partition: Extract<Partition, { ok: true }>, cp: ConstantPool): boolean {
  const reserve = FIXED + PER_PIECE * partition.pieceBlocks.length;
  // A cheap bound first: a partition with fewer blocks than the room left has fewer codes.
  const room = LAST_INDEX - (cp.count - 1) - reserve;
  if (cfg.blockCount <= room) return false;
  return largeExitCodes(cfg, partition) > room;
}
