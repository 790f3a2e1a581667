/**
 * `megasplit split <input> -o <output> [--max-size N] [--link MODE] [--classpath
 * PATHS] [--mapping FILE] [--in-place] [--strict] [--json] [--threads N]`: rewrites every method
 * over the limit in a class file, directory or jar and writes the result and its
 * mapping (`<output>.mapping` unless --mapping says otherwise).
 *
 * Nothing lost, nothing invented: the output paths are checked before anything is
 * read (`paths.ts`); an input that is not what it claims is an error; when nothing
 * usable was read nothing is written; a class that cannot be read is reported once
 * and left out of the output (every class written is one the JVM can load); the
 * mapping is staged first and committed only once the bundle is written, so a
 * failed write leaves neither. The jar's manifest Class-Path joins the classpath.
 *
 * People get a progress line on a terminal, each refusal as a warning with a code
 * per reason, and one summary; `--verbose` adds a line per method; `--json` prints
 * the whole report, diagnostics and refusal payloads included, on stdout.
 * A WebAssembly module (recognised by its magic) goes to split-wasm.ts.
 *
 * Speed: classes with no method over the limit are copied after a fast scan, and
 * several threads split when there is enough to split (`--threads`, default one
 * per two cores, `split-threads.ts`; the output is the same for any number;
 * `splitBundle` decides). Below the
 * default limit, for an input of a megabyte or more, the workers start before it
 * is read, so that their start overlaps the read.
 */
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { delimiter } from "node:path";
import { type Bundle, isClassEntry, isDirectoryEntry } from "../bundle/bundle.js";
import { manifestClassPath } from "../bundle/manifest.js";
import { readBundle } from "../bundle/read.js";
import { writeBundle } from "../bundle/write.js";
import { ErrorCodes, fail, MegasplitError } from "../diagnostics.js";
import type { StartedWorkers } from "../bundle/job-pool.js";
import { splitBundle, type BundleMethodReport } from "../split/split-bundle.js";
import { startSplitWorkers } from "../split/split-job.js";
import type { SplitLinkMode } from "../split/split-method.js";
import { checkOutputPaths, keepPreviousMapping } from "./paths.js";
import { Progress } from "./progress.js";
import { defaultSplitThreads } from "./split-threads.js";
import { refusalDiagnostic, refusalOf } from "./refusals.js";
import { type Reporter, usageError } from "./report.js";
import { isWasmFile } from "./wasm-magic.js";
import { stage } from "./staged.js";
import { formatBytes, formatDuration, plural } from "./style.js";

export interface SplitCommandOptions {
  output: string;
  /** Default: 8000 for class files, `WASM_DEFAULT_MAX_SIZE` (split-wasm.ts) for a WebAssembly module. */
  maxSize?: number;
  link: SplitLinkMode;
  classpath?: string;
  mapping?: string;
  inPlace?: boolean;
  strict?: boolean;
  json?: boolean;
  /** Threads splitting classes, this one included (default: one per two cores, `defaultSplitThreads`; the split uses them only when there is enough to split). */
  threads?: number;
}

function describe(r: BundleMethodReport): string {
  const where = `${r.className}.${r.method}`;
  if (r.result.kind === "refused") return `refused ${where} (${r.originalLength} bytes): ${r.result.reason}`;
  const s = r.result;
  const largest = Math.max(s.driverLength, ...s.pieces.map((p) => p.codeLength));
  return (
    `split ${where}: ${r.originalLength} bytes -> driver ${s.driverLength} + ${plural(s.pieces.length, "piece")} ` +
    `(largest ${largest}), ${plural(s.crossEdges, "cross-piece edge")}, code +${(s.overhead * 100).toFixed(1)}%, values as ${[...new Set(s.handover)].join(" and ")}` +
    (r.pieceClass ? `, pieces in ${r.pieceClass}` : "")
  );
}

function classBytes(b: Bundle): number {
  return b.entries.reduce((n, e) => n + (isClassEntry(e) ? e.data.length : 0), 0);
}

function outputKind(output: string, bundle: Bundle): Bundle["kind"] {
  if (/\.(jar|zip)$/i.test(output)) return "jar";
  if (bundle.kind === "class" && !/\/$/.test(output)) return "class";
  return bundle.kind === "jar" ? "jar" : "directory";
}

export async function splitCommand(input: string, opts: SplitCommandOptions, r: Reporter): Promise<number> {
  // The WebAssembly splitter is loaded only for a module (a jar split needs none of it).
  if (await isWasmFile(input)) return (await import("./split-wasm.js")).splitWasmCommand(input, opts, r);
  if (opts.maxSize !== undefined && opts.maxSize > 65535) throw usageError("--max-size must be an integer from 64 to 65535 for class files (a .wasm module allows more)");
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const startedAt = Date.now();
  const mappingPath = opts.mapping ?? `${opts.output}.mapping`;
  checkOutputPaths(input, opts.output, mappingPath, opts.inPlace ?? false);
  // This thread and, by default, one more per two cores (split-threads.ts; the output does not depend on it).
  const workers = (opts.threads ?? defaultSplitThreads()) - 1;
  // A large input split below the default limit: the workers start (and import the
  // splitter) while it is read. At the default limit few methods are over it, so
  // splitBundle mostly runs in this thread alone and workers started ahead would
  // only be ended (jython.jar: 19 classes, 240 KB of code over 8000); it starts any
  // it needs once it has scanned the classes.
  const early = workers > 0 && maxSize < DEFAULT_MAX_SIZE && (await fileSize(input)) >= EARLY_WORKERS_MIN_BYTES ? startSplitWorkers(workers) : undefined;
  try {
    return await readSplitWrite(input, opts, { maxSize, mappingPath, startedAt, workers, early }, r);
  } finally {
    await early?.close();
  }
}

/** HotSpot's JIT limit: methods longer than this are interpreted. */
const DEFAULT_MAX_SIZE = 8000;

/** Inputs from this size on start their split workers before they are read (below the default limit). */
const EARLY_WORKERS_MIN_BYTES = 1 << 20;

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // a directory or an unreadable path: readBundle tells which
  }
}

/** What `splitCommand` settled before reading. */
interface SplitPlan {
  maxSize: number;
  mappingPath: string;
  startedAt: number;
  /** Worker threads besides this one. */
  workers: number;
  /** Those workers, when started ahead. */
  early: StartedWorkers | undefined;
}

async function readSplitWrite(input: string, opts: SplitCommandOptions, plan: SplitPlan, r: Reporter): Promise<number> {
  const { maxSize, mappingPath, startedAt: started } = plan;
  const { bundle, diagnostics } = await readBundle(input);
  r.all(diagnostics);
  if (!bundle.entries.some((e) => !isDirectoryEntry(e))) {
    if (r.errors > 0) return r.finish({ what: `nothing could be read from ${input}; nothing was written` });
    fail(ErrorCodes.INPUT_FORMAT, "the input holds no files; nothing was written", { bundle: input });
  }

  const classpath = opts.classpath ? opts.classpath.split(delimiter).filter(Boolean) : [];
  if (bundle.kind === "jar") {
    for (const p of manifestClassPath(bundle, input)) {
      if (existsSync(p)) {
        classpath.push(p);
        r.note(`classpath: ${p} (from the manifest's Class-Path)`);
      } else r.note(`classpath: ${p} named by the manifest's Class-Path does not exist; not used`);
    }
  }

  const progress = Progress.forStderr({ quiet: r.options.quiet ?? false, json: opts.json ?? false });
  let result;
  try {
    result = await splitBundle(bundle, {
      maxSize,
      link: opts.link,
      ...(classpath.length > 0 ? { classpath } : {}),
      name: input,
      onEntry: (done, total, split) => progress.update({ done, total, split }),
      workers: plan.workers,
      ...(plan.early ? { started: plan.early } : {}),
      deflateAhead: outputKind(opts.output, bundle) === "jar",
    });
  } finally {
    progress.done();
  }
  r.all(result.diagnostics);
  if (result.unreadable.length > 0) {
    r.note(`${plural(result.unreadable.length, "class")} that could not be read ${result.unreadable.length === 1 ? "is" : "are"} left out of the output`);
  }
  const refusals = result.reports.filter((x) => x.result.kind === "refused");
  for (const rep of refusals) r.diagnostic(refusalDiagnostic(rep, input));
  if (!result.bundle.entries.some((e) => !isDirectoryEntry(e))) {
    return r.finish({ what: `nothing usable was read from ${input}; nothing was written` });
  }

  // Write: mapping staged, bundle written atomically, then the mapping committed.
  const keepOld = opts.inPlace && result.mapping.isEmpty && existsSync(mappingPath);
  const mapping = keepOld ? undefined : await stageOrFail(mappingPath, new TextEncoder().encode(result.mapping.toString()));
  let previous: string | undefined;
  try {
    await writeBundle(result.bundle, opts.output, { kind: outputKind(opts.output, bundle) });
    if (mapping) {
      if (opts.inPlace) previous = await keepPreviousMapping(mappingPath);
      await mapping.commit();
    }
  } catch (e) {
    await mapping?.abort();
    if (e instanceof MegasplitError) throw e;
    fail(ErrorCodes.IO, `cannot write: ${e instanceof Error ? e.message : String(e)}`, { bundle: opts.output });
  }
  if (previous) r.note(`the previous mapping was kept as ${previous}; retrace older traces with it`);

  const split = result.reports.filter((x) => x.result.kind === "split");
  const pieces = split.reduce((n, x) => n + (x.result.kind === "split" ? x.result.pieces.length : 0), 0);
  const before = classBytes(bundle);
  const after = classBytes(result.bundle);
  const byCode = new Map<string, number>();
  for (const rep of refusals) {
    const code = refusalOf(rep).code;
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const elapsed = Date.now() - started;
  if (opts.json) {
    const report = {
      input,
      output: opts.output,
      mapping: keepOld ? null : mappingPath,
      ...(previous ? { previousMapping: previous } : {}),
      maxSize,
      link: opts.link,
      methods: result.reports.map((x) =>
        x.result.kind === "split"
          ? {
              entry: x.entry,
              className: x.className,
              method: x.method,
              status: "split",
              originalLength: x.originalLength,
              driverLength: x.result.driverLength,
              pieces: x.result.pieces.map((p) => ({ name: p.name, descriptor: p.descriptor, length: p.codeLength })),
              crossEdges: x.result.crossEdges,
              handover: x.result.handover,
              ...(x.pieceClass ? { pieceClass: x.pieceClass } : {}),
              overhead: x.result.overhead,
            }
          : { entry: x.entry, className: x.className, method: x.method, status: "refused", originalLength: x.originalLength, ...refusalOf(x) },
      ),
      unreadable: result.unreadable,
      summary: { split: split.length, pieces, refused: refusals.length, refusedByCode: Object.fromEntries(byCode), classBytesBefore: before, classBytesAfter: after, milliseconds: elapsed },
      diagnostics: r.diagnostics,
    };
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else {
    if (r.options.verbose) for (const rep of result.reports) process.stdout.write(describe(rep) + "\n");
    if (!r.options.quiet) {
      const c = r.out;
      const refusedText = refusals.length === 0 ? "none refused" : `${plural(refusals.length, "refusal")} (${[...byCode].map(([code, n]) => `${n} ${code}`).join(", ")})`;
      const growth = before > 0 ? ` (${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(1)}%)` : "";
      process.stdout.write(
        `${c.bold(plural(split.length, "method"))} split into ${plural(pieces, "piece")}, ${refusals.length ? c.yellow(refusedText) : refusedText}; ` +
          `class bytes ${formatBytes(before)} -> ${formatBytes(after)}${growth}; ${formatDuration(elapsed)}\n` +
          `wrote ${opts.output}${keepOld ? ` (the mapping ${mappingPath} was kept: nothing new to map)` : ` and ${mappingPath}`}\n`,
      );
    }
  }
  return r.finish({ what: "see the errors above", refused: refusals.length, strict: opts.strict ?? false });
}

async function stageOrFail(path: string, data: Uint8Array) {
  try {
    return await stage(path, data);
  } catch (e) {
    fail(ErrorCodes.IO, `cannot write the mapping: ${e instanceof Error ? e.message : String(e)}`, { bundle: path });
  }
}
