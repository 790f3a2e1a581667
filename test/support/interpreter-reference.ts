/**
 * What `samples/generators/interpreter.mjs`'s `main` prints, computed here in
 * TypeScript (Java int arithmetic) from the generator's cases: the independent
 * oracle the generator tests compare the split program's output with.
 */
import * as interpreter from "../../samples/generators/interpreter.mjs";

/** `run(STEPS)` of an interpreter of `units` cases, as `main` prints it. */
export function interpreterReference(units: number): string {
  let state = 0;
  let acc = 12345;
  for (let steps = interpreter.STEPS; steps > 0; steps--) {
    const c = interpreter.caseOf(state);
    acc = (Math.imul(acc, c.mul) + c.add) | 0;
    state = (((state + c.jump) | 0) + (acc >>> 28)) % units;
  }
  return `${acc}\n`;
}
