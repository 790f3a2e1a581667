/**
 * Job builders for test/job-pool.test.ts: `digestJob` hashes its input with a salt
 * given at init and says which thread ran it; `failingJob` throws on input 13 (a
 * bug in a job); `badBuilder` returns no function; `sequencedJob` numbers the jobs
 * each thread runs, in the order it runs them.
 */
import { createHash } from "node:crypto";
import { threadId } from "node:worker_threads";

export function digestJob(init: { salt: string }) {
  return (input: { k: number; bytes: Uint8Array }) => ({
    k: input.k,
    digest: createHash("sha256").update(init.salt).update(input.bytes).digest("hex"),
    thread: threadId,
  });
}

export function failingJob() {
  return (k: number) => {
    if (k === 13) throw new Error("job bug on 13");
    return k * 2;
  };
}

export function badBuilder() {
  return 42;
}

export function sequencedJob() {
  let seq = 0;
  return (input: { k: number; bytes: Uint8Array }) => ({ k: input.k, thread: threadId, seq: seq++ });
}
