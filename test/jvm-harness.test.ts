/**
 * The JVM oracle is trustworthy: LinkAll reports a VerifyError for a hand-made
 * class whose method returns an int as an Object, passes the same class with a
 * correct method even though its static initialiser would throw (so linking does
 * not initialise), does not need libraries named only in unused signatures, uses
 * the given classpath for real dependencies, links just the classes named with
 * --only (among all of the jar's), and links a whole JDK module patched
 * in from the jimage extraction. Also checks the corpus locator, and that every
 * Debian corpus jar links cleanly against its dependencies (the baseline split
 * jars are compared with).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newEntry } from "../src/bundle/bundle.js";
import { writeBundle } from "../src/bundle/write.js";
import { CORPUS_NAMES, corpusClasspath, corpusJar, extractModule, javaHome, jdkTool, moduleClassFiles } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-jvm-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A version-52 class: `public class <name> extends <superName>` with
 * `public static <desc> m` whose Code is `code` (max_stack 1, max_locals = `locals`),
 * and a `<clinit>` that throws (`aconst_null; athrow`), so initialising it fails.
 */
function classFile(name: string, code: number[], opts: { superName?: string; desc?: string; locals?: number } = {}): Uint8Array {
  const pool: Array<[1, string] | [7, number]> = [];
  const utf8 = (s: string) => (pool.push([1, s]), pool.length);
  const cls = (s: string) => {
    const u = utf8(s);
    pool.push([7, u]);
    return pool.length;
  };
  const thisClass = cls(name);
  const superClass = cls(opts.superName ?? "java/lang/Object");
  const mName = utf8("m");
  const mDesc = utf8(opts.desc ?? "()Ljava/lang/Object;");
  const codeName = utf8("Code");
  const clinit = utf8("<clinit>");
  const voidDesc = utf8("()V");
  const b: number[] = [];
  const u1 = (x: number) => b.push(x & 0xff);
  const u2 = (x: number) => (u1(x >> 8), u1(x));
  const u4 = (x: number) => (u2(x >>> 16), u2(x));
  u4(0xcafebabe), u2(0), u2(52), u2(pool.length + 1);
  for (const [tag, v] of pool) {
    u1(tag);
    if (tag === 1) {
      const bytes = Buffer.from(v as string, "utf8");
      u2(bytes.length), b.push(...bytes);
    } else u2(v as number);
  }
  u2(0x21), u2(thisClass), u2(superClass), u2(0), u2(0), u2(2);
  const method = (access: number, n: number, d: number, locals: number, body: number[]) => {
    u2(access), u2(n), u2(d), u2(1);
    u2(codeName), u4(12 + body.length), u2(1), u2(locals), u4(body.length), b.push(...body), u2(0), u2(0);
  };
  method(0x0009, mName, mDesc, opts.locals ?? 0, code);
  method(0x0008, clinit, voidDesc, 0, [0x01, 0xbf]);
  u2(0);
  return Uint8Array.from(b);
}

const ACONST_NULL = 0x01, ICONST_0 = 0x03, ARETURN = 0xb0, RETURN = 0xb1;

function classDir(name: string, classes: Record<string, Uint8Array>): string {
  const dir = join(work, name);
  for (const [path, bytes] of Object.entries(classes)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

/** A jar of a good class, a bad one, one naming an absent library in a signature, and a subclass of the good one. */
async function mixedJar(): Promise<string> {
  const jar = join(work, "mixed.jar");
  if (existsSync(jar)) return jar;
  await writeBundle(
    {
      kind: "jar",
      entries: [
        newEntry("META-INF/MANIFEST.MF", Buffer.from("Manifest-Version: 1.0\r\n\r\n")),
        newEntry("a/Good.class", classFile("a/Good", [ACONST_NULL, ARETURN])),
        newEntry("a/Bad.class", classFile("a/Bad", [ICONST_0, ARETURN])),
        // Names an absent library only in a signature it never uses.
        newEntry("a/Loose.class", classFile("a/Loose", [RETURN], { desc: "(Lmissing/Lib;)V", locals: 1 })),
        // A subclass of another class of the same jar.
        newEntry("a/Sub.class", classFile("a/Sub", [ACONST_NULL, ARETURN], { superName: "a/Good" })),
      ],
    },
    jar,
    { kind: "jar" },
  );
  return jar;
}

describe("LinkAll", () => {
  it("links a good class without running its static initialiser", async () => {
    const dir = classDir("good", { "p/Good.class": classFile("p/Good", [ACONST_NULL, ARETURN]) });
    expect(await linkAll(dir)).toEqual({ linked: 1, failures: [] });
  });

  it("reports a VerifyError for a method returning an int as an Object", async () => {
    const dir = classDir("bad", { "p/Bad.class": classFile("p/Bad", [ICONST_0, ARETURN]) });
    const r = await linkAll(dir);
    expect(r.linked).toBe(0);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(/^p\.Bad java\.lang\.VerifyError: .*p\/Bad\.m\(\)Ljava\/lang\/Object; @1: areturn/);
  });

  it("links a jar of good, bad and loosely-typed classes, reporting only the bad one", async () => {
    const r = await linkAll(await mixedJar());
    expect(r.linked).toBe(3);
    expect(r.failures.map((f) => f.split(" ").slice(0, 2).join(" "))).toEqual(["a.Bad java.lang.VerifyError:"]);
  });

  it("with --only links just the named classes, among all of the jar's", async () => {
    const jar = await mixedJar();
    // a.Sub's superclass a.Good is found in the jar, though only a.Sub is linked.
    expect(await linkAll(jar, { only: ["a.Sub"] })).toEqual({ linked: 1, failures: [] });
    const r = await linkAll(jar, { only: ["a.Bad", "a.Sub"] });
    expect(r.linked).toBe(1);
    expect(r.failures.map((f) => f.split(" ").slice(0, 2).join(" "))).toEqual(["a.Bad java.lang.VerifyError:"]);
    await expect(linkAll(jar, { only: ["a.Absent"] })).rejects.toThrow(/--only names a class that is not in/);
  });

  it("finds dependencies on the given classpath", async () => {
    const deps = classDir("deps", { "dep/Base.class": classFile("dep/Base", [ACONST_NULL, ARETURN]) });
    const app = classDir("app", { "app/Derived.class": classFile("app/Derived", [ACONST_NULL, ARETURN], { superName: "dep/Base" }) });
    const without = await linkAll(app);
    expect(without.failures).toHaveLength(1);
    expect(without.failures[0]).toMatch(/^app\.Derived java\.lang\.NoClassDefFoundError: dep\/Base/);
    expect(await linkAll(app, { classpath: [deps] })).toEqual({ linked: 1, failures: [] });
  });

  it("links every class of java.base patched in from the jimage extraction", async () => {
    const dir = extractModule("java.base");
    const r = await linkAll(dir, { module: "java.base" });
    expect(r.failures).toEqual([]);
    expect(r.linked).toBe(moduleClassFiles("java.base").length);
  });
});

describe("corpus", () => {
  it("links every class of every Debian corpus jar against its dependencies", async () => {
    for (const n of CORPUS_NAMES) {
      const r = await linkAll(corpusJar(n), { classpath: corpusClasspath(n) });
      expect(r.failures, n).toEqual([]);
      expect(r.linked, n).toBeGreaterThan(30);
    }
  });

  it("finds the Debian jars, the JDK and its modules", () => {
    for (const n of CORPUS_NAMES) expect(existsSync(corpusJar(n)), n).toBe(true);
    expect(corpusJar("rhino")).not.toBe("/usr/share/java/rhino.jar"); // resolved through the symlink
    expect(existsSync(jdkTool("java"))).toBe(true);
    expect(existsSync(join(javaHome(), "lib", "modules"))).toBe(true);
    const files = moduleClassFiles("java.base");
    expect(files.some((f) => f.endsWith("/java/lang/Object.class"))).toBe(true);
    expect(files.length).toBeGreaterThan(5000);
    expect(extractModule("java.base")).toBe(extractModule("java.base"));
  });
});
