/**
 * jit-probe: variants of gen-controls.mjs's `fgroups` control that add one of
 * megasplit's per-step driver costs at a time (docs/design/jit-speed.md, "The
 * driver's key hand-over"), to measure which of them matters:
 *   key    the opcode reaches the group method through the int[] frame (the
 *          driver stores it in f[6], the method loads it), as megasplit's exit
 *          stub spills a bucket's switch key, instead of as a parameter;
 *   ret    the group method returns an int that the driver tests (the split's
 *          return code);
 *   entry  the group method loads and casts `o[0]` and `o[2]` once at its entry
 *          (the split's entry stub), not where a case uses them;
 *   move=N first moves the driver's last N inline cases into `g0`, so that the
 *          added bytes keep `run` under 8,000 (at 8,002 bytes HotSpot does not
 *          compile it and the variant runs interpreted, 10x slower). The baseline
 *          for the comparison is `move=N` alone.
 *
 *   node bench/jit-probe/ctl-variants.mjs <ctl>/fgroups/Interp.java <out-dir> key,move=2
 *   javac -d <out-dir> <out-dir>/Interp.java
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
const [src, out, what] = process.argv.slice(2);
const w = new Set(what.split(","));
let s = readFileSync(src, "utf8");
const lines = s.split("\n");
// move=N: the last N inline cases before g0's call list go into g0 (room for the added bytes)
const mv = [...w].find((x) => x.startsWith("move="));
if (mv) {
  const n = Number(mv.slice(5));
  const callList = lines.findIndex((l) => /^        case .*\{$/.test(l) && lines[lines.indexOf(l) + 1]?.trim().startsWith("g0(op"));
  let end = callList, moved = [], keys = [];
  for (let k = 0; k < n; k++) {
    let start = end - 1;
    while (!/^        case \d+: \{$/.test(lines[start])) start--;
    keys.push(/case (\d+)/.exec(lines[start])[1]);
    moved = lines.slice(start, end).map((l) => l.slice(2)).concat(moved);
    lines.splice(start, end - start);
    end = start;
  }
  const cl = lines.findIndex((l, i) => /^        case .*\{$/.test(l) && lines[i + 1]?.trim().startsWith("g0(op"));
  lines[cl] = lines[cl].replace("        case", "        " + keys.map((k) => `case ${k}: `).join("") + "case");
  const g0 = lines.findIndex((l) => l.startsWith("  static void g0("));
  let d = g0; while (lines[d] !== "      default:") d++;
  lines.splice(d, 0, ...moved);
}
let inGroup = false;
const res = [];
for (const line of lines) {
  let L = line;
  const m = /^  static void ([gt]\d+)\(int op, int\[\] f, long\[\] l, Object\[\] o\) \{$/.exec(L);
  if (m) {
    inGroup = true;
    L = `  static ${w.has("ret") ? "int" : "void"} ${m[1]}(int ${w.has("key") ? "e" : "op"}, int[] f, long[] l, Object[] o) {`;
    res.push(L);
    if (w.has("key")) res.push("    int op = f[6];");
    if (w.has("entry")) res.push("    final int[] P0 = (int[]) o[0]; final int[] M2 = (int[]) o[2];");
    continue;
  }
  if (inGroup && L === "  }") {
    inGroup = false;
    if (w.has("ret")) res.push("    return 0;");
  }
  if (inGroup && w.has("entry")) L = L.replaceAll("((int[]) o[0])", "P0").replaceAll("((int[]) o[2])", "M2");
  const c = /^(\s*)([gt]\d+)\(op, f, l, o\);$/.exec(L);
  if (c) {
    const pre = w.has("key") ? `f[6] = op; ` : "";
    const arg = w.has("key") ? "0" : "op";
    L = w.has("ret") ? `${c[1]}${pre}if (${c[2]}(${arg}, f, l, o) != 0) throw new IllegalStateException();` : `${c[1]}${pre}${c[2]}(${arg}, f, l, o);`;
  }
  if (w.has("key")) L = L.replace("final int[] f = { 0, 1, 2, 3, 4, 0 };", "final int[] f = { 0, 1, 2, 3, 4, 0, 0 };");
  res.push(L);
}
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/Interp.java`, res.join("\n"));
