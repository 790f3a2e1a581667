/**
 * src/bundle/job-pool.ts: outputs come back in input order whatever thread ran
 * them, both this thread and a worker take jobs, the init reaches every thread
 * (workers started ahead get it by message), a job that throws rejects the whole
 * call, small inputs stay in this thread, and workers started ahead always end.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { compactBytes, runJobs, startJobWorkers } from "../src/bundle/job-pool.js";

const module = fileURLToPath(new URL("./support/sample-jobs.ts", import.meta.url));
const inputs = Array.from({ length: 400 }, (_, k) => ({ k, bytes: new Uint8Array(2000 + (k % 7) * 3000).fill(k & 0xff) }));
const expected = (salt: string, x: { bytes: Uint8Array }) => createHash("sha256").update(salt).update(x.bytes).digest("hex");

describe("runJobs", () => {
  it("returns every output in input order, computed by this thread and a worker", async () => {
    const out = await runJobs<{ salt: string }, (typeof inputs)[number], { k: number; digest: string; thread: number }>(
      { module, export: "digestJob", init: { salt: "s1" } },
      inputs,
      { workers: 1, weight: (x) => x.bytes.length, batchWeight: 16_000 },
    );
    expect(out.map((o) => o.k)).toEqual(inputs.map((x) => x.k));
    out.forEach((o, k) => expect(o.digest).toBe(expected("s1", inputs[k]!)));
    const threads = new Set(out.map((o) => o.thread));
    expect(threads.has(threadId)).toBe(true);
    expect(threads.size).toBe(2);
  }, 60_000);

  it("uses workers started ahead, which get the init once it is known", async () => {
    const started = startJobWorkers({ module, export: "digestJob" }, 1);
    const workerThread = started.workers[0]!.threadId;
    const out = await runJobs<{ salt: string }, (typeof inputs)[number], { k: number; digest: string; thread: number }>(
      { module, export: "digestJob", init: { salt: "late" } },
      inputs,
      { started, weight: (x) => x.bytes.length, batchWeight: 16_000 },
    );
    out.forEach((o, k) => expect(o.digest).toBe(expected("late", inputs[k]!)));
    expect(new Set(out.map((o) => o.thread))).toEqual(new Set([threadId, workerThread]));
  }, 60_000);

  it("uses the init sent ahead to workers started ahead, and sends none again", async () => {
    const started = startJobWorkers({ module, export: "digestJob" }, 1);
    const workerThread = started.workers[0]!.threadId;
    started.sendInit({ salt: "ahead" });
    expect(started.initSent).toBe(true);
    expect(() => started.sendInit({ salt: "again" })).toThrow(/sent twice/);
    const out = await runJobs<{ salt: string }, (typeof inputs)[number], { k: number; digest: string; thread: number }>(
      { module, export: "digestJob", init: { salt: "ahead" } },
      inputs,
      { started, weight: (x) => x.bytes.length, batchWeight: 16_000 },
    );
    out.forEach((o, k) => expect(o.digest).toBe(expected("ahead", inputs[k]!)));
    expect(new Set(out.map((o) => o.thread))).toEqual(new Set([threadId, workerThread]));
  }, 60_000);

  it("ends workers started ahead when it runs in this thread, and refuses ones started for another job", async () => {
    const started = startJobWorkers({ module, export: "digestJob" }, 1);
    const exited = new Promise<number>((resolve) => started.workers[0]!.once("exit", resolve));
    const out = await runJobs<{ salt: string }, (typeof inputs)[number], { thread: number }>({ module, export: "digestJob", init: { salt: "s" } }, inputs.slice(0, 3), { started });
    expect(out.every((o) => o.thread === threadId)).toBe(true);
    await exited; // ended by runJobs (the test would time out otherwise)
    const other = startJobWorkers({ module, export: "failingJob" }, 1);
    const otherExited = new Promise<number>((resolve) => other.workers[0]!.once("exit", resolve));
    await expect(runJobs({ module, export: "digestJob", init: { salt: "s" } }, inputs, { started: other })).rejects.toThrow(/were given to runJobs for digestJob/);
    await otherExited;
  }, 60_000);

  it("rejects, and does not wait forever, when workers started ahead cannot build the job", async () => {
    const started = startJobWorkers({ module, export: "badBuilder" }, 1);
    await expect(runJobs({ module, export: "badBuilder", init: null }, inputs, { started })).rejects.toThrow(/did not return a job function/);
    const ks = Array.from({ length: 200 }, (_, k) => k);
    const failing = startJobWorkers({ module, export: "failingJob" }, 1);
    await expect(runJobs({ module, export: "failingJob", init: null }, ks, { started: failing })).rejects.toThrow(/job bug on 13/);
  }, 60_000);

  it("hands out the heaviest inputs first when asked, outputs still in input order", async () => {
    const out = await runJobs<null, (typeof inputs)[number], { k: number; thread: number; seq: number }>({ module, export: "sequencedJob", init: null }, inputs, {
      workers: 1,
      weight: (x) => x.bytes.length,
      batchWeight: 16_000,
      heaviestFirst: true,
    });
    expect(out.map((o) => o.k)).toEqual(inputs.map((x) => x.k));
    // Each thread ran its jobs from heavy to light (equal weights in input order).
    const byThread = new Map<number, { seq: number; weight: number; k: number }[]>();
    for (const o of out) {
      const list = byThread.get(o.thread) ?? [];
      list.push({ seq: o.seq, weight: inputs[o.k]!.bytes.length, k: o.k });
      byThread.set(o.thread, list);
    }
    expect(byThread.size).toBe(2);
    for (const list of byThread.values()) {
      list.sort((a, b) => a.seq - b.seq);
      for (let j = 1; j < list.length; j++) {
        const [a, b] = [list[j - 1]!, list[j]!];
        expect(a.weight > b.weight || (a.weight === b.weight && a.k < b.k)).toBe(true);
      }
    }
  }, 60_000);

  it("runs in this thread only below minJobs or with no workers", async () => {
    for (const options of [{ workers: 1, minJobs: 1000 }, { workers: 0 }]) {
      const out = await runJobs<{ salt: string }, (typeof inputs)[number], { thread: number; digest: string }>({ module, export: "digestJob", init: { salt: "s2" } }, inputs.slice(0, 50), options);
      expect(out.every((o) => o.thread === threadId)).toBe(true);
      expect(out[49]!.digest).toBe(expected("s2", inputs[49]!));
    }
  });

  it("rejects when a job throws, in a worker or here", async () => {
    const ks = Array.from({ length: 200 }, (_, k) => k);
    await expect(runJobs({ module, export: "failingJob", init: null }, ks, { workers: 1 })).rejects.toThrow(/job bug on 13/);
    await expect(runJobs({ module, export: "failingJob", init: null }, ks, { workers: 0 })).rejects.toThrow(/job bug on 13/);
  }, 60_000);

  it("rejects a builder that is missing or returns no function", async () => {
    await expect(runJobs({ module, export: "nope", init: null }, [1], { workers: 0 })).rejects.toThrow(/no exported function nope/);
    await expect(runJobs({ module, export: "badBuilder", init: null }, [1], { workers: 0 })).rejects.toThrow(/did not return a job function/);
  });

  it("compactBytes copies a view and keeps an array that owns its buffer", () => {
    const whole = new Uint8Array([1, 2, 3, 4]);
    expect(compactBytes(whole)).toBe(whole);
    const view = whole.subarray(1, 3);
    const c = compactBytes(view);
    expect([...c]).toEqual([2, 3]);
    expect(c.buffer.byteLength).toBe(2);
  });
});
