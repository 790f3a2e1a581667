/**
 * A reader that closes the pipe early (`megasplit disasm app.jar | head -2`) must not
 * make megasplit print a stack trace: the first lines arrive, stderr stays free of
 * EPIPE noise, and the command exits with its normal status.
 */
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "src/cli/main.ts");

describe("a reader that stops early", () => {
  it("disasm | head -2 prints two lines and no EPIPE trace", () => {
    const script = `set -o pipefail; "${process.execPath}" --import tsx "${main}" disasm /usr/share/java/rhino.jar 2>"$ERRFILE" | head -2; echo "status \${PIPESTATUS[0]}"; cat "$ERRFILE"`;
    const r = spawnSync("bash", ["-c", script], { cwd: root, encoding: "utf8", env: { ...process.env, ERRFILE: join(root, "node_modules", ".cache", "broken-pipe.err") } });
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("; entry org/mozilla/classfile/ByteCode.class");
    expect(lines[1]).toMatch(/^\.version \d+ \d+$/);
    expect(lines[2]).toBe("status 0");
    expect(r.stdout).not.toMatch(/EPIPE|Error:|at .*\.js:\d+/);
  });
});
