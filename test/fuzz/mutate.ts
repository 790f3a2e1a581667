/**
 * Byte-level mutations as fast-check arbitraries: bit flips, byte writes, count
 * and length fields set to extremes, bytes of a method's code rewritten, truncations, deletions, duplications and
 * splices from another input. Positions are drawn as fractions of the current
 * length so that every mutation lands inside the bytes it mutates, whatever the
 * mutations before it did. `mutatedCaseArb` picks a base input and up to four
 * mutations (few more often); shrinking goes towards fewer, earlier mutations.
 */
import fc from "fast-check";
import type { LengthField } from "./class-fields.js";

export type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "byte"; at: number; value: number }
  | { kind: "extreme"; field: number; value: number }
  | { kind: "code"; field: number; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "splice"; at: number; from: number; fromAt: number; length: number };

const U2_EXTREMES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const U4_EXTREMES = [0, 1, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** A position in [0, 1), uniform: fast-check's usual bias towards small values would keep hitting the magic number. */
const fraction = fc.noBias(fc.nat({ max: 2 ** 30 - 1 })).map((n) => n / 2 ** 30);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("byte" as const), at: fraction, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("extreme" as const), field: fc.nat(), value: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("code" as const), field: fc.nat(), at: fraction, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fraction, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), at: fraction, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("splice" as const), at: fraction, from: fc.nat(), fromAt: fraction, length: fc.integer({ min: 1, max: 256 }) }) },
);

/** Applies `m` to `b` (never in place). `fields` are the length fields of the unmutated base. */
export function applyMutation(b: Uint8Array, m: Mutation, fields: readonly LengthField[], bases: readonly Uint8Array[]): Uint8Array {
  const at = (f: number) => Math.floor(f * b.length);
  switch (m.kind) {
    case "flip": {
      if (b.length === 0) return b;
      const out = b.slice();
      out[at(m.at)]! ^= 1 << m.bit;
      return out;
    }
    case "byte": {
      if (b.length === 0) return b;
      const out = b.slice();
      out[at(m.at)] = m.value;
      return out;
    }
    case "code": {
      const codes = fields.filter((f) => f.size === 0 && f.length! > 0);
      if (codes.length === 0) return b;
      const f = codes[m.field % codes.length]!;
      const p = f.offset + Math.floor(m.at * f.length!);
      if (p >= b.length) return b;
      const out = b.slice();
      out[p] = m.value;
      return out;
    }
    case "extreme": {
      const sized = fields.filter((f) => f.size !== 0);
      if (sized.length === 0) return b;
      const f = sized[m.field % sized.length]!;
      if (f.offset + f.size > b.length) return b;
      const out = b.slice();
      const v = new DataView(out.buffer);
      if (f.size === 2) v.setUint16(f.offset, U2_EXTREMES[m.value % U2_EXTREMES.length]!);
      else v.setUint32(f.offset, U4_EXTREMES[m.value % U4_EXTREMES.length]!);
      return out;
    }
    case "truncate":
      return b.slice(0, at(m.at));
    case "delete": {
      const p = at(m.at);
      return concat(b.subarray(0, p), b.subarray(p + m.length));
    }
    case "duplicate": {
      const p = at(m.at);
      return concat(b.subarray(0, p + m.length), b.subarray(p));
    }
    case "splice": {
      const other = bases[m.from % bases.length]!;
      const q = Math.floor(m.fromAt * other.length);
      const p = at(m.at);
      return concat(b.subarray(0, p), other.subarray(q, q + m.length), b.subarray(p));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const x of parts) n += x.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const x of parts) out.set(x, p), (p += x.length);
  return out;
}

/** A base (by index) and the mutations to apply to it. */
export interface MutatedCase {
  base: number;
  mutations: Mutation[];
}

export function mutatedCaseArb(baseCount: number, maxMutations = 4): fc.Arbitrary<MutatedCase> {
  return fc.record({ base: fc.integer({ min: 0, max: baseCount - 1 }), mutations: fc.array(mutationArb, { minLength: 1, maxLength: maxMutations }) });
}

export function applyCase(c: MutatedCase, bases: readonly Uint8Array[], fields: readonly (readonly LengthField[])[]): Uint8Array {
  let b = bases[c.base]!;
  for (const m of c.mutations) b = applyMutation(b, m, fields[c.base]!, bases);
  return b;
}
