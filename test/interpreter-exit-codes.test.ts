/**
 * An interpreter whose exit codes do not fit the constant pool (issue 10): a piece
 * leaves for a block of piece p >= 1 by returning `(p << 16) | entry`, which `ldc`
 * would push as a CONSTANT_Integer of its own, one per entry, and a pool holds at
 * most 65,535 entries (JVMS 4.1). The generator's interpreter (one tableswitch)
 * needs more than that from about 4 MB of bytecode (4.0 MB: refused before
 * `passes/link/exit-codes.ts`; its 16 MB run is in bench/scaling). Here the
 * same overflow at a size a test can afford: the 512 KB interpreter, whose split
 * wants hundreds of codes (about 250 since its dispatch `switch` is cut into
 * buckets, one piece entry per bucket: before, thousands), in a class whose pool
 * already holds all but 500 entries. The split must succeed with the codes pushed without the pool; every
 * class passes HotSpot's verifier (-Xverify:all) and `main` prints what the same
 * program computes in TypeScript. Cost: one 512 KB split and two JVM starts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { codeOf, Op, splitClass, type ClassFile, type MethodReport } from "megasplit";
import { linkAll } from "./support/jvm.js";
import { runJava } from "./support/hard-case.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { readClass } from "../src/classfile/read.js";
import { interpreterReference } from "./support/interpreter-reference.js";
import * as interpreter from "../samples/generators/interpreter.mjs";

/** Entries left free in the class's pool before the split. */
const ROOM = 500;
const POOL_LIMIT = 65_535;

/** Fills `cf`'s pool with distinct unused integers until `room` entries are left. */
function fillPool(cf: ClassFile, room: number): void {
  const pool = cf.constantPool;
  for (let v = 0x4000_0000; pool.count < POOL_LIMIT - room; v++) pool.addInteger(v);
}

/**
 * The entries of a piece, from its code: a piece of several entries starts with
 * `iload_0; tableswitch` over them (JVMS 6.5 tableswitch: padding to a multiple of
 * four, then default, low, high); a piece of one entry starts at its block.
 */
function entryCount(code: Uint8Array): number {
  if (code[0] !== Op.ILOAD_0 || code[1] !== Op.TABLESWITCH) return 1;
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const low = view.getInt32(8);
  const high = view.getInt32(12);
  return high - low + 1;
}

/** Integer constants of 0x10000 or more that `ldc` loads in the method `name` and its pieces: exit codes taken from the pool. */
function pooledCodes(cf: ClassFile, name: string): number[] {
  const found: number[] = [];
  for (const m of cf.methods) {
    const methodName = cf.constantPool.utf8(m.nameIndex);
    const code = codeOf(m);
    if (!code || (methodName !== name && !methodName.startsWith(`${name}$split$`))) continue;
    for (const n of decodeBody(code, cf.constantPool).nodes) {
      if (n.kind !== "cp" || (n.op !== Op.LDC && n.op !== Op.LDC_W)) continue;
      const c = cf.constantPool.entries[n.index];
      if (c?.kind === "Integer" && c.value >= 0x10000) found.push(c.value);
    }
  }
  return found;
}

let work: string;
let units: number;
let report: MethodReport;
let classCount: number;
let written: Uint8Array[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "megasplit-codes-"));
  const built = interpreter.buildFor(512 * 1024);
  units = built.units;
  fillPool(built.cf, ROOM);
  const r = await splitClass(built.cf);
  for (const c of r.classes) {
    const path = join(work, c.fileName);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, c.bytes);
  }
  report = r.methods.find((m) => m.method.startsWith(`${interpreter.METHOD}(`))!;
  classCount = r.classes.length;
  written = r.classes.map((c) => c.bytes);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it("splits an interpreter whose exit codes outnumber the pool's free entries", () => {
  expect(report.result.kind, report.result.kind === "refused" ? report.result.reason : "").toBe("split");
  if (report.result.kind !== "split") return;
  expect(classCount).toBe(1); // no helper class: the pieces are in the class itself
  // Each entry of a piece is a distinct code some body returns; with the Methodref, its
  // NameAndType and its name that each piece's call adds, more than the room left.
  const pieces = report.result.pieces.filter((p) => p.name.includes("$split$"));
  const entries = pieces.reduce((sum, p) => sum + entryCount(codeOf(p.method)!.code), 0);
  expect(entries + 3 * pieces.length).toBeGreaterThan(ROOM);
  // So the codes ((p << 16) | entry, p >= 1) are pushed without the pool: no body of the method loads one with ldc.
  expect(pooledCodes(readClass(written[0]!), interpreter.METHOD)).toEqual([]);
  expect(Math.max(report.result.driverLength, ...report.result.pieces.map((p) => p.codeLength))).toBeLessThanOrEqual(8000);
});

it("every class passes the verifier, and main prints the reference", async () => {
  const linked = await linkAll(work);
  expect(linked.failures).toEqual([]);
  expect(linked.linked).toBeGreaterThanOrEqual(1);
  const run = runJava(work, interpreter.CLASS.replace("/", "."), { jvm: ["-Xverify:all", "-Xss8m"] });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(interpreterReference(units));
});
