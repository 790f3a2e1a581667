/**
 * The neutral block graph the backend-independent core works on: numbered blocks
 * with normal successors and predecessors, the exception handlers covering each
 * block and the block each handler enters, reachability and a reverse postorder.
 * Nothing here knows an instruction set: the JVM's `ControlFlowGraph`
 * (passes/cfg.ts) extends it, and a second backend (WebAssembly) builds its own.
 *
 * The dataflow solver (`dataflow.ts`), loop analysis (`loops.ts`) and the
 * partition (`partition.ts`, which takes block sizes and stub costs as arrays)
 * read only this interface, so they import nothing from a backend.
 *
 * Invariants: every list is indexed by block number in 0..blockCount-1; a handler
 * index is an index into `handlerBlock`; `reversePostorder` lists exactly the
 * blocks with `reachable[b] === 1`, entry first.
 */
export interface BlockGraph {
  readonly blockCount: number;
  /** Normal successors of each block. */
  readonly successors: readonly (readonly number[])[];
  /** Normal predecessors of each block. */
  readonly predecessors: readonly (readonly number[])[];
  /** Indices of the handlers covering each block (exception successors via `handlerBlock`), innermost first. */
  readonly handlersOf: readonly (readonly number[])[];
  /** Block of each handler's entry. */
  readonly handlerBlock: Int32Array;
  /** 1 for blocks reachable from the entry. */
  readonly reachable: Uint8Array;
  /** Reachable blocks in reverse postorder (entry first). */
  readonly reversePostorder: Int32Array;
}
