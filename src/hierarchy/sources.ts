/**
 * Where the class hierarchy finds classes: the bundle being transformed (a map
 * of internal name -> bytes or parsed class), `--classpath` jars, directories and
 * class files (read with `readBundle`; of a multi-release jar only the base
 * entries, which every JVM version sees), and the JDK at a Java home: its
 * `lib/modules` jimage (JDK 9+), else `jre/lib/rt.jar` or `lib/rt.jar` (JDK 8).
 *
 * Invariants: a source answers for one internal name with the class bytes (or the
 * parsed class) or undefined; within a source the first entry of a name wins.
 * Problems (an unreadable jar, a JDK without an image) become diagnostics, never
 * exceptions, so that a bad classpath element only costs the classes it held.
 * Cost: a classpath element is read into memory once: a jar kept compressed, each
 * class inflated when first asked for (`lazy-jar.ts`), a directory's files as the
 * bundle reader returns them; the jimage only reads its 1.5 MB index.
 */
import { existsSync, realpathSync, accessSync, constants } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { ClassFile } from "../classfile/model.js";
import { entryClassName, isClassEntry, multiReleaseVersion, type Bundle } from "../bundle/bundle.js";
import { readBundle } from "../bundle/read.js";
import { asDiagnostic, ErrorCodes, warning, type Diagnostic } from "../diagnostics.js";
import { readClassHeader } from "./class-header.js";
import { openJimage } from "./jimage.js";
import { lazyJarSource } from "./lazy-jar.js";

export interface ClassSource {
  /** For diagnostics: "bundle", a classpath path, or the JDK image path. */
  readonly name: string;
  lookup(internalName: string): Uint8Array | ClassFile | undefined;
  close?(): void;
}

/** A source over an in-memory map (the bundle being transformed). */
export function mapSource(classes: ReadonlyMap<string, Uint8Array | ClassFile>, name = "bundle"): ClassSource {
  return { name, lookup: (n) => classes.get(n) };
}

/**
 * Internal name -> bytes of a bundle's classes: base entries by their path, a
 * lone class file by the name it declares; versioned entries are left out.
 */
export function bundleClassMap(bundle: Bundle, diagnostics: Diagnostic[] = []): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const e of bundle.entries) {
    if (!isClassEntry(e) || multiReleaseVersion(e.name) !== undefined) continue;
    let name = entryClassName(e.name);
    if (bundle.kind === "class") {
      try {
        name = readClassHeader(e.data, { bundle: bundle.source ?? "", entry: e.name }).name;
      } catch (err) {
        diagnostics.push(asDiagnostic(err, { ...(bundle.source !== undefined ? { bundle: bundle.source } : {}), entry: e.name }));
        continue;
      }
    }
    if (!out.has(name)) out.set(name, e.data);
  }
  return out;
}

/**
 * One `--classpath` element (jar, directory or class file); undefined when
 * unreadable. A jar is read lazily (`lazy-jar.ts`); anything else whole.
 */
export async function classpathSource(path: string, diagnostics: Diagnostic[]): Promise<ClassSource | undefined> {
  try {
    const jar = await lazyJarSource(path, diagnostics);
    if (jar) return jar;
    const { bundle, diagnostics: d } = await readBundle(path);
    diagnostics.push(...d);
    return mapSource(bundleClassMap(bundle, diagnostics), path);
  } catch (e) {
    diagnostics.push(asDiagnostic(e, { bundle: path }));
    return undefined;
  }
}

/** The JDK's classes at `javaHome`: the jimage, else an rt.jar; undefined (with a warning) when neither exists. */
export async function jdkSource(javaHome: string, diagnostics: Diagnostic[]): Promise<ClassSource | undefined> {
  const modules = join(javaHome, "lib", "modules");
  if (existsSync(modules)) {
    try {
      const image = openJimage(modules);
      return {
        name: modules,
        lookup: (n) => image.findClass(n)?.bytes,
        close: () => image.close(),
      };
    } catch (e) {
      diagnostics.push(asDiagnostic(e, { bundle: modules }));
      return undefined;
    }
  }
  for (const rt of [join(javaHome, "jre", "lib", "rt.jar"), join(javaHome, "lib", "rt.jar")]) {
    if (existsSync(rt)) return classpathSource(rt, diagnostics);
  }
  diagnostics.push(warning(ErrorCodes.NO_JDK, `no JDK classes under ${javaHome} (neither lib/modules nor rt.jar); JDK classes will be missing`, { bundle: javaHome }));
  return undefined;
}

function onPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, tool);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * The JDK home: two levels above the real path of `javac` on PATH (Debian's
 * /usr/bin/javac links through /etc/alternatives into the JDK), else $JAVA_HOME,
 * else undefined.
 */
export function javaHomeFromPath(): string | undefined {
  const javac = onPath("javac");
  if (javac) {
    try {
      return dirname(dirname(realpathSync(javac)));
    } catch {
      // a dangling link: fall through to JAVA_HOME
    }
  }
  const env = process.env.JAVA_HOME;
  return env && existsSync(env) ? env : undefined;
}
