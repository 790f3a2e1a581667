/**
 * The JVM as the oracle: `linkAll` runs test/java/LinkAll.java under
 * `-Xverify:all` on a jar, a directory, or a patched JDK module, and returns how
 * many classes linked and one line per failure (`<class> <error>`), typically a
 * VerifyError from HotSpot's verifier.
 *
 * LinkAll is compiled once per source version (keyed by a hash of the source)
 * into the cache directory, staged in a temporary directory and renamed so that
 * concurrent workers never run a half-written class. Cost: one JVM start (about
 * 0.3 s) plus verification, roughly 0.5 s per 5,000 classes.
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, jdkTool } from "./corpus.js";

const source = resolve(dirname(fileURLToPath(import.meta.url)), "../java/LinkAll.java");

/** The directory holding the compiled LinkAll classes. */
export function compileLinkAll(): string {
  const text = readFileSync(source);
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const out = join(cacheDir(), `linkall-${hash}`);
  if (existsSync(out)) return out;
  const staging = mkdtempSync(join(cacheDir(), ".linkall-"));
  try {
    execFileSync(jdkTool("javac"), ["-d", staging, "--release", "17", source], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      renameSync(staging, out);
    } catch (e) {
      if (!existsSync(out)) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return out;
}

export interface LinkOptions {
  /** Jars or directories the classes depend on (ignored for modules). */
  classpath?: string[];
  /** Link `path` as the classes of this JDK module (boot layer, via --patch-module). */
  module?: string;
  /**
   * Link only these classes of `path` (binary names as its paths give them), still
   * among all of its classes (ignored for modules: a patch directory holds only
   * the classes that replace the module's).
   */
  only?: string[];
}

export interface LinkResult {
  linked: number;
  /** `<class> <error>`, one per class that failed to load or link. */
  failures: string[];
}

/**
 * Loads and links (verifies) every class of `path` without initialising any.
 * Throws when the JVM dies without a summary (e.g. a patched java.base class
 * that breaks start-up), with the JVM's output in the message.
 */
export function linkAll(path: string, options: LinkOptions = {}): Promise<LinkResult> {
  const args = ["-Xverify:all", "-XX:+UseSerialGC", "-cp", compileLinkAll()];
  if (options.module) {
    args.unshift("-Xshare:off", `--patch-module=${options.module}=${path}`, `--add-modules=${options.module}`);
    args.push("LinkAll", "--module", options.module, path);
  } else {
    args.push("LinkAll");
    if (options.classpath?.length) args.push("--cp", options.classpath.join(delimiter));
    if (options.only) args.push("--only", options.only.join(","));
    args.push(path);
  }
  return new Promise((resolvePromise, reject) => {
    execFile(jdkTool("java"), args, { maxBuffer: 1 << 28, encoding: "utf8" }, (error, stdout, stderr) => {
      const lines = stdout.split("\n");
      const summary = lines.map((l) => /^linked (\d+) classes, (\d+) failures$/.exec(l)).find((m) => m !== null);
      if (!summary) {
        reject(new Error(`LinkAll on ${path} ended without a summary (${error?.message ?? "no error"})\n${stdout}\n${stderr}`));
        return;
      }
      const failures = lines.filter((l) => l.startsWith("FAIL ")).map((l) => l.slice("FAIL ".length));
      if (failures.length !== Number(summary[2])) {
        reject(new Error(`LinkAll on ${path}: ${failures.length} FAIL lines but the summary says ${summary[2]}`));
        return;
      }
      resolvePromise({ linked: Number(summary[1]), failures });
    });
  });
}
