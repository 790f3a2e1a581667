/**
 * A real program behaves the same after splitting: the JDK's own compiler module
 * (jdk.compiler, extracted from the JDK image) split at the stress limit of 1,024
 * bytes, in link modes auto and switch, links under -Xverify:all as a patched
 * system module, and javac running from the split classes (`java --patch-module
 * jdk.compiler=<split dir>`) compiles jdk.compiler's own sources (src.zip from
 * Debian's openjdk-17-source, 406 files) to the same class files, byte for byte,
 * as the stock javac. The class-load log proves the split classes (the parser,
 * Attr, Gen, ...) are the ones that ran: --patch-module silently ignores a
 * directory that does not exist. Cost on 2 cores, measured: 30-60 s per
 * compilation (three of them; the stock one overlaps the first split), 7-20 s per
 * split, 2 min 45 s to 3 min in all.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBundle } from "../src/bundle/read.js";
import { writeBundle } from "../src/bundle/write.js";
import { splitBundle, type BundleSplit } from "../src/split/split-bundle.js";
import { extractModule, javaHome, jdkTool } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";

const run = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), "megasplit-javac-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The JDK's source archive. Debian's openjdk-17-source installs it as
 * /usr/lib/jvm/openjdk-17/lib/src.zip; the `lib/src.zip` link in the JDK home
 * points at ../../openjdk-17/src.zip, which does not exist (bookworm), so both are tried.
 */
function srcZip(): string {
  const candidates = [join(javaHome(), "lib", "src.zip"), "/usr/lib/jvm/openjdk-17/lib/src.zip"];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no src.zip (${candidates.join(", ")}): run \`npm run setup\` (Debian package openjdk-17-source)`);
  return found;
}

/** Relative paths of the files under `root`, sorted. */
function filesUnder(root: string, ext = ""): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const SOURCES = join(work, "src");
const ARGFILE = join(work, "sources.txt");

/**
 * Compiles jdk.compiler's sources (as a patch of the jdk.compiler module, the way
 * a JDK build compiles a system module) into `out` with the javac of module
 * jdk.compiler, taken from the JDK image or, with `patch`, from that directory.
 */
async function compileJdkCompiler(out: string, patch?: { dir: string; classLog: string }): Promise<{ ms: number; stderr: string }> {
  const jvm = patch ? [`--patch-module=jdk.compiler=${patch.dir}`, `-Xlog:class+load=info:file=${patch.classLog}`] : [];
  const javac = ["--patch-module", `jdk.compiler=${join(SOURCES, "jdk.compiler")}`, "-XDignore.symbol.file", "-nowarn", "-Xlint:none", "-implicit:none", "-d", out, `@${ARGFILE}`];
  const t0 = Date.now();
  const { stderr } = await run(jdkTool("java"), [...jvm, "-m", "jdk.compiler/com.sun.tools.javac.Main", ...javac], { cwd: SOURCES, maxBuffer: 1 << 26, encoding: "utf8" });
  return { ms: Date.now() - t0, stderr };
}

/** Classes (binary names) the class-load log says came from `dir`. */
function loadedFrom(classLog: string, dir: string): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(classLog, "utf8").split("\n")) {
    const m = /\]\s(\S+) source: file:(.*?)\/?$/.exec(line);
    if (m && m[2] === dir) out.add(m[1]!);
  }
  return out;
}

describe("javac (jdk.compiler) split at 1024 bytes", () => {
  const stockOut = join(work, "out-stock");
  let stock: Promise<{ ms: number; stderr: string }>;
  beforeAll(() => {
    execFileSync("unzip", ["-q", srcZip(), "jdk.compiler/*", "-d", SOURCES]);
    const sources = filesUnder(SOURCES, ".java");
    expect(sources.length).toBeGreaterThan(400);
    writeFileSync(ARGFILE, sources.join("\n") + "\n");
    mkdirSync(stockOut);
    // Runs while the module is split (node on one core, javac on the other).
    stock = compileJdkCompiler(stockOut);
    stock.catch(() => undefined);
  });

  for (const link of ["auto", "switch"] as const) {
    describe(`link ${link}`, () => {
      const splitDir = join(work, `jdk.compiler-${link}`);
      let result: BundleSplit;
      let splitMethods: BundleSplit["reports"];
      beforeAll(async () => {
        const input = extractModule("jdk.compiler");
        const t0 = Date.now();
        const { bundle } = await readBundle(input);
        result = await splitBundle(bundle, { maxSize: 1024, link, javaHome: javaHome(), name: input });
        await writeBundle(result.bundle, splitDir, { kind: "directory" });
        splitMethods = result.reports.filter((r) => r.result.kind === "split");
        const refusals = result.reports.flatMap((r) => (r.result.kind === "refused" ? [`${r.className}.${r.method}: ${r.result.reason}`] : []));
        const pieces = splitMethods.reduce((n, r) => n + (r.result.kind === "split" ? r.result.pieces.length : 0), 0);
        console.log(`jdk.compiler ${link}: ${splitMethods.length} methods split into ${pieces} pieces, ${refusals.length} refused, in ${Date.now() - t0} ms`, refusals);
      });

      it("splits the methods over the limit and every class links as the patched module", async () => {
        expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        // 51 of the 53 methods over 1,024 bytes (JDK 17.0.21), Symtab.<init> among them
        // (constructed by every javac run below); the other 2 write more of their class's
        // final fields than their own method can hold at this limit, as the printed bound
        // proves. No other refusal.
        expect(splitMethods.map((r) => `${r.className}.${r.method}`)).toContain("com/sun/tools/javac/code/Symtab.<init>(Lcom/sun/tools/javac/util/Context;)V");
        expect(splitMethods.length).toBe(51);
        const refused = result.reports.filter((r) => r.result.kind === "refused");
        expect(refused.map((r) => `${r.className}.${r.method}`).sort()).toEqual([
          "com/sun/tools/javac/resources/CompilerProperties$Errors.<clinit>()V",
          "com/sun/tools/javac/util/Names.<init>(Lcom/sun/tools/javac/util/Context;)V",
        ]);
        for (const r of refused) {
          if (r.result.kind !== "refused") continue;
          expect(r.result.code).toBe("W_REFUSED_FINAL_FIELDS");
          const bound = /take at least (\d+) bytes there .*, over the limit of 1024: no split can fit$/.exec(r.result.reason);
          expect(bound, r.result.reason).not.toBeNull();
          expect(Number(bound![1])).toBeGreaterThan(1024);
        }
        const linked = await linkAll(splitDir, { module: "jdk.compiler" });
        expect(linked.failures).toEqual([]);
        expect(linked.linked).toBe(filesUnder(splitDir, ".class").length - 1); // all but module-info
      });

      it("compiles jdk.compiler's sources to byte-identical class files", async () => {
        const out = join(work, `out-${link}`);
        const classLog = join(work, `classes-${link}.log`);
        mkdirSync(out);
        const split = await compileJdkCompiler(out, { dir: splitDir, classLog });
        const expected = await stock;
        console.log(`javac over jdk.compiler's sources: stock ${expected.ms} ms, split (${link}) ${split.ms} ms`);
        // The JVM notes that it ignores module-info.class in a patch; javac itself prints nothing.
        const noise = (stderr: string) => stderr.split("\n").filter((l) => l !== "" && !l.startsWith("WARNING: module-info.class ignored in patch"));
        expect(noise(expected.stderr)).toEqual([]);
        expect(noise(split.stderr)).toEqual([]);

        // The split classes are the ones that ran.
        const fromSplit = loadedFrom(classLog, splitDir);
        const splitClasses = new Set(splitMethods.map((r) => r.className.replace(/\//g, ".")));
        const ranSplit = [...splitClasses].filter((c) => fromSplit.has(c));
        for (const c of ["parser.JavacParser", "parser.JavaTokenizer", "comp.Attr", "comp.Lower", "jvm.Gen", "jvm.Code", "jvm.ClassWriter"]) {
          expect(ranSplit).toContain(`com.sun.tools.javac.${c}`);
        }

        const files = filesUnder(stockOut);
        expect(filesUnder(out)).toEqual(files);
        const differing = files.filter((f) => !readFileSync(join(stockOut, f)).equals(readFileSync(join(out, f))));
        console.log(`compared ${files.length} class files (${differing.length} differ); ${ranSplit.length} classes with split methods loaded from the split module`);
        expect(files.length).toBeGreaterThan(1600);
        expect(differing).toEqual([]);
      });
    });
  }
});
