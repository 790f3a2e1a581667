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
 */
import { type Bundle, type BundleEntry, entryClassName, isClassEntry, newEntry, withData } from "../bundle/bundle.js";
import { dropSignaturesIfClassesChanged } from "../bundle/jar.js";
import { findAttribute } from "../classfile/model.js";
import { readClass } from "../classfile/read.js";
import { writeClass } from "../classfile/write.js";
import { asDiagnostic, type Diagnostic } from "../diagnostics.js";
import { bundleClassMap, createClassHierarchy } from "../hierarchy/hierarchy.js";
import type { SplitLinkMode } from "./split-method.js";
import { MappingBuilder } from "../../runtime/mapping.js";
import { splitClass, type MethodReport } from "./split-class.js";

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
  const diagnostics: Diagnostic[] = [];
  const hierarchy = await createClassHierarchy({
    // A class bundle's header is read again below, where a failure is reported (once).
    bundleClasses: bundleClassMap(bundle, bundle.kind === "class" ? [] : diagnostics),
    ...(opts.classpath ? { classpath: opts.classpath } : {}),
    ...(opts.javaHome ? { javaHome: opts.javaHome } : {}),
  });
  diagnostics.push(...hierarchy.diagnostics);
  const mapping = new MappingBuilder();
  const reports: BundleMethodReport[] = [];
  const where = { bundle: opts.name ?? bundle.source ?? "" };
  const takenClassNames = new Set(bundle.entries.filter(isClassEntry).map((e) => entryClassName(e.name)));
  const unreadable: string[] = [];
  let done = 0;
  let methodsSplit = 0;
  const entries: BundleEntry[] = bundle.entries.flatMap((entry): BundleEntry[] => {
    opts.onEntry?.(done++, bundle.entries.length, methodsSplit);
    if (!isClassEntry(entry)) return [entry];
    try {
      const cf = readClass(entry.data, { where: { ...where, entry: entry.name }, diagnostics });
      const result = splitClass(cf, { maxSize, link: opts.link ?? "auto", hierarchy, takenClassNames, diagnostics, ...(opts.verify ? { verify: true } : {}) });
      for (const r of result.reports) reports.push({ ...r, entry: entry.name });
      methodsSplit += result.reports.filter((r) => r.result.kind === "split").length;
      if (!result.changed) return [entry];
      const out = result.classFile;
      const sf = findAttribute(out.attributes, "SourceFile");
      const sourceFile = sf ? out.constantPool.utf8(sf.sourceFileIndex) : undefined;
      for (const r of result.reports) {
        if (r.result.kind !== "split") continue;
        const [name, descriptor] = [r.method.slice(0, r.method.indexOf("(")), r.method.slice(r.method.indexOf("("))];
        mapping.addSplit(out.constantPool.className(out.thisClass), sourceFile, {
          name,
          descriptor,
          driverLines: r.result.driverLines,
          pieces: r.result.pieces.map((p) => ({ name: p.name, descriptor: p.descriptor, lines: p.lines })),
          callSites: r.result.callSites,
          syntheticBase: result.syntheticBase,
          ...(r.pieceClass !== undefined ? { pieceClass: r.pieceClass } : {}),
        });
      }
      const written = withData(entry, writeClass(out, { where: { ...where, entry: entry.name } }));
      if (!result.helper) return [written];
      const helperName = result.helper.constantPool.className(result.helper.thisClass);
      takenClassNames.add(helperName);
      const thisName = out.constantPool.className(out.thisClass);
      // The helper's entry sits beside the class's: same directory prefix (e.g. META-INF/versions/N/).
      const prefix = entry.name.endsWith(`${thisName}.class`) ? entry.name.slice(0, entry.name.length - thisName.length - 6) : "";
      const helperEntry = `${prefix}${helperName}.class`;
      return [written, newEntry(helperEntry, writeClass(result.helper, { where: { ...where, entry: helperEntry } }))];
    } catch (e) {
      diagnostics.push(asDiagnostic(e, { ...where, entry: entry.name }));
      unreadable.push(entry.name);
      return [];
    }
  });
  opts.onEntry?.(done, bundle.entries.length, methodsSplit);
  diagnostics.push(...hierarchy.missingDiagnostics());
  let out: Bundle = { ...bundle, entries };
  if (bundle.kind === "jar") {
    const dropped = dropSignaturesIfClassesChanged(out);
    out = dropped.bundle;
    diagnostics.push(...dropped.diagnostics);
  }
  return { bundle: out, reports, diagnostics, mapping, unreadable };
}
