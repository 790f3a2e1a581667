/**
 * WebAssembly inputs of `megasplit inspect` and `disasm`: a file is taken as a
 * module when it starts with the magic `\0asm` (`isWasmFile`, wasm-magic.ts),
 * then read with src/wasm/read-module.ts. Prints what each command shows for a
 * module: the function bodies above a size, largest first, or the module in the
 * text format (flat form, see src/wasm/print-module.ts).
 */
import { readFile } from "node:fs/promises";
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { ENGINE_BODY_LIMIT, functionSizes } from "../wasm/function-sizes.js";
import { readModule } from "../wasm/read-module.js";
import type { WasmModule } from "../wasm/module.js";

export { isWasmFile } from "./wasm-magic.js";

/** Reads a module; its errors carry the path as their bundle. */
export async function readWasmFile(path: string): Promise<WasmModule> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new MegasplitError(ErrorCodes.IO, `cannot read input: ${(e as Error).message}`, { bundle: path });
  }
  try {
    return readModule(bytes);
  } catch (e) {
    throw e instanceof MegasplitError ? e.within({ bundle: path }) : e;
  }
}

export interface WasmInspection {
  readonly module: string;
  readonly limit: number;
  readonly functions: number;
  readonly overLimit: ReturnType<typeof functionSizes>;
  readonly overEngineLimit: number;
}

export function inspectWasm(path: string, m: WasmModule, limit: number): WasmInspection {
  const sizes = functionSizes(m);
  return {
    module: path,
    limit,
    functions: sizes.length,
    overLimit: sizes.filter((s) => s.size > limit),
    overEngineLimit: sizes.filter((s) => s.size > ENGINE_BODY_LIMIT).length,
  };
}

export function formatWasmInspection(w: WasmInspection): string {
  const lines = [`${w.module}: ${w.functions} function bodies, ${w.overLimit.length} over ${w.limit} bytes, ${w.overEngineLimit} over the engines' ${ENGINE_BODY_LIMIT}`];
  for (const f of w.overLimit) lines.push(`${String(f.size).padStart(10)}  func ${f.index}${f.name === undefined ? "" : ` ${f.name}`}`);
  return lines.join("\n");
}
