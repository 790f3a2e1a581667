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
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n", start)) {
      yield pending.slice(start, nl);
      start = nl + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== "") yield pending;
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
  for await (const line of linesOf(input)) {
    linesIn++;
    const cr = line.endsWith("\r");
    for (const o of r.retraceLine(cr ? line.slice(0, -1) : line)) {
      buf += cr ? o + "\r\n" : o + "\n";
      linesOut++;
    }
    if (buf.length >= 65536) await flush();
  }
  for (const o of r.end()) {
    buf += o + "\n";
    linesOut++;
  }
  await flush();
  return { linesIn, linesOut };
}
