/**
 * bench/lib/sizes.mjs: the sizes benchmark options take, "64k" (KiB), "6.6m" (MiB)
 * or a plain number of bytes.
 */

/** "64k" -> 65536, "6.6m" -> 6.6 MiB rounded, "1000" -> 1000; undefined if it is none of these. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase() === "m" ? 1 << 20 : m[2].toLowerCase() === "k" ? 1024 : 1;
  return Math.round(Number(m[1]) * unit);
}
