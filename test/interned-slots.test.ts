/**
 * InternedSlots (passes/core/interned-slots.ts): one kept array per content, the
 * argument never kept (frame inference hands it scratch buffers it overwrites).
 */
import { describe, expect, it } from "vitest";
import { InternedSlots } from "../passes/core/interned-slots.js";
import { Int32Slab } from "../passes/core/int32-slab.js";

describe("InternedSlots", () => {
  it("answers one array per content, a copy of the first argument met", () => {
    const interned = new InternedSlots(new Int32Slab());
    const scratch = Int32Array.of(1, 2, 3);
    const kept = interned.of(scratch);
    expect(kept).not.toBe(scratch);
    expect([...kept]).toEqual([1, 2, 3]);
    scratch[1] = 7; // the caller reuses its buffer: the kept copy does not change
    expect([...kept]).toEqual([1, 2, 3]);
    expect(interned.of(Int32Array.of(1, 2, 3))).toBe(kept);
    const other = interned.of(scratch);
    expect([...other]).toEqual([1, 7, 3]);
    expect(other).not.toBe(kept);
  });

  it("tells apart contents of different lengths and contents that collide", () => {
    const interned = new InternedSlots(new Int32Slab());
    const a = interned.of(Int32Array.of(0, 0));
    const b = interned.of(Int32Array.of(0, 0, 0));
    expect(a).not.toBe(b);
    expect(a.length).toBe(2);
    expect(b.length).toBe(3);
    // Many contents: each answered again by identity, none confused with another.
    const keptByKey = new Map<string, Int32Array>();
    for (let x = 0; x < 2000; x++) {
      const c = Int32Array.of(x & 31, x >> 5, 5);
      keptByKey.set(c.join(","), interned.of(c));
    }
    for (const [key, kept] of keptByKey) {
      expect(kept.join(",")).toBe(key);
      expect(interned.of(Int32Array.from(key.split(",").map(Number)))).toBe(kept);
    }
  });
});
