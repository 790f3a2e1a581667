/**
 * Help text the commands add after commander's own: a term and its description as
 * one item, the description wrapped at 80 columns and indented under itself, the way
 * commander lays out options on a terminal of 80 columns.
 */

const WIDTH = 80;
const INDENT = 10;

/** `term` and its description as help lines: the description wrapped at 80 columns, every line after the first indented by 10. */
export function helpItem(term: string, description: string): string {
  const lines: string[] = [];
  // At least one space after the term, whatever its length.
  let line = `${`  ${term}`.padEnd(INDENT - 1)} `;
  let words = 0;
  for (const word of description.split(" ").filter((w) => w !== "")) {
    if (words > 0 && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(INDENT);
      words = 0;
    }
    line += words > 0 ? ` ${word}` : word;
    words++;
  }
  return [...lines, line.trimEnd()].join("\n");
}
