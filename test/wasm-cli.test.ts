/**
 * `megasplit inspect` and `megasplit disasm` on WebAssembly modules, run as a user
 * runs the CLI: inspect lists the function bodies largest first; disasm prints the
 * text format, which wabt assembles back into a module that validates and runs
 * like the original (wabt is the oracle for the text); malformed modules give one
 * diagnostic line with a stable code and the byte offset, never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { validationErrors, wat2wasm } from "./support/wasm-oracles.js";
import { runExports } from "./support/wasm-run.js";

const dir = mkdtempSync(join(tmpdir(), "megasplit-wasm-cli-"));
const module = wat2wasm(readFileSync(new URL("./wasm/kitchen-sink.wat", import.meta.url), "utf8"), false);
const path = join(dir, "kitchen-sink.wasm");
writeFileSync(path, module);

describe("megasplit inspect on a .wasm file", () => {
  it("lists every function body above the limit, largest first, with index and name", () => {
    const r = runCli(["inspect", path, "--limit", "0"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const rows = r.stdout.split("\n").slice(1).filter((l) => l.trim() !== "");
    const sizes = rows.map((l) => Number(l.trim().split(/\s+/)[0]));
    const definitions = readFileSync(new URL("./wasm/kitchen-sink.wat", import.meta.url), "utf8").match(/^\s*\(func /gm) ?? [];
    expect(rows.length).toBe(definitions.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(r.stdout).toMatch(/func 1 \$?sq\n/);
  });

  it("gives the same list as JSON", () => {
    const r = runCli(["inspect", path, "--limit", "0", "--json"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { wasm: Array<{ functions: number; overLimit: Array<{ size: number }> }> };
    expect(json.wasm[0]!.overLimit.length).toBe(json.wasm[0]!.functions);
  });
});

describe("megasplit disasm on a .wasm file", () => {
  it("prints text that wabt assembles into a module that validates and runs like the original", async () => {
    const r = runCli(["disasm", path]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const again = wat2wasm(r.stdout);
    expect(validationErrors(again)).toEqual([]);
    for (const arg of [0, 5, 77]) expect(await runExports(again, arg)).toEqual(await runExports(module, arg));
  });
});

describe("malformed .wasm input", () => {
  it.each([
    ["inspect", "truncated", "E_TRUNCATED", module.subarray(0, module.length - 5)],
    ["disasm", "truncated", "E_TRUNCATED", module.subarray(0, module.length - 5)],
    ["inspect", "a bad section id", "E_WASM_MALFORMED", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x33, 0])],
    ["disasm", "a bad version", "E_WASM_MALFORMED", new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])],
  ])("%s of a module with %s reports %s with the offset", (command, what, code, bytes) => {
    const file = join(dir, `${what.replace(/ /g, "-")}.wasm`);
    writeFileSync(file, bytes);
    const r = runCli([command, file]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(new RegExp(`^error ${code}: .*offset \\d+`, "m"));
  });
});
