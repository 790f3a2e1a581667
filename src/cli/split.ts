/**
 * `megasplit split <input> -o <output> [--max-size N] [--link MODE] [--classpath PATHS]
 * [--mapping FILE] [--json] [--threads N]`: rewrites every method over the limit in a class file,
 * directory or jar, writes the output atomically and the mapping file next to it
 * (`<output>.mapping` unless --mapping says otherwise), and prints per method the
 * pieces, cross-piece edges and code-size overhead, or why it was left unchanged.
 */
import { availableParallelism } from "node:os";
import { delimiter } from "node:path";
import { writeFileAtomic } from "../bundle/atomic.js";
import { readBundle } from "../bundle/read.js";
import { writeBundle } from "../bundle/write.js";
import { ErrorCodes, MegasplitError, warning } from "../diagnostics.js";
import { splitBundle, type BundleMethodReport } from "../split/split-bundle.js";
import { isLinkModeName, LINK_MODE_NAMES } from "../../passes/link/modes.js";
import type { Reporter } from "./report.js";

export interface SplitCommandOptions {
  output: string;
  maxSize: number;
  link: string;
  classpath?: string;
  mapping?: string;
  json?: boolean;
  /** Threads splitting classes, this one included (default: one per core). */
  threads?: number;
}

function describe(r: BundleMethodReport): string {
  const where = `${r.className}.${r.method}`;
  if (r.result.kind === "refused") return `refused ${where} (${r.originalLength} bytes): ${r.result.reason}`;
  const s = r.result;
  const largest = Math.max(s.driverLength, ...s.pieces.map((p) => p.codeLength));
  return (
    `split ${where}: ${r.originalLength} bytes -> driver ${s.driverLength} + ${s.pieces.length} pieces ` +
    `(largest ${largest}), ${s.crossEdges} cross-piece edges, code +${(s.overhead * 100).toFixed(1)}%, values as ${[...new Set(s.handover)].join(" and ")}` +
    (r.pieceClass ? `, pieces in ${r.pieceClass}` : "")
  );
}

export async function splitCommand(input: string, opts: SplitCommandOptions, r: Reporter): Promise<number> {
  const link = opts.link;
  if (!isLinkModeName(link)) {
    throw new MegasplitError(ErrorCodes.USAGE, `--link must be one of ${LINK_MODE_NAMES.join(", ")}`);
  }
  const { bundle, diagnostics } = await readBundle(input);
  r.all(diagnostics);
  const result = await splitBundle(bundle, {
    maxSize: opts.maxSize,
    link,
    ...(opts.classpath ? { classpath: opts.classpath.split(delimiter).filter(Boolean) } : {}),
    name: input,
    // Every core splits: this thread and one worker per other core (the output does not depend on it).
    workers: (opts.threads ?? availableParallelism()) - 1,
  });
  r.all(result.diagnostics);
  for (const rep of result.reports) {
    if (rep.result.kind === "refused") {
      r.diagnostic(warning(ErrorCodes.SPLIT_REFUSED, rep.result.reason, { bundle: input, entry: rep.entry, className: rep.className, method: rep.method, ...(rep.result.pc !== undefined ? { pc: rep.result.pc } : {}) }));
    }
  }
  const kind = /\.(jar|zip)$/i.test(opts.output) ? "jar" : bundle.kind === "class" && !/\/$/.test(opts.output) ? "class" : bundle.kind === "jar" ? "jar" : "directory";
  await writeBundle(result.bundle, opts.output, { kind });
  const mappingPath = opts.mapping ?? `${opts.output}.mapping`;
  await writeFileAtomic(mappingPath, new TextEncoder().encode(result.mapping.toString()));
  const split = result.reports.filter((x) => x.result.kind === "split");
  const refused = result.reports.length - split.length;
  if (opts.json) {
    process.stdout.write(
      JSON.stringify(
        {
          input,
          output: opts.output,
          mapping: mappingPath,
          maxSize: opts.maxSize,
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
              : { entry: x.entry, className: x.className, method: x.method, status: "refused", originalLength: x.originalLength, reason: x.result.reason },
          ),
          split: split.length,
          refused,
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    for (const rep of result.reports) process.stdout.write(describe(rep) + "\n");
    process.stdout.write(`${split.length} methods split, ${refused} left unchanged; wrote ${opts.output} and ${mappingPath}\n`);
  }
  return r.finish("input");
}
