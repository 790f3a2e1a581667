/**
 * A partition input with uniform costs for the partitioner's unit tests: every
 * block `size` bytes (default 10), entries 2, exits 3, all cuttable, none pinned,
 * a limit of 100, piece overhead 5, driver overhead 20; `overrides` replace any of
 * it. The tests then read which blocks land where, not the cost model's figures.
 */
import type { ControlFlowGraph } from "../../passes/cfg.js";
import type { PartitionInput } from "../../passes/core/partition.js";

export function uniformPartitionInput(cfg: ControlFlowGraph, overrides: Partial<PartitionInput> & { size?: number } = {}): PartitionInput {
  const n = cfg.blockCount;
  const { size, ...rest } = overrides;
  return {
    cfg,
    blockSize: new Int32Array(n).fill(size ?? 10),
    entryCost: new Int32Array(n).fill(2),
    exitCost: new Int32Array(n).fill(3),
    cuttable: new Uint8Array(n).fill(1),
    pinned: new Uint8Array(n),
    limit: 100,
    pieceOverhead: 5,
    driverOverhead: 20,
    ...rest,
  };
}
