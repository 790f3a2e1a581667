/**
 * `mapClassEntries`: applies one per-class transform to every class entry of a
 * bundle, on a pool of worker threads (node:worker_threads), and returns the new
 * bundle. The transform is named, not passed: a module (absolute path, file URL or
 * package specifier) and an export, plus options that must survive structured
 * clone, so that each worker can import it itself. A transform receives a class
 * file's bytes and returns new bytes, or `undefined` to keep the entry as it is;
 * a MegasplitError it throws becomes a diagnostic for that entry (which is kept
 * unchanged, so one bad class does not lose the rest), anything else is a bug
 * and rejects the whole call. `reencodeClassBytes` (bytecode/reencode-class.ts) is
 * one such transform; `megasplit split` is meant to name its own the same way.
 *
 * Invariants: the result does not depend on the number of workers or on
 * scheduling. Entries keep their order, results and diagnostics are placed by
 * entry index, and when the output is a jar (`deflate`, the default) each worker
 * also deflates what it produced with zlib's defaults, i.e. exactly the bytes
 * `encodeJar` would compute itself (`withDeflatedData` in `jar.ts`), so the
 * archive written is byte-identical to the in-thread path. Below `minClasses`
 * class entries, or with fewer than two workers, the transform runs in this
 * thread and the class entries that need deflating (changed ones, mostly) are
 * deflated in batches by `zlib-thread.ts` (on its helper thread when there is a
 * second core): the same bytes again.
 *
 * Cost: class bytes are copied once into one transferable buffer per batch
 * (never a view into the input: structured clone would copy the whole backing
 * store) and results come back the same way, so the main thread only copies and
 * lays out; each worker pays a module load (tens of ms) once per call. Batches are
 * handed out on demand, two in flight per worker, so uneven classes balance out.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { crc32, deflateRawSync } from "node:zlib";
import { asDiagnostic, type Diagnostic, type Location, thrownDetail } from "../diagnostics.js";
import { isClassEntry, withData, type Bundle, type BundleEntry } from "./bundle.js";
import { withDeflatedData } from "./jar.js";
import { BatchQueue, type Deflated } from "./zlib-thread.js";

/** What a transform is told besides the bytes. */
export interface ClassTransformContext<O = unknown> {
  /** The bundle and entry, for diagnostics. */
  where: Location;
  /** The options of the {@link ClassTransformRef}, as cloned into this thread. */
  options: O;
  /** Warnings (and errors that do not stop the class) go here. */
  diagnostics: Diagnostic[];
}

/** A per-class transform: new class-file bytes, or undefined to keep the entry. */
export type ClassTransform<O = unknown> = (data: Uint8Array, context: ClassTransformContext<O>) => Uint8Array | undefined;

/** Names a {@link ClassTransform} so that any thread can load it. */
export interface ClassTransformRef<O = unknown> {
  /** An absolute path, a `file:` URL or a package specifier (not a relative path). */
  module: string;
  /** The name of the exported function. */
  export: string;
  /** Passed to every call; must survive structured clone (plain data). */
  options?: O;
}

export interface MapClassesOptions {
  /**
   * Worker threads; default one fewer than `os.availableParallelism()`, since the
   * main thread reads, inflates and lays out the archive meanwhile (measured on 2
   * cores: two workers were slower than one thread). Fewer than 2 means in-thread.
   */
  workers?: number;
  /** Bundles with fewer class entries run in-thread (default 64). */
  minClasses?: number;
  /** Deflate changed entries in the workers (or on the zlib helper thread), for a jar output (default true). */
  deflate?: boolean;
}

export interface MapClassesResult {
  bundle: Bundle;
  /** In entry order. */
  diagnostics: Diagnostic[];
  /** How many entries the transform replaced. */
  changed: number;
  /** Worker threads used (0 = in-thread). */
  workers: number;
}

const WORKER_TAG = "megasplit.parallel.v1";
/** Bytes of class data per batch; small enough to balance, large enough to amortise a message. */
const BATCH_BYTES = 192 * 1024;
const BATCH_MAX_CLASSES = 128;

const STATUS_UNCHANGED = 0;
const STATUS_CHANGED = 1;
const STATUS_FAILED = 2;
/** Changed, and the reply carries the deflated bytes and CRC too. */
const STATUS_DEFLATED = 3;

function moduleUrl(module: string): string {
  if (module.startsWith(".")) throw new TypeError(`transform module ${JSON.stringify(module)} is relative; give an absolute path, a file URL or a package`);
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

async function loadTransform(ref: { module: string; export: string }): Promise<ClassTransform> {
  const mod = (await import(moduleUrl(ref.module))) as Record<string, unknown>;
  const fn = mod[ref.export];
  if (typeof fn !== "function") throw new TypeError(`${ref.module} has no exported function ${ref.export}`);
  return fn as ClassTransform;
}

/** Runs the transform on one class; the thrown MegasplitError becomes a diagnostic. */
function applyOne(transform: ClassTransform, data: Uint8Array, where: Location, options: unknown, diagnostics: Diagnostic[]): Uint8Array | undefined | null {
  try {
    return transform(data, { where, options, diagnostics });
  } catch (e) {
    diagnostics.push(asDiagnostic(e, where)); // rethrows anything that is not bad input
    return null;
  }
}

/** Should this entry, once changed, be written deflated (what `encodeEntry` decides)? */
function writtenDeflated(e: BundleEntry): boolean {
  return e.zip ? e.zip.compression === 8 : !e.name.endsWith("/");
}

/**
 * Maps `transform` over the class entries of `input`. `input` may be a promise
 * (e.g. `readBundle(path).then((r) => r.bundle)`): the workers then start, and load
 * the transform, while the bundle is still being read.
 */
export async function mapClassEntries<O>(input: Bundle | PromiseLike<Bundle>, transform: ClassTransformRef<O>, options: MapClassesOptions = {}): Promise<MapClassesResult> {
  const wanted = options.workers ?? availableParallelism() - 1;
  const pool: Worker[] = [];
  try {
    if (wanted >= 2 && isPromiseLike(input)) for (let k = 0; k < wanted; k++) pool.push(startWorker(transform));
    const bundle = await input;
    const classIndices: number[] = [];
    bundle.entries.forEach((e, i) => {
      if (isClassEntry(e)) classIndices.push(i);
    });
    const workers = Math.min(wanted, Math.ceil(classIndices.length / 8));
    if (workers < 2 || classIndices.length < (options.minClasses ?? 64)) return await mapInThread(bundle, transform, classIndices, options.deflate ?? true);
    while (pool.length > workers) void pool.pop()!.terminate();
    while (pool.length < workers) pool.push(startWorker(transform));
    return await mapInWorkers(bundle, transform, classIndices, pool, options.deflate ?? true);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function isPromiseLike<T>(x: T | PromiseLike<T>): x is PromiseLike<T> {
  return typeof (x as { then?: unknown }).then === "function";
}

/**
 * The transform in this thread. Class entries that will be written deflated and
 * have no compressed bytes to reuse (changed ones, mostly) go to a `BatchQueue`
 * as they come, so that on a machine with a second core they are compressed on
 * the zlib helper thread while the next classes are transformed.
 */
async function mapInThread<O>(bundle: Bundle, ref: ClassTransformRef<O>, classIndices: number[], deflate: boolean): Promise<MapClassesResult> {
  const transform = await loadTransform(ref);
  const entries = bundle.entries.slice();
  const diagnostics: Diagnostic[] = [];
  let changed = 0;
  // Every batch goes out at once: this thread is busy transforming until the end.
  const queue = new BatchQueue<Deflated>("deflate", Infinity);
  const deflating: [index: number, batch: Promise<Deflated[]>, at: number][] = [];
  for (const i of classIndices) {
    const e = entries[i]!;
    const out = applyOne(transform, e.data, whereOf(bundle, e), ref.options, diagnostics);
    if (out) {
      const next = withData(e, out);
      if (next !== e) {
        entries[i] = next;
        changed++;
      }
    }
    const final = entries[i]!;
    if (deflate && writtenDeflated(final) && !(final.zip && final.compressed && !final.modified)) deflating.push([i, ...queue.add(final.data)]);
  }
  await queue.finish();
  for (const [i, batch, at] of deflating) {
    const r = (await batch)[at]!;
    entries[i] = withDeflatedData(entries[i]!, entries[i]!.data, r.compressed, r.crc);
  }
  return { bundle: { ...bundle, entries }, diagnostics, changed, workers: 0 };
}

function whereOf(bundle: Bundle, e: BundleEntry): Location {
  return bundle.source !== undefined ? { bundle: bundle.source, entry: e.name } : { entry: e.name };
}

// ---------------------------------------------------------------------------
// The pool

/** Main -> worker: a batch of classes packed into one buffer. */
interface BatchRequest {
  id: number;
  names: string[];
  sources: (string | undefined)[];
  /** ends[k] = end offset of class k in `buf` (start = ends[k-1] or 0). */
  ends: Int32Array;
  deflate: Uint8Array;
  buf: ArrayBuffer;
}

/** Worker -> main: per class a status, the new bytes and (if asked) their deflated form. */
interface BatchReply {
  id: number;
  status: Uint8Array;
  dataEnds: Int32Array;
  /** Compressed bytes follow the data in `buf`; compEnds are offsets into `buf` too. */
  compEnds: Int32Array;
  crcs: Uint32Array;
  buf: ArrayBuffer;
  diagnostics: [number, Diagnostic][];
}

type WorkerMessage = { reply: BatchReply } | { fatal: string };

interface Batch {
  indices: number[];
}

function makeBatches(bundle: Bundle, classIndices: number[]): Batch[] {
  const batches: Batch[] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const i of classIndices) {
    cur.push(i);
    bytes += bundle.entries[i]!.data.length;
    if (bytes >= BATCH_BYTES || cur.length >= BATCH_MAX_CLASSES) {
      batches.push({ indices: cur });
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length > 0) batches.push({ indices: cur });
  return batches;
}

function packBatch(bundle: Bundle, batch: Batch, id: number, deflate: boolean): { request: BatchRequest; transfer: ArrayBuffer[] } {
  const n = batch.indices.length;
  const ends = new Int32Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += bundle.entries[batch.indices[k]!]!.data.length;
    ends[k] = total;
  }
  const bytes = new Uint8Array(total);
  const names: string[] = new Array(n);
  const flags = new Uint8Array(n);
  let p = 0;
  for (let k = 0; k < n; k++) {
    const e = bundle.entries[batch.indices[k]!]!;
    bytes.set(e.data, p);
    p += e.data.length;
    names[k] = e.name;
    flags[k] = deflate && writtenDeflated(e) ? 1 : 0;
  }
  return {
    request: { id, names, sources: [bundle.source], ends, deflate: flags, buf: bytes.buffer },
    transfer: [bytes.buffer],
  };
}

async function mapInWorkers<O>(bundle: Bundle, ref: ClassTransformRef<O>, classIndices: number[], pool: Worker[], deflate: boolean): Promise<MapClassesResult> {
  const batches = makeBatches(bundle, classIndices);
  const entries = bundle.entries.slice();
  const perEntryDiagnostics = new Map<number, Diagnostic[]>();
  let changed = 0;

  const accept = (batch: Batch, reply: BatchReply): void => {
    const buf = reply.buf;
    let dataStart = 0;
    let compStart = reply.dataEnds.length === 0 ? 0 : reply.dataEnds[reply.dataEnds.length - 1]!;
    for (let k = 0; k < batch.indices.length; k++) {
      const i = batch.indices[k]!;
      const dataEnd = reply.dataEnds[k]!;
      const compEnd = reply.compEnds[k]!;
      const status = reply.status[k]!;
      if (status === STATUS_CHANGED || status === STATUS_DEFLATED) {
        const e = entries[i]!;
        const out = new Uint8Array(buf, dataStart, dataEnd - dataStart);
        entries[i] =
          status === STATUS_DEFLATED ? withDeflatedData(e, out, new Uint8Array(buf, compStart, compEnd - compStart), reply.crcs[k]!) : withData(e, out);
        changed++;
      }
      dataStart = dataEnd;
      compStart = compEnd;
    }
    for (const [k, d] of reply.diagnostics) {
      const i = batch.indices[k]!;
      let list = perEntryDiagnostics.get(i);
      if (!list) perEntryDiagnostics.set(i, (list = []));
      list.push(d);
    }
  };

  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const inFlight = new Map<number, Batch>();
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const dispatch = (w: Worker): void => {
      if (failed || next >= batches.length) return;
      const id = next++;
      const batch = batches[id]!;
      inFlight.set(id, batch);
      const { request, transfer } = packBatch(bundle, batch, id, deflate);
      w.postMessage(request, transfer);
    };
    if (batches.length === 0) return resolve();
    for (const w of pool) {
      const early = troubleOf.get(w);
      if (early !== undefined) return fail(new Error(`a transform worker stopped before its first batch: ${early}`));
    }
    for (const w of pool) {
      w.on("message", (m: WorkerMessage) => {
        if ("fatal" in m) return fail(new Error(`class transform ${ref.export} from ${ref.module} failed in a worker: ${m.fatal}`));
        const batch = inFlight.get(m.reply.id)!;
        inFlight.delete(m.reply.id);
        try {
          accept(batch, m.reply);
        } catch (e) {
          return fail(e);
        }
        if (++done === batches.length) return resolve();
        dispatch(w);
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        if (done < batches.length) fail(new Error(`a transform worker exited with code ${code} before finishing`));
      });
    }
    // Two batches in flight per worker: the next one is there when the current one ends.
    for (let round = 0; round < 2; round++) for (const w of pool) dispatch(w);
  });
  const diagnostics: Diagnostic[] = [];
  for (const i of classIndices) {
    const list = perEntryDiagnostics.get(i);
    if (list) diagnostics.push(...list);
  }
  return { bundle: { ...bundle, entries }, diagnostics, changed, workers: pool.length };
}

/**
 * A worker running this module. When this module is TypeScript source (the tests
 * run the sources under a loader), the worker registers tsx before importing it.
 */
function startWorker(ref: ClassTransformRef<unknown>): Worker {
  const self = new URL(import.meta.url);
  const data = { [WORKER_TAG]: true, module: moduleUrl(ref.module), export: ref.export, options: ref.options };
  let w: Worker;
  if (!self.pathname.endsWith(".ts")) w = new Worker(self, { workerData: data });
  else {
    const tsx = pathToFileURL(createRequire(self).resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
    const boot = `import(${JSON.stringify(tsx)}).then((api) => (api.register(), import(${JSON.stringify(self.href)})))`;
    w = new Worker(boot, { eval: true, workerData: data });
  }
  // A worker may fail or exit before the pool listens to it (started early, while the bundle was read).
  w.on("error", (e) => troubleOf.set(w, thrownDetail(e)));
  w.on("exit", (code) => troubleOf.has(w) || troubleOf.set(w, `exit code ${code}`));
  return w;
}

/** Why a worker stopped, once it has. */
const troubleOf = new WeakMap<Worker, string>();

// ---------------------------------------------------------------------------
// The worker side

async function workerMain(): Promise<void> {
  const port = parentPort!;
  const spec = workerData as { module: string; export: string; options: unknown };
  let transform: ClassTransform;
  try {
    transform = await loadTransform(spec);
  } catch (e) {
    port.on("message", () => port.postMessage({ fatal: thrownDetail(e) } satisfies WorkerMessage));
    return;
  }
  port.on("message", (req: BatchRequest) => {
    try {
      const reply = runBatch(transform, spec.options, req);
      port.postMessage({ reply } satisfies WorkerMessage, [reply.buf]);
    } catch (e) {
      port.postMessage({ fatal: thrownDetail(e) } satisfies WorkerMessage);
    }
  });
}

function runBatch(transform: ClassTransform, options: unknown, req: BatchRequest): BatchReply {
  const n = req.names.length;
  const input = new Uint8Array(req.buf);
  const status = new Uint8Array(n);
  const outs: (Uint8Array | undefined)[] = new Array(n);
  const comps: (Uint8Array | undefined)[] = new Array(n);
  const crcs = new Uint32Array(n);
  const diagnostics: [number, Diagnostic][] = [];
  const source = req.sources[0];
  let total = 0;
  for (let k = 0, start = 0; k < n; start = req.ends[k]!, k++) {
    const name = req.names[k]!;
    const where: Location = source !== undefined ? { bundle: source, entry: name } : { entry: name };
    const local: Diagnostic[] = [];
    const original = input.subarray(start, req.ends[k]!);
    let out = applyOne(transform, original, where, options, local);
    for (const d of local) diagnostics.push([k, d]);
    // Identical bytes are no change: nothing to send back or to deflate (see withData).
    if (out && out.length === original.length && Buffer.compare(out, original) === 0) out = undefined;
    if (out === null || out === undefined) {
      status[k] = out === null ? STATUS_FAILED : STATUS_UNCHANGED;
      continue;
    }
    status[k] = STATUS_CHANGED;
    outs[k] = out;
    total += out.length;
    if (req.deflate[k] === 1) {
      status[k] = STATUS_DEFLATED;
      const c = deflateRawSync(out);
      comps[k] = c;
      crcs[k] = crc32(out);
      total += c.length;
    }
  }
  const buf = new Uint8Array(total);
  const dataEnds = new Int32Array(n);
  const compEnds = new Int32Array(n);
  let p = 0;
  for (let k = 0; k < n; k++) {
    const out = outs[k];
    if (out) buf.set(out, p), (p += out.length);
    dataEnds[k] = p;
  }
  for (let k = 0; k < n; k++) {
    const c = comps[k];
    if (c) buf.set(c, p), (p += c.length);
    compEnds[k] = p;
  }
  return { id: req.id, status, dataEnds, compEnds, crcs, buf: buf.buffer, diagnostics };
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_TAG] === true) void workerMain();
