/**
 * What `partition` (partition.ts) derives from a graph and its block sizes alone,
 * kept for the next partition of the same graph: the block edges, and the atoms
 * (which blocks never split, in packing order). The splitter partitions one cut
 * body several times (docs/design/splitter.md, "What the attempts share"): each
 * handover of the link mode, and again for every driver or piece fill, where
 * only the allowances of the driver and of the pieces change (`driverLimit`,
 * `pieceLimit`), and with them neither the edges nor the atoms. On jython.jar at
 * `--max-size 1024`, 956 of 2,257 partitions per `splitBundle` call found their
 * atoms here.
 *
 * The atoms are a function of the graph, `blockSize`, `pieceExtra`, `entryCost`,
 * `cuttable`, `pinned`, `together`, `openLoops`, `limit`, `pieceOverhead` and
 * `regionPieces`: an input with the same arrays (the same objects: the splitter's
 * cost tables are made once per cut) and the same numbers finds them here. A memo serves one graph; the few
 * latest atom sets are kept (a cut is partitioned for two handovers, at one
 * budget). The packing only reads what it finds here.
 */
import type { BlockGraph } from "./block-graph.js";
import type { PartitionInput } from "./partition.js";

/** The inputs the atoms depend on (compared by identity, numbers by value). */
const ATOM_INPUTS = ["blockSize", "pieceExtra", "entryCost", "cuttable", "pinned", "together", "openLoops", "limit", "pieceOverhead", "regionPieces"] as const;

/** Atom sets kept per memo: the two handovers' at one budget, and the budget before. */
const KEPT_ATOM_SETS = 4;

export class PartitionMemo<E, A> {
  private edgesOf: { cfg: BlockGraph; edges: E } | undefined;
  private readonly atomSets: { input: PartitionInput; atoms: A }[] = [];
  /** Atom sets built (not found here): for tests. */
  atomsBuilt = 0;

  /** The edges of `cfg`: kept ones, else `make()`'s. */
  edges(cfg: BlockGraph, make: () => E): E {
    if (this.edgesOf?.cfg === cfg) return this.edgesOf.edges;
    const edges = make();
    this.edgesOf = { cfg, edges };
    return edges;
  }

  /** The atoms of `input`: those of an earlier input with the same atom inputs, else `make()`'s. */
  atoms(input: PartitionInput, make: () => A): A {
    const found = this.atomSets.find((s) => s.input.cfg === input.cfg && ATOM_INPUTS.every((k) => s.input[k] === input[k]));
    if (found) return found.atoms;
    const atoms = make();
    this.atomsBuilt++;
    this.atomSets.push({ input, atoms });
    if (this.atomSets.length > KEPT_ATOM_SETS) this.atomSets.shift();
    return atoms;
  }
}
