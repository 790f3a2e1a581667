/**
 * Clojure, split and run (Debian package `clojure`, 1.11: the compiler, the core
 * library AOT-compiled, spec from `libspec-alpha-clojure`). Clojure's namespace
 * loaders are the code of a compiler nobody here wrote that the JVM's limits hit
 * hardest ("Method code too large" is Clojure's best-known limit): the core
 * namespace's loader, `clojure/core__init.load()` (28,256 bytes), leaves every
 * top-level form's value on the operand stack until its final `return` (887 slots),
 * so it can only be cut once those dead values are popped (passes/dead-stack.ts;
 * before, it was refused W_REFUSED_BLOCK at every limit).
 *
 * clojure.jar is split at 8,000 bytes (its two methods over the limit: the core
 * loader and `generate_class`) and at 1,024 (157 methods, the pprint
 * namespace's loader among them), with the internal verifier on; no method may be
 * refused. Then test/clojure/features.clj (the core library, spec, protocols,
 * records, multimethods, agents, transducers, pprint, edn, and code compiled at run
 * time) runs on the split jar under -Xverify:all and must print byte for byte what
 * it prints on the unsplit jar (the oracle); the class-load log shows the core
 * loader's class, and so its split `load()`, came from the split jar. Cost: about
 * 20 s (two splits, three runs of a second or two).
 */
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameOutput, expectSplitClassesLoaded, type MustLoad, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar, splitReportOf } from "./support/split-jar.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-clojure-"));
afterAll(() => removeAfterRuns(work));

/** Installed by scripts/setup.sh (package clojure and its spec libraries). */
const CLOJURE = realpathSync("/usr/share/java/clojure.jar");
const DEPS = ["/usr/share/java/spec.alpha.jar", "/usr/share/java/core.specs.alpha.jar"].map((p) => realpathSync(p));
const SCRIPT = join(here, "clojure", "features.clj");

/**
 * Classes holding split methods the script's run loads: at 8,000 both (the core
 * loader and `generate_class`'s class); at 1,024, measured, 55 of the 79 (namespace
 * loaders, the compiler and its bundled ASM writer, the runtime, pprint's formatter).
 */
const CLOJURE_LOADS: Record<number, MustLoad> = {
  8000: { atLeast: 2, classes: ["clojure.core__init", "clojure.core$generate_class"] },
  1024: {
    atLeast: 50,
    classes: ["clojure.core__init", "clojure.pprint.cl_format__init", "clojure.lang.Compiler", "clojure.lang.Compiler$FnExpr", "clojure.lang.RT", "clojure.asm.MethodWriter", "clojure.core$ns"],
  },
};

describe("Clojure split, running a program", () => {
  const runClojure = (jar: string, tag: string) => runLogged(work, jar, DEPS, "clojure.main", [SCRIPT], tag, ["-Xverify:all"]);
  let expected: Promise<Run>;
  beforeAll(() => {
    expected = runClojure(CLOJURE, "clojure-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [8000, 1024]) {
    it(`at ${maxSize} bytes splits the core namespace's loader and prints the same output as the unsplit Clojure`, async () => {
      const split = await splitJar(CLOJURE, work, `clojure-${maxSize}.jar`, { maxSize, link: "auto", classpath: DEPS });
      console.log(`clojure at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      const loader = splitReportOf(split, "clojure/core__init", "load()V");
      expect(loader.originalLength).toBe(28256);
      const actual = await runClojure(split.path, `clojure-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toContain("[0 1 3 6 10 15 21 28 36 45 55 66]");
      expectSameOutput(actual, stock);
      expectSplitClassesLoaded(`clojure at ${maxSize}`, split, [actual], CLOJURE_LOADS[maxSize]!);
    });
  }
});
