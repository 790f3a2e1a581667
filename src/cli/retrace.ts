/**
 * `megasplit retrace <mapping> [trace-file] [-m <mapping>]... [--verbose]`: rewrites a
 * stack trace of split code into the original program's trace with R8-format mapping
 * files (runtime/retrace). The first argument is a mapping file, as for R8's
 * `retrace`; `-m/--mapping` adds more (several splits, several jars), read after it in
 * order. The trace is read from the file, or from standard input when none is given,
 * as a stream, and written to standard output. A mapping that cannot be read is
 * E_MAPPING_SYNTAX (or E_IO) with its file and line, and nothing is retraced.
 */
import { createReadStream } from "node:fs";
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { loadMappings, retraceStream } from "../../runtime/retrace/index.js";
import type { Reporter } from "./report.js";

export interface RetraceCommandOptions {
  mapping?: string[];
  verbose?: boolean;
}

export async function retraceCommand(mapping: string, traceFile: string | undefined, opts: RetraceCommandOptions, r: Reporter): Promise<number> {
  const { index, warnings } = loadMappings([mapping, ...(opts.mapping ?? [])]);
  r.all(warnings);
  let input: AsyncIterable<string | Buffer> = process.stdin;
  if (traceFile !== undefined) {
    const stream = createReadStream(traceFile);
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", (e) => reject(new MegasplitError(ErrorCodes.IO, `cannot read trace: ${e.message}`, { bundle: traceFile })));
    });
    input = stream;
  }
  await retraceStream(index, input, process.stdout, { verbose: opts.verbose ?? false });
  return r.finish();
}
