/**
 * Modified UTF-8 (JVMS 4.4.7): NUL as 0xC0 0x80, supplementary characters as two
 * three-byte surrogates, no four-byte forms. Decoding is lenient (a malformed
 * sequence decodes byte-by-byte as Latin-1) because the constant pool keeps the
 * original bytes anyway; `value` is only for reading names.
 */

const asciiDecoder = new TextDecoder("utf-8");

export function decodeModifiedUtf8(b: Uint8Array): string {
  // Fast path: pure ASCII without NUL.
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i]! >= 0x80 || b[i] === 0) {
      ascii = false;
      break;
    }
  }
  // ASCII decodes the same as UTF-8; TextDecoder takes the view as it is, where a
  // Buffer wrapped around it first cost ten times the decoding.
  if (ascii) return asciiDecoder.decode(b);
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    if (x < 0x80 && x !== 0) {
      out.push(x);
      i += 1;
    } else if ((x & 0xe0) === 0xc0 && i + 1 < b.length && (b[i + 1]! & 0xc0) === 0x80) {
      out.push(((x & 0x1f) << 6) | (b[i + 1]! & 0x3f));
      i += 2;
    } else if ((x & 0xf0) === 0xe0 && i + 2 < b.length && (b[i + 1]! & 0xc0) === 0x80 && (b[i + 2]! & 0xc0) === 0x80) {
      out.push(((x & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
      i += 3;
    } else {
      out.push(x);
      i += 1;
    }
  }
  let s = "";
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.slice(i, i + 8192));
  return s;
}

export function encodeModifiedUtf8(s: string): Uint8Array {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c !== 0 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  const out = new Uint8Array(n);
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0 && c < 0x80) out[p++] = c;
    else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}
