/**
 * Access-flag keywords of the text format, per place (JVMS 4.1 Table 4.1-B, 4.5
 * Table 4.5-A, 4.6 Table 4.6-A, 4.7.6 Table 4.7.6-A). Names follow Jasmin where it
 * has one (`public`, `synchronized`, ...) and Java's modifiers otherwise (`super`,
 * `bridge`, `varargs`, `strict`, `synthetic`, `annotation`, `enum`, `module`).
 * A bit with no keyword in that place prints as a hex word (`0x0100`), which the
 * parser accepts anywhere flags stand, so every 16-bit value round-trips.
 */

export type FlagPlace = "class" | "field" | "method" | "inner";

type Row = readonly [string, number];

const TABLES: Record<FlagPlace, readonly Row[]> = {
  class: [["public", 0x1], ["final", 0x10], ["super", 0x20], ["interface", 0x200], ["abstract", 0x400], ["synthetic", 0x1000], ["annotation", 0x2000], ["enum", 0x4000], ["module", 0x8000]],
  field: [["public", 0x1], ["private", 0x2], ["protected", 0x4], ["static", 0x8], ["final", 0x10], ["volatile", 0x40], ["transient", 0x80], ["synthetic", 0x1000], ["enum", 0x4000]],
  method: [
    ["public", 0x1], ["private", 0x2], ["protected", 0x4], ["static", 0x8], ["final", 0x10], ["synchronized", 0x20], ["bridge", 0x40],
    ["varargs", 0x80], ["native", 0x100], ["abstract", 0x400], ["strict", 0x800], ["synthetic", 0x1000],
  ],
  inner: [
    ["public", 0x1], ["private", 0x2], ["protected", 0x4], ["static", 0x8], ["final", 0x10], ["interface", 0x200], ["abstract", 0x400],
    ["synthetic", 0x1000], ["annotation", 0x2000], ["enum", 0x4000],
  ],
};

const BY_NAME: Record<FlagPlace, Map<string, number>> = {
  class: new Map(TABLES.class),
  field: new Map(TABLES.field),
  method: new Map(TABLES.method),
  inner: new Map(TABLES.inner),
};


export function formatFlags(flags: number, place: FlagPlace): string[] {
  const out: string[] = [];
  let rest = flags & 0xffff;
  for (const [name, bit] of TABLES[place]) {
    if ((flags & bit) !== 0) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16).padStart(4, "0")}`);
  return out;
}

/** The bit(s) a flag word stands for in `place`, or undefined if it is not a flag there. */
export function parseFlag(word: string, place: FlagPlace): number | undefined {
  const bit = BY_NAME[place].get(word);
  if (bit !== undefined) return bit;
  if (/^0x[0-9a-fA-F]{1,4}$/.test(word)) return parseInt(word.slice(2), 16);
  if (place === "method" && word === "strictfp") return 0x800; // Java's spelling, accepted on input
  return undefined;
}
