/**
 * Splitting one class entry of a bundle as a job of `runJobs` (src/bundle/job-pool.ts),
 * so that `splitBundle` can split classes on worker threads and this one at once.
 * A job reads the class, splits its over-sized methods (`splitClass`), writes the
 * class and any helper class (or says it failed: the class is then left out), and returns them with the method reports, the
 * mapping rows and the diagnostics, all plain data. Every thread builds the job
 * once from the same `init`: the bundle's classes (for the class hierarchy), the
 * classpath and JDK to look up, the options and the names helper classes must not
 * take. The thread that registered its hierarchy (`registerHierarchy`) uses it as
 * it is rather than building a second one.
 *
 * Deterministic: a job's output depends only on its input and `init` (hierarchy
 * caches differ between threads, their answers do not). The one thing a class's
 * split reads from earlier classes, the helper class names they took, is handled
 * by the caller: a job sees only the bundle's own names (plus `alsoTaken`) and
 * `splitBundle` runs a class again with the names taken before it when its helper
 * clashes. Classes a thread's hierarchy could not find are returned per job
 * (`missing`), so that the warnings cover every thread.
 */
import { startJobWorkers, type StartedWorkers } from "../bundle/job-pool.js";
import { readClass } from "../classfile/read.js";
import { writeClass } from "../classfile/write.js";
import { asDiagnostic, type Diagnostic } from "../diagnostics.js";
import { createClassHierarchy, type LoadedClassHierarchy } from "../hierarchy/hierarchy.js";
import type { SplitMethodMapping } from "../../runtime/mapping.js";
import { mappingRowsOf } from "./split-mapping.js";
import { splitClass, type MethodReport } from "./split-class.js";
import type { SplitLinkMode } from "./split-method.js";

/** This module, for `runJobs` (the .ts source under the tests, the .js build otherwise). */
export const SPLIT_JOB_MODULE = import.meta.url;

/** `count` split workers started now (`startJobWorkers`), for `splitBundle`'s `started`. */
export function startSplitWorkers(count: number): StartedWorkers {
  return startJobWorkers({ module: SPLIT_JOB_MODULE, export: "splitJob" }, count);
}

export interface SplitJobInit {
  /** The bundle's classes as the hierarchy looks them up: [internal name, bytes]. */
  classes: [string, Uint8Array][];
  classpath?: string[];
  javaHome?: string;
  maxSize: number;
  link: SplitLinkMode;
  verify?: boolean;
  /** The bundle's name in diagnostics. */
  bundle: string;
  /** Internal names of the bundle's classes: a helper class takes none of them. */
  takenClassNames: string[];
  /** A hierarchy registered in this thread with {@link registerHierarchy}. */
  hierarchyKey?: number;
}

export interface SplitJobInput {
  entry: string;
  data: Uint8Array;
  /** Helper-class names that classes before this one took (set when running it again). */
  alsoTaken?: string[];
}

export interface SplitJobOutput {
  /** The class written anew; undefined when it is unchanged (or could not be read). */
  data?: Uint8Array;
  /** A new class holding pieces of this one, to be written right after it. */
  helper?: { entry: string; className: string; data: Uint8Array };
  reports: (MethodReport & { entry: string })[];
  /** Arguments of `MappingBuilder.addSplit`, in order. */
  mapping: [className: string, sourceFile: string | undefined, method: SplitMethodMapping][];
  diagnostics: Diagnostic[];
  /** Classes this thread's hierarchy first found missing during this job. */
  missing: string[];
  /** The class could not be read or split (reported in `diagnostics`): it is left out of the output. */
  failed?: true;
}

const registered = new Map<number, LoadedClassHierarchy>();
let nextKey = 1;

/** Lends `hierarchy` to jobs built in this thread; returns the key for `init` and a release function. */
export function registerHierarchy(hierarchy: LoadedClassHierarchy): { key: number; release: () => void } {
  const key = nextKey++;
  registered.set(key, hierarchy);
  return { key, release: () => registered.delete(key) };
}

/** The job builder named in `runJobs` (export "splitJob"). */
export async function splitJob(init: SplitJobInit): Promise<(input: SplitJobInput) => SplitJobOutput> {
  const hierarchy =
    (init.hierarchyKey !== undefined ? registered.get(init.hierarchyKey) : undefined) ??
    (await createClassHierarchy({
      bundleClasses: new Map(init.classes),
      ...(init.classpath ? { classpath: init.classpath } : {}),
      ...(init.javaHome ? { javaHome: init.javaHome } : {}),
    }));
  const taken = new Set(init.takenClassNames);
  return (input) => splitEntry(input, init, hierarchy, taken);
}

function splitEntry(input: SplitJobInput, init: SplitJobInit, hierarchy: LoadedClassHierarchy, bundleNames: ReadonlySet<string>): SplitJobOutput {
  const where = { bundle: init.bundle, entry: input.entry };
  const out: SplitJobOutput = { reports: [], mapping: [], diagnostics: [], missing: [] };
  const missingBefore = hierarchy.missing.size;
  const takenClassNames = input.alsoTaken ? new Set([...bundleNames, ...input.alsoTaken]) : bundleNames;
  try {
    const cf = readClass(input.data, { where, diagnostics: out.diagnostics });
    const result = splitClass(cf, { maxSize: init.maxSize, link: init.link, hierarchy, takenClassNames, diagnostics: out.diagnostics, ...(init.verify ? { verify: true } : {}) });
    for (const r of result.reports) out.reports.push({ ...r, entry: input.entry });
    if (result.changed) {
      const cls = result.classFile;
      const thisName = cls.constantPool.className(cls.thisClass);
      out.mapping.push(...mappingRowsOf(result));
      out.data = writeClass(cls, { where });
      if (result.helper) {
        const helperName = result.helper.constantPool.className(result.helper.thisClass);
        // The helper's entry sits beside the class's: same directory prefix (e.g. META-INF/versions/N/).
        const prefix = input.entry.endsWith(`${thisName}.class`) ? input.entry.slice(0, input.entry.length - thisName.length - 6) : "";
        const entry = `${prefix}${helperName}.class`;
        out.helper = { entry, className: helperName, data: writeClass(result.helper, { where: { ...where, entry } }) };
      }
    }
  } catch (e) {
    // As the in-order loop does: the entry is left out (`unreadable`); reports and
    // mapping rows made before the failure stay.
    out.diagnostics.push(asDiagnostic(e, where));
    delete out.data;
    delete out.helper;
    out.failed = true;
  }
  if (hierarchy.missing.size > missingBefore) out.missing = [...hierarchy.missing].slice(missingBefore);
  return out;
}
