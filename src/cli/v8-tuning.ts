/**
 * V8 settings for a `megasplit` command-line run, applied once at start-up and
 * never by the library (a program that imports megasplit keeps its own engine
 * settings). A CLI run is short and most of its CPU goes to the optimising
 * compiler warming up a large pipeline that then runs for a few seconds; a
 * smaller cumulative inlining budget (V8's `--max-inlined-bytecode-size-cumulative`,
 * default 920 bytes of bytecode per optimised function) makes each optimised
 * compile cheaper and the optimised code smaller, and on jython.jar at
 * `--max-size 1024` cost 13% less CPU (bench/throughput/results-thru5.md). The
 * output does not depend on it: inlining changes how fast code runs, not what it
 * computes.
 *
 * Risk: the flag is V8-internal, not a Node.js option. A future V8 may rename or
 * drop it (then `setFlagsFromString` ignores it and nothing changes), or change
 * its meaning so that the value hurts instead of helps; Node's documentation
 * warns that changing V8 flags after start-up may behave unpredictably. It is set
 * before any splitting code has run, and covers worker threads too (V8 flags are
 * process-wide). `MEGASPLIT_V8_DEFAULTS=1` in the environment leaves V8's defaults
 * alone, to rule the setting out when something looks wrong.
 */
import { setFlagsFromString } from "node:v8";

/** Cumulative inlining budget, in bytes of bytecode (V8's default is 920); the best of 115-920 measured on jython. */
export const CLI_INLINING_BUDGET = 230;

/** Applies the CLI's V8 settings (through `setFlags`) unless `MEGASPLIT_V8_DEFAULTS=1`; answers whether it did. */
export function tuneV8ForCli(env: NodeJS.ProcessEnv = process.env, setFlags: (flags: string) => void = setFlagsFromString): boolean {
  if (env.MEGASPLIT_V8_DEFAULTS === "1") return false;
  setFlags(`--max-inlined-bytecode-size-cumulative=${CLI_INLINING_BUDGET}`);
  return true;
}
