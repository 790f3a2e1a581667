/**
 * Batched raw inflate and deflate (zlib, APPNOTE 4.4.5 method 8) for the jar
 * reader, `mapClassEntries` and the jar writer, on a helper thread when the machine
 * has a second core and the batch is worth it, else in this thread. The results are the same
 * bytes either way (zlib's defaults, as `inflateRawSync`/`deflateRawSync` give):
 * where the work runs never changes what is written.
 *
 * Why a thread: a jar round trip inflates every entry and deflates every changed
 * one; on the calling thread that is a fifth of the time, while the class codec
 * leaves the other core idle. Batches are packed into one transferable buffer each
 * way, so the calling thread only copies bytes and never waits for a batch it has
 * not asked for yet. One thread serves the whole process, started on first use
 * and kept alive (ref'd) only while a batch is in flight, so it never holds the
 * process open. If it fails, its batches reject; nothing falls back silently.
 *
 * Inflation is capped: every item comes with the most bytes it may inflate to
 * (its recorded size), handed to zlib as `maxOutputLength`, so a lying length
 * field or a zip bomb costs at most that much memory and time, never what the
 * deflate stream would expand to; an item that would exceed its cap fails alone.
 *
 * Cost: per batch one copy of its input and output; the thread's start (a small
 * module, tens of ms) runs on the other core.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

/** An inflated entry with its CRC-32, or why it could not be inflated. */
export type Inflated = { data: Uint8Array; crc: number } | { error: string };

/** A deflated entry and the CRC-32 of its uncompressed bytes. */
export interface Deflated {
  compressed: Uint8Array;
  crc: number;
}

/** Batches smaller than this (bytes of input) are not worth a message. */
const MIN_THREAD_BATCH = 64 * 1024;

const WORKER_TAG = "megasplit.zlib-thread.v1";

interface Request {
  id: number;
  op: "inflate" | "deflate";
  buf: ArrayBuffer;
  /** ends[k] = end offset of item k in buf. */
  ends: Int32Array;
  /** Inflate only: limits[k] = the most bytes item k may inflate to. */
  limits: Float64Array;
}

interface Reply {
  id: number;
  buf: ArrayBuffer;
  ends: Int32Array;
  crcs: Uint32Array;
  /** Items that failed (inflate only), with the message; their range in buf is empty. */
  errors: [number, string][];
}

/**
 * Inflates raw deflate data, item k to at most `limits[k]` bytes (more is an
 * error for that item, found without inflating further); every item is answered,
 * in order.
 */
export function inflateBatch(items: readonly Uint8Array[], limits: readonly number[]): Promise<Inflated[]> {
  const thread = threadFor(items);
  if (thread === undefined) return Promise.resolve(inflateHere(items, limits));
  return thread.run("inflate", items, limits).then((r) => {
    const out: Inflated[] = [];
    const failed = new Map(r.errors);
    let start = 0;
    for (let k = 0; k < items.length; k++) {
      const end = r.ends[k]!;
      const error = failed.get(k);
      out.push(error !== undefined ? { error } : { data: new Uint8Array(r.buf, start, end - start), crc: r.crcs[k]! });
      start = end;
    }
    return out;
  });
}

/** Inflates in this thread, now (for a caller that shares batches with the helper thread). */
function inflateHere(items: readonly Uint8Array[], limits: readonly number[]): Inflated[] {
  return items.map((item, k) => inflateOne(item, limits[k]!));
}

/** Deflates with zlib's defaults (what `deflateRawSync` gives); every item is answered, in order. */
export function deflateBatch(items: readonly Uint8Array[]): Promise<Deflated[]> {
  const thread = threadFor(items);
  if (thread === undefined) return Promise.resolve(items.map(deflateOne));
  return thread.run("deflate", items, []).then((r) => {
    const out: Deflated[] = [];
    let start = 0;
    for (let k = 0; k < items.length; k++) {
      const end = r.ends[k]!;
      out.push({ compressed: new Uint8Array(r.buf, start, end - start), crc: r.crcs[k]! });
      start = end;
    }
    return out;
  });
}

/**
 * Starts the helper thread now (if it would be used), so that its start overlaps
 * other work; a caller that is about to send large batches calls this first.
 */
export function warmUpZlibThread(): void {
  if (availableParallelism() >= 2) helper();
}

/** Bytes of input per batch of a {@link BatchQueue}. */
const QUEUE_BATCH_BYTES = 512 * 1024;

/**
 * Items cut into batches as they come, each batch handed to the helper thread
 * (at most `maxOut` at a time) or done here. After `finish`, this thread takes
 * batches from the back of the queue while the helper takes them from the front,
 * so neither waits while work is left. A caller busy with other work meanwhile
 * (say, transforming classes) gives a large `maxOut`: it cannot hand out more
 * batches until it yields. Where a batch runs never changes its result.
 */
export class BatchQueue<R extends Inflated | Deflated> {
  private readonly queue: { items: Uint8Array[]; limits: number[]; settle: (r: R[] | Promise<R[]>) => void }[] = [];
  private head = 0;
  private out = 0;
  private items: Uint8Array[] = [];
  private limits: number[] = [];
  private bytes = 0;
  private current: Promise<R[]> | undefined;
  private settleCurrent: ((r: R[] | Promise<R[]>) => void) | undefined;

  constructor(
    private readonly op: R extends Inflated ? "inflate" : "deflate",
    private readonly maxOut: number,
  ) {}

  /**
   * Queues one item (to inflate: with the most bytes it may inflate to); returns
   * its batch's results and its index there.
   */
  add(item: Uint8Array, outputLimit?: number): [Promise<R[]>, number] {
    if (this.op === "inflate" && outputLimit === undefined) throw new TypeError("an item to inflate needs its output limit");
    if (this.current === undefined) {
      this.current = new Promise<R[]>((settle) => (this.settleCurrent = settle));
      this.current.catch(() => {}); // awaited later; a failure must not count as unhandled meanwhile
    }
    const at: [Promise<R[]>, number] = [this.current, this.items.length];
    this.items.push(item);
    this.limits.push(outputLimit ?? 0);
    this.bytes += item.length;
    if (this.bytes >= QUEUE_BATCH_BYTES) this.close();
    return at;
  }

  /** Runs everything queued, sharing it with the helper; resolves once every batch is handed out. */
  async finish(): Promise<void> {
    this.close();
    this.send();
    while (this.head < this.queue.length) {
      const b = this.queue.pop()!;
      b.settle((this.op === "inflate" ? inflateHere(b.items, b.limits) : deflateHere(b.items)) as R[]);
      await new Promise<void>((r) => setImmediate(r)); // let the helper's replies in, and send it more
    }
  }

  private close(): void {
    if (this.current === undefined) return;
    this.queue.push({ items: this.items, limits: this.limits, settle: this.settleCurrent! });
    this.items = [];
    this.limits = [];
    this.bytes = 0;
    this.current = undefined;
    this.send();
  }

  private send(): void {
    while (this.out < this.maxOut && this.head < this.queue.length) {
      const b = this.queue[this.head++]!;
      this.out++;
      const done = (this.op === "inflate" ? inflateBatch(b.items, b.limits) : deflateBatch(b.items)) as Promise<R[]>;
      b.settle(done);
      const next = (): void => {
        this.out--;
        this.send();
      };
      done.then(next, next);
    }
  }
}

/** Deflates in this thread, now. */
function deflateHere(items: readonly Uint8Array[]): Deflated[] {
  return items.map(deflateOne);
}

/**
 * One item, inflated to at most `limit` bytes. zlib stops at `maxOutputLength`
 * (at least 1: zlib's floor) with ERR_BUFFER_TOO_LARGE, so the work and memory
 * are bounded by the limit whatever the stream would expand to.
 */
export function inflateOne(c: Uint8Array, limit: number): Inflated {
  try {
    const data = own(inflateRawSync(c, { maxOutputLength: Math.max(1, Math.min(limit, MAX_INFLATE)) }));
    return { data, crc: crc32(data) };
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") return { error: `inflates to more than its recorded size of ${limit} bytes` };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The largest output zlib may be asked for (a Buffer's limit). */
const MAX_INFLATE = 2 ** 32 - 1;

function deflateOne(d: Uint8Array): Deflated {
  return { compressed: own(deflateRawSync(d)), crc: crc32(d) };
}

function u8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * zlib's result as bytes of its own: a small result is a view into zlib's 16 KB
 * output chunk, which a kept entry would hold alive (about three times the jar's
 * inflated size in all), so it is copied out.
 */
function own(b: Buffer): Uint8Array {
  return b.byteLength * 2 < b.buffer.byteLength ? new Uint8Array(b) : u8(b);
}

/** Batches the helper thread has run in this process (for tests). */
export let helperBatches = 0;

function threadFor(items: readonly Uint8Array[]): ZlibThread | undefined {
  if (availableParallelism() < 2) return undefined;
  let bytes = 0;
  for (const it of items) bytes += it.length;
  return bytes >= MIN_THREAD_BATCH ? helper() : undefined;
}

let shared: ZlibThread | undefined;
function helper(): ZlibThread {
  return (shared ??= new ZlibThread());
}

class ZlibThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  constructor() {
    this.worker = startWorker();
    this.worker.on("message", (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return; // answered after a failure already rejected it
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
      p.resolve(r);
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      if (shared === this) shared = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", (e) => fail(new Error(`the zlib helper thread failed: ${e instanceof Error ? e.message : String(e)}`)));
    this.worker.on("exit", (code) => fail(new Error(`the zlib helper thread exited with code ${code}`)));
    // Idle until a batch is out, and only after the listeners: Node 20 refs a
    // worker again when a "message" listener is added, so an unref() before it is
    // undone and a process that started the thread but never used it (a jar of
    // stored entries: nothing to inflate) would never exit.
    this.worker.unref();
  }

  run(op: Request["op"], items: readonly Uint8Array[], limits: readonly number[]): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const ends = new Int32Array(items.length);
    let total = 0;
    for (let k = 0; k < items.length; k++) ends[k] = total += items[k]!.length;
    const buf = new Uint8Array(total);
    let p = 0;
    for (const it of items) buf.set(it, p), (p += it.length);
    const id = this.nextId++;
    helperBatches++;
    return new Promise<Reply>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, buf: buf.buffer, ends, limits: Float64Array.from(limits) } satisfies Request, [buf.buffer]);
    });
  }
}

/** A worker running this module; under the tests' TypeScript loader it registers tsx first. */
function startWorker(): Worker {
  const self = new URL(import.meta.url);
  const data = { [WORKER_TAG]: true };
  if (!self.pathname.endsWith(".ts")) return new Worker(self, { workerData: data });
  const tsx = pathToFileURL(createRequire(self).resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
  const boot = `import(${JSON.stringify(tsx)}).then((api) => (api.register(), import(${JSON.stringify(self.href)})))`;
  return new Worker(boot, { eval: true, workerData: data });
}

// ---------------------------------------------------------------------------
// The thread side

function serve(): void {
  const port = parentPort!;
  port.on("message", (req: Request) => {
    const input = new Uint8Array(req.buf);
    const n = req.ends.length;
    const outs: Uint8Array[] = new Array(n);
    const crcs = new Uint32Array(n);
    const errors: [number, string][] = [];
    let total = 0;
    for (let k = 0, start = 0; k < n; start = req.ends[k]!, k++) {
      const item = input.subarray(start, req.ends[k]!);
      if (req.op === "deflate") {
        outs[k] = u8(deflateRawSync(item));
        crcs[k] = crc32(item);
      } else {
        const r = inflateOne(item, req.limits[k]!);
        if ("error" in r) {
          errors.push([k, r.error]);
          outs[k] = new Uint8Array(0);
        } else {
          outs[k] = r.data;
          crcs[k] = r.crc;
        }
      }
      total += outs[k]!.length;
    }
    const buf = new Uint8Array(total);
    const ends = new Int32Array(n);
    let p = 0;
    for (let k = 0; k < n; k++) buf.set(outs[k]!, p), (ends[k] = p += outs[k]!.length);
    port.postMessage({ id: req.id, buf: buf.buffer, ends, crcs, errors } satisfies Reply, [buf.buffer]);
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_TAG] === true) serve();
