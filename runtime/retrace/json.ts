/**
 * The JSON reader for the metadata comments of an R8 mapping file (`# {"id":...}`).
 *
 * R8 writes RFC 8259 JSON. Its published format description (r8 `doc/retrace.md`)
 * writes the same objects with single-quoted strings and bare keys
 * (`# { id: 'com.android.tools.r8.mapping', version: '2.0' }`), and R8's own reader
 * accepts both. Mode `"strict"` accepts exactly RFC 8259; mode `"r8"` (the default of
 * the mapping reader) additionally accepts those two spellings and nothing else: no
 * comments, no trailing commas, no unquoted values, nothing after the closing brace.
 * Anything else is an error with the column, never a silently ignored comment.
 * Linear in the length of the text.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonMode = "strict" | "r8";

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset into the parsed text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const BARE_KEY = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses one JSON value that spans the whole of `text` (surrounding whitespace allowed). */
export function parseJson(text: string, mode: JsonMode = "strict"): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i < text.length ? `${what}, found '${text[i]}'` : `${what}, found end of text`, i);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const str = (): string => {
    const quote = text[i]!;
    if (quote !== '"' && !(quote === "'" && mode === "r8")) fail("expected a string");
    i++;
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("unterminated string");
      if (c === quote) {
        i++;
        return out;
      }
      if (c! < " ") fail("control character in string");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && e in ESCAPES && (e !== "'" || mode === "r8")) {
          out += ESCAPES[e];
          i += 2;
        } else {
          i++;
          fail("bad escape");
        }
      } else {
        out += c;
        i++;
      }
    }
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        let key: string;
        if (text[i] === '"' || text[i] === "'") key = str();
        else {
          BARE_KEY.lastIndex = i;
          const m = mode === "r8" ? BARE_KEY.exec(text) : null;
          if (!m) return fail("expected a key");
          key = m[0];
          i += key.length;
        }
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"' || c === "'") return str();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail("expected a value");
  };
  const v = value();
  ws();
  if (i !== text.length) fail("expected end of JSON");
  return v;
}
