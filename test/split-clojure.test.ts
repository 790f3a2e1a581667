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
 * loader's class came from the split jar, and HotSpot's touched-method list that
 * the pieces of its split `load()` were called. Cost: about
 * 20 s (two splits, three runs of a second or two).
 */
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameOutput, expectSplitClassesLoaded, expectSplitPiecesRan, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
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

/**
 * Split methods whose pieces the script's run calls (HotSpot's touched-method list),
 * measured: at 8,000 the core loader (not `generate_class`: its class loads, its
 * code does not run); at 1,024, 97 of 157.
 */
const CLOJURE_RUNS: Record<number, MustRun> = {
  8000: { atLeast: 1, methods: ["clojure/core__init.load()V"] },
  1024: {
    atLeast: 90,
    methods: [
      "clojure/core__init.load()V",
      "clojure/pprint/cl_format__init.load()V",
      "clojure/lang/Compiler$FnExpr.parse(Lclojure/lang/Compiler$C;Lclojure/lang/ISeq;Ljava/lang/String;)Lclojure/lang/Compiler$Expr;",
      "clojure/lang/Compiler$ObjExpr.compile(Ljava/lang/String;[Ljava/lang/String;Z)V",
      "clojure/lang/RT.<clinit>()V",
      "clojure/asm/MethodWriter.putMethodInfo(Lclojure/asm/ByteVector;)V",
      "clojure/core$ns.invokeStatic(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Lclojure/lang/ISeq;)Ljava/lang/Object;",
    ],
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
      expectSplitPiecesRan(`clojure at ${maxSize}`, split, [actual], CLOJURE_RUNS[maxSize]!);
    });
  }
});
