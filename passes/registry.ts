/**
 * The registry: the only list of passes (Binaryen's pass registry). A pass's name
 * is also its filetest folder (`test/filetests/<name>/`) and what the CLI accepts.
 * Order is the order a full pipeline runs analyses in; names are unique.
 *
 * To add a pass, add one line to PASSES. The splitter's own passes (partition,
 * link, outline) take a whole method's analyses and options rather than one body,
 * so `src/split/split-method.ts` runs them; they are not listed here yet.
 */
import { InternalError } from "../src/diagnostics.js";
import { cfgPass } from "./cfg.js";
import { deadStackPass } from "./dead-stack.js";
import { inlineSubroutinesPass } from "./inline-subroutines.js";
import { framesPass } from "./frames.js";
import { livenessPass } from "./liveness.js";
import type { Pass } from "./pass.js";
import { stackmapPass } from "./stackmap.js";
import { verifyPass } from "./verify.js";

export const PASSES: readonly Pass[] = [
  inlineSubroutinesPass,
  deadStackPass,
  cfgPass,
  livenessPass,
  framesPass,
  stackmapPass,
  verifyPass,
];

const byName = new Map<string, Pass>(PASSES.map((p) => [p.name, p]));
if (byName.size !== PASSES.length) throw new InternalError("two passes share a name");

/** The pass with this name, or undefined. */
export function passByName(name: string): Pass | undefined {
  return byName.get(name);
}
