/**
 * LEB128 reading and writing of the WebAssembly codec (src/wasm/leb128.ts,
 * binary-reader.ts, binary-writer.ts) against encodings worked out by hand from
 * the spec's definition (core spec, Binary Format, "Integers"): values, the
 * limits on length and unused bits, and over-long encodings kept by replaying
 * the widths read.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { WasmReader } from "../src/wasm/binary-reader.js";
import { WasmWriter } from "../src/wasm/binary-writer.js";
import { errorOf } from "./support/expect-error.js";

const bytes = (...b: number[]) => new Uint8Array(b);

function errorAt(f: () => unknown): { code: string; offset?: number } {
  const e = errorOf(f);
  return { code: e.code, offset: e.diagnostic.location.offset };
}

describe("LEB128", () => {
  it("reads unsigned and signed values", () => {
    expect(new WasmReader(bytes(0xe5, 0x8e, 0x26)).u32()).toBe(624485);
    expect(new WasmReader(bytes(0xc0, 0xbb, 0x78)).s32()).toBe(-123456);
    expect(new WasmReader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f)).u32()).toBe(0xffffffff);
    expect(new WasmReader(bytes(0x80, 0x80, 0x80, 0x80, 0x78)).s32()).toBe(-(2 ** 31));
    expect(new WasmReader(bytes(0x7f)).s64()).toBe(-1n);
    expect(new WasmReader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f)).s64()).toBe(-(2n ** 63n));
    expect(new WasmReader(bytes(0x40)).signed(33, "x")).toBe(-64);
  });

  it("rejects encodings too long or too large for the type, with the offset", () => {
    expect(errorAt(() => new WasmReader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)).u32())).toEqual({ code: "E_WASM_MALFORMED", offset: 0 });
    expect(errorAt(() => new WasmReader(bytes(0, 0xff, 0xff, 0xff, 0xff, 0x1f), 1).u32())).toEqual({ code: "E_WASM_MALFORMED", offset: 1 });
    expect(errorAt(() => new WasmReader(bytes(0xff, 0xff, 0xff, 0xff, 0x4f)).s32())).toEqual({ code: "E_WASM_MALFORMED", offset: 0 });
    expect(errorAt(() => new WasmReader(bytes(0x80, 0x80)).u32())).toEqual({ code: "E_TRUNCATED", offset: 2 });
  });

  it("logs widths and flags an over-long encoding", () => {
    const r = new WasmReader(bytes(0x80, 0x80, 0x80, 0x80, 0x00, 0x05, 0xff, 0x7f, 0xff, 0xff, 0x7f));
    r.startLog();
    expect([r.u32(), r.u32(), r.s32(), r.s32()]).toEqual([0, 5, -1, -1]);
    expect(r.padded).toBe(true);
    expect(r.takeLog()).toEqual([5, 1, 2, 3]);
    const canonical = new WasmReader(bytes(0x05, 0x7f, 0x80, 0x01));
    canonical.startLog();
    canonical.u32();
    canonical.s32();
    canonical.u32();
    expect(canonical.takeLog()).toBeUndefined();
  });

  it("writes back at the widths read, and shortest when canonical", () => {
    const w = new WasmWriter();
    w.setPads([5, 1, 2]);
    w.u32(0).u32(5).s32(-1);
    expect([...w.view()]).toEqual([0x80, 0x80, 0x80, 0x80, 0x00, 0x05, 0xff, 0x7f]);
    const c = new WasmWriter(true);
    c.setPads([5, 1, 2]);
    c.u32(0).u32(5).s32(-1);
    expect([...c.view()]).toEqual([0x00, 0x05, 0x7f]);
  });

  it("keeps every value written while its buffer grows", () => {
    const w = new WasmWriter(false, 1);
    for (let i = 0; i < 3000; i++) w.u8(i & 0xff).u32(i * 977).s32(0 - i).s64(BigInt(i) << 40n);
    const r = new WasmReader(w.view());
    for (let i = 0; i < 3000; i++) expect([r.u8(), r.u32(), r.s32(), r.s64()]).toEqual([i & 0xff, i * 977, 0 - i, BigInt(i) << 40n]);
  });

  it("round-trips any value at any legal width", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 5 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v, pad, big) => {
        const w = new WasmWriter();
        w.setPads([pad, pad, 10]);
        w.s32(v).u32(v >>> 0).s64(big);
        const r = new WasmReader(w.view());
        r.startLog();
        expect([r.s32(), r.u32(), r.s64()]).toEqual([v, v >>> 0, big]);
        const again = new WasmWriter();
        again.setPads(r.log!);
        again.s32(v).u32(v >>> 0).s64(big);
        expect(again.view()).toEqual(w.view());
      }),
    );
  });
});
