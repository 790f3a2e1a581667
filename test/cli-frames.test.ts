/**
 * `megasplit disasm --frames`: the inferred frame and the live locals as comment
 * lines at every basic block, including blocks that start without a label (the
 * entry, code after a return); reference merges use the input's own classes
 * (Circle and Square merge to their superclass Shape); unreachable blocks say so;
 * without the option the listing has no such lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-frames-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const source = `
.class public Shape
.super java/lang/Object
.method public <init>()V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method
.end class

.class public Circle
.super Shape
.method public <init>()V
    aload_0
    invokespecial Shape/<init>()V
    return
.end method
.end class

.class public Square
.super Shape
.method public <init>()V
    aload_0
    invokespecial Shape/<init>()V
    return
.end method
.end class

.class public Use
.super java/lang/Object
.method public static pick(ZJ)LShape;
    .limit stack 2
    .limit locals 4
    iload_0
    ifeq L0
    new Circle
    dup
    invokespecial Circle/<init>()V
    astore_3
    goto L1
L0:
    new Square
    dup
    invokespecial Square/<init>()V
    astore_3
L1:
    lload_1
    l2i
    ifeq L2
    aload_3
    areturn
L2:
    aconst_null
    areturn
    aconst_null
    areturn
.end method
.end class
`;

describe("megasplit disasm --frames", () => {
  const dir = join(work, "classes");
  writeFileSync(join(work, "shapes.j"), source);
  const asm = runCli(["asm", join(work, "shapes.j"), "-o", dir]);

  it("prints the frame and the live locals at every block", () => {
    expect(asm.status, asm.stderr).toBe(0);
    const r = runCli(["disasm", dir, "--class", "Use", "--frames"]);
    expect(r.status, r.stderr).toBe(0);
    const body = r.stdout.slice(r.stdout.indexOf(".method"), r.stdout.indexOf(".end method"));
    const lines = body.split("\n").map((l) => l.trim());
    expect(lines).toEqual([
      ".method public static pick(ZJ)LShape;",
      ".limit stack 2",
      ".limit locals 4",
      "; frame: locals [I, J] stack []",
      "; live: {0, 1, 2}",
      "iload 0",
      "ifeq L0",
      "; frame: locals [I, J] stack []",
      "; live: {1, 2}",
      "new Circle",
      "dup",
      "invokespecial Circle/<init>()V",
      "astore 3",
      "goto L1",
      "; frame: locals [I, J] stack []",
      "; live: {1, 2}",
      "L0:",
      "new Square",
      "dup",
      "invokespecial Square/<init>()V",
      "astore 3",
      "; frame: locals [I, J, LShape;] stack []",
      "; live: {1, 2, 3}",
      "L1:",
      "lload 1",
      "l2i",
      "ifeq L2",
      "; frame: locals [I, J, LShape;] stack []",
      "; live: {3}",
      "aload 3",
      "areturn",
      "; frame: locals [I, J, LShape;] stack []",
      "; live: {}",
      "L2:",
      "aconst_null",
      "areturn",
      "; unreachable",
      "aconst_null",
      "areturn",
      "",
    ]);
  });

  it("leaves the listing alone without the option", () => {
    const plain = runCli(["disasm", dir, "--class", "Use"]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toMatch(/; (frame|live|unreachable)/);
    const annotated = runCli(["disasm", dir, "--class", "Use", "--frames"]);
    const stripped = annotated.stdout
      .split("\n")
      .filter((l) => !/^\s*; (frame|live|unreachable)/.test(l))
      .join("\n");
    expect(stripped).toBe(plain.stdout);
  });
});
