/**
 * relabelFrames (passes/frames-relabel.ts) against the oracle it replaces:
 * inferring frames again on the body with the cut labels inserted. On every
 * method of asm.jar with labels inserted before every fifth node (and the first),
 * the remapped CFG's node and label arrays equal `buildCfg` on the new body, and
 * the frame before every instruction (the fresh copy and the read-only shared
 * frame the splitter keeps per block) equals `inferFrames` on the new body, and
 * so does the state before every instruction as `replay` hands it to its visitor.
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { isInstruction } from "../passes/cfg.js";
import { type Frame, inferFrames } from "../passes/frames.js";
import { relabelFrames } from "../passes/frames-relabel.js";
import { methodContext } from "../passes/pass.js";
import { withCutLabels } from "../src/split/cut-points.js";
import { corpusJar, methodsWithCode } from "./support/corpus.js";

const show = (f: Frame | undefined): string => JSON.stringify([f && [...f.locals], f && [...f.stack]]);

describe("relabelFrames", () => {
  it("equals inferring again on every asm.jar method with labels inserted", async () => {
    let methods = 0;
    let compared = 0;
    let replays = 0;
    let withNew = 0;
    const failures: string[] = [];
    for await (const { cf, m, code } of methodsWithCode(corpusJar("asm"))) {
      const ctx = methodContext(cf, m);
      const body = decodeBody(code, cf.constantPool, ctx.where);
      const before = new Set<number>();
      for (let i = 0; i < body.nodes.length; i += 5) before.add(i);
      const cut = withCutLabels(body, before);
      const oracle = inferFrames(cut.body, ctx);
      const mapped = relabelFrames(inferFrames(body, ctx), cut.body, before);
      methods++;
      const where = `${ctx.className}.${ctx.methodName}${ctx.descriptor}`;
      for (const key of ["blockStart", "blockEnd", "blockLastInstruction", "blockOfNode", "labelNode", "blockOfLabel"] as const) {
        if (!Buffer.from(mapped.cfg[key].buffer, mapped.cfg[key].byteOffset, mapped.cfg[key].byteLength).equals(Buffer.from(oracle.cfg[key].buffer, oracle.cfg[key].byteOffset, oracle.cfg[key].byteLength))) {
          failures.push(`${where}: cfg.${key} differs`);
        }
      }
      // Replays: the state before every instruction, copied in the visitor (its arrays are valid during the call only).
      const replayed = (a: typeof oracle): string[] => {
        const states: string[] = [];
        for (let b = 0; b < oracle.cfg.blockCount; b++) a.replay(b, (node, locals, stack, height) => states.push(`${node} ${[...locals]} | ${stack.slice(0, height)}`));
        return states;
      };
      const oracleStates = replayed(oracle);
      replays += oracleStates.length;
      if (replayed(mapped).join("\n") !== oracleStates.join("\n")) failures.push(`${where}: replay differs`);
      if (body.nodes.some((n) => n.kind === "cp" && n.op === 0xbb)) withNew++;
      for (let i = 0; i < cut.body.nodes.length; i++) {
        if (!isInstruction(cut.body.nodes[i]!)) continue;
        const b = show(oracle.frameBefore(i));
        compared++;
        // The copy and the read-only shared frame, of the remapped analysis and of the oracle's.
        const differs = [mapped.frameBefore(i), mapped.sharedFrameBefore(i), oracle.sharedFrameBefore(i)].findIndex((a) => show(a) !== b);
        if (differs >= 0) {
          failures.push(`${where}: frame before node ${i} differs (${["frameBefore", "sharedFrameBefore", "oracle's sharedFrameBefore"][differs]})`);
          break;
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(methods).toBeGreaterThan(500);
    expect(compared).toBeGreaterThan(20_000); // 24,438 instructions in asm 9.x
    expect(replays).toBeGreaterThan(20_000);
    // Both paths of the remapped replay: states passed through, and sites of `new` remapped.
    expect(withNew).toBeGreaterThan(50);
    expect(methods - withNew).toBeGreaterThan(50);
  });
});
