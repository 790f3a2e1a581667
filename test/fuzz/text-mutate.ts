/**
 * Line and token mutations of text inputs (Jasmin files, mapping files, stack
 * traces) as fast-check arbitraries: delete, duplicate or swap lines, replace a
 * token by another seen in any seed, set a number to an extreme, insert arbitrary
 * text (unicode, control characters, long runs), cut the text short. Positions are
 * fractions of the current text, so every mutation applies whatever came before.
 */
import fc from "fast-check";

export type TextMutation =
  | { kind: "deleteLine" | "duplicateLine"; at: number }
  | { kind: "swapLines"; at: number; other: number }
  | { kind: "token"; at: number; token: number }
  | { kind: "number"; at: number; value: string }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number };

const fraction = fc.noBias(fc.nat({ max: 2 ** 30 - 1 })).map((n) => n / 2 ** 30);
const EXTREME_NUMBERS = ["0", "-1", "-0", "1", "127", "128", "255", "256", "32767", "32768", "65535", "65536", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN", "0x", "00", "99999999999999999999999"];

export const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("deleteLine" as const, "duplicateLine" as const), at: fraction }),
  fc.record({ kind: fc.constant("swapLines" as const), at: fraction, other: fraction }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("token" as const), at: fraction, token: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("number" as const), at: fraction, value: fc.constantFrom(...EXTREME_NUMBERS) }) },
  fc.record({
    kind: fc.constant("insert" as const),
    at: fraction,
    text: fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: "grapheme", maxLength: 4 }), fc.constantFrom("\n", "\r\n", "\t", "\0", '"', "\\", "{", "}", "[", "]", ":", "#", "->", "\u2028", "x".repeat(5000))),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fraction }),
);

/** The tokens of the seeds (words and punctuation runs), the pool `token` mutations draw from. */
export function tokenPool(seeds: readonly string[]): string[] {
  const set = new Set<string>();
  for (const s of seeds) for (const t of s.match(/[A-Za-z0-9_$/.<>;()[\]-]+|[^\sA-Za-z0-9]/g) ?? []) set.add(t);
  return [...set].sort();
}

export function applyTextMutation(text: string, m: TextMutation, pool: readonly string[]): string {
  const lines = text.split("\n");
  const line = (f: number) => Math.min(lines.length - 1, Math.floor(f * lines.length));
  switch (m.kind) {
    case "deleteLine":
      lines.splice(line(m.at), 1);
      return lines.join("\n");
    case "duplicateLine": {
      const i = line(m.at);
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    case "swapLines": {
      const [i, j] = [line(m.at), line(m.other)];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
    case "token":
    case "number": {
      // The token (word) at or after a position.
      const re = m.kind === "number" ? /-?[0-9][0-9A-Za-z.]*/g : /[A-Za-z0-9_$/.<>;()[\]-]+/g;
      re.lastIndex = Math.floor(m.at * text.length);
      const hit = re.exec(text) ?? (re.lastIndex = 0, re.exec(text));
      if (!hit) return text;
      const by = m.kind === "number" ? m.value : pool.length > 0 ? pool[m.token % pool.length]! : "";
      return text.slice(0, hit.index) + by + text.slice(hit.index + hit[0].length);
    }
    case "insert": {
      const p = Math.floor(m.at * text.length);
      return text.slice(0, p) + m.text + text.slice(p);
    }
    case "truncate":
      return text.slice(0, Math.floor(m.at * text.length));
  }
}

export function mutatedTextArb(seedCount: number, maxMutations = 4): fc.Arbitrary<{ seed: number; mutations: TextMutation[] }> {
  return fc.record({ seed: fc.integer({ min: 0, max: seedCount - 1 }), mutations: fc.array(textMutationArb, { maxLength: maxMutations }) });
}

export function applyText(c: { seed: number; mutations: TextMutation[] }, seeds: readonly string[], pool: readonly string[]): string {
  let t = seeds[c.seed]!;
  for (const m of c.mutations) t = applyTextMutation(t, m, pool);
  return t;
}
