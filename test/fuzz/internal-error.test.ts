/**
 * A failure inside megasplit while it splits a method (here injected: the piece
 * encoder throws) is an internal error, E_INTERNAL with exit status 3, never a
 * refusal with exit 0; only a constant pool that cannot hold the pieces stays a
 * reasoned refusal. Bad input found before splitting (code whose stack heights
 * differ at a join, hidden by its declared frames) is refused as the input's bad
 * code (W_REFUSED_BAD_CODE naming E_FRAME), never taken for a bug of ours.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { writeClass } from "../../src/classfile/write.js";
import { ErrorCodes, INTERNAL_ERROR_CODE, InternalError, MegasplitError } from "../../src/diagnostics.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { runAction } from "../../src/cli/report.js";
import { splitCommand } from "../../src/cli/split.js";
import { createClassHierarchy } from "../../src/hierarchy/hierarchy.js";
import { splitClass } from "../../src/split/split-class.js";
import { assemble } from "../../src/text/assemble.js";

/** What the mocked piece encoder throws next (undefined: it works). */
let fault: (() => never) | undefined;
vi.mock("../../src/split/encode-split.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/split/encode-split.js")>();
  return { ...real, encodePieces: (...args: Parameters<typeof real.encodePieces>) => (fault ? fault() : real.encodePieces(...args)) };
});
afterEach(() => (fault = undefined));

/** A version-49 class whose one static method (a loop of 200 adds) is over 256 bytes. */
function loopClass(): Uint8Array {
  const adds = "    iload_2\n    iload_1\n    iadd\n    istore_2\n".repeat(200);
  const text = `.version 49 0\n.class public Loop\n.super java/lang/Object\n.method public static f(I)I\n    .limit stack 4\n    .limit locals 3\n    iconst_0\n    istore_2\nL0:\n${adds}    iinc 1 -1\n    iload_1\n    ifgt L0\n    iload_2\n    ireturn\n.end method\n.end class\n`;
  return writeClass(assemble(text, { fileName: "Loop.j" })[0]!);
}

const dir = mkdtempSync(join(tmpdir(), "megasplit-internal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function splitLoop(): Promise<ReturnType<typeof splitClass>> {
  const { readClass } = await import("../../src/classfile/read.js");
  const hierarchy = await createClassHierarchy({});
  try {
    return splitClass(readClass(loopClass()), { maxSize: 256, link: "auto", hierarchy });
  } finally {
    hierarchy.close();
  }
}

describe("internal errors are errors", () => {
  it("without a fault the method splits (the injection point is on the path)", async () => {
    const r = await splitLoop();
    expect(r.reports.map((x) => x.result.kind)).toEqual(["split"]);
  });

  it("an encoding that does not fit after the partition promised it would is E_INTERNAL, not a refusal", async () => {
    fault = () => {
      throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, "injected: the piece does not fit");
    };
    const e = await splitLoop().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InternalError);
    expect((e as InternalError).code).toBe(INTERNAL_ERROR_CODE);
    expect((e as Error).message).toContain("splitting Loop.f(I)I: E_CODE_TOO_LARGE: injected");
  });

  it("an unexpected exception (a TypeError) is E_INTERNAL too", async () => {
    fault = () => {
      throw new TypeError("injected: x is undefined");
    };
    await expect(splitLoop()).rejects.toMatchObject({ code: INTERNAL_ERROR_CODE, message: expect.stringContaining("injected: x is undefined") });
  });

  it("a constant pool that cannot hold the pieces stays a reasoned refusal", async () => {
    fault = () => {
      throw new MegasplitError(ErrorCodes.CP_OVERFLOW, "injected: the pool is full");
    };
    const r = await splitLoop();
    expect(r.reports[0]!.result).toMatchObject({ kind: "refused", reason: expect.stringContaining("the constant pool would overflow") });
  });

  it("`megasplit split` reports E_INTERNAL and exits 3, and writes nothing", async () => {
    const input = join(dir, "Loop.class");
    writeFileSync(input, loopClass());
    const out = join(dir, "out", "Loop.class");
    fault = () => {
      throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, "injected: the piece does not fit");
    };
    const stderr: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
    const before = process.exitCode;
    try {
      await runAction({}, (r) => splitCommand(input, { output: out, maxSize: 256, link: "auto" }, r));
      expect(process.exitCode).toBe(ExitCode.INTERNAL);
      expect(ExitCode.INTERNAL).toBe(3);
    } finally {
      write.mockRestore();
      process.exitCode = before;
    }
    expect(stderr.join("")).toContain(`error ${INTERNAL_ERROR_CODE}: internal error`);
    expect(stderr.join("")).not.toMatch(/W_SPLIT_REFUSED|W_REFUSED/);
    expect(() => readFileSync(out)).toThrow();
  });

  it("code whose stack heights differ at a join, hidden by its declared frames, is refused as the input's bad code (E_FRAME)", async () => {
    // A version-50 method whose StackMapTable declares an empty stack at L1, where
    // one path arrives with a value pushed: inference from the frames alone passes.
    const text = `.version 50 0\n.class public Bad\n.super java/lang/Object\n.method public static f(I)I\n    .limit stack 4\n    .limit locals 2\n    iload_0\n    ifeq L1\n    iconst_1\nL1:\n    .stack same\n${"    iload_0\n    iload_0\n    iadd\n    istore_1\n".repeat(30)}    iload_1\n    ireturn\n.end method\n.end class\n`;
    const { readClass } = await import("../../src/classfile/read.js");
    const hierarchy = await createClassHierarchy({});
    try {
      const cf = readClass(writeClass(assemble(text, { fileName: "Bad.j" })[0]!));
      // With the pass verifier on (as in every test), this body once threw an InternalError after cut-points.
      const { reports } = splitClass(cf, { maxSize: 64, link: "auto", hierarchy });
      expect(reports).toHaveLength(1);
      expect(reports[0]!.result).toMatchObject({ kind: "refused", code: ErrorCodes.REFUSED_BAD_CODE, reason: expect.stringMatching(/^E_FRAME: the method's code is inconsistent/) });
    } finally {
      hierarchy.close();
    }
  });
});
