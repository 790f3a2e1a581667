/**
 * Test helper: compiles one of the Java programs under test/java (LinkAll,
 * DiffRunner, PoolCount) once per version of its source and classpath, into the
 * cache directory. The classes are compiled into a staging directory and renamed
 * into place, so concurrent test workers never run a half-written class.
 * Returns the directory to put on the classpath. Cost: one javac run the first
 * time (about a second), a hash of the source afterwards.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, delimiter, join } from "node:path";
import { cacheDir, jdkTool } from "./corpus.js";

export function compileJavaHelper(source: string, classpath: string[] = []): string {
  const name = basename(source, ".java").toLowerCase();
  const hash = createHash("sha256").update(readFileSync(source)).update(classpath.join(delimiter)).digest("hex").slice(0, 16);
  const out = join(cacheDir(), `${name}-${hash}`);
  if (existsSync(out)) return out;
  const staging = mkdtempSync(join(cacheDir(), `.${name}-`));
  try {
    const cp = classpath.length > 0 ? ["-cp", classpath.join(delimiter)] : [];
    execFileSync(jdkTool("javac"), ["-d", staging, "--release", "17", ...cp, source], { stdio: ["ignore", "ignore", "pipe"] });
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
