/**
 * Bundles: jars built here (stored and deflated entries, comments, extra fields,
 * odd DOS timestamps, a manifest, a multi-release entry, signature files, hostile
 * names written byte by byte) survive read -> write -> read with order, names,
 * timestamps, comments, extras, data and compression intact, and untouched
 * entries keep their exact compressed bytes. Damaged archives give diagnostics,
 * not crashes. Directory and single-class round trips, atomic output and
 * deterministic bytes. Finally real Debian jars round-trip and the JDK and
 * Info-ZIP accept the result.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { crc32, deflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCodes, MegasplitError } from "../src/diagnostics.js";
import {
  entryClassName,
  isClassEntry,
  logicalPath,
  multiReleaseVersion,
  newEntry,
  withData,
  type Bundle,
  type BundleEntry,
} from "../src/bundle/bundle.js";
import { dropSignaturesIfClassesChanged, encodeJar, isSignatureFile, readJar, signatureFilesToDrop, zipPathProblem } from "../src/bundle/jar.js";
import { readBundle } from "../src/bundle/read.js";
import { writeBundle } from "../src/bundle/write.js";
import { rawZip } from "./support/raw-zip.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string) => join(work, `${n++}-${name}`);

const CLASS_A = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 1, 2, 3]);
const CLASS_B = new Uint8Array(4000).map((_, i) => (i * 7) % 13);

/** Sets the archive comment of a finished zip (fflate's zipSync cannot). */
function withArchiveComment(zip: Uint8Array, comment: string): Uint8Array {
  const c = strToU8(comment);
  const out = new Uint8Array(zip.length + c.length);
  out.set(zip);
  new DataView(out.buffer).setUint16(zip.length - 2, c.length, true);
  out.set(c, zip.length);
  return out;
}

function fflateJar(): Uint8Array {
  const jar = zipSync({
    "META-INF/": [new Uint8Array(0), { level: 0, mtime: new Date(2020, 0, 2, 3, 4, 6) }],
    "META-INF/MANIFEST.MF": [strToU8("Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n"), { level: 9, mtime: new Date(2019, 11, 31, 23, 59, 58) }],
    "a/A.class": [CLASS_A, { level: 0, comment: "stored class", mtime: new Date(1999, 5, 7, 8, 9, 10) }],
    "a/B.class": [CLASS_B, { level: 6, extra: { 0xcafe: new Uint8Array(0), 0x5455: Uint8Array.from([1, 2, 3, 4, 5]) }, mtime: new Date(2001, 1, 3, 4, 5, 6) }],
    "META-INF/versions/11/a/A.class": [CLASS_A, { level: 6, mtime: new Date(2011, 10, 11, 11, 11, 12) }],
    "META-INF/SIGNER.SF": [strToU8("Signature-Version: 1.0\r\n"), { mtime: new Date(2010, 0, 1) }],
    "META-INF/SIGNER.RSA": [Uint8Array.from([0x30, 0x82, 1, 2]), { level: 0, mtime: new Date(2010, 0, 1) }],
    "res/données.txt": [strToU8("non-ASCII name"), { mtime: new Date(2015, 6, 15, 12, 0, 0) }],
  });
  return withArchiveComment(jar, "archive comment");
}


async function roundTrip(bytes: Uint8Array): Promise<{ before: Bundle; after: Bundle; written: Uint8Array }> {
  const input = tmp("in.jar");
  writeFileSync(input, bytes);
  const r1 = await readBundle(input);
  expect(r1.diagnostics).toEqual([]);
  const output = tmp("out.jar");
  await writeBundle(r1.bundle, output, { kind: "jar" });
  const r2 = await readBundle(output);
  expect(r2.diagnostics).toEqual([]);
  return { before: r1.bundle, after: r2.bundle, written: new Uint8Array(readFileSync(output)) };
}

function comparable(e: BundleEntry) {
  return { name: e.name, data: Buffer.from(e.data).toString("base64"), zip: e.zip && { ...e.zip, flags: e.zip.flags & ~8 } };
}

describe("bundle model", () => {
  it("classifies entries and multi-release paths", () => {
    expect(isClassEntry(newEntry("a/B.class", CLASS_A))).toBe(true);
    expect(isClassEntry(newEntry("a/B.class/", new Uint8Array()))).toBe(false);
    expect(isClassEntry(newEntry("a/B.txt", CLASS_A))).toBe(false);
    expect(multiReleaseVersion("META-INF/versions/11/a/B.class")).toBe(11);
    expect(multiReleaseVersion("META-INF/versions/x/a/B.class")).toBeUndefined();
    expect(multiReleaseVersion("a/B.class")).toBeUndefined();
    expect(logicalPath("META-INF/versions/17/a/B.class")).toBe("a/B.class");
    expect(logicalPath("a/B.class")).toBe("a/B.class");
    expect(entryClassName("META-INF/versions/9/module-info.class")).toBe("module-info");
  });

  it("withData returns a new modified entry without the stored compressed bytes", () => {
    const e: BundleEntry = { name: "x.class", data: CLASS_A, compressed: CLASS_A, modified: false };
    const f = withData(e, CLASS_B);
    expect(f).not.toBe(e);
    expect(f.modified).toBe(true);
    expect(f.compressed).toBeUndefined();
    expect(f.data).toBe(CLASS_B);
    expect(e.data).toBe(CLASS_A);
    expect(e.compressed).toBe(CLASS_A);
  });

  it("rejects hostile names and accepts ordinary ones", () => {
    for (const bad of ["../evil.class", "/abs.class", "a/../../x", "C:/x.class", "c:x", "..\\x.class", "\\abs", "a\\..\\..\\x", "", "a\0b"]) {
      expect(zipPathProblem(bad), bad).toBeDefined();
    }
    for (const ok of ["a/B.class", "META-INF/", "a..b/c.class", "a\\b.txt", "données/é.class"]) expect(zipPathProblem(ok), ok).toBeUndefined();
  });
});

describe("jar round trip", () => {
  it("keeps order, names, timestamps, comments, extras, data and compression", async () => {
    const { before, after } = await roundTrip(fflateJar());
    expect(before.entries.map((e) => e.name)).toEqual([
      "META-INF/",
      "META-INF/MANIFEST.MF",
      "a/A.class",
      "a/B.class",
      "META-INF/versions/11/a/A.class",
      "META-INF/SIGNER.SF",
      "META-INF/SIGNER.RSA",
      "res/données.txt",
    ]);
    expect(after.entries.map(comparable)).toEqual(before.entries.map(comparable));
    expect(Buffer.from(after.comment!).toString()).toBe("archive comment");
    const a = after.entries.find((e) => e.name === "a/A.class")!;
    expect(a.zip!.compression).toBe(0);
    expect(Buffer.from(a.zip!.comment).toString()).toBe("stored class");
    const b = after.entries.find((e) => e.name === "a/B.class")!;
    expect(b.zip!.compression).toBe(8);
    expect(b.zip!.extra.length).toBeGreaterThan(0);
    expect(after.entries.find((e) => e.name === "META-INF/MANIFEST.MF")!.zip!.compression).toBe(8);
  });

  it("passes the original compressed bytes through for unchanged entries", async () => {
    const { before, after } = await roundTrip(fflateJar());
    for (let i = 0; i < before.entries.length; i++) {
      expect(Buffer.from(after.entries[i]!.compressed!).equals(Buffer.from(before.entries[i]!.compressed!)), before.entries[i]!.name).toBe(true);
    }
  });

  it("re-encodes changed entries with their original method and keeps the rest", async () => {
    const { before } = await roundTrip(fflateJar());
    const newA = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 9, 9, 9]);
    const newB = new Uint8Array(5000).fill(7);
    const changed: Bundle = {
      ...before,
      entries: before.entries.map((e) => (e.name === "a/A.class" ? withData(e, newA) : e.name === "a/B.class" ? withData(e, newB) : e)),
    };
    const out = tmp("changed.jar");
    await writeBundle(changed, out, { kind: "jar" });
    const { bundle, diagnostics } = await readBundle(out);
    expect(diagnostics).toEqual([]);
    const a = bundle.entries.find((e) => e.name === "a/A.class")!;
    const b = bundle.entries.find((e) => e.name === "a/B.class")!;
    expect(a.data).toEqual(newA);
    expect(a.zip!.compression).toBe(0);
    expect(a.zip!.crc32).toBe(crc32(newA));
    expect(b.data).toEqual(newB);
    expect(b.zip!.compression).toBe(8);
    expect(b.compressed!.length).toBeLessThan(newB.length);
    expect(b.zip!.dosTime).toBe(before.entries.find((e) => e.name === "a/B.class")!.zip!.dosTime);
    const m = bundle.entries.find((e) => e.name === "META-INF/MANIFEST.MF")!;
    expect(Buffer.from(m.compressed!).equals(Buffer.from(before.entries.find((e) => e.name === "META-INF/MANIFEST.MF")!.compressed!))).toBe(true);
  });

  it("does not trust compressed bytes of an entry rebuilt by spreading", () => {
    const e: BundleEntry = { name: "x.class", data: CLASS_A, compressed: CLASS_A, modified: false, zip: undefined };
    const jar = encodeJar({ kind: "jar", entries: [{ ...e, data: CLASS_B }] });
    return readJar(jar, "mem").then(({ bundle }) => expect(bundle.entries[0]!.data).toEqual(CLASS_B));
  });

  it("keeps raw DOS time words exactly, in any time zone, including DST gaps and invalid fields", async () => {
    const odd = [
      { dosDate: ((2021 - 1980) << 9) | (3 << 5) | 28, dosTime: (2 << 11) | (30 << 5) | 15 }, // 02:30 on Europe's 2021 spring-forward day
      { dosDate: ((2021 - 1980) << 9) | (3 << 5) | 14, dosTime: (2 << 11) | (15 << 5) | 0 }, // 02:15 on the US one
      { dosDate: 0, dosTime: 0 }, // month 0, day 0
      { dosDate: (127 << 9) | (15 << 5) | 31, dosTime: 0xffff }, // every field past its range
      { dosDate: ((2107 - 1980) << 9) | (12 << 5) | 31, dosTime: (23 << 11) | (59 << 5) | 29 },
      { dosDate: 0x21, dosTime: 1 },
    ];
    const bytes = rawZip(odd.map((t, i) => ({ name: `t${i}.txt`, data: strToU8(`entry ${i}`), method: (i % 2 ? 8 : 0) as 0 | 8, ...t })));
    const saved = process.env.TZ;
    try {
      const outputs: string[] = [];
      for (const tz of ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]) {
        process.env.TZ = tz;
        const { after, written } = await roundTrip(bytes);
        expect(after.entries.map((e) => ({ dosDate: e.zip!.dosDate, dosTime: e.zip!.dosTime }))).toEqual(odd);
        outputs.push(Buffer.from(written).toString("base64"));
      }
      expect(new Set(outputs).size).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("keeps raw extra fields that are not in canonical order, and local extras", async () => {
    const extra = Uint8Array.from([0x55, 0x54, 1, 0, 9, 0xfe, 0xca, 0, 0, 0x55, 0x54, 1, 0, 8]);
    const { after } = await roundTrip(rawZip([{ name: "x.bin", data: strToU8("x"), extra, comment: "c" }], "ac"));
    expect(after.entries[0]!.zip!.extra).toEqual(extra);
    expect(after.entries[0]!.zip!.localExtra).toEqual(extra);
    expect(Buffer.from(after.comment!).toString()).toBe("ac");
  });

  it("writes identical bytes for the same bundle", async () => {
    const input = tmp("det.jar");
    writeFileSync(input, fflateJar());
    const { bundle } = await readBundle(input);
    const fresh: Bundle = { ...bundle, entries: [...bundle.entries, newEntry("gen/New.class", CLASS_B)] };
    const x = encodeJar(fresh);
    await new Promise((r) => setTimeout(r, 1100));
    const y = encodeJar(fresh);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(true);
  });
});

describe("damaged and hostile archives", () => {
  it("skips hostile names with E_ZIP_PATH and keeps the other entries", async () => {
    const bytes = rawZip([
      { name: "ok/First.class", data: CLASS_A },
      { name: "../evil.class", data: CLASS_A },
      { name: "/abs.class", data: CLASS_A },
      { name: "C:/win.class", data: CLASS_A },
      { name: "a\\..\\..\\back.class", data: CLASS_A, method: 8 },
      { name: "ok/../../climb.class", data: CLASS_A },
      { name: "ok/Last.class", data: CLASS_B, method: 8 },
    ]);
    const input = tmp("hostile.jar");
    writeFileSync(input, bytes);
    const { bundle, diagnostics } = await readBundle(input);
    expect(bundle.entries.map((e) => e.name)).toEqual(["ok/First.class", "ok/Last.class"]);
    expect(bundle.entries[1]!.data).toEqual(CLASS_B);
    expect(diagnostics.map((d) => [d.code, d.location.entry])).toEqual([
      [ErrorCodes.ZIP_PATH, "../evil.class"],
      [ErrorCodes.ZIP_PATH, "/abs.class"],
      [ErrorCodes.ZIP_PATH, "C:/win.class"],
      [ErrorCodes.ZIP_PATH, "a\\..\\..\\back.class"],
      [ErrorCodes.ZIP_PATH, "ok/../../climb.class"],
    ]);
    expect(diagnostics.every((d) => d.location.bundle === input && d.severity === "error")).toBe(true);
  });

  it("reports a truncated archive as E_ZIP_CORRUPT at every cut, never a crash", async () => {
    const whole = fflateJar();
    for (let cut = 0; cut < whole.length; cut += Math.max(1, Math.floor(whole.length / 97))) {
      const { diagnostics } = await readJar(whole.subarray(0, cut), "cut.jar");
      // A cut inside the trailing archive comment can still leave a readable archive.
      if (cut < whole.length - "archive comment".length) {
        expect(diagnostics.length, `cut at ${cut}`).toBeGreaterThan(0);
        expect(diagnostics.every((d) => d.code === ErrorCodes.ZIP_CORRUPT && d.location.bundle === "cut.jar")).toBe(true);
      }
    }
    const input = tmp("trunc.jar");
    writeFileSync(input, whole.subarray(0, whole.length >> 1));
    const { diagnostics } = await readBundle(input);
    expect(diagnostics[0]!.code).toBe(ErrorCodes.ZIP_CORRUPT);
    expect(diagnostics[0]!.location.offset).toBe(0);
  });

  it("reports a damaged entry and keeps its neighbours", async () => {
    const bytes = rawZip([
      { name: "a.txt", data: strToU8("first") },
      { name: "b.txt", data: strToU8("second") },
      { name: "c.txt", data: strToU8("third") },
    ]);
    const damaged = bytes.slice();
    const at = Buffer.from(damaged).indexOf("second");
    damaged[at] ^= 0xff;
    const { bundle, diagnostics } = await readJar(damaged, "crc.jar");
    expect(bundle.entries.map((e) => e.name)).toEqual(["a.txt", "c.txt"]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe(ErrorCodes.ZIP_CORRUPT);
    expect(diagnostics[0]!.location.entry).toBe("b.txt");
    expect(diagnostics[0]!.location.offset).toBeGreaterThan(0);
  });

  it("reports a broken central directory after the entries read so far", async () => {
    const bytes = rawZip([
      { name: "a.txt", data: strToU8("first") },
      { name: "b.txt", data: strToU8("second") },
    ]);
    const damaged = bytes.slice();
    const second = Buffer.from(damaged).lastIndexOf(Buffer.from([0x50, 0x4b, 1, 2]));
    damaged[second] = 0;
    const { bundle, diagnostics } = await readJar(damaged, "cd.jar");
    expect(bundle.entries.map((e) => e.name)).toEqual(["a.txt"]);
    expect(diagnostics.map((d) => d.code)).toEqual([ErrorCodes.ZIP_CORRUPT]);
    expect(diagnostics[0]!.location.offset).toBe(second);
  });

  it("throws E_IO for a missing input", async () => {
    await expect(readBundle(join(work, "missing.jar"))).rejects.toBeInstanceOf(MegasplitError);
    await expect(readBundle(join(work, "missing.jar"))).rejects.toMatchObject({ code: ErrorCodes.IO });
  });
});

describe("signatures", () => {
  it("recognises signature files like the JDK", () => {
    for (const s of ["META-INF/A.SF", "META-INF/a.rsa", "META-INF/X.DSA", "META-INF/K.EC", "META-INF/SIG-FOO"]) expect(isSignatureFile(s), s).toBe(true);
    for (const s of ["META-INF/MANIFEST.MF", "META-INF/sub/A.SF", "A.SF", "META-INF/A.SFX", "META-INF/"]) expect(isSignatureFile(s), s).toBe(false);
  });

  it("removes them with W_SIGNATURE_REMOVED only when a class changed", async () => {
    const input = tmp("signed.jar");
    writeFileSync(input, fflateJar());
    const { bundle } = await readBundle(input);
    expect(signatureFilesToDrop(bundle)).toEqual(["META-INF/SIGNER.SF", "META-INF/SIGNER.RSA"]);
    expect(dropSignaturesIfClassesChanged(bundle)).toEqual({ bundle, diagnostics: [] });
    const resourceOnly: Bundle = { ...bundle, entries: bundle.entries.map((e) => (e.name.endsWith(".txt") ? withData(e, strToU8("x")) : e)) };
    expect(dropSignaturesIfClassesChanged(resourceOnly).diagnostics).toEqual([]);
    const changed: Bundle = { ...bundle, entries: bundle.entries.map((e) => (e.name === "a/B.class" ? withData(e, CLASS_A) : e)) };
    const r = dropSignaturesIfClassesChanged(changed);
    expect(r.bundle.entries.map((e) => e.name)).not.toContain("META-INF/SIGNER.SF");
    expect(r.bundle.entries.map((e) => e.name)).not.toContain("META-INF/SIGNER.RSA");
    expect(r.bundle.entries).toHaveLength(bundle.entries.length - 2);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([[ErrorCodes.SIGNATURE_REMOVED, "warning"]]);
  });
});

describe("directories and single classes", () => {
  it("round-trips a directory tree in sorted order", async () => {
    const src = tmp("dir-in");
    const bundle: Bundle = {
      kind: "directory",
      entries: [newEntry("z/Z.class", CLASS_A), newEntry("a/b/C.class", CLASS_B), newEntry("a/B.class", CLASS_A), newEntry("res/r.txt", strToU8("r"))],
    };
    await writeBundle(bundle, src, { kind: "directory" });
    const { bundle: back, diagnostics } = await readBundle(src);
    expect(diagnostics).toEqual([]);
    expect(back.kind).toBe("directory");
    expect(back.entries.map((e) => e.name)).toEqual(["a/B.class", "a/b/C.class", "res/r.txt", "z/Z.class"]);
    expect(back.entries.map((e) => e.data)).toEqual([CLASS_A, CLASS_B, strToU8("r"), CLASS_A]);
    const out = tmp("dir-out");
    await writeBundle(back, out, { kind: "directory" });
    expect((await readBundle(out)).bundle.entries.map((e) => [e.name, e.data])).toEqual(back.entries.map((e) => [e.name, e.data]));
  });

  it("refuses to write an entry outside the output directory", async () => {
    const out = tmp("dir-hostile");
    await expect(writeBundle({ kind: "directory", entries: [newEntry("../x.class", CLASS_A)] }, out, { kind: "directory" })).rejects.toMatchObject({
      code: ErrorCodes.ZIP_PATH,
    });
    expect(existsSync(join(work, "x.class"))).toBe(false);
  });

  it("round-trips a single class file, recognised by magic not extension", async () => {
    const input = tmp("Weird.bin");
    writeFileSync(input, CLASS_B.map((x, i) => (i < 4 ? CLASS_A[i]! : x)));
    const { bundle, diagnostics } = await readBundle(input);
    expect(diagnostics).toEqual([]);
    expect(bundle.kind).toBe("class");
    expect(bundle.entries).toHaveLength(1);
    const out = tmp("Out.class");
    await writeBundle(bundle, out, { kind: "class" });
    expect(new Uint8Array(readFileSync(out))).toEqual(bundle.entries[0]!.data);
    // A jar named .class is still a jar.
    const disguised = tmp("Jar.class");
    writeFileSync(disguised, fflateJar());
    expect((await readBundle(disguised)).bundle.kind).toBe("jar");
  });

  it("writes a class with the classes a split added to its package beside it, and refuses others", async () => {
    const dir = tmp("single-out");
    mkdirSync(dir, { recursive: true });
    const out = join(dir, "Main.class");
    const bundle: Bundle = { kind: "class", entries: [newEntry("p/Main.class", CLASS_A), newEntry("p/Main$megasplit.class", CLASS_B)] };
    await writeBundle(bundle, out, { kind: "class" });
    expect(new Uint8Array(readFileSync(out))).toEqual(CLASS_A);
    expect(new Uint8Array(readFileSync(join(dir, "Main$megasplit.class")))).toEqual(CLASS_B);
    const other: Bundle = { kind: "class", entries: [newEntry("p/Main.class", CLASS_A), newEntry("q/Other.class", CLASS_B)] };
    await expect(writeBundle(other, join(dir, "Other.class"), { kind: "class" })).rejects.toMatchObject({ code: ErrorCodes.USAGE });
    expect(existsSync(join(dir, "Other.class"))).toBe(false);
  });

  it("writes a directory bundle as a jar with the DOS epoch and no clock", async () => {
    const bundle: Bundle = { kind: "directory", entries: [newEntry("a/B.class", CLASS_B)] };
    const out = tmp("fromdir.jar");
    await writeBundle(bundle, out, { kind: "jar" });
    const { bundle: back } = await readBundle(out);
    expect(back.entries[0]!.data).toEqual(CLASS_B);
    expect(back.entries[0]!.zip).toMatchObject({ compression: 8, dosDate: 0x21, dosTime: 0 });
  });

  it("leaves no temporary files behind", async () => {
    const dir = tmp("atomic");
    await writeBundle({ kind: "directory", entries: [newEntry("p/Q.class", CLASS_A)] }, dir, { kind: "directory" });
    await writeBundle({ kind: "jar", entries: [newEntry("p/Q.class", CLASS_A)] }, join(dir, "o.jar"), { kind: "jar" });
    await writeBundle({ kind: "jar", entries: [newEntry("p/Q.class", CLASS_B)] }, join(dir, "o.jar"), { kind: "jar" });
    const all = readdirSync(work, { recursive: true }).map(String);
    expect(all.filter((f) => f.includes("megasplit-tmp"))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["o.jar", "p"]);
  });
});

// `npm run setup` installs them; a missing jar fails the test rather than skipping it.
const DEBIAN_JARS = ["/usr/share/java/rhino.jar", "/usr/share/java/jython.jar"];

describe("real Debian jars", () => {
  const zipLister = join(work, "ZipList.java");
  writeFileSync(
    zipLister,
    [
      "import java.util.zip.*; import java.io.*;",
      "public class ZipList { public static void main(String[] a) throws Exception {",
      "  try (ZipInputStream z = new ZipInputStream(new BufferedInputStream(new FileInputStream(a[0])))) {",
      "    ZipEntry e; int n = 0; while ((e = z.getNextEntry()) != null) { z.readAllBytes(); n++; } System.out.println(n); } } }",
    ].join("\n"),
  );

  for (const jar of DEBIAN_JARS) {
    it(`round-trips ${jar} into a jar that unzip, jar and ZipInputStream accept`, async () => {
      const { before, after, written } = await roundTrip(new Uint8Array(readFileSync(jar)));
      expect(before.entries.length).toBeGreaterThan(100);
      expect(after.entries.map(comparable)).toEqual(before.entries.map(comparable));
      const out = tmp("debian.jar");
      writeFileSync(out, written);
      execFileSync("unzip", ["-tqq", out]);
      const listed = execFileSync("jar", ["tf", out], { encoding: "utf8", maxBuffer: 1 << 26 }).trim().split("\n");
      expect(listed).toEqual(before.entries.map((e) => e.name));
      const streamed = execFileSync("java", [zipLister, out], { encoding: "utf8" }).trim();
      expect(Number(streamed)).toBe(before.entries.length);
    });
  }
});

describe("withData", () => {
  it("keeps an entry whose new content is identical (its compressed bytes and unmodified state)", async () => {
    const { bundle } = await readBundle("/usr/share/java/rhino.jar");
    const e = bundle.entries.find((x) => x.name.endsWith(".class"))!;
    expect(withData(e, Uint8Array.from(e.data))).toBe(e);
    const changed = withData(e, Uint8Array.from(e.data, (b, i) => (i === e.data.length - 1 ? b ^ 1 : b)));
    expect(changed.modified).toBe(true);
    expect(changed.compressed).toBeUndefined();
  });
});
