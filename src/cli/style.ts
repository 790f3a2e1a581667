/**
 * Colour and words for people. Colour is decided per stream: stderr gets colour
 * only when stderr itself is a terminal (so `2>err.txt` gets plain text even when
 * stdout is a terminal), and never with `--no-color` or a non-empty `NO_COLOR`
 * (https://no-color.org); `FORCE_COLOR` is honoured as chalk reads it.
 * `plural` keeps "1 piece" and "2 pieces" right.
 */
import { Chalk, type ChalkInstance, supportsColor, supportsColorStderr } from "chalk";

export interface ColourChoice {
  /** false with `--no-color`. */
  color?: boolean;
}

function level(stream: "stdout" | "stderr", choice: ColourChoice): 0 | 1 | 2 | 3 {
  if (choice.color === false) return 0;
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return 0;
  const support = stream === "stderr" ? supportsColorStderr : supportsColor;
  return support ? support.level : 0;
}

/** A chalk instance for one stream. */
export function colourFor(stream: "stdout" | "stderr", choice: ColourChoice = {}): ChalkInstance {
  return new Chalk({ level: level(stream, choice) });
}

/** "1 piece", "2 pieces", "1 class", "3 classes". */
export function plural(n: number, singular: string, pluralForm = /(s|x|ch|sh)$/.test(singular) ? `${singular}es` : `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : pluralForm}`;
}

/** 1234567 -> "1.2 MB"; exact bytes under 10 KB. */
export function formatBytes(n: number): string {
  if (n < 10_000) return `${n.toLocaleString("en-US")} bytes`;
  if (n < 10_000_000) return `${(n / 1000).toFixed(1)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** Milliseconds as "0.4 s" / "1 min 12 s". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
