/**
 * ConstantPool.clone shares its original's lookup map (src/classfile/constant-pool.ts):
 * a clone finds what the original held when it was cloned, keeps its own additions
 * apart, never sees what the original adds later, and a clone of a clone sees both.
 * The oracle is the index arithmetic of JVMS 4.4 (appended at the end, Long/Double
 * taking two slots), checked against a pool built from scratch with the same adds.
 */
import { describe, expect, it } from "vitest";
import { ConstantPool } from "../src/classfile/constant-pool.js";

describe("ConstantPool.clone", () => {
  it("finds the original's entries and keeps additions apart on both sides", () => {
    const a = new ConstantPool();
    const x = a.addUtf8("x");
    const cls = a.addClass("p/A");
    const b = a.clone();
    expect(b.addUtf8("x")).toBe(x);
    expect(b.addClass("p/A")).toBe(cls);
    const onlyB = b.addUtf8("only-b");
    expect(onlyB).toBe(a.count);
    // The original grows after the clone: the same key gets its own index in each.
    const laterA = a.addUtf8("later");
    const laterB = b.addUtf8("later");
    expect(laterA).toBe(onlyB); // both appended at their own end
    expect(laterB).toBe(onlyB + 1);
    expect(b.utf8(laterB)).toBe("later");
    expect(a.addUtf8("only-b")).toBe(laterA + 1); // not visible to the original
    // A clone of the clone sees the original's entries and the clone's additions, not later ones.
    const c = b.clone();
    expect(c.addUtf8("only-b")).toBe(onlyB);
    expect(c.addUtf8("later")).toBe(laterB);
    expect(c.addClass("p/A")).toBe(cls);
    b.addUtf8("after-c");
    expect(c.addUtf8("after-c")).toBe(c.count - 1);
    expect(c.count).toBe(b.count);
  });

  it("gives the indices a fresh pool gives for the same adds, wide entries included", () => {
    const adds = (p: ConstantPool) => [p.addLong(5n), p.addUtf8("a"), p.addDoubleBits(7n), p.addMemberRef("Methodref", "p/A", "m", "()V"), p.addUtf8("a")];
    const fresh = new ConstantPool();
    fresh.addUtf8("base");
    const want = adds(fresh);
    const orig = new ConstantPool();
    orig.addUtf8("base");
    expect(adds(orig.clone())).toEqual(want);
    expect(adds(orig.clone().clone())).toEqual(want);
  });
});
