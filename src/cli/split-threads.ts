/**
 * How many threads `megasplit split` splits classes on when `--threads` is not
 * given: one per two cores (at least one). Each thread is a V8 isolate that
 * warms up its own compiled code and builds its own class hierarchy, so a second
 * thread on a 2-core machine costs more than it gains: at `--max-size 1024` on
 * jython.jar it added 36-41% CPU and 60-110 MB peak memory and was not faster in
 * wall time, since the zlib helper thread and V8's compiler and GC threads already
 * use the second core (bench/throughput/results-thru5.md). The library's own
 * default (`splitBundle`'s `workers`) is unchanged; this is the CLI's choice.
 */
import { availableParallelism } from "node:os";

/** Default split threads (this one included) for `cores` cores. */
export function defaultSplitThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}
