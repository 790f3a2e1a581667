/**
 * `megasplit split module.wasm -o out.wasm [--max-size N] [--json] [--strict]`:
 * splits every function body over the limit (src/wasm/split/split-module.ts) and
 * writes the module atomically. Reported as for class files: each refusal a
 * warning (W_SPLIT_REFUSED, located at the function), `--verbose` a line per
 * function over the limit, one summary line; `--json` the whole report on stdout.
 * No mapping is written: a split function keeps its index and name, and its pieces
 * are named `<name>$split$<n>` in the name section.
 *
 * The default limit for a module is {@link WASM_DEFAULT_MAX_SIZE} (64 KB, chosen with
 * bench/wasm).
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ErrorCodes, fail, MegasplitError, warning } from "../diagnostics.js";
import { ENGINE_BODY_LIMIT } from "../wasm/function-sizes.js";
import { splitWasmModule, type WasmFunctionReport } from "../wasm/split/split-module.js";
import { checkOutputPaths } from "./paths.js";
import { type Reporter, usageError } from "./report.js";
import { stage } from "./staged.js";
import { formatBytes, formatDuration, plural } from "./style.js";

/**
 * Bytes of function body. Chosen with bench/wasm (BENCHMARKS.md, "bench/wasm"): pieces
 * of up to 64 KB are each compiled by TurboFan in tens of milliseconds (its compile
 * time turns superlinear past about 256 KB), and among 16, 64 and 256 KB it gave the
 * interpreter-shaped function its best steady state with a first call still 1.8-3x
 * faster than unsplit.
 */
export const WASM_DEFAULT_MAX_SIZE = 65_536;

export interface WasmSplitCommandOptions {
  output: string;
  maxSize?: number;
  inPlace?: boolean;
  strict?: boolean;
  json?: boolean;
}

function where(f: WasmFunctionReport): string {
  return `func ${f.index}${f.name === undefined ? "" : ` ${f.name}`}`;
}

function describe(f: WasmFunctionReport): string {
  return f.refused === undefined ? `split ${where(f)}: ${f.size} bytes -> driver + ${plural(f.pieces, "piece")}` : `refused ${where(f)} (${f.size} bytes): ${f.refused}`;
}

export async function splitWasmCommand(input: string, opts: WasmSplitCommandOptions, r: Reporter): Promise<number> {
  const started = Date.now();
  const maxSize = opts.maxSize ?? WASM_DEFAULT_MAX_SIZE;
  if (maxSize > ENGINE_BODY_LIMIT) throw usageError(`--max-size must be an integer from 64 to ${ENGINE_BODY_LIMIT} for a .wasm module (the engines' function body limit)`);
  if (/\.(jar|zip|class)$|[/\\]$/i.test(opts.output) || (existsSync(opts.output) && statSync(opts.output).isDirectory())) {
    throw usageError(`-o ${opts.output}: the input is a WebAssembly module, written back as one module file (not a jar, class or directory); name the output .wasm`);
  }
  checkOutputPaths(input, opts.output, `${opts.output}.mapping`, opts.inPlace ?? false);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(input));
  } catch (e) {
    fail(ErrorCodes.IO, `cannot read input: ${(e as Error).message}`, { bundle: input });
  }
  let result;
  try {
    result = splitWasmModule(bytes, { maxSize });
  } catch (e) {
    throw e instanceof MegasplitError ? e.within({ bundle: input }) : e;
  }
  const refused = result.functions.filter((f) => f.refused !== undefined);
  for (const f of refused) r.diagnostic(warning(ErrorCodes.SPLIT_REFUSED, `left unchanged (${f.size} bytes): ${f.refused}`, { bundle: input, method: where(f) }));
  try {
    const staged = await stage(opts.output, result.bytes);
    await staged.commit();
  } catch (e) {
    fail(ErrorCodes.IO, `cannot write: ${e instanceof Error ? e.message : String(e)}`, { bundle: opts.output });
  }
  const split = result.functions.filter((f) => f.refused === undefined);
  const pieces = split.reduce((n, f) => n + f.pieces, 0);
  const elapsed = Date.now() - started;
  if (opts.json) {
    const report = {
      input,
      output: opts.output,
      maxSize,
      functions: result.functions.map((f) => ({ ...f, status: f.refused === undefined ? "split" : "refused" })),
      summary: { split: split.length, pieces, refused: refused.length, bytesBefore: bytes.length, bytesAfter: result.bytes.length, milliseconds: elapsed },
      diagnostics: r.diagnostics,
    };
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else {
    if (r.options.verbose) for (const f of result.functions) process.stdout.write(describe(f) + "\n");
    if (!r.options.quiet) {
      const c = r.out;
      const refusedText = refused.length === 0 ? "none refused" : plural(refused.length, "refusal");
      const growth = bytes.length > 0 ? ` (${result.bytes.length >= bytes.length ? "+" : ""}${(((result.bytes.length - bytes.length) / bytes.length) * 100).toFixed(1)}%)` : "";
      process.stdout.write(
        `${c.bold(plural(split.length, "function"))} split into ${plural(pieces, "piece")}, ${refused.length ? c.yellow(refusedText) : refusedText}; ` +
          `module bytes ${formatBytes(bytes.length)} -> ${formatBytes(result.bytes.length)}${growth}; ${formatDuration(elapsed)}\n` +
          `wrote ${opts.output}\n`,
      );
    }
  }
  return r.finish({ what: "see the errors above", refused: refused.length, strict: opts.strict ?? false });
}
