/**
 * passes/core/sequence-ids.ts: ids by first appearance, equal exactly when the
 * sequences are element-wise equal (the length included), checked against string
 * keys over random sequences that collide often.
 */
import { describe, expect, it } from "vitest";
import { SequenceIds } from "../passes/core/sequence-ids.js";

describe("SequenceIds", () => {
  it("numbers sequences by first appearance and looks at the given length only", () => {
    const ids = new SequenceIds();
    expect(ids.idOf([1, 2, 3], 3)).toBe(0);
    expect(ids.idOf([1, 2], 2)).toBe(1);
    expect(ids.idOf([1, 2, 3, 99], 3)).toBe(0);
    expect(ids.idOf([], 0)).toBe(2);
    expect(ids.idOf([0], 1)).toBe(3);
    expect(ids.idOf([1, 2], 2)).toBe(1);
    expect(ids.size).toBe(4);
  });

  it("finds a Uint32Array again when a word has bit 31 set (a liveness bitset with slot 31 live)", () => {
    const ids = new SequenceIds();
    const words = Uint32Array.of(0x80000001, 0xffffffff, 7);
    expect(ids.idOf(words, 3)).toBe(0);
    expect(ids.idOf(Uint32Array.of(0x80000001, 0xffffffff, 7), 3)).toBe(0);
    expect(ids.idOf(words.subarray(0, 2), 2)).toBe(1);
    expect(ids.idOf(Uint32Array.of(0x80000001, 0xfffffffe, 7), 3)).toBe(2);
    expect(ids.size).toBe(3);
  });

  it("agrees with string keys on random sequences", () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const ids = new SequenceIds();
    const byString = new Map<string, number>();
    for (let k = 0; k < 5000; k++) {
      const seq = Array.from({ length: rand(4) }, () => rand(3));
      const key = seq.join(",") + "|" + seq.length;
      const expected = byString.get(key) ?? byString.size;
      byString.set(key, expected);
      expect(ids.idOf(seq, seq.length)).toBe(expected);
    }
    expect(ids.size).toBe(byString.size);
  });
});
