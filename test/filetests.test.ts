/**
 * Runs every filetest: `test/filetests/<pass>/*.j` (format in support/filetest.ts).
 * The folder name must be the pass named on the file's first line.
 * `MEGASPLIT_UPDATE_FILETESTS=1 npx vitest run test/filetests.test.ts` rewrites the
 * expectation blocks.
 *
 * The splitter's folders (partition, fits, outline, partition-and-link, final-stores,
 * link-<mode>) run the views of src/split/pass-views.ts with the settings of the
 * file's `; options:` line; their expectations were written with the update switch
 * and checked by hand (block sizes and stub costs recomputed from the cost model,
 * pieces from the packing rules, the written code against the calling convention).
 *
 * The expectations of the cfg and liveness folders were written with the update
 * switch and then read line by line and checked by hand against the input code
 * (successors, handler edges in table order, reachability and RPO; live sets by
 * backward reasoning from each block's reads and writes); the comments in each file
 * say what it is about and what to look for. The dead-stack folder's were derived
 * by hand from the input first (each file's comment says where the pops go and
 * why) and the update switch's output compared with them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFiletest, parseFiletest, unifiedDiff, withExpectation } from "./support/filetest.js";
import { PASSES } from "../passes/registry.js";
import { SPLIT_VIEWS } from "../src/split/pass-views.js";
import { SPLIT_PASSES } from "../src/split/split-passes.js";
import { LINK_MODES } from "../passes/link/modes.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "filetests");

for (const folder of readdirSync(root).sort()) {
  const dir = join(root, folder);
  if (!statSync(dir).isDirectory()) continue;
  const files = readdirSync(dir).filter((f) => f.endsWith(".j")).sort();
  describe(`filetests/${folder}`, () => {
    for (const file of files) {
      const path = join(dir, file);
      it(file, () => {
        const { pass } = parseFiletest(readFileSync(path, "utf8"), path);
        expect(pass, `${path}: "; pass: ${pass}" is in folder ${folder}`).toBe(folder);
        const outcome = checkFiletest(path);
        if (!outcome.ok) expect.fail(outcome.message);
      });
    }
  });
}

describe("filetest folders", () => {
  it("every registered pass, splitter pass and link mode has a folder with at least one filetest", () => {
    const names = [...PASSES.map((p) => p.name), ...SPLIT_PASSES.map((p) => p.name), "partition", ...LINK_MODES.map((m) => `link-${m.name}`)];
    for (const name of names) {
      expect(SPLIT_VIEWS.some((v) => v.name === name) || PASSES.some((p) => p.name === name), `${name} can run as a filetest`).toBe(true);
      const dir = join(root, name);
      const files = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(dir).filter((f) => f.endsWith(".j")) : [];
      expect(files.length, `test/filetests/${name}/ has a .j file`).toBeGreaterThan(0);
    }
  });
});

describe("filetest runner", () => {
  it("parses and rewrites the expectation block without touching the input", () => {
    const text = "; pass: cfg\n.class public A\n.end class\n\n; expect:\n; line one\n;\n;   indented\n";
    const t = parseFiletest(text);
    expect(t.pass).toBe("cfg");
    expect(t.expected).toEqual(["line one", "", "  indented"]);
    expect(withExpectation(t, t.expected!)).toBe(text);
    expect(withExpectation(t, ["other"])).toBe("; pass: cfg\n.class public A\n.end class\n\n; expect:\n; other\n");
  });

  it("shows a mismatch as a unified diff with context", () => {
    const expected = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    const actual = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j"];
    expect(unifiedDiff(expected, actual).split("\n")).toEqual([
      "--- expected",
      "+++ actual",
      "@@ -2,8 +2,9 @@",
      " b",
      " c",
      " d",
      "-e",
      "+E",
      " f",
      " g",
      " h",
      " i",
      "+j",
    ]);
  });
});
