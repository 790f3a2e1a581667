/**
 * switchSplitFrames (passes/frames-switch-split.ts) against the oracle it
 * replaces: inferring frames again on the body whose large switches
 * splitLargeSwitches rewrote. On every method of rhino.jar and asm.jar with a
 * switch of more than two cases (rewritten down to two: both the range-test tree
 * and, in loops, the bucket form; constructors with `new` sites after a switch,
 * handlers around switches, declared frames), with and without their declared
 * frames, and on the parser-actions generator's frameless dispatch method, the
 * derived analysis prints the same entry frame for every block, the same limits
 * and the same frame before every instruction as inference, and was derived (it
 * shares the old analysis' type table), not inferred.
 */
import { describe, expect, it } from "vitest";
import * as parser from "../samples/generators/parser-actions.mjs";
import { decodeBody } from "../src/bytecode/decode.js";
import type { MethodBody } from "../src/bytecode/model.js";
import { codeOf, type ClassFile, type MethodInfo } from "../src/classfile/model.js";
import { isInstruction } from "../passes/cfg.js";
import { type FrameAnalysis, formatFrames, inferFrames } from "../passes/frames.js";
import { switchSplitFrames } from "../passes/frames-switch-split.js";
import { methodContext } from "../passes/pass.js";
import { withoutFrames } from "../passes/stackmap.js";
import { splitLargeSwitchesTraced } from "../src/split/cut-points.js";
import { corpusJar, methodsWithCode } from "./support/corpus.js";

const showBefore = (a: FrameAnalysis, node: number): string => {
  const f = a.frameBefore(node);
  return f ? `${[...f.locals].map((t) => a.types.format(t))} | ${[...f.stack].map((t) => a.types.format(t))}` : "none";
};

/** Differences between the derived analysis and inference on the rewritten body; "" when none (or no switch was rewritten). */
function compare(cf: ClassFile, m: MethodInfo, body: MethodBody, maxCases: number): { rewritten: boolean; problem: string } {
  const ctx = methodContext(cf, m);
  const old = inferFrames(body, ctx);
  // Without a class hierarchy some declared frames reject what flows in: the derivation then infers (by design).
  if (old.errors.length > 0 || old.rejectedFrames.length > 0) return { rewritten: false, problem: "" };
  const { body: split, replaced } = splitLargeSwitchesTraced(body, maxCases, cf.constantPool);
  if (replaced.length === 0) return { rewritten: false, problem: "" };
  const derived = switchSplitFrames(old, split, replaced, ctx);
  const oracle = inferFrames(split, ctx);
  if (derived.types !== old.types) return { rewritten: true, problem: "inferred, not derived" };
  if (formatFrames(derived) !== formatFrames(oracle)) return { rewritten: true, problem: `entry frames or limits differ:\n${formatFrames(derived)}\n${formatFrames(oracle)}` };
  for (let i = 0; i < split.nodes.length; i++) {
    if (isInstruction(split.nodes[i]!) && showBefore(derived, i) !== showBefore(oracle, i)) return { rewritten: true, problem: `frame before node ${i} differs` };
  }
  return { rewritten: true, problem: "" };
}

describe("switchSplitFrames", () => {
  for (const jar of ["rhino", "asm"] as const) {
    it(`equals inferring again on every ${jar}.jar method with a switch split, with and without declared frames`, async () => {
      let rewritten = 0;
      const failures: string[] = [];
      for await (const { cf, m, code } of methodsWithCode(corpusJar(jar))) {
        const body = decodeBody(code, cf.constantPool, {});
        if (!body.nodes.some((n) => n.kind === "tableswitch" || n.kind === "lookupswitch")) continue;
        for (const variant of [body, withoutFrames(body)]) {
          const r = compare(cf, m, variant, 2);
          if (r.rewritten) rewritten++;
          if (r.problem) failures.push(`${cf.constantPool.className(cf.thisClass)}.${cf.constantPool.utf8(m.nameIndex)}: ${r.problem}`);
        }
      }
      expect(failures.slice(0, 5)).toEqual([]);
      expect(rewritten).toBeGreaterThan(jar === "rhino" ? 200 : 20);
    }, 120_000);
  }

  it("equals inferring again on parser-actions' frameless dispatch method", () => {
    const { cf } = parser.buildFor(64 * 1024);
    const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === parser.METHOD)!;
    const body = decodeBody(codeOf(m)!, cf.constantPool, {});
    for (const maxCases of [8, 64]) expect(compare(cf, m, body, maxCases)).toEqual({ rewritten: true, problem: "" });
  });
});
