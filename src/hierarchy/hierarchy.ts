/**
 * The class hierarchy as the JVM's type-checking verifier sees it (JVMS 4.10.1.2,
 * `isJavaAssignable` and the subclass relation), and the merge of two reference
 * types that frame inference needs at control-flow joins: the least common
 * superclass, the way ASM's `getCommonSuperClass` and HotSpot's old inference
 * verifier compute it.
 *
 * Names are what CONSTANT_Class holds: internal names for classes
 * (`java/lang/String`) and descriptors for arrays (`[I`, `[Ljava/lang/String;`).
 * Interfaces are treated like java/lang/Object, as the verifier does: every
 * class type is assignable to an interface type, arrays only to Object, Cloneable
 * and java/io/Serializable, and a merge that involves an interface is Object.
 *
 * Classes are looked up lazily in order: the bundle being transformed, the
 * classpath, the JDK (see `sources.ts`); only name, super class, interfaces and the
 * interface flag are read (`class-header.ts`). Everything is cached: the class
 * facts, each superclass chain (as an array and a set) and each merge result, so a
 * repeated question costs one or two Map lookups.
 *
 * Missing classes. A name no source has is recorded in {@link ClassHierarchy.missing}
 * and treated as a non-interface class whose super class is java/lang/Object.
 * Chains are walked by name, so a known subclass still links to a missing class:
 * merging a missing `M` with a known `S extends M` gives `M`, which is right.
 * Only what lies above a missing class is lost: merging `M` (really `extends K`)
 * with another subclass of `K` gives java/lang/Object instead of `K`. A frame that
 * says Object is still accepted by the verifier whenever the merged value is then
 * used only as an Object or as an interface type (stored, compared, passed to
 * Object or interface parameters, checkcast, thrown if Throwable is not needed...);
 * it is rejected if the code after the join uses the value as `K` (getfield,
 * invokevirtual on `K`, passing it where a `K` is expected). Likewise
 * `isAssignable(K, M)` answers false. The JVM itself would need `M` to verify that
 * code, so the remedy is the same in both cases: put `M`'s jar on the classpath.
 * `mergeGuessedPast` names the missing class a merge went past, so that a caller
 * writing frames can refuse rather than write a guess (the splitter does).
 * A cycle in super classes (hostile input) is cut at the repeated class, which
 * then counts as a direct subclass of Object.
 */
import type { ClassFile } from "../classfile/model.js";
import { asDiagnostic, ErrorCodes, warning, type Diagnostic } from "../diagnostics.js";
import { classInfoOf, readClassHeader, type ClassInfo } from "./class-header.js";
import { classpathSource, javaHomeFromPath, jdkSource, mapSource, type ClassSource } from "./sources.js";

export type { ClassInfo } from "./class-header.js";
export { javaHomeFromPath, bundleClassMap, type ClassSource } from "./sources.js";

export interface ClassHierarchy {
  /** undefined when the class cannot be found anywhere (and for array types) */
  info(internalName: string): ClassInfo | undefined;
  /** is `from` assignable to `to` as the verifier sees it (interfaces: everything is assignable to an interface type, JVMS 4.10.1.2) */
  isAssignable(to: string, from: string): boolean;
  /**
   * The verifier's merge of two reference types: the least common superclass;
   * interfaces merge to java/lang/Object; arrays of references merge component-wise
   * (`[Ljava/lang/String;` + `[Ljava/lang/Integer;` -> `[Ljava/lang/Object;`), any
   * other mix involving an array gives java/lang/Object; identical types are unchanged.
   */
  commonSuperClass(a: string, b: string): string;
  /**
   * The missing class the merge of `a` and `b` went past, if any: `commonSuperClass`
   * found its answer above a class that could not be found, whose real super class
   * (and so the real answer, perhaps lower) is unknown. undefined when the merge is
   * exact.
   */
  mergeGuessedPast(a: string, b: string): string | undefined;
  /** names that could not be found, for diagnostics */
  readonly missing: ReadonlySet<string>;
}

export interface ClassHierarchyOptions {
  /** The classes being transformed: internal name -> class bytes or parsed class. Looked up first. */
  bundleClasses?: ReadonlyMap<string, Uint8Array | ClassFile>;
  /** Jars, directories and class files, searched in order after the bundle. */
  classpath?: readonly string[];
  /** The JDK whose classes come last; default {@link javaHomeFromPath}; `false` for none. */
  javaHome?: string | false;
}

/** A hierarchy built from files: it also reports what could not be read, and holds the JDK image open. */
export interface LoadedClassHierarchy extends ClassHierarchy {
  /** Unreadable classpath elements, corrupt classes, a JDK without classes. */
  readonly diagnostics: readonly Diagnostic[];
  /** `name`, its super class, ..., java/lang/Object, with the missing-class fallback applied. */
  superChain(name: string): readonly string[];
  /** A W_CLASS_MISSING warning per class that could not be found. */
  missingDiagnostics(): Diagnostic[];
  /**
   * Records classes another hierarchy over the same sources found missing (one per
   * worker thread), so that {@link missingDiagnostics} covers the whole job.
   */
  addMissing(names: Iterable<string>): void;
  /** Closes the JDK image. */
  close(): void;
}

export const OBJECT = "java/lang/Object";

/** A merge's answer, and the missing class it went past if it had to guess (`mergeGuessedPast`). */
interface Merge {
  readonly type: string;
  readonly guessedPast: string | undefined;
}
const OBJECT_MERGE: Merge = { type: OBJECT, guessedPast: undefined };
const CLONEABLE = "java/lang/Cloneable";
const SERIALIZABLE = "java/io/Serializable";

/** Builds the hierarchy over the bundle, the classpath and the JDK; reading the classpath is the only slow part. */
export async function createClassHierarchy(opts: ClassHierarchyOptions = {}): Promise<LoadedClassHierarchy> {
  const diagnostics: Diagnostic[] = [];
  const sources: ClassSource[] = [];
  if (opts.bundleClasses) sources.push(mapSource(opts.bundleClasses));
  for (const path of opts.classpath ?? []) {
    const s = await classpathSource(path, diagnostics);
    if (s) sources.push(s);
  }
  const home = opts.javaHome === undefined ? javaHomeFromPath() : opts.javaHome;
  if (home === undefined) diagnostics.push(warning(ErrorCodes.NO_JDK, "no JDK found (no javac on PATH, no JAVA_HOME); JDK classes will be missing"));
  else if (home !== false) {
    const jdk = await jdkSource(home, diagnostics);
    if (jdk) sources.push(jdk);
  }
  return new CachedClassHierarchy(sources, diagnostics);
}

function isArray(name: string): boolean {
  return name.charCodeAt(0) === 0x5b; // '['
}

/** `[I` -> `I`, `[[I` -> `[I`, `[Ljava/lang/String;` -> `java/lang/String`. */
function componentOf(array: string): string {
  const c = array.slice(1);
  return c.charCodeAt(0) === 0x4c /* L */ ? c.slice(1, -1) : c;
}

/** A primitive component is a one-letter base type descriptor (JVMS 4.3.2). */
function isPrimitiveComponent(component: string): boolean {
  return component.length === 1;
}

function arrayOf(component: string): string {
  return isArray(component) ? `[${component}` : `[L${component};`;
}

/** The verifier's view of classes over ordered sources, with every answer cached. */
export class CachedClassHierarchy implements LoadedClassHierarchy {
  readonly missing = new Set<string>();
  private readonly infos = new Map<string, ClassInfo | null>();
  private readonly chains = new Map<string, readonly string[]>();
  private readonly chainSets = new Map<string, ReadonlySet<string>>();
  private readonly merges = new Map<string, Map<string, Merge>>();

  constructor(
    private readonly sources: readonly ClassSource[],
    readonly diagnostics: Diagnostic[] = [],
  ) {}

  /**
   * One warning per class that could not be found, naming it and the fallback
   * used (a direct subclass of java/lang/Object), in name order.
   */
  addMissing(names: Iterable<string>): void {
    for (const name of names) this.missing.add(name);
  }

  missingDiagnostics(): Diagnostic[] {
    return [...this.missing].sort().map((name) =>
      warning(
        ErrorCodes.CLASS_MISSING,
        `class ${name} was not found in the input, the classpath or the JDK; frames treat it as a direct subclass of java/lang/Object (add its jar with --classpath)`,
        { className: name },
      ),
    );
  }

  info(internalName: string): ClassInfo | undefined {
    const cached = this.infos.get(internalName);
    if (cached !== undefined) return cached ?? undefined;
    if (isArray(internalName)) return undefined;
    let found: ClassInfo | null = null;
    for (const source of this.sources) {
      const v = source.lookup(internalName);
      if (v === undefined) continue;
      const where = { bundle: source.name, className: internalName };
      let info: ClassInfo;
      try {
        info = v instanceof Uint8Array ? readClassHeader(v, where) : classInfoOf(v);
      } catch (e) {
        this.diagnostics.push(asDiagnostic(e, where));
        continue;
      }
      if (info.name !== internalName) {
        this.diagnostics.push(warning(ErrorCodes.CLASS_NAME, `the class file for ${internalName} declares ${info.name}; ignored`, where));
        continue;
      }
      found = info;
      break;
    }
    if (found === null) this.missing.add(internalName);
    this.infos.set(internalName, found);
    return found ?? undefined;
  }

  private isInterface(name: string): boolean {
    return !isArray(name) && (this.info(name)?.isInterface ?? false);
  }

  /** `name`, its super class, ..., java/lang/Object (a missing class's super is Object). */
  superChain(name: string): readonly string[] {
    const cached = this.chains.get(name);
    if (cached) return cached;
    const chain: string[] = [];
    const seen = new Set<string>();
    let cur: string | undefined = name;
    while (cur !== undefined && !seen.has(cur)) {
      const known = this.chains.get(cur);
      if (known && cur !== name) {
        for (const c of known) chain.push(c);
        cur = undefined;
        break;
      }
      chain.push(cur);
      seen.add(cur);
      if (cur === OBJECT) {
        cur = undefined;
        break;
      }
      cur = this.info(cur)?.superName ?? OBJECT;
    }
    if (cur !== undefined) {
      this.diagnostics.push(warning(ErrorCodes.SUPER_CYCLE, `class ${cur} is its own super class; treated as extending java/lang/Object`, { className: cur }));
    }
    if (chain[chain.length - 1] !== OBJECT) chain.push(OBJECT);
    this.chains.set(name, chain);
    return chain;
  }

  private chainSet(name: string): ReadonlySet<string> {
    let s = this.chainSets.get(name);
    if (!s) {
      s = new Set(this.superChain(name));
      this.chainSets.set(name, s);
    }
    return s;
  }

  isAssignable(to: string, from: string): boolean {
    if (to === from || to === OBJECT) return true;
    if (isArray(from)) {
      if (!isArray(to)) return to === CLONEABLE || to === SERIALIZABLE;
      const ct = componentOf(to);
      const cf = componentOf(from);
      if (isPrimitiveComponent(ct) || isPrimitiveComponent(cf)) return ct === cf;
      return this.isAssignable(ct, cf);
    }
    if (isArray(to)) return false;
    return this.chainSet(from).has(to) || this.isInterface(to);
  }

  commonSuperClass(a: string, b: string): string {
    if (a === b) return a;
    if (a === OBJECT || b === OBJECT) return OBJECT;
    return this.mergeOf(a, b).type;
  }

  mergeGuessedPast(a: string, b: string): string | undefined {
    if (a === b || a === OBJECT || b === OBJECT) return undefined;
    return this.mergeOf(a, b).guessedPast;
  }

  /** The merge of two different types, neither Object, cached once under the ordered pair (it is symmetric). */
  private mergeOf(a: string, b: string): Merge {
    const [x, y] = a < b ? [a, b] : [b, a];
    let row = this.merges.get(x);
    const hit = row?.get(y);
    if (hit !== undefined) return hit;
    const result = this.merge(x, y);
    if (!row) {
      row = new Map();
      this.merges.set(x, row);
    }
    row.set(y, result);
    return result;
  }

  private merge(a: string, b: string): Merge {
    const arrayA = isArray(a);
    const arrayB = isArray(b);
    if (arrayA || arrayB) {
      if (!arrayA || !arrayB) return OBJECT_MERGE;
      const ca = componentOf(a);
      const cb = componentOf(b);
      if (isPrimitiveComponent(ca) || isPrimitiveComponent(cb)) return OBJECT_MERGE;
      if (ca === OBJECT || cb === OBJECT) return { type: arrayOf(OBJECT), guessedPast: undefined };
      const inner = this.mergeOf(ca, cb);
      return { type: arrayOf(inner.type), guessedPast: inner.guessedPast };
    }
    if (this.isInterface(a) || this.isInterface(b)) return OBJECT_MERGE;
    const above = this.chainSet(a);
    let type = OBJECT;
    for (const c of this.superChain(b)) {
      if (above.has(c)) {
        type = c;
        break;
      }
    }
    return { type, guessedPast: this.missingBelow(a, type) ?? this.missingBelow(b, type) };
  }

  /** The first class of `name`'s chain before `until` that could not be found. */
  private missingBelow(name: string, until: string): string | undefined {
    for (const c of this.superChain(name)) {
      if (c === until) return undefined;
      if (this.info(c) === undefined) return c;
    }
    return undefined;
  }

  close(): void {
    for (const s of this.sources) s.close?.();
  }
}
