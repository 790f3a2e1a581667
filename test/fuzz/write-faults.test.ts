/**
 * Faults while writing the output: whatever fails part-way (a full disk, a
 * permission or read-only error, a signal), the previous output, its mapping and
 * the input stay byte-identical and no temporary file is left. Two ways to fail:
 * the write-fault hook of src/bundle/atomic.ts (`MEGASPLIT_TEST_WRITE_FAULT`: the
 * n-th file staged fails with the errno given, half written), for every output
 * kind and every file of a batch; and real file systems: a tmpfs too small for the
 * new output (ENOSPC) and a read-only one (EROFS), mounted for the test (CI runs as
 * root, as `npm run setup` needs).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { writeClass } from "../../src/classfile/write.js";
import { assemble } from "../../src/text/assemble.js";
import { runCli } from "../support/cli.js";

const root = mkdtempSync(join(tmpdir(), "megasplit-faults-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => delete process.env.MEGASPLIT_TEST_WRITE_FAULT);

/** A class whose method (a loop of `adds` adds) splits at 256 bytes. */
function loopClass(name: string, adds = 200): Uint8Array {
  const body = "    iload_2\n    iload_1\n    iadd\n    istore_2\n".repeat(adds);
  const text = `.version 49 0\n.class public ${name}\n.super java/lang/Object\n.method public static f(I)I\n    .limit stack 4\n    .limit locals 3\n    iconst_0\n    istore_2\nL0:\n${body}    iinc 1 -1\n    iload_1\n    ifgt L0\n    iload_2\n    ireturn\n.end method\n.end class\n`;
  return writeClass(assemble(text, { fileName: `${name}.j` })[0]!);
}

/** Every file under `dir` (relative path -> bytes, base64): a snapshot to compare. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}

function temporaries(dir: string): string[] {
  return Object.keys(snapshot(dir)).filter((p) => /megasplit-(tmp|old)$/.test(p));
}

const OUTPUTS = { "out.jar": "in", "out-dir": "in", "Out.class": "in/Single.class" } as const;
type Output = keyof typeof OUTPUTS;

/** A working tree: an input directory of three classes and a first split of it into each output named (with its mapping). */
function prepare(name: string, outputs: readonly Output[]): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "in", "p"), { recursive: true });
  writeFileSync(join(dir, "in", "p", "A.class"), loopClass("p/A"));
  writeFileSync(join(dir, "in", "p", "B.class"), loopClass("p/B", 150));
  writeFileSync(join(dir, "in", "Single.class"), loopClass("Single"));
  for (const output of outputs) {
    const r = runCli(["split", join(dir, OUTPUTS[output]), "-o", join(dir, output), "--max-size", "1024"]);
    expect(r.status, r.stderr).toBe(0);
  }
  return dir;
}

describe("a write that fails part-way changes nothing", () => {
  const dir = prepare("hook", ["out.jar", "out-dir", "Out.class"]);
  const before = snapshot(dir);
  // The files a split writes: the output's (the jar; every file of the directory; the class) and the mapping.
  const filesOf = (output: Output) => Object.keys(before).filter((p) => p === output || p.startsWith(`${output}/`)).length + 1;

  for (const [output, code] of [
    ["out.jar", "ENOSPC"],
    ["out-dir", "EACCES"],
    ["Out.class", "EROFS"],
  ] as const) {
    it(`${output}: ${code} on each file staged leaves everything as it was`, () => {
      // A new split (another limit: other bytes) whose n-th staged file fails.
      const files = filesOf(output);
      expect(files).toBeGreaterThan(1);
      for (let n = 1; n <= files; n++) {
        const r = spawnCli(["split", join(dir, OUTPUTS[output]), "-o", join(dir, output), "--max-size", "256"], { MEGASPLIT_TEST_WRITE_FAULT: `${n}:${code}` });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`error E_IO: cannot write .*${code}`));
        expect(snapshot(dir)).toEqual(before);
      }
      expect(temporaries(dir)).toEqual([]);
    });
  }

  it("without a fault the same run replaces the output and its mapping together", () => {
    const r = runCli(["split", join(dir, "in"), "-o", join(dir, "out.jar"), "--max-size", "256"]);
    expect(r.status, r.stderr).toBe(0);
    const after = snapshot(dir);
    expect(after["out.jar"]).not.toBe(before["out.jar"]);
    expect(after["out.jar.mapping"]).not.toBe(before["out.jar.mapping"]);
    expect(temporaries(dir)).toEqual([]);
  });
});

/** runCli with extra environment variables. */
function spawnCli(args: string[], env: Record<string, string>): { status: number; stderr: string } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runCli(args);
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

describe("real file systems: full and read-only (tmpfs)", () => {
  const mnt = join(root, "mnt");
  mkdirSync(mnt, { recursive: true });
  const mount = (opts: string) => execFileSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", mnt]);
  afterAll(() => {
    try {
      execFileSync("umount", [mnt]);
    } catch {
      // not mounted
    }
  });

  it("a full disk (ENOSPC): previous output and mapping byte-identical, no temporary file, the input untouched", () => {
    const dir = prepare("full", ["out.jar"]);
    const input = join(dir, "in");
    const inputBefore = snapshot(input);
    mount("size=512k");
    cpSync(join(dir, "out.jar"), join(mnt, "out.jar"));
    cpSync(join(dir, "out.jar.mapping"), join(mnt, "out.jar.mapping"));
    // Fill the disk but for a little less than the new jar needs.
    const jarSize = statSync(join(mnt, "out.jar")).size;
    const free = Number(execFileSync("df", ["--output=avail", "-B1", mnt], { encoding: "utf8" }).split("\n")[1]!.trim());
    writeFileSync(join(mnt, "filler"), new Uint8Array(Math.max(0, free - jarSize / 2)));
    const before = snapshot(mnt);
    const r = runCli(["split", input, "-o", join(mnt, "out.jar"), "--max-size", "256"]);
    expect(r.status, r.stderr).toBe(1);
    // The mapping is staged first, then the jar: either may be the write that finds the disk full.
    expect(r.stderr).toMatch(/error E_IO: cannot write .*ENOSPC/);
    expect(snapshot(mnt)).toEqual(before);
    expect(temporaries(mnt)).toEqual([]);
    expect(snapshot(input)).toEqual(inputBefore);
    execFileSync("umount", [mnt]);
  });

  it("a read-only file system (EROFS): nothing changes, nothing is left", () => {
    const dir = prepare("readonly", ["out-dir"]);
    mount("size=4m");
    cpSync(join(dir, "out-dir"), join(mnt, "out-dir"), { recursive: true });
    cpSync(join(dir, "out-dir.mapping"), join(mnt, "out-dir.mapping"));
    execFileSync("mount", ["-o", "remount,ro", mnt]);
    const before = snapshot(mnt);
    const r = runCli(["split", join(dir, "in"), "-o", join(mnt, "out-dir"), "--max-size", "256"]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error E_IO: cannot write.*EROFS/);
    expect(snapshot(mnt)).toEqual(before);
    execFileSync("umount", [mnt]);
  });
});

describe("an interrupted write", () => {
  it("SIGTERM while files are staged removes them; the previous output stays", async () => {
    const dir = prepare("signal", ["out-dir"]);
    const before = snapshot(dir);
    // The hook's WAIT: the first file staged stops half written until a signal comes.
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"), "split", join(dir, "in"), "-o", join(dir, "out-dir"), "--max-size", "256"], {
      env: { ...process.env, MEGASPLIT_TEST_WRITE_FAULT: "1:WAIT" },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    for (let k = 0; k < 600 && temporaries(dir).length === 0; k++) await new Promise((r) => setTimeout(r, 50));
    expect(temporaries(dir).length).toBeGreaterThan(0);
    child.kill("SIGTERM");
    expect(await exited).toBe("SIGTERM");
    expect(temporaries(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });
});
