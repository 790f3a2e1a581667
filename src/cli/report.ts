/**
 * How the CLI talks to a person: diagnostics on stderr, coloured when stderr is a
 * terminal (chalk decides), one line each with code and location; a summary of
 * what was skipped; and the exit code (1 when any error was reported).
 * Bad input never prints a stack trace; only an internal bug does.
 */
import chalk from "chalk";
import { type Diagnostic, formatLocation, INTERNAL_ERROR_CODE, MegasplitError } from "../diagnostics.js";

export class Reporter {
  errors = 0;
  warnings = 0;

  diagnostic(d: Diagnostic): void {
    const where = formatLocation(d.location);
    const head = d.severity === "error" ? chalk.red(`error ${d.code}`) : chalk.yellow(`warning ${d.code}`);
    process.stderr.write(`${head}: ${d.message}${where ? chalk.dim(` [${where}]`) : ""}\n`);
    if (d.severity === "error") this.errors++;
    else this.warnings++;
  }

  all(ds: readonly Diagnostic[]): void {
    for (const d of ds) this.diagnostic(d);
  }

  /** Prints the summary line and returns the process exit code. */
  finish(what = "input"): number {
    if (this.errors > 0) {
      process.stderr.write(chalk.red(`${this.errors} error(s)`) + `${this.warnings ? `, ${this.warnings} warning(s)` : ""}: some ${what} was skipped\n`);
      return 1;
    }
    return 0;
  }
}

/** Runs a command action: bad input becomes a diagnostic and exit code 1, never a stack trace. */
export async function runAction(action: (r: Reporter) => Promise<number | void>): Promise<void> {
  const r = new Reporter();
  let code: number;
  try {
    code = (await action(r)) ?? r.finish();
  } catch (e) {
    if (e instanceof MegasplitError) {
      r.diagnostic(e.diagnostic);
      code = r.finish();
    } else {
      process.stderr.write(chalk.red(`error ${INTERNAL_ERROR_CODE}: internal error (a bug in megasplit, please report it):\n`));
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 70;
    }
  }
  process.exitCode = code;
}
