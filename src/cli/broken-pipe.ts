/**
 * A reader that stops early (`megasplit disasm app.jar | head`) closes standard
 * output; Node then reports EPIPE as an unhandled 'error' event with a stack trace.
 * Like the Unix tools users pipe us into, we treat a closed reader as "no more
 * output wanted": later writes to that stream are dropped and the command runs to its
 * normal end (so a split still finishes writing its output atomically and sets its
 * exit status). Other stream errors are left to Node.
 */
import type { Writable } from "node:stream";

function dropWritesAfterEpipe(stream: Writable & { write: Writable["write"] }): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as Writable["write"];
  });
}

/** Installs the EPIPE handling on standard output and standard error. */
export function toleratePipeClosedEarly(): void {
  dropWritesAfterEpipe(process.stdout);
  dropWritesAfterEpipe(process.stderr);
}
