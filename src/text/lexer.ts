/**
 * Tokens of the text format, and the literal syntax shared by printer and parser:
 * quoted names and strings, byte strings, and names that need quoting.
 *
 * The format is line-oriented (as Jasmin's): a line is a list of whitespace-separated
 * tokens. A token is a bare word (any run of non-blank characters), a string
 * `"..."` or `'...'` (escapes `\\ \" \' \n \t \r \b \f \uXXXX`), or a byte string
 * `b"..."` (printable ASCII and `\xNN`). A `;` that starts a token starts a comment
 * running to the end of the line; inside a word it is an ordinary character, so
 * descriptors such as `Ljava/lang/String;` need no quoting.
 *
 * Invariant: for every string s, lexing `quoteName(s)` gives one token whose value
 * is s. Strings are sequences of UTF-16 code units, so lone surrogates survive.
 * Cost: one pass over the characters of the text.
 */
import { ErrorCodes, MegasplitError } from "../diagnostics.js";

export type TokenKind = "word" | "string" | "bytes";

export interface Token {
  kind: TokenKind;
  /** The word itself, or the unescaped string; for byte strings, the bytes as Latin-1. */
  text: string;
}

export interface SourceLine {
  /** 1-based line number in the input. */
  line: number;
  tokens: Token[];
}

export function syntaxError(message: string, line: number, fileName?: string): never {
  throw new MegasplitError(ErrorCodes.ASM_SYNTAX, message, fileName === undefined ? { line } : { entry: fileName, line });
}

/** Splits the text into non-empty token lines (comments and blank lines dropped). */
export function tokenize(text: string, fileName?: string): SourceLine[] {
  const out: SourceLine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 0;
  while (pos < n || (pos === n && lineNo === 0)) {
    lineNo++;
    let end = text.indexOf("\n", pos);
    if (end < 0) end = n;
    const tokens = tokenizeLine(text, pos, end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end, lineNo, fileName);
    if (tokens.length > 0) out.push({ line: lineNo, tokens });
    pos = end + 1;
  }
  return out;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

function tokenizeLine(s: string, start: number, end: number, line: number, fileName?: string): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 59 /* ; */) break;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const r = readQuoted(s, i + 1, end, c, line, fileName);
      tokens.push({ kind: "string", text: r.value });
      i = r.next;
    } else if (c === 98 /* b */ && s.charCodeAt(i + 1) === 34 && i + 1 < end) {
      const r = readBytes(s, i + 2, end, line, fileName);
      tokens.push({ kind: "bytes", text: r.value });
      i = r.next;
    } else {
      let j = i + 1;
      while (j < end && !isBlank(s.charCodeAt(j))) j++;
      tokens.push({ kind: "word", text: s.slice(i, j) });
      i = j;
    }
    if (i < end && !isBlank(s.charCodeAt(i))) syntaxError("a quoted token must be followed by a blank", line, fileName);
  }
  return tokens;
}

function readQuoted(s: string, i: number, end: number, quote: number, line: number, fileName?: string): { value: string; next: number } {
  let value = "";
  let runStart = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === quote) return { value: value + s.slice(runStart, i), next: i + 1 };
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    value += s.slice(runStart, i);
    const e = s[i + 1];
    switch (e) {
      case "n":
        value += "\n";
        break;
      case "t":
        value += "\t";
        break;
      case "r":
        value += "\r";
        break;
      case "b":
        value += "\b";
        break;
      case "f":
        value += "\f";
        break;
      case "0":
        value += "\0";
        break;
      case "\\":
      case '"':
      case "'":
        value += e;
        break;
      case "u": {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex) || i + 6 > end) syntaxError(`bad escape \\u${hex}`, line, fileName);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        syntaxError(`unknown escape \\${e ?? ""} in a string`, line, fileName);
    }
    i += 2;
    runStart = i;
  }
  return syntaxError("unterminated string", line, fileName);
}

function readBytes(s: string, i: number, end: number, line: number, fileName?: string): { value: string; next: number } {
  let value = "";
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34) return { value, next: i + 1 };
    if (c === 92) {
      const e = s[i + 1];
      if (e === "x") {
        const hex = s.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex) || i + 4 > end) syntaxError(`bad escape \\x${hex} in a byte string`, line, fileName);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        continue;
      }
      if (e === "\\" || e === '"') {
        value += e;
        i += 2;
        continue;
      }
      syntaxError(`unknown escape \\${e ?? ""} in a byte string`, line, fileName);
    }
    if (c < 0x20 || c > 0x7e) syntaxError("a byte string holds printable ASCII and \\xNN escapes only", line, fileName);
    value += s[i];
    i++;
  }
  return syntaxError("unterminated byte string", line, fileName);
}

// ---- printing literals ----

const SIMPLE_ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** `"..."` with every character outside printable ASCII escaped. */
export function quoteString(s: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) continue;
    out += s.slice(runStart, i);
    out += SIMPLE_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
    runStart = i + 1;
  }
  return out + s.slice(runStart) + '"';
}

/** Words that carry meaning where a name may stand, so a name equal to one is quoted. */
const RESERVED = new Set(["{", "}", "=", ":", "0", "all", "default", "from", "to", "using", "is"]);

/** A name (class, member, descriptor...) as a bare word when that lexes back to it, else quoted. */
export function quoteName(s: string): string {
  return needsQuoting(s) ? quoteString(s) : s;
}

function needsQuoting(s: string): boolean {
  if (s.length === 0 || RESERVED.has(s)) return true;
  const c0 = s.charCodeAt(0);
  if (c0 === 59 /* ; */ || (c0 === 98 /* b */ && s.charCodeAt(1) === 34)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 34 || c === 39) return true;
  }
  if (c0 === 91 /* [ */ && /^\[\d+\]$/.test(s)) return true;
  return s.endsWith(":");
}

/** `b"..."`: printable ASCII as itself, everything else as `\xNN`. */
export function quoteBytes(b: Uint8Array): string {
  let out = 'b"';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) out += String.fromCharCode(c);
    else out += `\\x${c < 16 ? "0" : ""}${c.toString(16)}`;
  }
  return out + '"';
}

export function bytesOfToken(t: Token): Uint8Array {
  const out = new Uint8Array(t.text.length);
  for (let i = 0; i < out.length; i++) out[i] = t.text.charCodeAt(i);
  return out;
}
