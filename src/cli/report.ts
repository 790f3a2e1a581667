/**
 * How the CLI talks to a person: diagnostics on stderr, one line each with code
 * and location, each reported once however many layers saw it; coloured only when
 * stderr is a terminal (`style.ts`); warnings hidden by `--quiet`, notes shown only
 * with `--verbose`; every diagnostic also kept for `--json` output. The exit
 * status follows `exit-codes.ts`: 1 when an error was reported, 2 for a usage
 * error (E_USAGE), 3 for a bug, 4 with `--strict` when a method was refused.
 * Bad input never prints a stack trace; only an internal bug does.
 */
import type { ChalkInstance } from "chalk";
import { type Diagnostic, ErrorCodes, formatLocation, INTERNAL_ERROR_CODE, MegasplitError } from "../diagnostics.js";
import { ExitCode } from "./exit-codes.js";
import { colourFor, plural } from "./style.js";

export interface ReporterOptions {
  quiet?: boolean;
  verbose?: boolean;
  /** false with `--no-color`. */
  color?: boolean;
}

export class Reporter {
  errors = 0;
  warnings = 0;
  /** Every distinct diagnostic, in the order reported (for `--json`). */
  readonly diagnostics: Diagnostic[] = [];
  /** Colours for stderr and stdout, decided per stream. */
  readonly err: ChalkInstance;
  readonly out: ChalkInstance;
  private readonly seen = new Set<string>();
  private usage = false;

  constructor(readonly options: ReporterOptions = {}) {
    this.err = colourFor("stderr", options);
    this.out = colourFor("stdout", options);
  }

  diagnostic(d: Diagnostic): void {
    const where = formatLocation(d.location);
    const key = `${d.severity} ${d.code} ${d.message} ${where}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
    if (d.severity === "error") this.errors++;
    else this.warnings++;
    if (d.code === ErrorCodes.USAGE) this.usage = true;
    if (d.severity === "warning" && this.options.quiet) return;
    const c = this.err;
    const head = d.severity === "error" ? c.red(`error ${d.code}`) : c.yellow(`warning ${d.code}`);
    process.stderr.write(`${head}: ${d.message}${where ? c.dim(` [${where}]`) : ""}\n`);
  }

  all(ds: readonly Diagnostic[]): void {
    for (const d of ds) this.diagnostic(d);
  }

  /** A line shown only with `--verbose` (what was decided, and why). */
  note(text: string): void {
    if (this.options.verbose && !this.options.quiet) process.stderr.write(`${this.err.dim("note:")} ${text}\n`);
  }

  /**
   * Prints the closing line when something went wrong and returns the exit status.
   * `refused` methods count only with `strict`.
   */
  finish(outcome: { what?: string; refused?: number; strict?: boolean } = {}): number {
    if (this.usage) return ExitCode.USAGE;
    if (this.errors > 0) {
      const tail = this.warnings ? `, ${plural(this.warnings, "warning")}` : "";
      process.stderr.write(this.err.red(plural(this.errors, "error")) + `${tail}${outcome.what ? `: ${outcome.what}` : ""}\n`);
      return ExitCode.INPUT;
    }
    if (outcome.strict && (outcome.refused ?? 0) > 0) {
      process.stderr.write(this.err.red(`${plural(outcome.refused!, "method")} refused`) + " (--strict)\n");
      return ExitCode.REFUSED;
    }
    return ExitCode.OK;
  }
}

/** One usage error: code E_USAGE, exit status 2, nothing read or written. */
export function usageError(message: string): MegasplitError {
  return new MegasplitError(ErrorCodes.USAGE, message);
}

/**
 * Runs a command action: bad input becomes a diagnostic and exit status 1, a usage
 * error exit status 2, never a stack trace; anything else is a bug (exit status 3).
 */
export async function runAction(options: ReporterOptions, action: (r: Reporter) => Promise<number | void>): Promise<void> {
  const r = new Reporter(options);
  let code: number;
  try {
    code = (await action(r)) ?? r.finish();
  } catch (e) {
    if (e instanceof MegasplitError) {
      r.diagnostic(e.diagnostic);
      code = r.finish();
    } else {
      // A bug (InternalError, code E_INTERNAL, or anything else thrown): never a refusal, never exit 0 or 1.
      process.stderr.write(r.err.red(`error ${INTERNAL_ERROR_CODE}: internal error (a bug in megasplit, please report it):\n`));
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = ExitCode.INTERNAL;
    }
  }
  process.exitCode = code;
}
