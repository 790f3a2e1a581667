/**
 * Malformed WebAssembly input never escapes as anything but a MegasplitError:
 * random byte changes, insertions and truncations of a valid module (the
 * kitchen-sink module, with padded LEB128s) go through readModule, the decoding
 * of every body, the writer and the text printer; each either succeeds or throws
 * a MegasplitError with a code and a byte offset (no RangeError, no TypeError,
 * no hang).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MegasplitError } from "../src/diagnostics.js";
import { decodeBody } from "../src/wasm/body.js";
import { section } from "../src/wasm/module.js";
import { moduleText } from "../src/wasm/print-module.js";
import { readModule } from "../src/wasm/read-module.js";
import { writeModule } from "../src/wasm/write-module.js";
import { wat2wasm } from "./support/wasm-oracles.js";
import { errorOf } from "./support/expect-error.js";

const original = wat2wasm(readFileSync(new URL("./wasm/kitchen-sink.wat", import.meta.url), "utf8"), false);

function exercise(bytes: Uint8Array): void {
  try {
    const m = readModule(bytes);
    for (const e of section(m, "code")?.entries ?? []) e.body = decodeBody(e.raw, e.offset);
    writeModule(m);
    moduleText(m);
  } catch (e) {
    if (!(e instanceof MegasplitError)) throw e;
    expect(e.code).toMatch(/^E_(TRUNCATED|WASM_[A-Z]+)$/);
    expect(e.diagnostic.location.offset).toBeTypeOf("number");
  }
}

describe("malformed WebAssembly modules", () => {
  it("changed bytes give a MegasplitError or a module", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(original.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = original.slice();
        for (const [at, b] of edits) bytes[at] = b;
        exercise(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it("inserted and removed bytes give a MegasplitError or a module", () => {
    fc.assert(
      fc.property(fc.nat(original.length), fc.uint8Array({ maxLength: 6 }), fc.nat(6), (at, inserted, removed) => {
        exercise(new Uint8Array([...original.subarray(0, at), ...inserted, ...original.subarray(at + removed)]));
      }),
      { numRuns: 2000 },
    );
  });

  it("every truncation inside a section gives a MegasplitError (one at a section end is a shorter module)", () => {
    const sectionEnds = new Set<number>([8]);
    for (let pos = 8; pos < original.length; ) {
      let size = 0;
      let k = pos + 1;
      for (let shift = 0; ; shift += 7) {
        const b = original[k++]!;
        size += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
      pos = k + size;
      sectionEnds.add(pos);
    }
    for (let n = 0; n < original.length; n++) {
      exercise(original.subarray(0, n));
      let thrown: unknown;
      try {
        readModule(original.subarray(0, n));
      } catch (e) {
        thrown = e;
      }
      expect(thrown instanceof MegasplitError).toBe(!sectionEnds.has(n));
    }
  });

  it("refuses more than 2^32 - 1 locals, and prints a body with more locals than engines accept", () => {
    const body = (counts: number[]) => {
      const bytes = [counts.length];
      for (const c of counts) {
        for (let v = c; ; v = Math.floor(v / 128)) {
          bytes.push(v >= 128 ? (v % 128) | 0x80 : v);
          if (v < 128) break;
        }
        bytes.push(0x7f);
      }
      return new Uint8Array([...bytes, 0x0b]);
    };
    const e = errorOf(() => decodeBody(body([0xffffffff, 1]), 100));
    expect([e.code, e.diagnostic.location.offset]).toEqual(["E_WASM_MALFORMED", 100]);
    expect(decodeBody(body([0xffffffff])).locals[0]!.count).toBe(0xffffffff);
    const m = readModule(original);
    const first = section(m, "code")!.entries[0]!;
    first.body = decodeBody(body([0xffffffff]));
    expect(moduleText(m)).toContain("4294967295 locals, more than engines accept");
  });
});
