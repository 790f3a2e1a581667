/**
 * Exact text for numeric constants (JVMS 4.4.4, 4.4.5): every int, long, float and
 * double bit pattern prints to a literal that parses back to the same bits.
 *
 * Forms: int `-5`; long `5L`; float `1.5f`, `-0.0f`, `Infinityf`, `-Infinityf`,
 * `NaNf` (the canonical 0x7fc00000) or `NaN<0x7fc00001>f` for any other NaN
 * pattern; double `1.5`, `1.0`, `-0.0`, `Infinity`, `NaN`, `NaN<0x7ff8000000000001>`
 * (an optional `d` suffix is accepted). Finite floats print the shortest decimal
 * that rounds back to the same float. Cost: O(1) per constant (at most 9 tries for
 * a float).
 */

const scratch = new DataView(new ArrayBuffer(8));

export function floatOfBits(bits: number): number {
  scratch.setInt32(0, bits);
  return scratch.getFloat32(0);
}
export function bitsOfFloat(v: number): number {
  scratch.setFloat32(0, v);
  return scratch.getInt32(0);
}
export function doubleOfBits(bits: bigint): number {
  scratch.setBigInt64(0, bits);
  return scratch.getFloat64(0);
}
export function bitsOfDouble(v: number): bigint {
  scratch.setFloat64(0, v);
  return scratch.getBigInt64(0);
}

const CANONICAL_FLOAT_NAN = 0x7fc00000;
const CANONICAL_DOUBLE_NAN = 0x7ff8000000000000n;

function withPoint(s: string): string {
  return /[.eEIN]/.test(s) ? s : `${s}.0`;
}

export function formatFloat(bits: number): string {
  const v = floatOfBits(bits);
  if (Number.isNaN(v)) {
    return (bits | 0) === CANONICAL_FLOAT_NAN ? "NaNf" : `NaN<0x${(bits >>> 0).toString(16).padStart(8, "0")}>f`;
  }
  if (v === 0) return Object.is(v, -0) ? "-0.0f" : "0.0f";
  if (!Number.isFinite(v)) return v > 0 ? "Infinityf" : "-Infinityf";
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(s)) === v) return `${withPoint(s)}f`;
  }
  return `${withPoint(String(v))}f`;
}

export function formatDouble(bits: bigint): string {
  const b = BigInt.asIntN(64, bits);
  const v = doubleOfBits(b);
  if (Number.isNaN(v)) {
    return b === CANONICAL_DOUBLE_NAN ? "NaN" : `NaN<0x${BigInt.asUintN(64, b).toString(16).padStart(16, "0")}>`;
  }
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  return withPoint(String(v));
}

export function formatLong(v: bigint): string {
  return `${BigInt.asIntN(64, v)}L`;
}

/** A parsed numeric literal; `hint` says what its spelling alone implies. */
export type NumberLiteral =
  | { type: "integer"; value: bigint; suffix: "" | "L" }
  | { type: "float"; bits: number }
  | { type: "double"; bits: bigint }
  /** A decimal without suffix: float or double depending on where it stands. */
  | { type: "decimal"; value: number; floatBits: number; doubleBits: bigint };

const INT_RE = /^([+-]?)(0x[0-9a-fA-F]+|\d+)([lL]?)$/;
const DEC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_RE = /^([+-]?)(Infinity|NaN)(?:<0x([0-9a-fA-F]+)>)?([fFdD]?)$/;

/** Parses a numeric literal, or returns undefined if `s` is not one. */
export function parseNumber(s: string): NumberLiteral | undefined {
  let m = INT_RE.exec(s);
  if (m) {
    const mag = BigInt(m[2]!);
    return { type: "integer", value: m[1] === "-" ? -mag : mag, suffix: m[3] ? "L" : "" };
  }
  m = SPECIAL_RE.exec(s);
  if (m) {
    const isFloat = m[4] === "f" || m[4] === "F";
    const neg = m[1] === "-";
    if (m[2] === "Infinity") {
      if (m[3] !== undefined) return undefined;
      const v = neg ? -Infinity : Infinity;
      return isFloat ? { type: "float", bits: bitsOfFloat(v) } : m[4] ? { type: "double", bits: bitsOfDouble(v) } : { type: "decimal", value: v, floatBits: bitsOfFloat(v), doubleBits: bitsOfDouble(v) };
    }
    if (m[3] !== undefined) {
      if (isFloat) return { type: "float", bits: Number(BigInt.asIntN(32, BigInt(`0x${m[3]}`))) };
      return { type: "double", bits: BigInt.asIntN(64, BigInt(`0x${m[3]}`)) };
    }
    if (isFloat) return { type: "float", bits: CANONICAL_FLOAT_NAN };
    if (m[4]) return { type: "double", bits: CANONICAL_DOUBLE_NAN };
    return { type: "decimal", value: NaN, floatBits: CANONICAL_FLOAT_NAN, doubleBits: CANONICAL_DOUBLE_NAN };
  }
  const last = s[s.length - 1];
  const suffix = last === "f" || last === "F" ? "f" : last === "d" || last === "D" ? "d" : "";
  const body = suffix ? s.slice(0, -1) : s;
  if (!DEC_RE.test(body)) return undefined;
  const v = Number(body);
  if (suffix === "f") return { type: "float", bits: bitsOfFloat(Math.fround(v)) };
  if (suffix === "d") return { type: "double", bits: bitsOfDouble(v) };
  return { type: "decimal", value: v, floatBits: bitsOfFloat(Math.fround(v)), doubleBits: bitsOfDouble(v) };
}
