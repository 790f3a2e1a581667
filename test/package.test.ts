/**
 * megasplit as a user gets it: the repository is built into a staging folder and
 * packed with `npm pack`, a new project installs the tarball with `npm install`,
 * and a script there that imports only from "megasplit" (test/package/big-method.mjs)
 * builds a method of more than 1 MB in memory, splits it, writes the classes and the
 * mapping; the JVM verifies them (-Xverify:all) and runs them, and the printed
 * value must equal the same computation done here in TypeScript.
 *
 * Offline: megasplit's runtime dependencies (the lockfile's non-dev packages) are
 * packed from the repository's node_modules and installed with it, so npm needs no
 * registry; only if one of them is missing locally does it fall back to the registry.
 * Cost: one TypeScript build (~15 s), one install (~6 s), one 1.1 MB split (~10 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { linkAll } from "./support/jvm.js";
import { runJava } from "./support/hard-case.js";

const root = resolve(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/** 30 bytes of bytecode a unit: 37,000 units are 1.11 MB. */
const UNITS = 37_000;

/** What pkg.Big prints: big-method.mjs's computation, here with 32-bit int arithmetic. */
function expected(units: number): number {
  let h = 7;
  for (let i = 0; i < units; i++) {
    const k = ((i * 7919) % 65536) - 32768;
    const c = ((i * 104729 + 17) % 65536) - 32768;
    h = (Math.imul(h, 31) + k) | 0;
    h = (h & 1) === 0 ? (h ^ c) | 0 : (h + c) | 0;
  }
  return h;
}

/** node_modules paths of the lockfile's runtime packages (megasplit's dependency closure). */
function runtimePackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && !p.dev && !p.devOptional)
    .map(([path]) => path);
}

let work: string;
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "megasplit-pkg-"));
  // A fresh build of the sources, so the tarball never holds a stale dist/.
  const staging = join(work, "staging");
  mkdirSync(staging);
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json"), "--outDir", join(staging, "dist")], { stdio: "pipe" });
  for (const f of ["package.json", "README.md"]) copyFileSync(join(root, f), join(staging, f));
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  execFileSync(npm, ["pack", "--silent", "--pack-destination", tarballs], { cwd: staging, stdio: "pipe" });
  let offline = true;
  for (const p of runtimePackages()) {
    if (existsSync(join(root, p, "package.json"))) execFileSync(npm, ["pack", "--silent", "--pack-destination", tarballs, join(root, p)], { stdio: "pipe" });
    else offline = false;
  }
  project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "uses-megasplit", private: true, type: "module" }));
  const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync(npm, ["install", offline ? "--offline" : "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...tgz], { cwd: project, stdio: "pipe" });
  copyFileSync(join(root, "test/package/big-method.mjs"), join(project, "big-method.mjs"));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package, installed in a new project", () => {
  it("exposes only the entry: a deep import is refused by package.json exports", () => {
    const probe = join(project, "probe.mjs");
    writeFileSync(probe, 'try { await import("megasplit/dist/src/split/split-class.js"); console.log("deep"); } catch (e) { console.log(e.code); }\n');
    expect(execFileSync(process.execPath, [probe], { cwd: project, encoding: "utf8" }).trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("builds a method of more than 1 MB in memory, splits it, and the JVM verifies and runs it", async () => {
    const out = join(project, "classes");
    const log = execFileSync(process.execPath, ["big-method.mjs", out, String(UNITS)], { cwd: project, encoding: "utf8", maxBuffer: 1 << 26 });
    const summary = JSON.parse(log.trim().split("\n").pop()!) as { originalLength: number; kind: string; pieces: number; classes: string[] };
    expect(summary.originalLength).toBeGreaterThan(1 << 20);
    expect(summary.kind).toBe("split");
    expect(summary.pieces).toBeGreaterThan(100);
    expect(readFileSync(`${out}.mapping`, "utf8")).toMatch(/^    \d+:\d+:int compute\(\):\d+:\d+ -> compute$/m);
    const linked = await linkAll(out);
    expect(linked.failures).toEqual([]);
    expect(linked.linked).toBe(summary.classes.length);
    const run = runJava(out, "pkg.Big", { jvm: ["-Xverify:all"] });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`${expected(UNITS)}\n`);
  });
});
