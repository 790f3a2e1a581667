/**
 * The first attempt's fineness (src/split/first-fineness.ts) against what it
 * predicts: the real first partition at fine 1 (`partitionOnce`, the heap frame's
 * prices) fails on a single block exactly where the prediction says start at fine
 * 2 (parser-actions: 300 locals live at a large switch), and succeeds where it says
 * 1 (the interpreter: four registers at its switch). Both generators at about
 * 128 KB, a piece limit of 8,000 bytes (HotSpot's JIT limit).
 */
import { describe, expect, it } from "vitest";
import * as parser from "../samples/generators/parser-actions.mjs";
import * as interpreter from "../samples/generators/interpreter.mjs";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { methodContext } from "../passes/pass.js";
import { inferFrames } from "../passes/frames.js";
import { firstFineness } from "../src/split/first-fineness.js";
import { partitionOnce } from "../src/split/partition-and-link.js";

const LIMIT = 8000;

function firstAttempt(cf: ClassFile, name: string) {
  const method = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === name)!;
  const ctx = methodContext(cf, method);
  const body = decodeBody(codeOf(method)!, cf.constantPool);
  const fine = firstFineness(body, LIMIT, () => inferFrames(body, ctx));
  const view = partitionOnce(cf, method, body, ctx, { maxSize: LIMIT, link: "auto" }, "heap frame");
  if ("kind" in view) throw new Error(`refused: ${view.reason}`);
  return { fine, part: view.part };
}

describe("first attempt's fineness", () => {
  it("starts parser-actions at fine 2: at fine 1 a switch leaf does not fit with its stubs", () => {
    const { fine, part } = firstAttempt(parser.buildFor(128 * 1024).cf, parser.METHOD);
    expect(fine).toBe(2);
    expect(part.ok).toBe(false);
    if (!part.ok) expect(part.what).toBe("block");
  });

  it("keeps the interpreter at fine 1, where the first partition succeeds", () => {
    const { fine, part } = firstAttempt(interpreter.buildFor(128 * 1024).cf, interpreter.METHOD);
    expect(fine).toBe(1);
    expect(part.ok).toBe(true);
  });
});
