/**
 * The Eclipse compiler for Java, split and run (Debian package `libecj-java`,
 * ECJ 3.16.0: eclipse-ecj-3.16.0.jar, the batch compiler with its ant adapter and
 * annotation-processing support, 715 classes). Its two methods over the JIT limit
 * both run in every compile: the stack map frame computation of the class-file
 * writer (`ClassFile.traverse`, 8,859 bytes) and the batch compiler's command-line
 * parser (`Main.configure`, 8,098). The parser's reduction action
 * (`Parser.consumeRule`, 7,138) is under that limit; at 1,024 bytes it is one of
 * 108 methods over it, with the scanner, the problem reporter, the diagnosing
 * (error-recovery) parser, flow analysis and the code generation of expressions
 * and statements.
 *
 * ecj.jar is split at 8,000 bytes and at 1,024, with the internal verifier on and
 * no classpath (no class is missing: the ant adapter's one split method needs no
 * ant class); every method over the limit must split. Then the split compiler,
 * under -Xverify:all, compiles test/ecj/features (a program using most of Java 11:
 * see its Main.java) with Javadoc checking on and warnings on purpose
 * (Warnings.java), and, in a second run with -proceedOnError,
 * test/ecj/broken/Broken.java: syntax errors the diagnosing parser reports and
 * recovers from, and type errors, which go into the class file as methods that
 * throw. The oracle is the unsplit compiler: the same messages and exit status (0
 * with 16 warnings, 255 with 10 errors) and every class file byte for byte the
 * same. ECJ 3.16 is deterministic: two unsplit compiles agree (checked here, and by
 * hand also with identity hash codes perturbed by -XX:hashCode=3 and =4). Both
 * compiled programs then run under -Xverify:all and must print the same (the
 * broken one dies on its first unresolved compilation problem). The class-load
 * logs show the classes holding split methods loaded, and the touched-method lists
 * that their pieces were called. Cost: about 20 s on 2 loaded
 * cores (two splits of 1-2 s; eight compiles of 2-3 s under -Xverify:all, two at a
 * time, two of them the determinism check; six runs of the programs, under a
 * second each).
 */
import { mkdtempSync, readdirSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameFiles, expectSameOutput, expectSplitClassesLoaded, expectSplitPiecesRan, filesUnder, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar, splitReportOf } from "./support/split-jar.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-ecj-"));
afterAll(() => removeAfterRuns(work));

/** Installed by scripts/setup.sh (package libecj-java). */
const ECJ = realpathSync("/usr/share/java/ecj.jar");
const MAIN = "org.eclipse.jdt.internal.compiler.batch.Main";
const FEATURES = join(here, "ecj", "features");
const SOURCES = readdirSync(FEATURES)
  .filter((f) => f.endsWith(".java"))
  .sort()
  .map((f) => join(FEATURES, f));
const BROKEN = join(here, "ecj", "broken", "Broken.java");
/** Java 11 (ECJ 3.16 knows up to 11), all debug information, Javadoc comments checked; no annotation processing. */
const OPTIONS = ["-source", "11", "-target", "11", "-g", "-parameters", "-encoding", "UTF-8", "-proc:none", "-enableJavadoc", "-warn:+javadoc"];
/** ECJ's exit status when a source has errors. */
const ERRORS_EXIT = 255;
const JVM = ["-Xverify:all"];

/**
 * Classes holding split methods the two compiles load, measured: at 8,000 both;
 * at 1,024, 52 of the 57. The five left: the ant adapter; three classes of
 * annotation processing and of the javax.tools interface, which a batch compile
 * with -proc:none does not use; FloatUtil, which a hexadecimal floating-point
 * literal reaches only when Double.valueOf rejects it, as Java 1.4's did.
 */
const ECJ_LOADS: Record<number, MustLoad> = {
  8000: { atLeast: 2, classes: ["org.eclipse.jdt.internal.compiler.ClassFile", "org.eclipse.jdt.internal.compiler.batch.Main"] },
  1024: {
    atLeast: 48,
    classes: [
      "org.eclipse.jdt.internal.compiler.ClassFile",
      "org.eclipse.jdt.internal.compiler.batch.Main",
      "org.eclipse.jdt.internal.compiler.impl.CompilerOptions",
      "org.eclipse.jdt.internal.compiler.parser.Parser",
      "org.eclipse.jdt.internal.compiler.parser.Scanner",
      "org.eclipse.jdt.internal.compiler.parser.JavadocParser",
      "org.eclipse.jdt.internal.compiler.parser.RecoveredType",
      "org.eclipse.jdt.internal.compiler.parser.diagnose.DiagnoseParser",
      "org.eclipse.jdt.internal.compiler.problem.ProblemReporter",
      "org.eclipse.jdt.internal.compiler.lookup.Scope",
      "org.eclipse.jdt.internal.compiler.lookup.TypeConstants",
      "org.eclipse.jdt.internal.compiler.flow.UnconditionalFlowInfo",
      "org.eclipse.jdt.internal.compiler.ast.LambdaExpression",
      "org.eclipse.jdt.internal.compiler.ast.ReferenceExpression",
      "org.eclipse.jdt.internal.compiler.ast.TryStatement",
      "org.eclipse.jdt.internal.compiler.ast.BinaryExpression",
      "org.eclipse.jdt.internal.compiler.codegen.CodeStream",
      "org.eclipse.jdt.internal.compiler.impl.Constant",
    ],
  },
};

/** Some of the unsplit compiler's messages (what the sources are meant to provoke), and of the compiled program's output. */
const WARNINGS = [
  "Resource leak: 'in' is never closed",
  "Null pointer access: The variable s can only be null at this location",
  "Javadoc: Parameter missing is not declared",
  "The constructor Integer(int) has been deprecated since version 9 and marked for removal",
  "16 problems (16 warnings)",
];
const ERRORS = [
  'Syntax error, insert ";" to complete BlockStatements',
  'Syntax error, insert ") Statement" to complete BlockStatements',
  "The method noSuchMethod(int, String) is undefined for the type String",
  "The constructor Broken(String, int) is undefined",
  "10 problems (10 errors)",
];
const PROGRAM_LINES = [
  "primes [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]",
  "deserialized lambda gives 42",
  "calc sqrt((sq(x) + sq(y))) = 5.000 (3 calls)",
  "weekday 3 0 99 99 -1",
  "unicode 63 61 66 e9 20 3bb 9 41 394",
];

/**
 * Split methods whose pieces the two compiles call (HotSpot's touched-method list),
 * measured: at 8,000 both; at 1,024, 82 of the 108.
 */
const ECJ_RUNS: Record<number, MustRun> = {
  8000: { atLeast: 2, methods: ["org/eclipse/jdt/internal/compiler/ClassFile.traverse(Lorg/eclipse/jdt/internal/compiler/lookup/MethodBinding;I[BIILjava/util/Map;Z)Ljava/util/List;", "org/eclipse/jdt/internal/compiler/batch/Main.configure([Ljava/lang/String;)V"] },
  1024: {
    atLeast: 75,
    methods: [
      "org/eclipse/jdt/internal/compiler/ClassFile.traverse(Lorg/eclipse/jdt/internal/compiler/lookup/MethodBinding;I[BIILjava/util/Map;Z)Ljava/util/List;",
      "org/eclipse/jdt/internal/compiler/batch/Main.configure([Ljava/lang/String;)V",
      "org/eclipse/jdt/internal/compiler/parser/Parser.consumeRule(I)V",
      "org/eclipse/jdt/internal/compiler/parser/Scanner.getNextToken0()I",
      "org/eclipse/jdt/internal/compiler/problem/ProblemReporter.invalidMethod(Lorg/eclipse/jdt/internal/compiler/ast/MessageSend;Lorg/eclipse/jdt/internal/compiler/lookup/MethodBinding;Lorg/eclipse/jdt/internal/compiler/lookup/Scope;)V",
      "org/eclipse/jdt/internal/compiler/codegen/CodeStream.generateSyntheticBodyForDeserializeLambda(Lorg/eclipse/jdt/internal/compiler/lookup/SyntheticMethodBinding;[Lorg/eclipse/jdt/internal/compiler/lookup/SyntheticMethodBinding;)V",
      "org/eclipse/jdt/internal/compiler/ast/TryStatement.generateCode(Lorg/eclipse/jdt/internal/compiler/lookup/BlockScope;Lorg/eclipse/jdt/internal/compiler/codegen/CodeStream;)V",
    ],
  },
};

interface Compile {
  /** The compile of test/ecj/features, and the directory it wrote. */
  features: Run;
  out: string;
  /** The compile of Broken.java (with -proceedOnError), and the directory it wrote. */
  broken: Run;
  brokenOut: string;
}

/** Compiles both sets of sources with the compiler in `jar`, under -Xverify:all. */
async function compile(jar: string, tag: string): Promise<Compile> {
  const out = join(work, `${tag}-features`);
  const brokenOut = join(work, `${tag}-broken`);
  const [features, broken] = await Promise.all([
    runLogged(work, jar, [], MAIN, [...OPTIONS, "-d", out, ...SOURCES], `${tag}-ecj`, JVM),
    runLogged(work, jar, [], MAIN, [...OPTIONS, "-proceedOnError", "-d", brokenOut, BROKEN], `${tag}-ecj-broken`, JVM, ERRORS_EXIT),
  ]);
  return { features, out, broken, brokenOut };
}

/** Runs the two programs a compile wrote (the broken one dies with status 1). */
async function runPrograms(c: Compile, tag: string): Promise<{ program: Run; brokenProgram: Run }> {
  const [program, brokenProgram] = await Promise.all([
    runLogged(work, c.out, [], "features.Main", [], `${tag}-program`, JVM),
    runLogged(work, c.brokenOut, [], "broken.Broken", [], `${tag}-broken-program`, JVM, 1),
  ]);
  return { program, brokenProgram };
}

describe("Eclipse compiler split, compiling Java programs", () => {
  let stock: Promise<Compile>;
  let stockPrograms: Promise<{ program: Run; brokenProgram: Run }>;
  beforeAll(() => {
    stock = compile(ECJ, "stock");
    stockPrograms = stock.then((c) => runPrograms(c, "stock"));
    stockPrograms.catch(() => undefined);
  });

  it("the unsplit compiler is deterministic (the oracle can be compared byte for byte)", async () => {
    const again = await compile(ECJ, "stock-again");
    const first = await stock;
    expectSameOutput(again.features, first.features);
    expectSameOutput(again.broken, first.broken);
    expect(expectSameFiles(filesUnder(again.out), filesUnder(first.out), "classes")).toBe(38);
    expect(expectSameFiles(filesUnder(again.brokenOut), filesUnder(first.brokenOut), "problem classes")).toBe(1);
  });

  for (const maxSize of [8000, 1024]) {
    it(`at ${maxSize} bytes gives the same messages and class files as the unsplit compiler, and the programs run the same`, async () => {
      const split = await splitJar(ECJ, work, `ecj-${maxSize}.jar`, { maxSize, link: "auto" });
      console.log(`ecj at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.result.diagnostics).toEqual([]);
      // Every method over the limit (as `megasplit inspect` counts them) is split.
      expect(split.split).toBe(maxSize === 8000 ? 2 : 108);
      expect(splitReportOf(split, "org/eclipse/jdt/internal/compiler/ClassFile", "traverse(Lorg/eclipse/jdt/internal/compiler/lookup/MethodBinding;I[BIILjava/util/Map;Z)Ljava/util/List;").originalLength).toBe(8859);
      expect(splitReportOf(split, "org/eclipse/jdt/internal/compiler/batch/Main", "configure([Ljava/lang/String;)V").originalLength).toBe(8098);
      if (maxSize === 1024) expect(splitReportOf(split, "org/eclipse/jdt/internal/compiler/parser/Parser", "consumeRule(I)V").originalLength).toBe(7138);

      const actual = await compile(split.path, `ecj-${maxSize}`);
      const expected = await stock;

      for (const warning of WARNINGS) expect(expected.features.stderr).toContain(warning);
      expectSameOutput(actual.features, expected.features);
      const classes = filesUnder(expected.out);
      expect(classes.has("features/Main.class") && classes.has("features/Shapes$Kind$3.class") && classes.has("features/Main$1Lcg.class")).toBe(true);
      expect(expectSameFiles(filesUnder(actual.out), classes, "classes")).toBe(38);

      for (const error of ERRORS) expect(expected.broken.stderr).toContain(error);
      expectSameOutput(actual.broken, expected.broken);
      expect(expectSameFiles(filesUnder(actual.brokenOut), filesUnder(expected.brokenOut), "problem classes")).toBe(1);

      // The programs the split compiler wrote, run (what the unsplit compiler wrote, run, is the oracle).
      const ran = await runPrograms(actual, `ecj-${maxSize}`);
      const stockRan = await stockPrograms;

      for (const line of PROGRAM_LINES) expect(stockRan.program.stdout).toContain(line);
      expectSameOutput(ran.program, stockRan.program);
      expect(stockRan.brokenProgram.stderr).toContain("java.lang.Error: Unresolved compilation problems: \n\tType mismatch: cannot convert from int to String");
      expectSameOutput(ran.brokenProgram, stockRan.brokenProgram);

      expectSplitClassesLoaded(`ecj at ${maxSize}`, split, [actual.features, actual.broken], ECJ_LOADS[maxSize]!);
      expectSplitPiecesRan(`ecj at ${maxSize}`, split, [actual.features, actual.broken], ECJ_RUNS[maxSize]!);
    });
  }
});
