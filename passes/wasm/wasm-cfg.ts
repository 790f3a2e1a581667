/**
 * The WebAssembly backend's control-flow graph: a function body's structured
 * control flow (core spec, "Instructions": block, loop, if, br, br_if, br_table,
 * return) flattened into numbered basic blocks of straight-line code, each ended
 * by one explicit terminator. It implements the neutral `BlockGraph`
 * (passes/core/block-graph.ts), so the dataflow solver, the loop analysis and the
 * partition of `passes/core/` work on it unchanged.
 *
 * Invariant the builder guarantees and every consumer may rely on: **the operand
 * stack is empty at the entry of every block**, and at its end holds only what the
 * terminator consumes (the i32 of `if` and `table`, the function's results for
 * `return`, the operands of a `tail` instruction). Values that the original code
 * kept on the stack across a block boundary (block results, branch values, values
 * below a nested block) live in locals the builder added, listed after the
 * body's own locals in `localTypes`. So a block can be moved into another function
 * as it is, with the locals it reads handed over.
 */
import type { BlockGraph } from "../core/block-graph.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { ValType } from "../../src/wasm/types.js";
import type { IndirectDispatch } from "./indirect-dispatch.js";

export type Terminator =
  /** Continue at `target`. */
  | { readonly kind: "goto"; readonly target: number }
  /** Pops an i32: non-zero continues at `then`, zero at `else`. */
  | { readonly kind: "if"; readonly then: number; readonly else: number }
  /** Pops an i32 `i`: continues at `targets[i]`, or at `default` when `i` is out of range. */
  | { readonly kind: "table"; readonly targets: readonly number[]; readonly default: number }
  /** Leaves the function; the stack holds exactly its results. */
  | { readonly kind: "return" }
  /** Traps. */
  | { readonly kind: "unreachable" }
  /** Leaves the function through this instruction (`return_call`, `return_call_indirect`, `return_call_ref`, `throw`, ...). */
  | { readonly kind: "tail"; readonly instr: Instr };

export interface WasmBlock {
  /** Straight-line instructions: no block, loop, if, else, end, br*, return or try. */
  readonly code: readonly Instr[];
  readonly term: Terminator;
}

export interface WasmCfg extends BlockGraph {
  readonly blocks: readonly WasmBlock[];
  /** Every local's type: the parameters, the body's declared locals, then the locals the builder added. */
  readonly localTypes: readonly ValType[];
  /** How many of `localTypes` are parameters. */
  readonly paramCount: number;
  /** The function's result types. */
  readonly results: readonly ValType[];
  /**
   * Sets of blocks the partition should keep in one piece when they fit (each
   * table of the lowest level of a split `br_table` with its cases:
   * split-tables.ts), first block first. A hint for the cost, not for correctness.
   */
  readonly together?: readonly (readonly number[])[];
  /** Dispatch blocks whose table the linker writes as one `return_call_indirect` (indirect-dispatch.ts). */
  readonly indirect?: readonly IndirectDispatch[];
}

/** The blocks a terminator continues at, in order (duplicates kept). */
export function terminatorTargets(t: Terminator): readonly number[] {
  switch (t.kind) {
    case "goto":
      return [t.target];
    case "if":
      return [t.then, t.else];
    case "table":
      return [...t.targets, t.default];
    default:
      return [];
  }
}
