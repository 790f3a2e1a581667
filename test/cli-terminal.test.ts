/**
 * Terminal manners, seen through a real pseudo-terminal (`script` from
 * util-linux): on a terminal `split` draws a progress line on stderr (entries
 * done/total, methods split, elapsed) and colours; with NO_COLOR=1 the same run
 * has no colour; through pipes there is neither; colour is decided per stream, so
 * stderr redirected to a file gets plain text while stdout on the terminal keeps
 * its colour. The input is one small jar (a class that splits at 1,024 and a
 * truncated one, for an error line on stderr); four runs, a few seconds.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJava } from "./support/hard-case.js";
import { rawZip } from "./support/raw-zip.js";
import { tinyClassBytes } from "./support/tiny-class.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "megasplit-tty-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ESC = "\x1b[";
/** An SGR (colour/bold) sequence; the progress line's erase-line `ESC[2K` is not one. */
const SGR = /\x1b\[[0-9;]*m/;
const PROGRESS = /\r\x1b\[2K\d+\/\d+ entries, \d+ methods? split, \d+\.\d s/;

let jar: string;

beforeAll(() => {
  const src = join(work, "src");
  mkdirSync(src);
  const body = Array.from({ length: 400 }, (_, i) => `    x = x * 31 + ${i};`).join("\n");
  writeFileSync(join(src, "Big.java"), `public class Big {\n  public static int f(int x) {\n${body}\n    return x;\n  }\n}\n`);
  const classes = compileJava([join(src, "Big.java")], join(work, "classes"));
  jar = join(work, "in.jar");
  writeFileSync(
    jar,
    rawZip([
      { name: "Big.class", data: readFileSync(join(classes, "Big.class")), method: 8 },
      { name: "cut/Short.class", data: tinyClassBytes().subarray(0, 40) },
    ]),
  );
}, 60_000);

/** Runs `megasplit split` under a pseudo-terminal; `redirectStderr` sends stderr to a file instead. */
function underTerminal(env: Record<string, string>, redirectStderr?: string): string {
  const cli = ["node", "--import", "tsx", join(root, "src/cli/main.ts"), "split", jar, "-o", join(work, "out.jar"), "--max-size", "1024"];
  const quoted = cli.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ") + (redirectStderr ? ` 2>'${redirectStderr}'` : "");
  const cleanEnv: Record<string, string | undefined> = { ...process.env, TERM: "xterm-256color", ...env };
  delete cleanEnv.FORCE_COLOR;
  // A user at a terminal, not a CI job: chalk's colour detection turns colour off
  // whenever CI is set (CI runs this suite with CI=true).
  delete cleanEnv.CI;
  if (!("NO_COLOR" in env)) delete cleanEnv.NO_COLOR;
  const r = spawnSync("script", ["-q", "-e", "-c", quoted, "/dev/null"], { cwd: root, env: cleanEnv, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(1); // the truncated class: exit status 1
  return r.stdout;
}

describe("on a terminal", () => {
  it("shows the progress line and colours", () => {
    const out = underTerminal({});
    expect(out).toMatch(PROGRESS);
    expect(out).toMatch(/\x1b\[31merror E_TRUNCATED/); // red, on stderr
    expect(out).toMatch(/\x1b\[1m1 method\x1b\[22m split into \d+ pieces/); // bold, on stdout
  });

  it("with NO_COLOR=1 shows no colour (the progress line stays: it is not colour)", () => {
    const out = underTerminal({ NO_COLOR: "1" });
    expect(out).not.toMatch(SGR);
    expect(out).toContain("error E_TRUNCATED");
    expect(out).toMatch(PROGRESS);
  });

  it("decides colour per stream: stderr sent to a file is plain while stdout keeps colour", () => {
    const errFile = join(work, "err.txt");
    const out = underTerminal({}, errFile);
    const err = readFileSync(errFile, "utf8");
    expect(err).toMatch(/^error E_TRUNCATED: /m);
    expect(err).not.toContain(ESC); // neither colour nor a progress line in a file
    expect(out).toMatch(SGR);
  });
});

it("through pipes, with NO_COLOR=1, there is neither progress nor colour", () => {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", TERM: "xterm-256color" };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "split", jar, "-o", join(work, "out2.jar"), "--max-size", "1024"], { cwd: root, env, encoding: "utf8" });
  expect(r.status).toBe(1);
  expect(r.stdout + r.stderr).not.toContain(ESC);
  expect(r.stdout).toMatch(/^1 method split into \d+ pieces/m);
});
