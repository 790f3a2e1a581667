/**
 * bench/lib/chart.mjs: writes one benchmark's results as a self-contained SVG bar
 * chart, so BENCHMARKS.md can show every benchmark as a picture next to the command
 * that reproduces it. Plain string building, no dependencies; the same input gives
 * byte-identical SVG (numbers are printed with fixed precision), so a chart only
 * changes in git when its figures do.
 *
 *   writeBarChart("bench/jit-unlock/chart.svg", {
 *     title: "bench/jit-unlock: median ns per step (lower is better)",
 *     unit: "ns/step",
 *     groups: ["interp light 8.5 KB", "rhino jsc"],          // x axis, one cluster each
 *     series: ["original", "-XX:-DontCompileHugeMethods", "split 8000"],
 *     values: [[179, 20.4, 17.8], [5.4, 4.5, 6.9]],          // values[group][series]
 *     labels: [[null, null, "1.15x"], [null, null, "0.65x"]], // optional text over a bar
 *     note: "2 cores, load average 3.1; medians of 5 alternating runs",
 *   });
 *
 * Each cluster is scaled to its own largest value (workloads differ by orders of
 * magnitude), and every bar carries its value; `logScale: false` with
 * `sharedScale: true` draws all clusters against one axis instead.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const PALETTE = ["#7f8c8d", "#2980b9", "#27ae60", "#c0392b", "#8e44ad", "#d35400", "#16a085", "#2c3e50"];

const escapeXml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A number as a short label: 3 significant digits, no exponent below 1e6. */
export function formatValue(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  return v.toPrecision(3);
}

/** The SVG text of a grouped bar chart (see the file comment for the fields). */
export function barChartSvg({ title, unit = "", groups, series, values, labels, note = "", sharedScale = false }) {
  const barW = 22, gap = 4, groupGap = 36, left = 60, top = 56, plotH = 220, bottom = 110;
  const groupW = series.length * (barW + gap) - gap;
  const width = Math.max(520, left + groups.length * (groupW + groupGap) + 20);
  const legendRows = Math.ceil(series.length / 3);
  const height = top + plotH + bottom + legendRows * 18;
  const finite = (v) => typeof v === "number" && Number.isFinite(v);
  const allMax = Math.max(0, ...values.flat().filter(finite));
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  if (unit) out.push(`<text x="12" y="${top - 10}" font-size="11" fill="#555">${escapeXml(unit)}${sharedScale ? "" : " (each cluster scaled to its largest bar)"}</text>`);
  const baseY = top + plotH;
  out.push(`<line x1="${left - 8}" y1="${baseY}" x2="${width - 10}" y2="${baseY}" stroke="#333"/>`);
  groups.forEach((group, g) => {
    const x0 = left + g * (groupW + groupGap);
    const row = values[g] ?? [];
    const max = sharedScale ? allMax : Math.max(0, ...row.filter(finite));
    row.forEach((v, s) => {
      const x = x0 + s * (barW + gap);
      if (!finite(v)) {
        out.push(`<text x="${x + barW / 2}" y="${baseY - 4}" text-anchor="middle" fill="#999">n/a</text>`);
        return;
      }
      const h = max > 0 ? (v / max) * (plotH - 24) : 0;
      const y = baseY - h;
      out.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${PALETTE[s % PALETTE.length]}"><title>${escapeXml(`${group} / ${series[s]}: ${formatValue(v)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${x + barW / 2}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(formatValue(v))}</text>`);
      const label = labels?.[g]?.[s];
      if (label) out.push(`<text x="${x + barW / 2}" y="${(y - 14).toFixed(1)}" text-anchor="middle" font-size="10" font-weight="bold">${escapeXml(label)}</text>`);
    });
    const cx = x0 + groupW / 2;
    out.push(`<text x="${cx}" y="${baseY + 14}" text-anchor="end" transform="rotate(-30 ${cx} ${baseY + 14})">${escapeXml(group)}</text>`);
  });
  const legendY = baseY + bottom - 14;
  series.forEach((name, s) => {
    const lx = left + (s % 3) * 220;
    const ly = legendY + Math.floor(s / 3) * 18;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="12" fill="${PALETTE[s % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 16}" y="${ly + 1}">${escapeXml(name)}</text>`);
  });
  if (note) out.push(`<text x="12" y="${height - 6}" font-size="10" fill="#555">${escapeXml(note)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Writes {@link barChartSvg} to `path` (creating its folder) and returns the path. */
export function writeBarChart(path, chart) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, barChartSvg(chart));
  return path;
}
