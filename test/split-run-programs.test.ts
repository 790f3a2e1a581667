/**
 * Real programs behave the same after splitting (issue #11 point 4, "run, not only
 * link"): four more Debian corpora are split and then run, with the split jar on the
 * classpath in place of the original, and their output compared byte for byte with
 * the unsplit program's (the oracle; both runs must succeed).
 *
 * - Groovy (groovy-all.jar: the compiler, runtime and the json/xml modules) split
 *   at 1,024 bytes and at 4,096 compiles and runs test/groovy/features.groovy:
 *   classes, closures, GStrings, collections, a sieve and a quicksort, builders,
 *   JSON, and a second script compiled at run time by GroovyShell. Groovy's largest
 *   method is 5,732 bytes, so at the default 8,000 nothing would be split; 4,096 is
 *   the limit that splits the large methods into few pieces.
 * - The ANTLR 4 tool (antlr4.jar: its grammar parsers are ANTLR 3 generated code;
 *   the 35 methods over 8,000 bytes are its Unicode property tables, loaded because
 *   the expression grammar uses \p{...}) split at 1,024 and at 8,000 generates the Java
 *   (with visitors and listeners) and the Python 3 parsers of two grammars written
 *   here (test/antlr: an expression language and JSON); every generated file is
 *   compared with the unsplit tool's.
 * - Jython (jython.jar: the interpreter, its ANTLR 3 generated Python parser and
 *   the precompiled standard library, whose module bodies are its largest methods)
 *   split at 1,024 and at 8,000 runs test/python/features.py: classes, generators,
 *   closures, a small search, decimal, datetime, argparse, minidom, pickle, json,
 *   and source compiled at run time with compile()/exec.
 * - ASM (asm.jar, the core library) split at 1,024 and at 2,048 (it has no method
 *   over 8,000; see ASM_LIMITS) runs test/asm/AsmRewrite.java over every class of
 *   Rhino's jar: ClassReader into ClassWriter(COMPUTE_FRAMES), the result printed
 *   by Textifier and analysed by asm-analysis' SimpleVerifier (the tree, analysis
 *   and util jars stay unsplit); the digests it prints per class are compared.
 *
 * Each jar is split once per limit (with the internal verifier on), and the
 * class-load log of every split run proves that classes holding split methods ran:
 * each program must load the classes pinned for it (*_LOADS: all of those it loaded
 * when measured, or for Jython at 1,024 the ones that matter with the measured
 * count as a floor), and HotSpot's touched-method list shows which split methods'
 * pieces were called (*_RUNS: named methods and the measured count, a little under
 * it as a floor). The JVM runs are asynchronous, so the unsplit runs overlap the
 * splitting. Cost on 2 loaded cores, measured: 80-105 s for the file without ASM
 * at a load average of 10+ (Groovy 1,024: 18 s, 4,096: 4 s; ANTLR 1,024: 15 s,
 * 8,000: 5 s; Jython 1,024: 45 s, 8,000: 15 s), mostly splitting with the verifier
 * on; ASM adds 37-40 s (1,024: 24-26 s, 2,048: 14 s, each mostly the program's
 * run). With ASM, two runs of the file at a load average near 10 took 249 s and 244 s.
 */
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusClasspath, corpusJar } from "./support/corpus.js";
import { compileJava } from "./support/hard-case.js";
import { expectSameFiles, expectSameOutput as expectSameRun, expectSplitClassesLoaded, expectSplitPiecesRan, filesUnder, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-runs-"));
afterAll(() => removeAfterRuns(work));

/** Package groovy installs groovy-all beside groovy.jar (corpus.ts names the latter). */
function groovyAllJar(): string {
  return realpathSync(join(corpusJar("groovy"), "..", "groovy-all.jar"));
}

const runJava = (jar: string, deps: string[], main: string, args: string[], tag: string, jvmArgs: string[] = []) => runLogged(work, jar, deps, main, args, tag, jvmArgs);

/** Split methods whose pieces the script's run calls (touched-method list), measured: 1 of 5 at 4,096 (the XML entity table), 37 of 254 at 1,024. */
const GROOVY_RUNS: Record<number, MustRun> = {
  4096: { atLeast: 1, methods: ["groovy/xml/Entity.<clinit>()V"] },
  1024: {
    atLeast: 33,
    methods: [
      "groovy/xml/Entity.<clinit>()V",
      "groovy/lang/MetaClassImpl.invokeMethod(Ljava/lang/Class;Ljava/lang/Object;Ljava/lang/String;[Ljava/lang/Object;ZZ)Ljava/lang/Object;",
      "org/codehaus/groovy/antlr/AntlrParserPlugin.expressionSwitch(Lgroovyjarjarantlr/collections/AST;)Lorg/codehaus/groovy/ast/expr/Expression;",
      "groovyjarjarasm/asm/MethodWriter.putMethodInfo(Lgroovyjarjarasm/asm/ByteVector;)V",
    ],
  },
};

/**
 * Groovy's classes holding split methods that the script's run loads: at 1,024 all 19
 * measured (the parser and lexer, the static compiler, the meta-class runtime, the
 * shaded ASM writer); at 4,096 only groovy.xml.Entity (whose <clinit> fills the
 * markup builder's entity table) of the 5 holding split methods: the others are the
 * Swing console's and AST browser's and the shaded ASM ClassReader, which compiling
 * and running a script does not use.
 */
const GROOVY_LOADS: Record<number, MustLoad> = {
  1024: {
    atLeast: 19,
    classes: [
      "groovy.grape.GrabAnnotationTransformation",
      "groovy.lang.MetaClassImpl",
      "groovy.xml.Entity",
      "groovy.xml.StreamingMarkupBuilder$_closure6",
      "groovyjarjarasm.asm.ClassWriter",
      "groovyjarjarasm.asm.Frame",
      "groovyjarjarasm.asm.MethodWriter",
      "org.codehaus.groovy.antlr.AntlrParserPlugin",
      "org.codehaus.groovy.antlr.parser.GroovyLexer",
      "org.codehaus.groovy.antlr.parser.GroovyRecognizer",
      "org.codehaus.groovy.classgen.asm.sc.StaticInvocationWriter",
      "org.codehaus.groovy.classgen.asm.sc.StaticTypesCallSiteWriter",
      "org.codehaus.groovy.runtime.ArrayUtil",
      "org.codehaus.groovy.runtime.MetaClassHelper",
      "org.codehaus.groovy.runtime.typehandling.NumberMathModificationInfo",
      "org.codehaus.groovy.syntax.Types",
      "org.codehaus.groovy.transform.sc.transformers.BinaryExpressionTransformer",
      "org.codehaus.groovy.transform.stc.StaticTypeCheckingVisitor",
      "org.codehaus.groovy.transform.trait.TraitComposer",
    ],
  },
  4096: { atLeast: 1, classes: ["groovy.xml.Entity"] },
};

describe("Groovy split, compiling and running a script", () => {
  const SCRIPT = join(__dirname, "groovy", "features.groovy");
  const runGroovy = (jar: string, tag: string) => runJava(jar, corpusClasspath("groovy"), "groovy.ui.GroovyMain", [SCRIPT], tag);
  let expected: Promise<Run>;
  beforeAll(() => {
    expected = runGroovy(groovyAllJar(), "groovy-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 4096]) {
    it(`at ${maxSize} bytes prints the same output as the unsplit Groovy`, async () => {
      const split = await splitJar(groovyAllJar(), work, `groovy-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("groovy") });
      console.log(`groovy-all at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await runGroovy(split.path, `groovy-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toContain("shell: tree size=63 depth=6");
      expectSameRun(actual, stock);
      expectSplitClassesLoaded(`groovy-all at ${maxSize}`, split, [actual], GROOVY_LOADS[maxSize]!);
      expectSplitPiecesRan(`groovy-all at ${maxSize}`, split, [actual], GROOVY_RUNS[maxSize]!);
    });
  }
});

/** Split methods whose pieces the tool's runs call (touched-method list), measured: 35 of 35 at 8,000 (the Unicode tables), 160 of 166 at 1,024. */
const ANTLR_RUNS: Record<number, MustRun> = {
  8000: { atLeast: 35, methods: ["org/antlr/v4/unicode/UnicodeData.addProperty2()V"] },
  1024: {
    atLeast: 150,
    methods: [
      "org/antlr/v4/unicode/UnicodeData.addProperty2()V",
      "org/antlr/v4/parse/ANTLRParser.parserRule()Lorg/antlr/v4/parse/ANTLRParser$parserRule_return;",
      "org/antlr/v4/parse/ANTLRLexer.<clinit>()V",
      "org/antlr/v4/codegen/SourceGenTriggers.atom(Lorg/antlr/v4/tool/ast/GrammarAST;Z)Ljava/util/List;",
    ],
  },
};

/**
 * The tool's classes holding split methods that generating the parsers loads: 12 of
 * 15 at 1,024 (its ANTLR 3 generated grammar lexer, parser and tree walkers, the
 * code generator's triggers, the error table and the Unicode data), and at 8,000 the
 * only one, UnicodeData.
 */
const ANTLR_LOADS: Record<number, MustLoad> = {
  1024: {
    atLeast: 12,
    classes: [
      "org.antlr.v4.codegen.SourceGenTriggers",
      "org.antlr.v4.parse.ANTLRLexer",
      "org.antlr.v4.parse.ANTLRLexer$DFA2",
      "org.antlr.v4.parse.ANTLRLexer$DFA35",
      "org.antlr.v4.parse.ANTLRParser",
      "org.antlr.v4.parse.ATNBuilder",
      "org.antlr.v4.parse.BlockSetTransformer",
      "org.antlr.v4.parse.GrammarTreeVisitor",
      "org.antlr.v4.parse.LeftRecursiveRuleWalker",
      "org.antlr.v4.tool.ErrorType",
      "org.antlr.v4.tool.GrammarTransformPipeline",
      "org.antlr.v4.unicode.UnicodeData",
    ],
  },
  8000: { atLeast: 1, classes: ["org.antlr.v4.unicode.UnicodeData"] },
};

describe("ANTLR 4 tool split, generating parsers", () => {
  const GRAMMARS = ["Expr.g4", "Json.g4"].map((g) => join(__dirname, "antlr", g));
  const TARGETS = [
    ["-visitor", "-listener", "-package", "demo.parse"],
    ["-Dlanguage=Python3", "-visitor"],
  ];

  /** Generates both targets into `<work>/<tag>`; returns the runs and the files. */
  async function generate(jar: string, tag: string): Promise<{ runs: Run[]; files: Map<string, Buffer> }> {
    const out = join(work, tag);
    const runs = await Promise.all(TARGETS.map((t, i) => runJava(jar, corpusClasspath("antlr4"), "org.antlr.v4.Tool", ["-o", join(out, `target${i}`), ...t, ...GRAMMARS], `${tag}-${i}`)));
    return { runs, files: filesUnder(out) };
  }

  let expected: Promise<{ runs: Run[]; files: Map<string, Buffer> }>;
  beforeAll(() => {
    expected = generate(corpusJar("antlr4"), "antlr-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 8000]) {
    it(`at ${maxSize} bytes generates the same files as the unsplit tool`, async () => {
      const split = await splitJar(corpusJar("antlr4"), work, `antlr4-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("antlr4") });
      console.log(`antlr4 at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await generate(split.path, `antlr-${maxSize}`);
      const stock = await expected;
      // Java: lexer, parser, listener, base listener, visitor, base visitor, .tokens x2, .interp x2, per grammar.
      expect([...stock.files.keys()].filter((f) => f.endsWith("ExprParser.java") || f.endsWith("JsonParser.py")).length).toBe(2);
      expectSameFiles(actual.files, stock.files, "generated files");
      actual.runs.forEach((r, i) => expectSameRun(r, stock.runs[i]!));
      expectSplitClassesLoaded(`antlr4 at ${maxSize}`, split, actual.runs, ANTLR_LOADS[maxSize]!);
      expectSplitPiecesRan(`antlr4 at ${maxSize}`, split, actual.runs, ANTLR_RUNS[maxSize]!);
    });
  }
});

/** Split methods whose pieces the script's run calls (touched-method list), measured: 9 of 20 at 8,000, 222 of 1,159 at 1,024. */
const JYTHON_RUNS: Record<number, MustRun> = {
  8000: { atLeast: 9, methods: ["org/python/antlr/PythonParser.<clinit>()V", "decimal$py.<init>(Ljava/lang/String;)V", "pickletools$py.f$0(Lorg/python/core/PyFrame;Lorg/python/core/ThreadState;)Lorg/python/core/PyObject;"] },
  1024: {
    atLeast: 200,
    methods: [
      "org/python/antlr/PythonParser.<clinit>()V",
      "org/python/antlr/PythonParser.expr_stmt()Lorg/python/antlr/PythonParser$expr_stmt_return;",
      "org/python/antlr/PythonLexer.mSTRING()V",
      "_io$py.call_function(ILorg/python/core/PyFrame;Lorg/python/core/ThreadState;)Lorg/python/core/PyObject;",
    ],
  },
};

/**
 * Jython's classes holding split methods that the script's run loads. At 1,024, 85
 * of 349 (measured): the parser, lexer and compiler of Python source, builtins, and
 * the module bodies of the standard library the script imports, named here, with
 * the modules those import. At 8,000, all 8 measured of the 19: the Python parser's
 * tables and the module bodies of decimal, datetime, argparse, locale, pickletools,
 * minidom, and _socket, loaded on the way.
 */
const JYTHON_LOADS: Record<number, MustLoad> = {
  1024: {
    atLeast: 85,
    classes: [
      "org.python.antlr.PythonLexer",
      "org.python.antlr.PythonParser",
      "org.python.compiler.CodeCompiler",
      "org.python.core.__builtin__",
      "org.python.core.StringFormatter",
      "StringIO$py",
      "argparse$py",
      "collections$py",
      "datetime$py",
      "decimal$py",
      "json$py",
      "locale$py",
      "pickle$py",
      "pickletools$py",
      "re$py",
      "xml.dom.minidom$py",
    ],
  },
  8000: {
    atLeast: 8,
    classes: ["_socket$py", "argparse$py", "datetime$py", "decimal$py", "locale$py", "org.python.antlr.PythonParser", "pickletools$py", "xml.dom.minidom$py"],
  },
};

describe("Jython split, running a Python script", () => {
  const SCRIPT = join(__dirname, "python", "features.py");
  // No package cache written under the user's home: both runs start from the same state.
  const runJython = (jar: string, tag: string) => runJava(jar, corpusClasspath("jython"), "org.python.util.jython", [SCRIPT], tag, ["-Dpython.cachedir.skip=true"]);
  let expected: Promise<Run>;
  beforeAll(() => {
    expected = runJython(corpusJar("jython"), "jython-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 8000]) {
    it(`at ${maxSize} bytes prints the same output as the unsplit Jython`, async () => {
      const split = await splitJar(corpusJar("jython"), work, `jython-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("jython") });
      console.log(`jython at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await runJython(split.path, `jython-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toContain("exec: [0, 75025, 12586269025L");
      expectSameRun(actual, stock);
      expectSplitClassesLoaded(`jython at ${maxSize}`, split, [actual], JYTHON_LOADS[maxSize]!);
      expectSplitPiecesRan(`jython at ${maxSize}`, split, [actual], JYTHON_RUNS[maxSize]!);
    });
  }
});

/**
 * ASM has no method over 8,000 bytes (the largest, ClassReader.readCode, is 5,109);
 * 2,048 splits the two over 2 KB (readCode and Frame.execute, 2,305), both run for
 * every method the program reads and every instruction whose frame it computes.
 */
const ASM_LIMITS = [1024, 2048];
/** Split methods whose pieces the rewrite calls (touched-method list), measured: 2 of 2 at 2,048, 8 of 8 at 1,024. */
const ASM_RUNS: Record<number, MustRun> = {
  2048: { atLeast: 2, methods: ["org/objectweb/asm/ClassReader.readCode(Lorg/objectweb/asm/MethodVisitor;Lorg/objectweb/asm/Context;I)V", "org/objectweb/asm/Frame.execute(IILorg/objectweb/asm/Symbol;Lorg/objectweb/asm/SymbolTable;)V"] },
  1024: {
    atLeast: 8,
    methods: [
      "org/objectweb/asm/ClassReader.readCode(Lorg/objectweb/asm/MethodVisitor;Lorg/objectweb/asm/Context;I)V",
      "org/objectweb/asm/Frame.execute(IILorg/objectweb/asm/Symbol;Lorg/objectweb/asm/SymbolTable;)V",
      "org/objectweb/asm/ClassWriter.toByteArray()[B",
      "org/objectweb/asm/MethodWriter.putMethodInfo(Lorg/objectweb/asm/ByteVector;)V",
    ],
  },
};

/** The classes holding split methods at each limit; the program runs every one of those methods. */
const ASM_LOADS: Record<number, MustLoad> = {
  1024: { atLeast: 4, classes: ["org.objectweb.asm.ClassReader", "org.objectweb.asm.ClassWriter", "org.objectweb.asm.Frame", "org.objectweb.asm.MethodWriter"] },
  2048: { atLeast: 2, classes: ["org.objectweb.asm.ClassReader", "org.objectweb.asm.Frame"] },
};
/** The unsplit run's summary: every class of Rhino rewritten and analysed without an objection. */
const ASM_SUMMARY = /^549 classes, 2800522 bytes read, \d+ bytes written, 0 failed, 0 methods the analysis objected to$/m;

describe("ASM split, rewriting and analysing Rhino's classes", () => {
  const PROGRAM = join(__dirname, "asm", "AsmRewrite.java");
  /** The rest of ASM (tree, analysis, util), unsplit: the program's other libraries. */
  const tools = () => ["asm-tree.jar", "asm-analysis.jar", "asm-util.jar"].map((j) => realpathSync(join(corpusJar("asm"), "..", j)));
  const classes = join(work, "asm-program");
  const runAsm = (jar: string, tag: string) => runJava(jar, [...tools(), classes], "AsmRewrite", [corpusJar("rhino")], tag);
  let expected: Promise<Run>;
  beforeAll(() => {
    compileJava([PROGRAM], classes, [corpusJar("asm"), ...tools()]);
    expected = runAsm(corpusJar("asm"), "asm-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of ASM_LIMITS) {
    it(`at ${maxSize} bytes prints the same classes, text and frames as the unsplit ASM`, async () => {
      const split = await splitJar(corpusJar("asm"), work, `asm-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("asm") });
      console.log(`asm at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      const actual = await runAsm(split.path, `asm-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toMatch(ASM_SUMMARY);
      expectSameRun(actual, stock);
      expectSplitClassesLoaded(`asm at ${maxSize}`, split, [actual], ASM_LOADS[maxSize]!);
      expectSplitPiecesRan(`asm at ${maxSize}`, split, [actual], ASM_RUNS[maxSize]!);
    });
  }
});
