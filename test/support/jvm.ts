/**
 * The JVM as the oracle: `linkAll` runs test/java/LinkAll.java under
 * `-Xverify:all` on a jar, a directory, or a patched JDK module, and returns how
 * many classes linked and one line per failure (`<class> <error>`), typically a
 * VerifyError from HotSpot's verifier.
 *
 * LinkAll is compiled once per source version (`java-helper.ts`). Cost: one JVM start (about
 * 0.3 s) plus verification, roughly 0.5 s per 5,000 classes.
 */
import { execFile } from "node:child_process";
import { delimiter, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jdkTool } from "./corpus.js";
import { compileJavaHelper } from "./java-helper.js";

const source = resolve(dirname(fileURLToPath(import.meta.url)), "../java/LinkAll.java");

/** The directory holding the compiled LinkAll classes. */
export function compileLinkAll(): string {
  return compileJavaHelper(source);
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
