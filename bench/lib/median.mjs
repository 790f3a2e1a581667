/**
 * bench/lib/median.mjs: the median the benchmarks report (the mean of the two
 * middle values for an even count; NaN for none). Callers that may hold
 * non-numbers filter them first.
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
