/**
 * The jimage reader against the JDK's own `jimage extract`: classes read from
 * `$JAVA_HOME/lib/modules` are byte-identical to the extracted files, the count of
 * a module's classes matches, lookups of absent names answer undefined, and a
 * file that is not an image is an E_IO error.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MegasplitError } from "../src/diagnostics.js";
import { jimageHash, openJimage } from "../src/hierarchy/jimage.js";
import { cacheDir, extractModule, javaHome, jdkTool } from "./support/corpus.js";

const image = openJimage(join(javaHome(), "lib", "modules"));
afterAll(() => image.close());

function countClassFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith(".class")) n++;
  return n;
}

/**
 * The image of a java.base-only runtime that jlink builds with `--compress=N`
 * (1: constant-pool string sharing, 2: zip), cached per JDK build like the
 * extracted modules. About 3 s the first time.
 */
function compressedImage(level: 1 | 2): string {
  const s = statSync(join(javaHome(), "lib", "modules"));
  const out = join(cacheDir(), `jlink-java.base-compress${level}-${s.size}-${Math.floor(s.mtimeMs)}`);
  if (!existsSync(out)) {
    const staging = mkdtempSync(`${out}.tmp-`);
    try {
      execFileSync(jdkTool("jlink"), [`--compress=${level}`, "--add-modules", "java.base", "--output", join(staging, "image")], { stdio: ["ignore", "ignore", "pipe"] });
      try {
        renameSync(join(staging, "image"), out);
      } catch (e) {
        if (!existsSync(out)) throw e;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return join(out, "lib", "modules");
}

describe("jimage reader", () => {
  it("reads the header of the real image", () => {
    expect(image.header.majorVersion).toBe(1);
    expect(image.header.tableLength).toBeGreaterThan(10_000);
    expect(image.header.resourceCount).toBe(image.header.tableLength);
  });

  const cases: [string, string][] = [
    ["java.base", "java/lang/Object"],
    ["java.base", "java/util/HashMap"],
    ["java.desktop", "javax/swing/JFrame"],
    ["jdk.compiler", "com/sun/tools/javac/main/Main"],
  ];
  for (const [module, name] of cases) {
    it(`${name} (${module}) is byte-identical to jimage extract`, () => {
      const expected = new Uint8Array(readFileSync(join(extractModule(module), `${name}.class`)));
      expect(Buffer.from(image.find(module, name)!).equals(expected)).toBe(true);
      const found = image.findClass(name);
      expect(found?.module).toBe(module);
      expect(Buffer.from(found!.bytes).equals(expected)).toBe(true);
    });
  }

  it("counts as many java.base classes as jimage extract", () => {
    let n = 0;
    for (const e of image.entries()) if (e.startsWith("/java.base/") && e.endsWith(".class")) n++;
    expect(n).toBe(countClassFiles(extractModule("java.base")));
    expect(n).toBeGreaterThan(5000);
  });

  it("finds every entry it lists", () => {
    let n = 0;
    for (const e of image.entries()) {
      expect(image.location(e), e).toBeDefined();
      n++;
    }
    expect(n).toBe(image.header.resourceCount);
  });

  it("answers undefined for absent names", () => {
    expect(image.find("java.base", "java/lang/NoSuchClass")).toBeUndefined();
    expect(image.find("java.desktop", "java/lang/Object")).toBeUndefined();
    expect(image.findClass("java/lang/NoSuchClass")).toBeUndefined();
    expect(image.findClass("org/example/Missing")).toBeUndefined();
    expect(image.findClass("NoPackage")).toBeUndefined();
    expect(image.resource("/nope")).toBeUndefined();
  });

  it("maps packages to modules", () => {
    expect(image.moduleOfPackage("java/lang")).toBe("java.base");
    expect(image.moduleOfPackage("java.awt")).toBe("java.desktop");
    expect(image.moduleOfPackage("com/sun/tools/javac/main")).toBe("jdk.compiler");
    expect(image.moduleOfPackage("org/example")).toBeUndefined();
  });

  it("hashes like ImageStringsReader", () => {
    // Empty string: the seed itself, masked positive.
    expect(jimageHash("")).toBe(0x01000193);
    // Non-ASCII characters hash their modified UTF-8 bytes: NUL is C0 80.
    expect(jimageHash("\u0000")).not.toBe(jimageHash(""));
  });

  it("rejects a file that is not an image with E_IO", () => {
    const p = join(tmpdir(), `megasplit-not-jimage-${process.pid}`);
    writeFileSync(p, Buffer.from("PK\u0003\u0004 this is not an image at all"));
    let err: unknown;
    try {
      openJimage(p);
    } catch (e) {
      err = e;
    } finally {
      rmSync(p, { force: true });
    }
    expect(err).toBeInstanceOf(MegasplitError);
    expect((err as MegasplitError).code).toBe("E_IO");
    expect(String(err)).toMatch(/not a jimage/);
  });

  it("inflates zip-compressed resources (jlink --compress=2) to the same bytes", () => {
    const zipped = openJimage(compressedImage(2));
    try {
      let n = 0;
      for (const e of zipped.entries()) {
        if (!e.endsWith(".class")) continue;
        // jlink regenerates the system-modules classes for the smaller image.
        if (e.startsWith("/java.base/jdk/internal/module/SystemModules")) continue;
        expect(zipped.location(e)!.compressedSize, e).toBeGreaterThan(0);
        expect(Buffer.from(zipped.resource(e)!).equals(image.resource(e)!), e).toBe(true);
        n++;
      }
      expect(n).toBeGreaterThan(5000);
      expect(zipped.findClass("java/util/HashMap")?.module).toBe("java.base");
    } finally {
      zipped.close();
    }
  }, 60_000);

  it("names the plugin of resources it cannot decode (jlink --compress=1)", () => {
    const shared = openJimage(compressedImage(1));
    try {
      expect(() => shared.find("java.base", "java/lang/Object")).toThrow(/E_IO.*"compact-cp"/);
      expect(shared.find("java.base", "java/lang/NoSuchClass")).toBeUndefined();
    } finally {
      shared.close();
    }
  }, 60_000);

  it("opens quickly and reads classes lazily", () => {
    const t0 = performance.now();
    const img = openJimage(join(javaHome(), "lib", "modules"));
    const opened = performance.now() - t0;
    for (const [, name] of cases) expect(img.findClass(name)).toBeDefined();
    img.close();
    expect(() => img.find("java.base", "java/lang/String")).toThrow(/closed/);
    console.log(`jimage open: ${opened.toFixed(1)} ms`);
  });
});
