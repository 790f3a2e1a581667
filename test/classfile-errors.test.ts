/**
 * Bad class files yield their documented error code and a location, never a crash:
 * truncation at every offset, corrupted constant-pool references, bad lengths,
 * and a seeded byte-flip fuzz over real classes.
 */
import { describe, expect, it } from "vitest";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { ErrorCodes, MegasplitError } from "../src/diagnostics.js";
import { tinyClassBytes, tinyClassModel } from "./support/tiny-class.js";
import { errorOf } from "./support/expect-error.js";


describe("class-file errors", () => {
  it("reads the tiny class back byte-identically", () => {
    const b = tinyClassBytes();
    expect(writeClass(readClass(b))).toEqual(b);
  });

  it("reports truncation at every offset with E_TRUNCATED or E_ATTR_LENGTH and an offset", () => {
    const b = tinyClassBytes();
    const seen = new Set<string>();
    for (let n = 0; n < b.length; n++) {
      const e = errorOf(() => readClass(b.subarray(0, n), { where: { entry: "Tiny.class" } }));
      expect([ErrorCodes.TRUNCATED, ErrorCodes.ATTR_LENGTH]).toContain(e.code);
      expect(e.diagnostic.location.entry).toBe("Tiny.class");
      expect(e.diagnostic.location.offset).toBeTypeOf("number");
      seen.add(e.code);
    }
    expect(seen.has(ErrorCodes.TRUNCATED)).toBe(true);
    expect(seen.has(ErrorCodes.ATTR_LENGTH)).toBe(true);
  });

  it("rejects bad magic and unsupported versions", () => {
    const b = tinyClassBytes().slice();
    b[0] = 0xca;
    b[3] = 0x00;
    expect(errorOf(() => readClass(b)).code).toBe(ErrorCodes.BAD_MAGIC);
    const v = tinyClassBytes().slice();
    v[7] = 70;
    expect(errorOf(() => readClass(v)).code).toBe(ErrorCodes.BAD_VERSION);
    v[7] = 44;
    expect(errorOf(() => readClass(v)).code).toBe(ErrorCodes.BAD_VERSION);
  });

  it("rejects an unknown constant-pool tag", () => {
    const b = tinyClassBytes().slice();
    b[10] = 2; // the first entry's tag; 2 is unassigned in JVMS 4.4
    const e = errorOf(() => readClass(b));
    expect(e.code).toBe(ErrorCodes.CP_TAG);
    expect(e.diagnostic.location.offset).toBe(10);
  });

  it("rejects out-of-range and wrong-kind constant-pool indices", () => {
    const outOfRange = tinyClassModel();
    outOfRange.thisClass = 999;
    expect(errorOf(() => readClass(writeClass(outOfRange))).code).toBe(ErrorCodes.CP_INDEX);

    const zero = tinyClassModel();
    zero.methods[0]!.nameIndex = 0;
    expect(errorOf(() => readClass(writeClass(zero))).code).toBe(ErrorCodes.CP_INDEX);

    const wrongKind = tinyClassModel();
    wrongKind.superClass = wrongKind.methods[0]!.nameIndex; // a Utf8 where a Class is required
    const e = errorOf(() => readClass(writeClass(wrongKind)));
    expect(e.code).toBe(ErrorCodes.CP_KIND);
    expect(e.diagnostic.location.className).toBe("Tiny");

    const badRef = tinyClassModel();
    const cp = badRef.constantPool;
    cp.add({ kind: "Methodref", classIndex: cp.addUtf8("notAClass"), nameAndTypeIndex: cp.addNameAndType("f", "(I)I") });
    expect(errorOf(() => readClass(writeClass(badRef))).code).toBe(ErrorCodes.CP_KIND);

    const badLong = tinyClassModel();
    badLong.constantPool.addLong(5n);
    badLong.fields[0]!.nameIndex = badLong.constantPool.count - 1; // the unusable slot after a long
    expect(errorOf(() => readClass(writeClass(badLong))).code).toBe(ErrorCodes.CP_INDEX);
  });

  it("rejects an attribute length that overruns its container and trailing bytes", () => {
    const b = tinyClassBytes();
    // The class's last attribute is SourceFile (length 2), ending the file.
    const bad = b.slice();
    bad[b.length - 3] = 9; // attribute_length low byte: 2 -> 9
    const e = errorOf(() => readClass(bad));
    expect(e.code).toBe(ErrorCodes.ATTR_LENGTH);
    expect(e.diagnostic.location.offset).toBe(b.length - 8);

    const trailing = new Uint8Array(b.length + 3);
    trailing.set(b);
    expect(errorOf(() => readClass(trailing)).code).toBe(ErrorCodes.TRAILING_BYTES);
  });

  it("keeps a malformed known attribute raw, with a warning, and writes it back unchanged", () => {
    const m = tinyClassModel();
    const cp = m.constantPool;
    // A SourceFile attribute of length 3 is malformed (it must be 2).
    m.attributes.push({ kind: "Raw", nameIndex: cp.addUtf8("SourceFile"), raw: new Uint8Array([0, 1, 2]) });
    const bytes = writeClass(m);
    const diagnostics: import("../src/diagnostics.js").Diagnostic[] = [];
    const cf = readClass(bytes, { diagnostics });
    expect(diagnostics.map((d) => d.code)).toEqual([ErrorCodes.ATTR_MALFORMED]);
    expect(cf.attributes.at(-1)!.kind).toBe("Raw");
    expect(writeClass(cf)).toEqual(bytes);
  });

  it("survives a seeded byte-flip fuzz: success or a MegasplitError, never a crash", () => {
    const original = tinyClassBytes();
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    let errors = 0;
    for (let round = 0; round < 20000; round++) {
      const b = Uint8Array.from(original);
      const flips = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < flips; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        writeClass(readClass(b));
      } catch (e) {
        if (!(e instanceof MegasplitError)) throw e;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(1000);
  });
});

describe("the JVM's code-length limit", () => {
  it("is enforced only by the class writer, naming class, method and size", () => {
    const m = tinyClassModel();
    const code = m.methods[0]!.attributes[0]!;
    if (code.kind !== "Code") throw new Error("tiny class layout changed");
    const big = new Uint8Array(70_000); // nops, then the original body
    big.set(code.code, big.length - code.code.length);
    m.methods[0]!.attributes[0] = { ...code, code: big, attributes: [] };
    const e = errorOf(() => writeClass(m));
    expect(e.code).toBe(ErrorCodes.CODE_TOO_LARGE);
    expect(e.diagnostic.location).toMatchObject({ className: "Tiny", method: "f(I)I" });
    expect(e.diagnostic.message).toContain("70000");
    // A library user building methods no class file can hold yet may turn the check off,
    // and the reader takes the u4 code_length back.
    const bytes = writeClass(m, { enforceJvmLimits: false });
    const back = readClass(bytes);
    const backCode = back.methods[0]!.attributes[0]!;
    expect(backCode.kind === "Code" && backCode.code.length).toBe(70_000);
  });
});

describe("u2 fields of a StackMapTable", () => {
  it("refuse an uninitialized(new) offset past 65,535 instead of cutting it", () => {
    const m = tinyClassModel();
    const code = m.methods[0]!.attributes[0]!;
    if (code.kind !== "Code") throw new Error("tiny class layout changed");
    const cp = m.constantPool;
    m.methods[0]!.attributes[0] = {
      ...code,
      attributes: [{ kind: "StackMapTable", nameIndex: cp.addUtf8("StackMapTable"), frames: [{ type: "full", offsetDelta: 0, locals: [{ tag: "uninitialized", offset: 70_000 }], stack: [] }] }],
    };
    const e = errorOf(() => writeClass(m, { enforceJvmLimits: false }));
    expect(e.code).toBe(ErrorCodes.CODE_TOO_LARGE);
    expect(e.diagnostic.message).toContain("uninitialized");
  });
});
