/**
 * The splitter as a library call: classes (as bytes or as models built in memory)
 * in, legal class bytes out, with the helper classes that hold pieces, the mapping
 * text that retraces their stack traces (R8 format 2.2), one report per method
 * over the limit and the diagnostics. A thin facade over `split/split-class.ts`
 * and `split/split-bundle.ts`: the class hierarchy the frame computations need is
 * built from the classes given, the classpath and the JDK, unless the caller
 * passes one. Methods of any length are accepted in memory; what comes out never
 * exceeds `maxSize` unless a method was refused (reported, and an error when the
 * class then cannot be written at all). Deterministic: the same input gives the
 * same bytes and mapping. Cost: one method split per over-sized method.
 */
import { type Bundle } from "../bundle/bundle.js";
import { type ClassFile, codeOf } from "../classfile/model.js";
import { readClass } from "../classfile/read.js";
import { writeClass } from "../classfile/write.js";
import { asDiagnostic, type Diagnostic, ErrorCodes, warning } from "../diagnostics.js";
import { type ClassHierarchy, createClassHierarchy, type LoadedClassHierarchy } from "../hierarchy/hierarchy.js";
import { splitBundle as splitBundleEntries } from "../split/split-bundle.js";
import { splitClass as splitOneClass, type MethodReport } from "../split/split-class.js";
import { addClassSplitToMapping } from "../split/split-mapping.js";
import type { SplitLinkMode } from "../split/split-method.js";
import { MappingBuilder } from "../../runtime/mapping.js";
import { addMethod, isBuiltWithoutFrames, type MethodSpec } from "./build.js";
import { frameBuiltMethods } from "./frames.js";

/** How transfers between pieces are coded: see the README ("Link modes"). */
export type LinkMode = SplitLinkMode;

/** Options of every split function. */
export interface SplitOptions {
  /** Largest code length of any method written: 8000 (HotSpot's JIT limit, the default) up to 65535 (the JVM's limit). */
  maxSize?: number;
  /** `auto` (default), `direct`, `switch` or `indy`. */
  link?: LinkMode;
  /** Jars and directories the classes refer to, for the type merges of frame computation. */
  classpath?: string[];
  /** JDK home whose classes complete the hierarchy; default: found from `javac` on PATH or JAVA_HOME; `false` for none. */
  javaHome?: string | false;
  /** A ready class hierarchy (for many calls in a row); `classpath` and `javaHome` are then ignored. */
  hierarchy?: ClassHierarchy;
  /** Check every written body with the internal verifier (slower; a violation is a bug and throws). */
  verify?: boolean;
}

/** One class file to write: a split class, a helper class holding pieces, or a class left as it was. */
export interface OutputClass {
  /** Internal name, e.g. `com/example/Gen` or `com/example/Gen$megasplit`. */
  name: string;
  /** Path relative to a class-path root: `com/example/Gen.class`. */
  fileName: string;
  bytes: Uint8Array;
}

/** What splitting classes gives back. */
export interface SplitResult {
  /** Every class given, in order, each followed by its helper class when it has one. */
  classes: OutputClass[];
  /**
   * The mapping file's text (header only when nothing was split), rendered when
   * first read: it grows with pieces times lines (each call site lists every line
   * its callee can show), so a caller that never retraces does not pay for it.
   */
  readonly mapping: string;
  /** One report per method over the limit: its pieces and overhead, or why it was left unchanged. */
  methods: MethodReport[];
  /** Unreadable or unwritable classes (errors; such a class is missing from `classes`), refusals and missing classes (warnings). */
  diagnostics: Diagnostic[];
}

/** Splits every method over the limit in one class (see {@link splitClasses}). */
export function splitClass(input: ClassFile | Uint8Array, opts: SplitOptions = {}): Promise<SplitResult> {
  return splitClasses([input], opts);
}

/**
 * Splits every method over `maxSize` in each class given. Classes are given as
 * bytes (any class file) or as models (read with `readClass`, built with
 * `newClass`/`addMethod` or `assemble`); a model's methods may be of any length.
 * The classes given are part of the hierarchy, so they may refer to each other.
 */
export async function splitClasses(inputs: readonly (ClassFile | Uint8Array)[], opts: SplitOptions = {}): Promise<SplitResult> {
  const maxSize = opts.maxSize ?? 8000;
  const diagnostics: Diagnostic[] = [];
  const models: (ClassFile | undefined)[] = inputs.map((input, i) => {
    if (!(input instanceof Uint8Array)) return input;
    try {
      return readClass(input, { where: { entry: `#${i}` }, diagnostics });
    } catch (e) {
      diagnostics.push(asDiagnostic(e, { entry: `#${i}` }));
      return undefined;
    }
  });
  const byName = new Map<string, ClassFile>();
  for (const cf of models) if (cf) byName.set(cf.constantPool.className(cf.thisClass), cf);
  // The hierarchy (the JDK image, the classpath) only when some method needs frames.
  const needed = models.some((cf) => cf?.methods.some((m) => isBuiltWithoutFrames(m) || (codeOf(m)?.code.length ?? 0) > maxSize));
  const loaded: LoadedClassHierarchy | undefined =
    opts.hierarchy || !needed
      ? undefined
      : await createClassHierarchy({ bundleClasses: byName, ...(opts.classpath ? { classpath: opts.classpath } : {}), ...(opts.javaHome !== undefined ? { javaHome: opts.javaHome } : {}) });
  const hierarchy = opts.hierarchy ?? loaded;
  if (loaded) diagnostics.push(...loaded.diagnostics);
  try {
    const mapping = new MappingBuilder();
    const methods: MethodReport[] = [];
    const classes: OutputClass[] = [];
    const taken = new Set(byName.keys());
    const write = (cf: ClassFile, name: string): void => {
      try {
        classes.push({ name, fileName: `${name}.class`, bytes: writeClass(cf, { where: { className: name } }) });
      } catch (e) {
        diagnostics.push(asDiagnostic(e, { className: name }));
      }
    };
    models.forEach((model, i) => {
      if (!model) return;
      const name = model.constantPool.className(model.thisClass);
      try {
        const cf = hierarchy ? frameBuiltMethods(model, hierarchy, maxSize) : model;
        const split = splitOneClass(cf, { maxSize, link: opts.link ?? "auto", ...(hierarchy ? { hierarchy } : {}), takenClassNames: taken, diagnostics, ...(opts.verify ? { verify: true } : {}) });
        methods.push(...split.reports);
        for (const r of split.reports) {
          if (r.result.kind === "refused") {
            diagnostics.push(warning(r.result.code, r.result.reason, { className: name, method: r.method, ...(r.result.pc !== undefined ? { pc: r.result.pc } : {}) }));
          }
        }
        if (split.changed) addClassSplitToMapping(mapping, split);
        const input = inputs[i]!;
        if (!split.changed && input instanceof Uint8Array && cf === model) classes.push({ name, fileName: `${name}.class`, bytes: input });
        else write(split.classFile, name);
        if (split.helper) {
          const helperName = split.helper.constantPool.className(split.helper.thisClass);
          taken.add(helperName);
          write(split.helper, helperName);
        }
      } catch (e) {
        diagnostics.push(asDiagnostic(e, { className: name }));
      }
    });
    if (loaded) diagnostics.push(...loaded.missingDiagnostics());
    let text: string | undefined;
    return {
      classes,
      get mapping(): string {
        return (text ??= mapping.toString());
      },
      methods,
      diagnostics,
    };
  } finally {
    loaded?.close();
  }
}

/**
 * Adds the method of `spec` to `cf` (replacing one of the same name and
 * descriptor) and splits the class: the path of a compiler whose method came
 * out too large. The method's code may be of any length; it is never written
 * as a class file before it is split.
 */
export function splitMethod(cf: ClassFile, spec: MethodSpec, opts: SplitOptions = {}): Promise<SplitResult> {
  return splitClasses([addMethod(cf, spec)], opts);
}

/** What splitting a bundle gives back. */
export interface BundleSplitResult {
  /** The new bundle (write it with `writeBundle`): split classes rewritten, helper classes added beside them, everything else as it was. */
  bundle: Bundle;
  /** The mapping file's text. */
  mapping: string;
  /** One report per method over the limit, with the entry it belongs to. */
  methods: (MethodReport & { entry: string })[];
  /** Unreadable classes (copied unchanged), refusals, missing classes, removed signatures. */
  diagnostics: Diagnostic[];
}

/**
 * Splits every over-sized method of a bundle (a class file, a directory or a jar,
 * as `readBundle` returns it), as `megasplit split` does. A class that cannot be
 * read is reported and copied unchanged; a signed jar whose classes change loses
 * its signature files (with a warning).
 */
export async function splitBundle(bundle: Bundle, opts: Omit<SplitOptions, "hierarchy" | "javaHome"> & { javaHome?: string; name?: string } = {}): Promise<BundleSplitResult> {
  const r = await splitBundleEntries(bundle, {
    ...(opts.maxSize !== undefined ? { maxSize: opts.maxSize } : {}),
    ...(opts.link ? { link: opts.link } : {}),
    ...(opts.classpath ? { classpath: opts.classpath } : {}),
    ...(opts.javaHome !== undefined ? { javaHome: opts.javaHome } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.verify ? { verify: true } : {}),
  });
  const diagnostics = [...r.diagnostics];
  for (const m of r.reports) {
    if (m.result.kind === "refused") {
      diagnostics.push(warning(m.result.code, m.result.reason, { entry: m.entry, className: m.className, method: m.method, ...(m.result.pc !== undefined ? { pc: m.result.pc } : {}) }));
    }
  }
  return { bundle: r.bundle, mapping: r.mapping.toString(), methods: r.reports, diagnostics };
}
