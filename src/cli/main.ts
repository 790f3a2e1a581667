#!/usr/bin/env node
/**
 * The `megasplit` command line: one subcommand per file under `src/cli/`, wired
 * here with commander. Every subcommand reports bad input as diagnostics with a
 * stable code and location and exits non-zero, never with a stack trace.
 */
import { Command, InvalidArgumentError } from "commander";
import { LINK_MODE_NAMES } from "../../passes/link/modes.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { asmCommand, type AsmCommandOptions } from "./asm.js";
import { disasmCommand } from "./disasm.js";
import { inspectCommand } from "./inspect.js";
import { runAction } from "./report.js";
import { retraceCommand, type RetraceCommandOptions } from "./retrace.js";
import { splitCommand, type SplitCommandOptions } from "./split.js";

function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
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
  .showHelpAfterError();

program
  .command("inspect")
  .description("list every method above a size, largest first, with totals per bundle")
  .argument("<inputs...>", ".class files, directories or jars")
  .option("--limit <bytes>", "list methods whose bytecode is longer than this", intOption("--limit", 0, 0xffffffff), 8000)
  .option("--json", "print the report as JSON")
  .action((inputs: string[], opts: { limit: number; json?: boolean }) => runAction((r) => inspectCommand(inputs, opts, r)));

program
  .command("disasm")
  .description("print classes as text (Jasmin syntax, extended): constants resolved, labels, handlers, lines, locals, frames")
  .argument("<input>", "a .class file, directory or jar")
  .option("--method <name>", "only methods with this name (or name+descriptor)")
  .option("--class <name>", "only this class (internal or dotted name)")
  .option("--pool", "also print the constant pool with its indices (exact round trips through asm)")
  .option("--frames", "show the inferred frame and the live locals at every basic block, as comments")
  .action((input: string, opts: { method?: string; class?: string; pool?: boolean; frames?: boolean }) => runAction((r) => disasmCommand(input, opts, r)));

program
  .command("asm")
  .description("assemble text (Jasmin syntax, extended) into class files")
  .argument("<files...>", ".j files")
  .requiredOption("-o, --output <dir|jar>", "output directory, or a .jar/.zip file")
  .option("--max-size <bytes>", "split every method longer than this as it is assembled (mapping: <output>.mapping)", intOption("--max-size", 64, 65535), 8000)
  .option("--no-split", "write every method as assembled, however long")
  .action((files: string[], opts: AsmCommandOptions) => runAction((r) => asmCommand(files, opts, r)));

program
  .command("split")
  .description("split every method over the size limit into pieces that keep the stack bounded")
  .argument("<input>", "a .class file, directory or jar")
  .requiredOption("-o, --output <path>", "where to write the result (a .jar, a directory or a .class)")
  .option("--max-size <bytes>", "largest method code length written (8000: HotSpot's JIT limit)", intOption("--max-size", 64, 65535), 8000)
  .option("--link <mode>", `how pieces call each other: ${LINK_MODE_NAMES.slice(0, -1).join(", ")} or ${LINK_MODE_NAMES[LINK_MODE_NAMES.length - 1]}`, "auto")
  .option("--classpath <paths>", "jars and directories the input depends on, separated by the path delimiter")
  .option("--mapping <file>", "where to write the mapping (default: <output>.mapping)")
  .option("--json", "print the per-method report as JSON")
  .option("--threads <n>", "threads that split classes, this one included (default: one per core; the output is the same for any number)", intOption("--threads", 1, 64))
  .action((input: string, opts: SplitCommandOptions) => runAction((r) => splitCommand(input, opts, r)));

program
  .command("retrace")
  .description("rewrite a stack trace of split code into the original program's trace (R8 mapping format 2.2)")
  .argument("<mapping>", "a mapping file written by split (or by R8/ProGuard)")
  .argument("[trace-file]", "the stack trace or log to retrace (default: standard input)")
  .option("-m, --mapping <file>", "one more mapping file, read after the first (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
  .option("--verbose", "show return and argument types of retraced methods")
  .action((mapping: string, traceFile: string | undefined, opts: RetraceCommandOptions) => runAction((r) => retraceCommand(mapping, traceFile, opts, r)));

await program.parseAsync(process.argv);
