/**
 * What a file that is neither a class file nor a zip looks like, in a few words,
 * for E_INPUT_FORMAT: "a WebAssembly module", "text (starts "hello")", "empty",
 * or the first bytes in hex. Recognises the formats a user is likely to hand over
 * by mistake from their magic numbers (WebAssembly spec 5.5.16, RFC 1952 gzip,
 * ELF, PDF, the JDK's jimage and jmod files). Reads at most the first 64 bytes.
 */

const MAGICS: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: "a WebAssembly module" },
  { bytes: [0x1f, 0x8b], what: "gzip data" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "an ELF executable or library" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x4a, 0x4d], what: "a jmod file (read it with `jmod extract`)" },
  { bytes: [0xda, 0xda, 0xfe, 0xca], what: "a jimage file (the JDK's lib/modules)" },
  { bytes: [0x42, 0x5a, 0x68], what: "bzip2 data" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: "xz data" },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** True when the first bytes are printable UTF-8 text (tabs and line ends allowed). */
function looksLikeText(head: Uint8Array): boolean {
  try {
    const s = new TextDecoder("utf-8", { fatal: true }).decode(head.length === 64 ? trimPartialUtf8(head) : head);
    return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(s);
  } catch {
    return false;
  }
}

/** Drops a UTF-8 sequence cut by the 64-byte window. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const c = b[end - k]!;
    if ((c & 0xc0) !== 0x80) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > k) end -= k;
      break;
    }
  }
  return b.subarray(0, end);
}

export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return "the file is empty";
  for (const m of MAGICS) if (startsWith(bytes, m.bytes)) return `it is ${m.what}`;
  const head = bytes.subarray(0, 64);
  if (looksLikeText(head)) {
    const first = new TextDecoder().decode(head).split(/\r?\n/)[0]!;
    const shown = first.length > 40 ? `${first.slice(0, 40)}...` : first;
    return `it is text (starts ${JSON.stringify(shown)})`;
  }
  const hex = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return `unrecognised binary data (first bytes ${hex})`;
}
