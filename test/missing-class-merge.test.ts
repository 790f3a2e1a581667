/**
 * A split whose frames would merge past a class missing from the input, the
 * classpath and the JDK (src/split/merge-watch.ts). `lib` has `Visitor`, and
 * `Writer` and `Checked` extending it; the application class is split alone, as a
 * user splits their jar without `--classpath`. javac writes `v = seed % 2 == 0 ?
 * new Checked(w) : w; v.visit(...)` with a frame saying `Visitor` at the join; the
 * split's frames are inferred, and without `lib` the merge of Checked and Writer
 * can only be guessed (java/lang/Object). Before the watch, the method was split
 * with that guess (a W_CLASS_MISSING warning only) and HotSpot rejected the class
 * once `lib` was there ("Bad type on operand stack ... is not assignable to
 * lib/Visitor"), although the original links: found by linking every jar of
 * /usr/share/java split at 1,024 (jnr-ffi with ASM absent, maven-resolver-impl;
 * scripts/link-sweep.ts). Now:
 *
 * - `visits` (the merged value used as a Visitor) is refused, W_REFUSED_MISSING_CLASS,
 *   naming the missing classes and the use;
 * - `clones` (arrays of both merged, then `clone()` called on the array type, whose
 *   receiver HotSpot checks against the array type) is refused too;
 * - `prints` (the merged value only used as an Object) is split: the guess is
 *   harmless there, and refusing it would be refusing for nothing;
 * - with `lib` on the classpath both are split;
 *
 * and every output links under -Xverify:all with `lib` present and prints what the
 * unsplit classes print. javac output (--release 17), links auto and switch.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJava, expectSameRun, runJava } from "./support/hard-case.js";
import { linkAll } from "./support/jvm.js";
import { splitJar, type SplitJarResult } from "./support/split-jar.js";

const LIMIT = 1024;

const LIB: Record<string, string> = {
  "Visitor.java": "package lib;\npublic class Visitor { public int visit(int x) { return x + 1; } }\n",
  "Writer.java": "package lib;\npublic class Writer extends Visitor { public int visit(int x) { return x * 2 + 1; } }\n",
  "Checked.java":
    "package lib;\npublic class Checked extends Visitor {\n  private final Visitor inner;\n  public Checked(Visitor inner) { this.inner = inner; }\n  public int visit(int x) { return inner.visit(x) + 3; }\n}\n",
};

/** Straight-line arithmetic on `s`, enough to take a method past the limit. */
function filler(n: number, salt: number): string {
  return Array.from({ length: n }, (_, i) => `    s = s * ${((i + salt) % 23) + 3} + (seed ^ ${i * 7 + salt});`).join("\n");
}

function app(): string {
  return `package app;

import lib.*;

public class Main {
  static int visits(int seed) {
    int s = seed;
${filler(70, 1)}
    Writer w = new Writer();
    Visitor v = seed % 2 == 0 ? new Checked(w) : w;
    s += v.visit(s);
${filler(70, 2)}
    return s;
  }

  static String prints(int seed) {
    int s = seed;
${filler(70, 3)}
    Writer w = new Writer();
    Object o = seed % 2 == 0 ? new Checked(w) : w;
    String name = o.getClass().getSimpleName();
${filler(70, 4)}
    return name + s;
  }

  static int clones(int seed) {
    int s = seed;
${filler(70, 5)}
    Visitor[] a = seed % 2 == 0 ? new Checked[] { new Checked(new Writer()) } : new Writer[] { new Writer() };
    Object c = a.clone();
    s += ((Visitor[]) c)[0].visit(s);
${filler(70, 6)}
    return s;
  }

  public static void main(String[] args) {
    for (int seed = 0; seed < 4; seed++) System.out.println(visits(seed) + " " + prints(seed) + " " + clones(seed));
  }
}
`;
}

const work = mkdtempSync(join(tmpdir(), "megasplit-missing-class-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let lib: string;
let classes: string;
beforeAll(() => {
  const libSrc = join(work, "src", "lib");
  mkdirSync(libSrc, { recursive: true });
  for (const [name, text] of Object.entries(LIB)) writeFileSync(join(libSrc, name), text);
  lib = compileJava(Object.keys(LIB).map((n) => join(libSrc, n)), join(work, "lib"));
  const appSrc = join(work, "src", "app");
  mkdirSync(appSrc, { recursive: true });
  writeFileSync(join(appSrc, "Main.java"), app());
  classes = compileJava([join(appSrc, "Main.java")], join(work, "app"), [lib]);
}, 120_000);

const report = (split: SplitJarResult, method: string) => split.result.reports.find((r) => r.method === method)!;

for (const link of ["auto", "switch"] as const) {
  describe(`a merge past a missing class (link ${link})`, () => {
    let alone: SplitJarResult;
    let withLib: SplitJarResult;
    beforeAll(async () => {
      alone = await splitJar(classes, work, `alone-${link}.jar`, { maxSize: LIMIT, link });
      withLib = await splitJar(classes, work, `with-lib-${link}.jar`, { maxSize: LIMIT, link, classpath: [lib] });
    }, 120_000);

    it("refuses the method that uses the guessed type, and splits the one that does not", () => {
      const visits = report(alone, "visits(I)I").result;
      expect(visits.kind).toBe("refused");
      if (visits.kind !== "refused") return;
      expect(visits.code).toBe("W_REFUSED_MISSING_CLASS");
      expect(visits.reason).toMatch(/lib\/(Checked|Writer) not found/);
      expect(visits.reason).toContain("needs lib/Visitor");
      expect(visits.reason).toContain("--classpath");
      expect(report(alone, "prints(I)Ljava/lang/String;").result.kind).toBe("split");
      // An array merged past the missing classes, then its clone() called on the array type.
      const clones = report(alone, "clones(I)I").result;
      expect(clones.kind === "refused" && clones.code).toBe("W_REFUSED_MISSING_CLASS");
      expect(clones.kind === "refused" && clones.reason).toContain("needs [Llib/Visitor;");
    });

    it("splits both with the library on the classpath", () => {
      expect(report(withLib, "visits(I)I").result.kind).toBe("split");
      expect(report(withLib, "prints(I)Ljava/lang/String;").result.kind).toBe("split");
      expect(report(withLib, "clones(I)I").result.kind).toBe("split");
      expect(withLib.refused).toBe(0);
    });

    it("links under -Xverify:all with the library present, and runs as the unsplit classes", async () => {
      for (const split of [alone, withLib]) {
        const linked = await linkAll(split.path, { classpath: [lib] });
        expect(linked.failures).toEqual([]);
        expect(linked.linked).toBe(1);
        expectSameRun(runJava(`${split.path}${delimiter}${lib}`, "app.Main", { jvm: ["-Xverify:all"] }), runJava(`${classes}${delimiter}${lib}`, "app.Main", { jvm: ["-Xverify:all"] }));
      }
    });
  });
}
