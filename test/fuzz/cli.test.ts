/**
 * Whole-CLI runs on fuzzed inputs (few: each is a process): mutated jars, mutated
 * class files and non-zip bytes named `.jar` go through `inspect`, `disasm` and
 * `split`; mutated Jasmin through `asm`; mutated mappings and traces through
 * `retrace`. Each run ends within its time bound (a hang fails it), with status 0
 * or 1, every stderr line a coded diagnostic or the summary, never a stack trace
 * or an internal error.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeJar } from "../../src/bundle/jar.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { applyCase, applyMutation, mutatedCaseArb, mutationArb } from "./mutate.js";
import { classSeeds, jasminSeeds, type ClassSeeds } from "./seeds.js";
import { applyText, mutatedTextArb, tokenPool } from "./text-mutate.js";

const root = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "megasplit-fuzz-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seeds: ClassSeeds;
let jar: Uint8Array;
let jasmin: string[];
let mappingTexts: string[];
beforeAll(async () => {
  seeds = await classSeeds(["rhino", "asm"], 6, 8_000);
  jar = encodeJar({ kind: "jar", entries: seeds.bytes.map((data, i) => ({ name: `c${i}/${seeds.names[i]!.split(":").pop()}`, data, modified: true })) });
  jasmin = jasminSeeds().map((s) => s.text);
  const cases = join(root, "test", "retrace-cases");
  mappingTexts = readdirSync(cases).filter((f) => f.endsWith(".txt")).sort().map((f) => readFileSync(join(cases, f), "utf8"));
});

/** Lines a well-behaved run may print on stderr. */
const ALLOWED = /^(error|warning) [EW]_[A-Z_]+: |^\d+ errors?\b/;

function cli(args: string[], input?: string): { status: number | null; signal: string | null; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    timeout: 120_000, // the hang bound: a run killed here fails the property
    ...(input !== undefined ? { input } : {}),
    maxBuffer: 1 << 28,
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

function checkRun(what: string, r: ReturnType<typeof cli>): void {
  if (r.signal !== null) throw new Error(`${what}: killed by ${r.signal} (a hang?)`);
  // 0 ok, 1 bad input (ExitCode.INPUT); 3 would be a bug.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${what}: exit status ${r.status}\n${r.stderr}`);
  for (const line of r.stderr.split("\n")) if (line !== "" && !ALLOWED.test(line)) throw new Error(`${what}: unexpected stderr line ${JSON.stringify(line)}\n${r.stderr}`);
}

describe("fuzz: whole CLI runs", () => {
  it("inspect, disasm, split, asm and retrace on fuzzed inputs exit 0 or 1 with coded diagnostics only", () => {
    const runs = runsFor("whole CLI runs");
    let ran = 0;
    const input = fc.oneof(
      fc.array(mutationArb, { minLength: 1, maxLength: 3 }).map((ms) => ({ kind: "jar" as const, bytes: ms.reduce((b, m) => applyMutation(b, m, [], [b]), jar) })),
      mutatedCaseArb(1, 2).chain((c) => fc.integer({ min: 0, max: 1000 }).map((i) => ({ kind: "class" as const, bytes: applyCase({ ...c, base: i % seeds.bytes.length }, seeds.bytes, seeds.fields) }))),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: "notzip" as const, bytes })),
      mutatedTextArb(1, 3).map((c) => ({ kind: "asm" as const, text: c })),
      mutatedTextArb(1, 3).map((c) => ({ kind: "retrace" as const, text: c })),
    );
    fc.assert(
      fc.property(input, fc.nat(), (inp, pick) => {
        const k = ran++;
        if (inp.kind === "asm") {
          const file = join(dir, `f${k}.j`);
          writeFileSync(file, applyText({ ...inp.text, seed: pick % jasmin.length }, jasmin, tokenPool(jasmin)));
          checkRun("asm", cli(["asm", file, "-o", join(dir, `asm${k}`)]));
          return;
        }
        if (inp.kind === "retrace") {
          const text = mappingTexts[pick % mappingTexts.length]!;
          const [, mapping = "", trace = ""] = text.split(/^=== .*$/m);
          const mutated = applyText({ ...inp.text, seed: 0 }, [mapping], tokenPool([mapping]));
          const file = join(dir, `m${k}.mapping`);
          writeFileSync(file, mutated);
          checkRun("retrace", cli(["retrace", file], trace));
          return;
        }
        const file = join(dir, inp.kind === "class" ? `C${k}.class` : `j${k}.jar`);
        writeFileSync(file, inp.bytes);
        checkRun("inspect", cli(["inspect", "--limit", "0", file]));
        if (pick % 2 === 0) checkRun("disasm", cli(["disasm", file]));
        else checkRun("split", cli(["split", file, "-o", join(dir, `out${k}${inp.kind === "class" ? ".class" : ".jar"}`), "--max-size", String(256 + (pick % 1024))]));
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    reportRuns("whole CLI runs", ran);
  });
});
