/**
 * The Kotlin compiler, split and run (Debian package `kotlin`, 1.3.31:
 * kotlin-compiler.jar, 97 MB of STORED entries holding the compiler and what it
 * bundles: IntelliJ's core, shaded ASM and protobuf, guava, jline, JNA). Its
 * largest methods are static tables: the diagnostics' message table
 * (`DefaultErrorMessages.<clinit>`, 9,190 bytes) and the constant evaluator's
 * operations map (`OperationsMapGeneratedKt.<clinit>`, 9,161), both run by every
 * compile, and two that a compile does not load (jline's terminal capabilities,
 * guava's CRC32C table).
 *
 * kotlin-compiler.jar is split at 8,000 bytes (its 4 methods over the limit) and at
 * 1,024 (237), with the internal verifier on and the jars its manifest's Class-Path
 * names (stdlib, reflect, script runtime, trove4j, annotations) as the classpath; no
 * method may be refused and no class may be missing. Then the split compiler
 * compiles test/kotlin/features.kt under -Xverify:all (the `kotlinc` script passes
 * -noverify; we do not), started at its main class K2JVMCompiler as the manifest
 * names it (the script's Preloader would load it in a class loader of its own), and
 * must do exactly what the unsplit compiler does (the oracle): the same stdout and
 * stderr (three warnings on purpose, one of them, the non-tail recursive call's,
 * from the part of the message table's `<clinit>` split off at 8,000), and the same
 * class files, byte for byte. kotlinc 1.3.31's output is deterministic (checked by
 * hand: two unsplit compiles, and two more with identity hash codes perturbed by
 * -XX:hashCode=3 and =4, wrote identical files). The compiled program then runs on
 * the stdlib and must print the same for both. The class-load log shows that the
 * classes holding split methods loaded (the lexer, the diagnostics tables, the
 * coroutine transformer and inliner, the shaded ASM reader and writer), and its
 * touched-method list that their pieces were called. Cost: about
 * 45 s on 2 loaded cores (two splits of 3-5 s, three compiles of 6-12 s, three
 * runs of the program under a second each).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jdkTool } from "./support/corpus.js";
import { expectSameFiles, expectSameOutput, expectSplitClassesLoaded, expectSplitPiecesRan, filesUnder, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar, splitReportOf } from "./support/split-jar.js";

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-kotlin-"));
afterAll(() => removeAfterRuns(work));

/** Installed by scripts/setup.sh (package kotlin); the jars its manifest's Class-Path names, as /usr/share/kotlin/kotlinc/lib links them. */
const KOTLINC = realpathSync("/usr/share/java/kotlin-compiler.jar");
const LIB = "/usr/share/kotlin/kotlinc/lib";
const DEPS = ["kotlin-stdlib.jar", "kotlin-reflect.jar", "kotlin-script-runtime.jar", "trove4j.jar", "annotations-13.0.jar"].map((n) => realpathSync(join(LIB, n)));
const STDLIB = DEPS[0]!;
const PROGRAM = join(here, "kotlin", "features.kt");

/**
 * Classes holding split methods the compile loads, measured: at 8,000 both tables
 * (2 of the 4); at 1,024, 60 of the 203 (the lexer and token tables, the
 * diagnostics, the resolver, the JVM codegen's inliner and coroutine transformer,
 * stdlib metadata's protobuf readers, the shaded ASM reader, writer and analyzer).
 */
const KOTLIN_LOADS: Record<number, MustLoad> = {
  8000: { atLeast: 2, classes: ["org.jetbrains.kotlin.diagnostics.rendering.DefaultErrorMessages", "org.jetbrains.kotlin.resolve.constants.evaluate.OperationsMapGeneratedKt"] },
  1024: {
    atLeast: 55,
    classes: [
      "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
      "org.jetbrains.kotlin.lexer._JetLexer",
      "org.jetbrains.kotlin.lexer.KtTokens",
      "org.jetbrains.kotlin.diagnostics.Errors",
      "org.jetbrains.kotlin.diagnostics.rendering.DefaultErrorMessages",
      "org.jetbrains.kotlin.resolve.constants.evaluate.OperationsMapGeneratedKt",
      "org.jetbrains.kotlin.metadata.ProtoBuf$Class",
      "org.jetbrains.kotlin.codegen.coroutines.CoroutineTransformerMethodVisitor",
      "org.jetbrains.kotlin.codegen.inline.MethodInliner",
      "org.jetbrains.org.objectweb.asm.ClassReader",
      "org.jetbrains.org.objectweb.asm.MethodWriter",
      "org.jetbrains.org.objectweb.asm.tree.analysis.Analyzer",
    ],
  },
};

/**
 * Split methods whose pieces the compile calls (HotSpot's touched-method list),
 * measured: at 8,000 both tables; at 1,024, 59 of the 237.
 */
const KOTLIN_RUNS: Record<number, MustRun> = {
  8000: { atLeast: 2, methods: ["org/jetbrains/kotlin/diagnostics/rendering/DefaultErrorMessages.<clinit>()V", "org/jetbrains/kotlin/resolve/constants/evaluate/OperationsMapGeneratedKt.<clinit>()V"] },
  1024: {
    atLeast: 55,
    methods: [
      "org/jetbrains/kotlin/lexer/_JetLexer.advance()Lcom/intellij/psi/tree/IElementType;",
      "org/jetbrains/kotlin/lexer/KtTokens.<clinit>()V",
      "org/jetbrains/kotlin/diagnostics/Errors.<clinit>()V",
      "org/jetbrains/kotlin/diagnostics/rendering/DefaultErrorMessages.<clinit>()V",
      "org/jetbrains/kotlin/codegen/coroutines/CoroutineTransformerMethodVisitor.performTransformations(Lorg/jetbrains/org/objectweb/asm/tree/MethodNode;)V",
      "org/jetbrains/kotlin/codegen/inline/MethodInliner.markPlacesForInlineAndRemoveInlinable(Lorg/jetbrains/org/objectweb/asm/tree/MethodNode;Lorg/jetbrains/kotlin/codegen/inline/LabelOwner;I)Lorg/jetbrains/org/objectweb/asm/tree/MethodNode;",
      "org/jetbrains/org/objectweb/asm/ClassReader.accept(Lorg/jetbrains/org/objectweb/asm/ClassVisitor;[Lorg/jetbrains/org/objectweb/asm/Attribute;I)V",
    ],
  },
};

interface Compile {
  /** The compiler's run: its output and the classes it loaded from the jar under test. */
  run: Run;
  /** What it wrote under -d. */
  files: Map<string, Buffer>;
  /** The compiled program's stdout and stderr. */
  program: { stdout: string; stderr: string };
}

/** Compiles features.kt with the compiler in `jar` into `<work>/<tag>-out`, then runs the program. */
async function compile(jar: string, tag: string): Promise<Compile> {
  const out = join(work, `${tag}-out`);
  const args = ["-no-stdlib", "-no-reflect", "-classpath", STDLIB, "-d", out, PROGRAM];
  const run = await runLogged(work, jar, DEPS, "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler", args, tag, ["-Xverify:all"]);
  const files = filesUnder(out);
  const { stdout, stderr } = await exec(jdkTool("java"), ["-Xverify:all", "-cp", [out, STDLIB].join(delimiter), "FeaturesKt"], { cwd: work, encoding: "utf8" });
  return { run, files, program: { stdout, stderr } };
}

describe("Kotlin compiler split, compiling a program", () => {
  let expected: Promise<Compile>;
  beforeAll(() => {
    expected = compile(KOTLINC, "kotlinc-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [8000, 1024]) {
    it(`at ${maxSize} bytes compiles features.kt to the same class files as the unsplit compiler`, async () => {
      const split = await splitJar(KOTLINC, work, `kotlin-compiler-${maxSize}.jar`, { maxSize, link: "auto", classpath: DEPS });
      console.log(`kotlin-compiler at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.result.diagnostics).toEqual([]);
      expect(splitReportOf(split, "org/jetbrains/kotlin/diagnostics/rendering/DefaultErrorMessages", "<clinit>()V").originalLength).toBe(9190);
      const actual = await compile(split.path, `kotlinc-${maxSize}`);
      const stock = await expected;
      expect(stock.run.stderr).toContain("warning: recursive call is not a tail call");
      expect(stock.run.stderr).toContain("warning: variable 'unused' is never used");
      expect(stock.run.stderr).toContain("warning: no cast needed");
      expectSameOutput(actual.run, stock.run);
      expect(stock.files.has("FeaturesKt.class") && stock.files.has("FeaturesKt$fibonacci$1.class") && stock.files.has("META-INF/main.kotlin_module")).toBe(true);
      expectSameFiles(actual.files, stock.files, "class files");
      expect(stock.program.stdout).toContain("fib [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377] evenFibSum 4613732");
      expect(stock.program.stdout).toContain("suspend result 42 [step1, step2]");
      expect(actual.program).toEqual(stock.program);
      expectSplitClassesLoaded(`kotlin-compiler at ${maxSize}`, split, [actual.run], KOTLIN_LOADS[maxSize]!);
      expectSplitPiecesRan(`kotlin-compiler at ${maxSize}`, split, [actual.run], KOTLIN_RUNS[maxSize]!);
    });
  }
});
