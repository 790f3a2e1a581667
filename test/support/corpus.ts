/**
 * The real-world corpus the tests read: Debian's jars (installed by
 * `scripts/setup.sh`), the JDK found from `javac`, and the JDK's own classes
 * extracted from `$JAVA_HOME/lib/modules` (jimage format) with the JDK's `jimage`.
 *
 * Paths are resolved through symlinks (`/usr/share/java/rhino.jar` is a link to
 * `js.jar`) so diagnostics name real files. Module extraction happens once per JDK
 * build into a cache directory (`node_modules/.cache/megasplit`, else the system
 * temp dir): it extracts into a fresh temporary directory and renames it into
 * place, so concurrent test workers never see a half-extracted module. Cost:
 * about 2 s and 30 MB per module the first time, a stat afterwards.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, accessSync, constants } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isClassEntry } from "../../src/bundle/bundle.js";
import { readBundle } from "../../src/bundle/read.js";
import { codeOf, type ClassFile, type CodeAttribute, type MethodInfo } from "../../src/classfile/model.js";
import { readClass } from "../../src/classfile/read.js";
import { javaHomeFromPath } from "../../src/hierarchy/sources.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Debian corpus jars: package -> the jar under /usr/share/java. */
const CORPUS = {
  /** package rhino */
  rhino: "/usr/share/java/rhino.jar",
  /** package libasm-java: the core ASM jar */
  asm: "/usr/share/java/asm.jar",
  /** package jython */
  jython: "/usr/share/java/jython.jar",
  /** package groovy: the main jar (groovy-all bundles the modules; the indy/ variants are alternatives) */
  groovy: "/usr/share/java/groovy.jar",
  /** package antlr4: the tool (antlr4-runtime.jar is the separate runtime) */
  antlr4: "/usr/share/java/antlr4.jar",
  /** package janino */
  janino: "/usr/share/java/janino.jar",
} as const;

export type CorpusName = keyof typeof CORPUS;
export const CORPUS_NAMES = Object.keys(CORPUS) as CorpusName[];

/** The real path of a corpus jar; throws naming the Debian package when absent. */
export function corpusJar(name: CorpusName): string {
  const p = CORPUS[name];
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run setup\` (Debian package for ${name})`);
  return realpathSync(p);
}

/** Corpus jars that are present, by name. */
export function availableCorpus(): Partial<Record<CorpusName, string>> {
  const out: Partial<Record<CorpusName, string>> = {};
  for (const n of CORPUS_NAMES) if (existsSync(CORPUS[n])) out[n] = realpathSync(CORPUS[n]);
  return out;
}

/** Dependencies the Debian jars need but do not list in their manifests. */
const EXTRA_CLASSPATH: Partial<Record<CorpusName, string[]>> = {
  antlr4: ["antlr4-runtime.jar", "antlr3-runtime.jar", "stringtemplate4.jar", "treelayout.jar", "javax.json.jar", "icu4j.jar"],
  groovy: ["commons-cli.jar", "xstream.jar", "jline.jar", "ant.jar"],
  janino: ["commons-compiler.jar", "ant.jar"],
  jython: ["ant.jar"],
};

/** The manifest's `Class-Path` (JAR File Specification; 72-byte lines continued by a leading space). */
function manifestClassPath(manifest: string, jarDir: string): string[] {
  const unfolded = manifest.replace(/\r\n/g, "\n").replace(/\n /g, "");
  const m = /^Class-Path:(.*)$/m.exec(unfolded);
  if (!m) return [];
  return m[1]!.trim().split(/\s+/).filter((x) => x.length > 0).map((x) => (x.startsWith("/") ? x : join(jarDir, x)));
}

/**
 * The existing jars a corpus jar links against: its manifest Class-Path plus the
 * known missing ones. Libraries Debian does not ship stay absent, so linking a
 * corpus jar still reports some NoClassDefFoundErrors; compare against the
 * original jar's failures.
 */
export function corpusClasspath(name: CorpusName): string[] {
  const jar = corpusJar(name);
  let manifest = "";
  try {
    manifest = execFileSync("unzip", ["-p", jar, "META-INF/MANIFEST.MF"], { encoding: "utf8" });
  } catch {
    // no manifest
  }
  const dir = dirname(CORPUS[name]);
  const all = [...manifestClassPath(manifest, dir), ...(EXTRA_CLASSPATH[name] ?? []).map((j) => join(dir, j))];
  return [...new Set(all.filter((p) => existsSync(p)).map((p) => realpathSync(p)))];
}

let cachedJavaHome: string | undefined;

/** The JDK home the product finds (`javaHomeFromPath`); the tests need one. */
export function javaHome(): string {
  cachedJavaHome ??= javaHomeFromPath();
  if (!cachedJavaHome) throw new Error("no JDK found (javac is not on PATH): run `npm run setup`");
  return cachedJavaHome;
}

/** A JDK executable (`java`, `javac`, `jimage`, `jar`) of {@link javaHome}. */
export function jdkTool(tool: string): string {
  return join(javaHome(), "bin", tool);
}

/** A writable cache directory shared by test runs. */
export function cacheDir(): string {
  for (const base of [join(repoRoot, "node_modules", ".cache", "megasplit"), join(tmpdir(), "megasplit-cache")]) {
    try {
      mkdirSync(base, { recursive: true });
      accessSync(base, constants.W_OK);
      return base;
    } catch {
      // try the next
    }
  }
  throw new Error("no writable cache directory");
}

/** The JDK modules the corpus tests use. */
export const JDK_MODULES = ["java.base", "java.desktop", "jdk.compiler"] as const;
export type JdkModule = (typeof JDK_MODULES)[number];

/** Identifies the JDK build, so a JDK upgrade re-extracts. */
function jdkBuildKey(): string {
  const modules = join(javaHome(), "lib", "modules");
  const s = statSync(modules);
  let version = "unknown";
  try {
    const m = /^JAVA_RUNTIME_VERSION="?([^"\n]+)"?/m.exec(readFileSync(join(javaHome(), "release"), "utf8"));
    if (m) version = m[1]!;
  } catch {
    // no release file: size and mtime still identify the image
  }
  return `jdk-${version}-${s.size}-${Math.floor(s.mtimeMs)}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}

/**
 * The directory holding the classes of one JDK module (`java/lang/Object.class`,
 * ... and `module-info.class`), extracted on first use.
 */
export function extractModule(module: JdkModule | string): string {
  const root = join(cacheDir(), jdkBuildKey());
  const dir = join(root, module);
  if (existsSync(dir)) return dir;
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, `.extract-${module}-`));
  try {
    execFileSync(jdkTool("jimage"), ["extract", "--include", `regex:/${module.replace(/\./g, "\\.")}/.*`, "--dir", staging, join(javaHome(), "lib", "modules")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const extracted = join(staging, module);
    if (!existsSync(extracted)) throw new Error(`jimage extracted nothing for module ${module}`);
    try {
      renameSync(extracted, dir);
    } catch (e) {
      // Another worker won the race: its copy is complete, use it.
      if (!existsSync(dir)) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** Absolute paths of a JDK module's class files, sorted, `module-info.class` excluded. */
export function moduleClassFiles(module: JdkModule | string): string[] {
  const dir = extractModule(module);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".class") && e.name !== "module-info.class") out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every method with a Code attribute of every class entry of a jar, with its class, in entry and method order. */
export async function* methodsWithCode(jar: string): AsyncGenerator<{ cf: ClassFile; m: MethodInfo; code: CodeAttribute }> {
  const { bundle } = await readBundle(jar);
  for (const e of bundle.entries) {
    if (!isClassEntry(e)) continue;
    const cf = readClass(e.data);
    for (const m of cf.methods) {
      const code = codeOf(m);
      if (code) yield { cf, m, code };
    }
  }
}
