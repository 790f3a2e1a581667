#!/usr/bin/env node
/**
 * The `megasplit` command line: one subcommand per file under `src/cli/`, wired
 * here with commander. Every subcommand reports bad input as diagnostics with a
 * stable code and location, never with a stack trace. Every usage error, whether
 * commander finds it (an unknown option, a value out of range, a missing
 * argument) or a command does (`--link foo`, `-o` naming the input), takes one
 * path: `error E_USAGE: ...` on stderr, a pointer to `--help`, exit status 2.
 * Exit statuses: `exit-codes.ts`. Each subcommand's module is imported when that
 * command runs: a jar split does not load the WebAssembly splitter, the text
 * assembler or retrace (a third of the code; start-up is part of every run).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { LINK_MODE_NAMES, LINK_MODES } from "../../passes/link/modes.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AsmCommandOptions } from "./asm.js";
import { toleratePipeClosedEarly } from "./broken-pipe.js";
import { ExitCode } from "./exit-codes.js";
import { helpItem } from "./help-text.js";
import { Reporter, runAction, type ReporterOptions, usageError } from "./report.js";
import type { RetraceCommandOptions } from "./retrace.js";
import type { SplitCommandOptions } from "./split.js";
import { tuneV8ForCli } from "./v8-tuning.js";

tuneV8ForCli();
toleratePipeClosedEarly();

function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** The package version, from the nearest package.json above this file (src/ or dist/src/). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, "utf8")) as { version: string }).version;
    if (dirname(dir) === dir) return "unknown";
  }
}

const program = new Command()
  .name("megasplit")
  .description("Split over-sized JVM methods into size-limited pieces; inspect, disassemble and assemble class files.")
  .version(version())
  .option("-q, --quiet", "print errors only: no warnings, progress or summary")
  .option("-v, --verbose", "also print one line per method and notes on what was decided")
  .option("--no-color", "never colour output (also: NO_COLOR=1)")
  .addHelpText(
    "after",
    "\nExit status: 0 success, 1 unreadable or bad input (or a failed write), 2 usage error,\n3 internal error (a bug), 4 a method was refused under --strict. Codes: docs/errors.md.",
  )
  // Commander reports its own errors through the same path as ours (below).
  .exitOverride()
  .configureOutput({ outputError: () => {} });

/** The global options, as the reporter takes them. */
function reporting(): ReporterOptions {
  const o = program.opts<{ quiet?: boolean; verbose?: boolean; color: boolean }>();
  return { quiet: o.quiet ?? false, verbose: o.verbose ?? false, color: o.color };
}

program
  .command("inspect")
  .description("list every method above a size, largest first, with totals per bundle")
  .argument("<inputs...>", ".class files, directories, jars or WebAssembly modules (function bodies above the limit)")
  .option("--limit <bytes>", "list methods whose bytecode is longer than this", intOption("--limit", 0, 0xffffffff), 8000)
  .option("--json", "print the report as JSON")
  .action((inputs: string[], opts: { limit: number; json?: boolean }) => runAction(reporting(), async (r) => (await import("./inspect.js")).inspectCommand(inputs, opts, r)));

program
  .command("disasm")
  .description("print classes as text (Jasmin syntax, extended): constants resolved, labels, handlers, lines, locals, frames; a WebAssembly module in the text format (flat form)")
  .argument("<input>", "a .class file, directory, jar or .wasm module (recognised by its magic)")
  .option("--method <name>", "only methods with this name (or name+descriptor), and only the classes that have one")
  .option("--class <name>", "only this class (internal or dotted name)")
  .option("--pool", "also print the constant pool with its indices (exact round trips through asm)")
  .option("--frames", "show the inferred frame and the live locals at every basic block, as comments")
  .action((input: string, opts: { method?: string; class?: string; pool?: boolean; frames?: boolean }) => runAction(reporting(), async (r) => (await import("./disasm.js")).disasmCommand(input, opts, r)));

program
  .command("asm")
  .description("assemble text (Jasmin syntax, extended) into class files")
  .argument("<files...>", ".j files")
  .requiredOption("-o, --output <dir|jar>", "output directory, or a .jar/.zip file (required)")
  .option("--max-size <bytes>", "split every method longer than this as it is assembled (mapping: <output>.mapping)", intOption("--max-size", 64, 65535), 8000)
  .option("--no-split", "write every method as assembled, however long")
  .action((files: string[], opts: AsmCommandOptions) => runAction(reporting(), async (r) => (await import("./asm.js")).asmCommand(files, opts, r)));

program
  .command("split")
  .description("split every method over the size limit into pieces that keep the stack bounded")
  .argument("<input>", "a .class file, directory or jar, or a .wasm module (recognised by its magic)")
  .requiredOption("-o, --output <path>", "where to write the result: a .jar, a directory, a .class or a .wasm (required; not the input, unless --in-place)")
  .option("--max-size <bytes>", "largest method code length written (default 8000: HotSpot's JIT limit, at most 65535); for a .wasm module the largest function body (default 65536, at most 7654321)", intOption("--max-size", 64, 0xffffffff))
  .addOption(new Option("--link <mode>", "how pieces call each other (see Link modes below)").choices(LINK_MODE_NAMES).default("auto"))
  .option("--classpath <paths>", "jars and directories the input depends on, separated by the path delimiter (the jar's manifest Class-Path is added)")
  .option("--mapping <file>", "where to write the mapping (default: <output>.mapping)")
  .option("--in-place", "allow -o to name the input; the previous mapping is kept beside the new one")
  .option("--strict", "exit with status 4 when a method over the limit is refused")
  .option("--json", "print the report, diagnostics included, as JSON on stdout")
  .option("--threads <n>", "threads that split classes, this one included (default: one per two cores, when over a megabyte of code is to be split; the output is the same for any number)", intOption("--threads", 1, 64))
  .addHelpText("after", `\nLink modes (--link):\n${LINK_MODES.map((m) => helpItem(m.name, m.description)).join("\n")}`)
  .action((input: string, opts: SplitCommandOptions) => runAction(reporting(), async (r) => (await import("./split.js")).splitCommand(input, opts, r)));

program
  .command("retrace")
  .description("rewrite a stack trace of split code into the original program's trace (R8 mapping format 2.2)")
  .argument("<mapping>", "a mapping file written by split (or by R8/ProGuard)")
  .argument("[trace-file]", "the stack trace or log to retrace (default: standard input)")
  .option("-m, --mapping <file>", "one more mapping file, read after the first (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
  .option("--verbose", "show return and argument types of retraced methods")
  // `-v/--verbose` before or after the command: program options are read anywhere.
  .action((mapping: string, traceFile: string | undefined, opts: RetraceCommandOptions) =>
    runAction(reporting(), async (r) => (await import("./retrace.js")).retraceCommand(mapping, traceFile, { ...opts, verbose: (opts.verbose ?? false) || (reporting().verbose ?? false) }, r)),
  );

/** The subcommand named on the command line, for the `--help` pointer. */
function commandNamed(): string | undefined {
  const names = new Set(program.commands.map((c) => c.name()));
  return process.argv.slice(2).find((a) => names.has(a));
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  if (e.code === "commander.helpDisplayed" || e.code === "commander.version") {
    process.exitCode = ExitCode.OK;
  } else if (e.code === "commander.help" || e.code === "commander.executeSubCommandAsync") {
    // `megasplit` with no command: commander printed the help on stderr.
    process.exitCode = ExitCode.USAGE;
  } else {
    const r = new Reporter(reporting());
    const cmd = commandNamed();
    r.diagnostic(usageError(`${e.message.replace(/^error: /, "")} (see: megasplit ${cmd ? `${cmd} ` : ""}--help)`).diagnostic);
    process.exitCode = r.finish();
  }
}
