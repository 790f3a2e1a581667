/**
 * Splits every over-sized method of every class in a bundle (a class file, a
 * directory or a jar): builds the class hierarchy the frame computations need (the
 * bundle itself, the classpath, the JDK), splits class by class, and returns the
 * new bundle, one report per method considered, the diagnostics, and the mapping.
 * A class that cannot be read is reported once and left out of the output (listed
 * in `unreadable`): copying it would pass off bytes no JVM accepts as a class
 * written by the splitter, and dropping it loses nothing usable; every other
 * entry is still split or copied. Changed classes of
 * a signed jar drop its signature files (with a warning). A helper class holding
 * pieces of a class (`helper-class.ts`) is a new entry right after the class's,
 * in the same directory (so a multi-release version directory too), named so that
 * no class of the bundle has its name. Deterministic: entries keep their order,
 * and the same input gives the same output and mapping.
 *
 * Most classes have no method over the limit: a fast scan (`scanClass`,
 * src/classfile/scan.ts) that finds such a class regular lets it be copied unread;
 * every other class (one to split, or one the scan leaves to `readClass` to report)
 * is a job (`split-job.ts`) that `runJobs` (src/bundle/job-pool.ts) spreads over
 * this thread and `workers` worker threads, if there is enough code over the limit
 * to pay for their start (`MIN_SPLIT_WORK_FOR_WORKERS`); the results are put
 * together here in entry order, so the output is the same for any number of
 * workers (a helper class whose name an earlier class took is made again here).
 * With workers, the class bytes are copied once into shared memory, which crosses
 * to the workers without being cloned again.
 */
import { type Bundle, type BundleEntry, entryClassName, isClassEntry, newEntry, withData } from "../bundle/bundle.js";
import { dropSignaturesIfClassesChanged } from "../bundle/jar.js";
import { compactBytes, runJobs, type StartedWorkers } from "../bundle/job-pool.js";
import type { Diagnostic } from "../diagnostics.js";
import { bundleClassMap, createClassHierarchy } from "../hierarchy/hierarchy.js";
import type { SplitLinkMode } from "./split-method.js";
import { SCAN_IRREGULAR, scanClass } from "../classfile/scan.js";
import { MappingBuilder } from "../../runtime/mapping.js";
import type { MethodReport } from "./split-class.js";
import { DeflateAhead } from "./deflate-ahead.js";
import { registerHierarchy, SPLIT_JOB_MODULE, splitJob, type SplitJobInit, type SplitJobInput, type SplitJobOutput } from "./split-job.js";

export interface SplitBundleOptions {
  /** Largest code length of any method written; default 8000 (HotSpot's JIT limit), at most 65535. */
  maxSize?: number;
  link?: SplitLinkMode;
  /** Jars and directories the bundle's classes depend on (for frame merges). */
  classpath?: string[];
  /** JDK home for JDK classes; default: found from `javac` on PATH or JAVA_HOME. */
  javaHome?: string;
  /** Name of the bundle in diagnostics. */
  name?: string;
  /** Check every written body with the internal verifier between passes (tests). */
  verify?: boolean;
  /** Called after each entry (for a progress display): entries done, entries in all, methods split so far. */
  onEntry?: (done: number, total: number, methodsSplit: number) => void;
  /**
   * Worker threads that split classes besides this thread (`runJobs`,
   * src/bundle/job-pool.ts); default 0. The output is the same for any number.
   */
  workers?: number;
  /**
   * Split workers started ahead (`startSplitWorkers`, split-job.ts), e.g. while the
   * bundle was read; used instead of `workers`, and ended by the call.
   */
  started?: StartedWorkers;
  /**
   * Use the workers however little there is to split (tests of the threaded path);
   * by default a split with less than `MIN_SPLIT_WORK_FOR_WORKERS` bytes of code
   * over the limit, or fewer jobs than `runJobs` hands out, runs in this thread.
   */
  alwaysUseWorkers?: boolean;
  /**
   * Deflate changed and new classes on the zlib helper thread while the split goes
   * on (`deflate-ahead.ts`), for a caller that writes the bundle as a jar: the
   * written bytes are the same, the write has less left to do.
   */
  deflateAhead?: boolean;
}

export interface BundleMethodReport extends MethodReport {
  entry: string;
}

export interface BundleSplit {
  bundle: Bundle;
  reports: BundleMethodReport[];
  diagnostics: Diagnostic[];
  mapping: MappingBuilder;
  /** Class entries that could not be read: reported in `diagnostics`, not in `bundle`. */
  unreadable: string[];
}

export async function splitBundle(bundle: Bundle, opts: SplitBundleOptions = {}): Promise<BundleSplit> {
  const maxSize = opts.maxSize ?? 8000;
  const classIndices = bundle.entries.flatMap((e, i) => (isClassEntry(e) ? [i] : []));
  // Most classes have no method over the limit: those a scan finds regular are copied
  // unread (scan.ts); the others are jobs (read, split or reported as readClass does).
  const scans = classIndices.map((i) => scanClass(bundle.entries[i]!.data, maxSize));
  const jobIndices = classIndices.filter((_, k) => scans[k] !== 0);
  const splitWork = scans.reduce((n, s, k) => n + (s > 0 ? s : s === SCAN_IRREGULAR ? bundle.entries[classIndices[k]!]!.data.length : 0), 0);
  const worthWorkers = opts.alwaysUseWorkers === true || splitWork >= MIN_SPLIT_WORK_FOR_WORKERS;
  const started = await workersWorthStarting(opts, worthWorkers);
  const workers = started ? started.workers.length : worthWorkers ? (opts.workers ?? 0) : 0;
  const diagnostics: Diagnostic[] = [];
  // A class bundle's header is read again below, where a failure is reported (once).
  const classes = bundleClassMap(bundle, bundle.kind === "class" ? [] : diagnostics);
  const bundleNames = new Set(bundle.entries.filter(isClassEntry).map((e) => entryClassName(e.name)));
  // With workers, the class bytes are copied once into shared memory: the init and
  // every batch of inputs then cross to a worker without a copy (a plain view would
  // be cloned with its whole backing buffer).
  const sharedBytes = workers > 0 ? sharedCopies(bundle.entries.filter(isClassEntry).map((e) => e.data)) : undefined;
  const own = (b: Uint8Array) => (sharedBytes ? (sharedBytes.get(b) ?? compactBytes(b)) : b);
  const initForWorkers: SplitJobInit = {
    classes: [...classes].map(([name, bytes]) => [name, own(bytes)]),
    ...(opts.classpath ? { classpath: opts.classpath } : {}),
    ...(opts.javaHome ? { javaHome: opts.javaHome } : {}),
    maxSize,
    link: opts.link ?? "auto",
    ...(opts.verify ? { verify: true } : {}),
    bundle: opts.name ?? bundle.source ?? "",
    takenClassNames: [...bundleNames],
  };
  // Workers started ahead build their hierarchy while this thread builds its own.
  started?.sendInit(initForWorkers);
  let hierarchy;
  try {
    hierarchy = await createClassHierarchy({
      bundleClasses: classes,
      ...(opts.classpath ? { classpath: opts.classpath } : {}),
      ...(opts.javaHome ? { javaHome: opts.javaHome } : {}),
    });
  } catch (e) {
    await started?.close(); // runJobs, which ends them otherwise, is not reached
    throw e;
  }
  diagnostics.push(...hierarchy.diagnostics);
  const lent = registerHierarchy(hierarchy);
  const init: SplitJobInit = { ...initForWorkers, hierarchyKey: lent.key };
  const mapping = new MappingBuilder();
  const reports: BundleMethodReport[] = [];
  const unreadable: string[] = [];
  const entries: BundleEntry[] = [];
  const total = bundle.entries.length;
  let methodsSplit = 0;
  const ahead = opts.deflateAhead ? new DeflateAhead() : undefined;
  try {
    const inputs: SplitJobInput[] = jobIndices.map((i) => ({ entry: bundle.entries[i]!.name, data: own(bundle.entries[i]!.data) }));
    // Progress counts entries as their jobs finish, in whatever order the threads finish them.
    let done = total - jobIndices.length;
    opts.onEntry?.(done, total, 0);
    const outputs = await runJobs<SplitJobInit, SplitJobInput, SplitJobOutput>({ module: SPLIT_JOB_MODULE, export: "splitJob", init }, inputs, {
      workers,
      ...(started ? { started } : {}),
      ...(opts.alwaysUseWorkers ? { minJobs: 1 } : {}),
      weight: (x) => x.data.length,
      // The largest classes hold the largest methods: started first, they do not end the run alone.
      heaviestFirst: true,
      batchWeight: 64 * 1024,
      onOutput: (_, out) => {
        if (ahead && !out.failed) {
          if (out.data) ahead.add(out.data);
          if (out.helper) ahead.add(out.helper.data);
        }
        methodsSplit += out.reports.filter((r) => r.result.kind === "split").length;
        opts.onEntry?.(++done, total, methodsSplit);
      },
    });
    await ahead?.finish();
    // Helper classes named by earlier classes: a class whose helper took one of
    // them runs again here knowing them, as in a one-by-one pass.
    const helpers = new Set<string>();
    let again: ((input: SplitJobInput) => SplitJobOutput) | undefined;
    let k = 0;
    for (const [i, entry] of bundle.entries.entries()) {
      if (!isClassEntry(entry) || jobIndices[k] !== i) {
        entries.push(entry); // not a class, or a class copied unread
        continue;
      }
      let out = outputs[k]!;
      if (out.helper && helpers.has(out.helper.className)) {
        again ??= await splitJob(init);
        out = again({ ...inputs[k]!, alsoTaken: [...helpers] });
      }
      k++;
      reports.push(...out.reports);
      diagnostics.push(...out.diagnostics);
      hierarchy.addMissing(out.missing);
      for (const [className, sourceFile, method] of out.mapping) mapping.addSplit(className, sourceFile, method);
      if (out.failed) {
        unreadable.push(entry.name);
        continue;
      }
      entries.push(out.data ? await (ahead ? ahead.withData(entry, out.data) : withData(entry, out.data)) : entry);
      if (out.helper) {
        helpers.add(out.helper.className);
        const helper = newEntry(out.helper.entry, out.helper.data);
        entries.push(ahead ? await ahead.withData(helper, out.helper.data) : helper);
      }
    }
  } finally {
    lent.release();
    // The hierarchy holds the JDK image open: a caller that splits many bundles in one process must not run out of file descriptors.
    hierarchy.close();
  }
  opts.onEntry?.(total, total, methodsSplit);
  diagnostics.push(...hierarchy.missingDiagnostics());
  let out: Bundle = { ...bundle, entries };
  if (bundle.kind === "jar") {
    const dropped = dropSignaturesIfClassesChanged(out);
    out = dropped.bundle;
    diagnostics.push(...dropped.diagnostics);
  }
  return { bundle: out, reports, diagnostics, mapping, unreadable };
}

/**
 * Below this much code over the limit (bytes of the methods to split, or of a class
 * the scan left to readClass), a split runs in this thread alone: each worker is
 * another V8 isolate that loads the splitter, builds its own class hierarchy and
 * warms up its own JIT, which costs more than it saves on a handful of methods.
 * Measured on jython.jar (bench/throughput/results-thru3.md).
 */
export const MIN_SPLIT_WORK_FOR_WORKERS = 1 << 20;

/** The workers started ahead if the split is worth them; else they are ended now. */
async function workersWorthStarting(opts: SplitBundleOptions, worthWorkers: boolean): Promise<StartedWorkers | undefined> {
  if (!opts.started) return undefined;
  if (worthWorkers) return opts.started;
  await opts.started.close();
  return undefined;
}

/**
 * Each array's bytes copied into one SharedArrayBuffer, keyed by the original:
 * one copy in all, and structured clone passes a view of shared memory on without
 * copying it. Nothing writes to class bytes, here or in a worker.
 */
function sharedCopies(arrays: readonly Uint8Array[]): Map<Uint8Array, Uint8Array> {
  let total = 0;
  for (const a of arrays) total += a.length;
  const memory = new SharedArrayBuffer(total);
  const out = new Map<Uint8Array, Uint8Array>();
  let p = 0;
  for (const a of arrays) {
    if (out.has(a)) continue;
    const view = new Uint8Array(memory, p, a.length);
    view.set(a);
    out.set(a, view);
    p += a.length;
  }
  return out;
}
