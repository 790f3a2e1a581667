/**
 * bench/wasm/workload.ts: what a generator of bench/wasm returns: one huge
 * function body (exported as `run`, type `(i32) -> i32`), the memory contents it
 * reads if any, and a JS reference implementation of the same program, so a test
 * or the benchmark can check what the engine computed against an independent
 * oracle.
 */
export type WorkloadShape = "interpreter" | "straight-line";

export interface Workload {
  readonly shape: WorkloadShape;
  /** The function body: local declarations, instructions, final `end` (what V8's function size limit counts). */
  readonly body: Uint8Array;
  /** Memory contents at address 0, when the function reads memory. */
  readonly data?: Uint8Array;
  /** What `run(arg)` returns, computed in JS from the same program. */
  readonly reference: (arg: number) => number;
  /** One line on how the body is made (cases, statements). */
  readonly describe: string;
}
