/**
 * `runJobs`: runs one job function over a list of inputs on this thread and on
 * worker threads (node:worker_threads) at the same time, and returns the outputs in
 * input order. It serves work that needs more than bytes in, bytes out (that is
 * `mapClassEntries` in parallel.ts): splitting a class needs the class hierarchy of
 * the whole bundle and returns reports and mapping rows besides the class.
 *
 * The job is named, not passed: a module (absolute path, `file:` URL or package),
 * an export that builds the job function from `init` (plain data that survives
 * structured clone, e.g. every class of the bundle for the hierarchy), and `init`.
 * Every thread builds its own job function once; this thread builds one too and
 * runs jobs between the workers' messages, so on two cores both cores split.
 * Workers may be started ahead (`startJobWorkers`): they import the module while
 * the caller still prepares `init` and get it by message.
 *
 * Invariants: the output does not depend on the number of threads or on
 * scheduling, provided the job function is a function of its input (its caches
 * may differ between threads, its results must not): outputs are placed by input
 * index. A job function that throws is a bug (inputs that are bad are the job's to
 * report in its output): the whole call rejects.
 *
 * Cost: inputs and outputs are copied by structured clone (a Uint8Array view costs
 * its whole backing buffer: pass compact arrays, see `compactBytes`); jobs go out
 * in small batches on demand, at most two per worker in flight, so uneven jobs
 * balance out (better still with `heaviestFirst`); a worker pays a module load
 * and its `init` once per call.
 */
import { InternalError, thrownDetail } from "../diagnostics.js";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** A job function built by `export(init)`. */
export type JobFunction<In, Out> = (input: In) => Out;

/** Names the module export that builds a {@link JobFunction} from `init`. */
export interface JobRef<I> {
  /** An absolute path, a `file:` URL or a package specifier (not a relative path). */
  module: string;
  /** The exported builder: `(init) => JobFunction` (or a promise of one). */
  export: string;
  /** Given to every thread's builder; must survive structured clone (plain data). */
  init: I;
}

export interface RunJobsOptions<In> {
  /** Worker threads besides this one; default `availableParallelism() - 1`. 0 = this thread only. */
  workers?: number;
  /** With fewer inputs every job runs in this thread (default 16). */
  minJobs?: number;
  /** Rough size of an input, to cut batches (default 1 each). */
  weight?: (input: In) => number;
  /** Weight of one batch sent to a worker (default 32). */
  batchWeight?: number;
  /**
   * Hand out the heaviest inputs first (by `weight`; equal weights in input
   * order), so that the threads end together instead of one finishing a heavy
   * job alone. Outputs stay in input order.
   */
  heaviestFirst?: boolean;
  /**
   * Workers started ahead with {@link startJobWorkers} for the same module and
   * export: they are used instead of `workers` (and ended by this call, used or not).
   */
  started?: StartedWorkers;
}

/** Besides {@link RunJobsOptions}: told of each output as it is placed (in no particular order; for progress). */
export interface RunJobsCallbacks<Out> {
  onOutput?: (index: number, output: Out) => void;
}

const WORKER_TAG = "megasplit.job-pool.v1";
/** At most this many jobs in one message, however light. */
const BATCH_MAX_JOBS = 64;

type Reply<Out> = { id: number; outputs: Out[] } | { fatal: string };

/** A copy of `bytes` that owns its whole buffer (a view would clone its whole backing store). */
export function compactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Worker threads that import a job module before `runJobs` has its init and inputs. */
export interface StartedWorkers {
  readonly module: string;
  readonly export: string;
  readonly workers: readonly Worker[];
  /**
   * Sends the init now, before `runJobs` is called (so the workers build the job
   * while the caller still prepares its inputs); it must be what `runJobs` gets as
   * `init` but for fields only this thread reads. `runJobs` then sends nothing.
   */
  sendInit(init: unknown): void;
  readonly initSent: boolean;
  /** Ends them (when `runJobs` will not: it was never called). */
  close(): Promise<void>;
}

/**
 * Starts `count` workers for `runJobs` now, so that their start and the import of
 * the job module (hundreds of ms for the splitter) overlap what the caller does
 * before it can build `init` (say, reading the input). The job is built once
 * `runJobs` sends `init`.
 */
export function startJobWorkers(ref: { module: string; export: string }, count: number): StartedWorkers {
  const workers: Worker[] = [];
  for (let k = 0; k < count; k++) {
    const w = startWorker(ref);
    // It may fail or exit before runJobs listens to it.
    w.on("error", (e) => troubleOf.set(w, thrownDetail(e)));
    w.on("exit", (code) => troubleOf.has(w) || troubleOf.set(w, `exit code ${code}`));
    workers.push(w);
  }
  let initSent = false;
  return {
    module: ref.module,
    export: ref.export,
    workers,
    sendInit: (init) => {
      if (initSent) throw new InternalError("the init of started workers was sent twice");
      initSent = true;
      for (const w of workers) w.postMessage({ init });
    },
    get initSent() {
      return initSent;
    },
    close: () => Promise.all(workers.map((w) => w.terminate())).then(() => {}),
  };
}

/** Why a worker started ahead stopped, once it has. */
const troubleOf = new WeakMap<Worker, string>();

function moduleUrl(module: string): string {
  if (module.startsWith(".")) throw new TypeError(`job module ${JSON.stringify(module)} is relative; give an absolute path, a file URL or a package`);
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

async function buildJob<I, In, Out>(ref: { module: string; export: string }, init: I): Promise<JobFunction<In, Out>> {
  const mod = (await import(moduleUrl(ref.module))) as Record<string, unknown>;
  const builder = mod[ref.export];
  if (typeof builder !== "function") throw new TypeError(`${ref.module} has no exported function ${ref.export}`);
  const fn = (await (builder as (init: I) => unknown)(init)) as unknown;
  if (typeof fn !== "function") throw new TypeError(`${ref.module}'s ${ref.export} did not return a job function`);
  return fn as JobFunction<In, Out>;
}

/** Runs the job over `inputs`; outputs in input order. */
export async function runJobs<I, In, Out>(ref: JobRef<I>, inputs: readonly In[], options: RunJobsOptions<In> & RunJobsCallbacks<Out> = {}): Promise<Out[]> {
  const n = inputs.length;
  const outputs: Out[] = new Array(n);
  const place = (i: number, out: Out): void => {
    outputs[i] = out;
    options.onOutput?.(i, out);
  };
  const started = options.started;
  if (started && (started.module !== ref.module || started.export !== ref.export)) {
    await started.close();
    throw new TypeError(`workers started for ${started.export} from ${started.module} were given to runJobs for ${ref.export} from ${ref.module}`);
  }
  const wanted = started ? started.workers.length : Math.max(0, options.workers ?? availableParallelism() - 1);
  let local: JobFunction<In, Out>;
  try {
    local = await buildJob<I, In, Out>(ref, ref.init);
  } catch (e) {
    await started?.close();
    throw e;
  }
  if (wanted === 0 || n < (options.minJobs ?? 16)) {
    await started?.close();
    for (let i = 0; i < n; i++) place(i, local(inputs[i]!));
    return outputs;
  }
  const weight = options.weight ?? (() => 1);
  const batchWeight = options.batchWeight ?? 32;
  const pool: Worker[] = started ? [...started.workers] : [];
  while (pool.length < wanted) pool.push(startWorker(ref));
  // Workers started ahead learn the init now (unless the caller sent it earlier); the others had it from the start.
  if (started && !started.initSent) for (const w of pool) w.postMessage({ init: ref.init });
  // Inputs are handed out in this order: position k is input at(k).
  const order = options.heaviestFirst ? heaviestFirst(inputs, weight) : undefined;
  const at = (k: number): number => (order ? order[k]! : k);
  let next = 0;
  let failure: Error | undefined;
  /** Takes the next batch of positions: [from, to). */
  const take = (limit: number): [number, number] => {
    const from = next;
    let w = 0;
    while (next < n && next - from < BATCH_MAX_JOBS && (next === from || w < limit)) w += weight(inputs[at(next++)]!);
    return [from, next];
  };
  try {
    const inFlight = new Map<number, [number, number]>();
    let batchIds = 0;
    let settle: (() => void) | undefined;
    const workersDone = new Promise<void>((resolve, reject) => {
      const fail = (e: unknown): void => {
        failure ??= e instanceof Error ? e : new Error(String(e));
        reject(failure);
      };
      const check = (): void => {
        if (next >= n && inFlight.size === 0) resolve();
      };
      settle = check;
      const dispatch = (w: Worker): void => {
        if (failure || next >= n) return check();
        const [from, to] = take(batchWeight);
        const id = batchIds++;
        inFlight.set(id, [from, to]);
        const batch: In[] = [];
        for (let k = from; k < to; k++) batch.push(inputs[at(k)]!);
        w.postMessage({ id, inputs: batch });
      };
      for (const w of pool) {
        w.on("message", (m: Reply<Out>) => {
          if ("fatal" in m) return fail(new Error(`job ${ref.export} from ${ref.module} failed in a worker: ${m.fatal}`));
          const [from] = inFlight.get(m.id)!;
          inFlight.delete(m.id);
          try {
            for (let k = 0; k < m.outputs.length; k++) place(at(from + k), m.outputs[k]!);
          } catch (e) {
            return fail(e);
          }
          dispatch(w);
        });
        w.on("error", fail);
        w.on("exit", (code) => {
          if (next < n || inFlight.size > 0) fail(new Error(`a job worker exited with code ${code} before finishing`));
        });
        const early = troubleOf.get(w);
        if (early !== undefined) return fail(new Error(`a job worker stopped before its first batch: ${early}`));
        // Two batches per worker: the next one waits there while the current one runs.
        dispatch(w);
        dispatch(w);
      }
    });
    workersDone.catch(() => {}); // observed below; a failure also stops this thread's loop
    // This thread takes one job at a time and lets the workers' messages in between.
    while (next < n && !failure) {
      const i = at(next++);
      place(i, local(inputs[i]!));
      await new Promise<void>((r) => setImmediate(r));
    }
    settle?.();
    await workersDone;
    return outputs;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Input indices, heaviest first; equal weights keep input order. */
function heaviestFirst<In>(inputs: readonly In[], weight: (input: In) => number): Int32Array {
  const weights = inputs.map(weight);
  const order = Array.from({ length: inputs.length }, (_, i) => i);
  order.sort((a, b) => weights[b]! - weights[a]! || a - b);
  return Int32Array.from(order);
}

/**
 * A worker running this module. When this module is TypeScript source (the tests
 * run the sources under a loader), the worker registers tsx before importing it.
 */
function startWorker(ref: { module: string; export: string; init?: unknown }): Worker {
  const self = new URL(import.meta.url);
  const data = { [WORKER_TAG]: true, module: moduleUrl(ref.module), export: ref.export, ...("init" in ref ? { init: ref.init } : {}) };
  if (!self.pathname.endsWith(".ts")) return new Worker(self, { workerData: data });
  const tsx = pathToFileURL(createRequire(self).resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
  const boot = `import(${JSON.stringify(tsx)}).then((api) => (api.register(), import(${JSON.stringify(self.href)})))`;
  return new Worker(boot, { eval: true, workerData: data });
}

async function workerMain(): Promise<void> {
  const port = parentPort!;
  const spec = workerData as { module: string; export: string; init?: unknown };
  // Started ahead (no init yet): import the module meanwhile; the init comes first by message.
  let job = "init" in spec ? buildJob<unknown, unknown, unknown>(spec, spec.init) : undefined;
  const imported = job ? undefined : import(moduleUrl(spec.module)).catch(() => {}); // a failure shows in buildJob
  port.on("message", (req: { init: unknown } | { id: number; inputs: unknown[] }) => {
    if ("init" in req) {
      job = Promise.resolve(imported).then(() => buildJob<unknown, unknown, unknown>(spec, req.init));
      job.catch(() => {}); // reported with the first batch
      return;
    }
    // Messages that arrive while the job is being built wait for it.
    job!.then(
      (fn) => {
        try {
          port.postMessage({ id: req.id, outputs: req.inputs.map((x) => fn(x)) } satisfies Reply<unknown>);
        } catch (e) {
          port.postMessage({ fatal: thrownDetail(e) } satisfies Reply<unknown>);
        }
      },
      (e: unknown) => port.postMessage({ fatal: thrownDetail(e) } satisfies Reply<unknown>),
    );
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_TAG] === true) void workerMain();
