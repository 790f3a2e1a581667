/**
 * bench/wasm/generate.ts: the huge-function generators of bench/wasm, for the
 * benchmark (bench/wasm/run.mjs) and the tests (test/wasm-generators.test.ts).
 * `generateModule(shape, bodySize)` gives a module with one exported function
 * `run: (i32) -> i32` whose body is `bodySize` bytes (within one statement), built
 * with our codec, never through the text format, and the JS reference of what
 * `run` returns. Shapes: `interpreter` (bench/wasm/interpreter.ts: run(steps)) and
 * `straight-line` (bench/wasm/straight-line.ts: run(seed)). The same arguments
 * always give the same bytes. The option `reach` (interpreter only) limits the
 * program to that many handlers; the function body stays the same bytes.
 *
 * V8 refuses a function body over 7,654,321 bytes (`V8_MAX_FUNCTION_BODY`) with
 * "size N > maximum function size 7654321"; `OVER_V8_LIMIT` is a size past it
 * (and past 8 MiB).
 *
 *   node --import tsx bench/wasm/generate.ts OUT.wasm interpreter|straight-line BYTES [SEED [REACH]]
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { interpreterWorkload } from "./interpreter.js";
import { oneFunctionModule } from "./one-function-module.js";
import { straightLineWorkload } from "./straight-line.js";
import type { Workload, WorkloadShape } from "./workload.js";

export type { Workload, WorkloadShape } from "./workload.js";

export const SHAPES: readonly WorkloadShape[] = ["interpreter", "straight-line"];
export const V8_MAX_FUNCTION_BODY = 7_654_321;
export const OVER_V8_LIMIT = 8_500_000;

export interface GeneratedModule extends Workload {
  /** The whole module. */
  readonly bytes: Uint8Array;
  /** Size of the function body in bytes (what V8's limit counts). */
  readonly bodySize: number;
}

export interface GenerateOptions {
  /** Interpreter: how many distinct handlers the program runs (the hottest ones); default all. */
  readonly reach?: number;
}

export function generateModule(shape: WorkloadShape, bodySize: number, seed = 14, options: GenerateOptions = {}): GeneratedModule {
  if (options.reach !== undefined && shape !== "interpreter") throw new RangeError(`reach applies to the interpreter shape, not ${shape}`);
  const w = shape === "interpreter" ? interpreterWorkload(bodySize, seed, options.reach) : straightLineWorkload(bodySize, seed);
  return { ...w, bytes: oneFunctionModule({ body: w.body, data: w.data }), bodySize: w.body.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [out, shape, size, seed, reach] = process.argv.slice(2);
  if (!out || !SHAPES.includes(shape as WorkloadShape) || !(Number(size) > 0)) {
    console.error("usage: node --import tsx bench/wasm/generate.ts OUT.wasm interpreter|straight-line BYTES [SEED [REACH]]");
    process.exit(2);
  }
  const m = generateModule(shape as WorkloadShape, Number(size), seed === undefined ? undefined : Number(seed), reach === undefined ? {} : { reach: Number(reach) });
  writeFileSync(out, m.bytes);
  console.log(`${out}: ${m.bytes.length} bytes, function body ${m.bodySize} bytes; ${m.describe}`);
}
