/**
 * Retracing as a stream: lines in, lines out, one {@link Retracer} carrying its
 * small state across them. Input is split on `\n` (a `\r` before it is kept with the
 * line), so a trace can be piped from a running program or read from a file of any
 * size; memory is the retracer's bounded state plus one chunk of input and one
 * chunk of output. Output is written in chunks of about 64 KB and waits for the
 * writable's `drain`, so a slow consumer slows the reader instead of filling memory.
 */
import { once } from "node:events";
import type { MappingIndex } from "./mapping-index.js";
import { type RetraceOptions, Retracer } from "./retracer.js";

/** Retraced lines (without terminators) of a sequence of input lines (without terminators). */
export async function* retraceLines(index: MappingIndex, lines: AsyncIterable<string> | Iterable<string>, options: RetraceOptions = {}): AsyncGenerator<string> {
  const r = new Retracer(index, options);
  for await (const line of lines) yield* r.retraceLine(line);
  yield* r.end();
}

/** The lines of a readable stream of text, without their `\n` (a final line without one included). */
export async function* linesOf(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  for await (const chunk of chunkLines(input)) yield* chunk.lines;
}

/**
 * The complete lines of each chunk of input as it arrives (so output can follow a
 * live pipe), and at the end the final line, `terminated` false when the input did
 * not end with `\n`.
 */
async function* chunkLines(input: AsyncIterable<string | Buffer>): AsyncGenerator<{ lines: string[]; terminated: boolean }> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n", start)) {
      lines.push(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (lines.length > 0) yield { lines, terminated: true };
  }
  pending += decoder.decode();
  if (pending !== "") yield { lines: [pending], terminated: false };
}

export interface RetraceStreamResult {
  linesIn: number;
  linesOut: number;
}

/** Reads `input` to its end, writes the retraced text to `output` (which is not ended). */
export async function retraceStream(index: MappingIndex, input: AsyncIterable<string | Buffer>, output: NodeJS.WritableStream, options: RetraceOptions = {}): Promise<RetraceStreamResult> {
  const r = new Retracer(index, options);
  let buf = "";
  let linesIn = 0;
  let linesOut = 0;
  const flush = async (): Promise<void> => {
    if (buf === "") return;
    const ok = output.write(buf);
    buf = "";
    if (!ok) await once(output, "drain");
  };
  // Each output line takes its input line's terminator (held lines at the end, the
  // last one's); an input without a final `\n` gives an output without one.
  let last = "\n";
  let open = false; // the last line written still lacks its terminator
  const emit = (o: string, end: string): void => {
    if (open) buf += "\n";
    buf += o + end;
    open = end === "";
    linesOut++;
  };
  for await (const chunk of chunkLines(input)) {
    for (const line of chunk.lines) {
      linesIn++;
      const cr = line.endsWith("\r");
      last = !chunk.terminated ? "" : cr ? "\r\n" : "\n";
      for (const o of r.retraceLine(cr ? line.slice(0, -1) : line)) emit(o, last);
      if (buf.length >= 65536) await flush();
    }
    await flush(); // what this chunk gave goes out before the next read: a live pipe follows
  }
  for (const o of r.end()) emit(o, last);
  await flush();
  return { linesIn, linesOut };
}
