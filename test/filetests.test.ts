/**
 * Runs every filetest: `test/filetests/<pass>/*.j` (format in support/filetest.ts).
 * The folder name must be the pass named on the file's first line.
 * `MEGASPLIT_UPDATE_FILETESTS=1 npx vitest run test/filetests.test.ts` rewrites the
 * expectation blocks.
 *
 * The expectations of the cfg and liveness folders were written with the update
 * switch and then read line by line and checked by hand against the input code
 * (successors, handler edges in table order, reachability and RPO; live sets by
 * backward reasoning from each block's reads and writes); the comments in each file
 * say what it is about and what to look for.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFiletest, parseFiletest } from "./support/filetest.js";

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
