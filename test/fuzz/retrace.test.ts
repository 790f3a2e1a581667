/**
 * Fuzzing `megasplit retrace`: mapping files (the R8 and megasplit examples of
 * test/retrace-cases) and stack traces mutated line by line and token by token,
 * plus arbitrary text. A mapping either reads (with coded warnings) or throws
 * E_MAPPING_SYNTAX with its line; any trace, against any mapping that reads, is
 * retraced without an exception, one output per input line at least in count of
 * line ends, and the streaming path gives the same text as the whole-text one.
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { MappingIndex, readMapping, retraceStream, retraceText } from "../../runtime/retrace/index.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { checkDiagnostics, codedOrValue } from "./expect-coded.js";
import { applyText, mutatedTextArb, tokenPool } from "./text-mutate.js";

let mappings: string[];
let traces: string[];
let pool: string[];
let indexes: MappingIndex[];

beforeAll(() => {
  const dir = join(import.meta.dirname, "..", "retrace-cases");
  mappings = [];
  traces = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".txt")).sort()) {
    const sections = readFileSync(join(dir, f), "utf8").split(/^=== .*$/m);
    // [description, mapping, input, expected, ...]
    mappings.push(sections[1]!.trim() + "\n");
    traces.push(sections[2]!.trim() + "\n", sections[3]!.trim() + "\n");
  }
  pool = tokenPool([...mappings, ...traces]);
  indexes = mappings.map((m) => new MappingIndex([readMapping(m).mapping]));
});

describe("fuzz: retrace", () => {
  it("mutated mapping files read or fail with a code", () => {
    const runs = runsFor("mapping text: read");
    let ran = 0;
    let read = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: mutatedTextArb(mappings.length).map((c) => applyText(c, mappings, pool)) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }), (text) => {
        ran++;
        const r = codedOrValue(() => readMapping(text, { source: "fuzz.mapping" }));
        if (r === undefined) return;
        read++;
        checkDiagnostics(r.warnings);
        // What reads must index and retrace its own examples without an exception.
        const index = new MappingIndex([r.mapping]);
        retraceText(index, traces[ran % traces.length]!);
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    expect(read).toBeGreaterThan(runs / 10);
    reportRuns("mapping text: read", ran, `${read} read`);
  });

  it("mutated stack traces retrace without an exception, whole and streamed alike", async () => {
    const runs = runsFor("stack traces: retrace");
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: mutatedTextArb(traces.length).map((c) => applyText(c, traces, pool)) }, { weight: 1, arbitrary: fc.string({ maxLength: 300 }) }),
        fc.nat(),
        fc.boolean(),
        async (trace, which, verbose) => {
          ran++;
          const index = indexes[which % indexes.length]!;
          const whole = retraceText(index, trace, { verbose });
          // The same text through the stream, cut into chunks at arbitrary places.
          const input = new PassThrough();
          const output = new PassThrough();
          const chunks: Buffer[] = [];
          output.on("data", (c: Buffer) => chunks.push(c));
          const done = retraceStream(index, input, output, { verbose });
          const bytes = Buffer.from(trace, "utf8");
          for (let p = 0; p < bytes.length; p += 1 + (which % 97)) input.write(bytes.subarray(p, p + 1 + (which % 97)));
          input.end();
          await done;
          expect(Buffer.concat(chunks).toString("utf8")).toBe(whole);
        },
      ),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    reportRuns("stack traces: retrace", ran);
  });
});
