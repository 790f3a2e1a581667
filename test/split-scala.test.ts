/**
 * Scala, split and run (Debian package `scala`, 2.11.12: the compiler, its
 * reflection library and the standard library, as scalac compiled them). The
 * compiler is a large real program nobody here wrote, with its own methods over
 * the JIT limit: the bytecode reader of its optimiser
 * (`ICodeReader.parseInstruction$1`, 12,317 bytes), scaladoc's page template
 * constructor (`Template.<init>`, 9,253 bytes) and its embedded JLine's terminal
 * table (`InfoCmp.<clinit>`, 12,450 bytes).
 *
 * scala-compiler.jar is split at 8,000 bytes (those three) and at 1,024 (about
 * 130 methods), and at 1,024 scala-reflect.jar and scala-library.jar too, with the
 * internal verifier on; no method may be refused (the compiler's dependencies are
 * given as its classpath). Then, under -Xverify:all, the split compiler compiles
 * test/scala/features.scala with `-optimise` (the inliner reads the library's
 * class files through the split `ICodeReader`) and scaladoc documents it (the
 * split `Template.<init>` writes its pages). The oracle is the unsplit compiler:
 * the same messages, every class file and every page byte for byte the same (both
 * are deterministic: checked by running the unsplit compiler twice), and the
 * compiled program, run on the split standard library, prints what it prints on
 * the unsplit one. The class-load logs show the classes holding split methods
 * loaded, and HotSpot's touched-method lists that the pieces of split methods
 * were called (both methods over 8,000 that a compile reaches). Cost: about 75 s on two cores (four splits; eight compiler runs of 6-15 s
 * under -Xverify:all, two at a time (scalac and scaladoc), two of them the
 * determinism check).
 */
import { mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameFiles, expectSameOutput, expectSplitClassesLoaded, expectSplitPiecesRan, filesUnder, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar, splitReportOf, type SplitJarResult } from "./support/split-jar.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-scala-"));
afterAll(() => removeAfterRuns(work));

/** Installed by scripts/setup.sh (package scala and the modules it depends on). */
const jar = (name: string) => realpathSync(`/usr/share/java/${name}.jar`);
const COMPILER = jar("scala-compiler");
const REFLECT = jar("scala-reflect");
const LIBRARY = jar("scala-library");
const XML = jar("scala-xml_2.11");
const PARSERS = jar("scala-parser-combinators_2.11");
const SOURCE = join(here, "scala", "features.scala");
/** The compiled program's classpath, for scalac and for running it: always the unsplit jars (the inliner copies their code). */
const PROGRAM_CP = [LIBRARY, XML].join(":");

/**
 * Classes holding split methods the compile and scaladoc load, measured: at 8,000
 * the reader and the page template (not the JLine table: no console); at 1,024,
 * 69 of the three jars' 134 (the typer, implicit search, erasure, the optimiser's
 * inliner and the bytecode writer; the unpickler; the library's numeric ranges).
 */
const SCALA_LOADS: Record<number, MustLoad> = {
  8000: { atLeast: 2, classes: ["scala.tools.nsc.symtab.classfile.ICodeReader", "scala.tools.nsc.doc.html.page.Template"] },
  1024: {
    atLeast: 60,
    classes: [
      "scala.tools.nsc.symtab.classfile.ICodeReader",
      "scala.tools.nsc.doc.html.page.Template",
      "scala.tools.nsc.typechecker.Typers$Typer",
      "scala.tools.nsc.typechecker.Implicits$ImplicitSearch",
      "scala.tools.nsc.transform.Erasure$Eraser",
      "scala.tools.nsc.backend.opt.Inliners$Inliner",
      "scala.tools.nsc.backend.jvm.GenASM$JPlainBuilder",
      "scala.tools.asm.MethodWriter",
      "scala.reflect.internal.pickling.UnPickler$Scan",
      "scala.reflect.internal.TreeGen",
      "scala.collection.immutable.NumericRange$",
    ],
  },
};

interface CompilerRun {
  compile: Run;
  doc: Run;
  classes: string;
  pages: string;
}

/**
 * Split methods whose pieces the compile, scaladoc and the compiled program call
 * (HotSpot's touched-method list; the program adds none), measured: at 8,000 the
 * reader's and the page template's; at 1,024, 84 of the three jars' 189 (the typer,
 * erasure, the inliner, the bytecode writers, the printer).
 */
const SCALA_RUNS: Record<number, MustRun> = {
  8000: {
    atLeast: 2,
    methods: [
      "scala/tools/nsc/symtab/classfile/ICodeReader.parseInstruction$1(ILscala/tools/nsc/symtab/classfile/ICodeReader$LinearCode;)V",
      "scala/tools/nsc/doc/html/page/Template.<init>(Lscala/tools/nsc/doc/Universe;Lscala/tools/nsc/doc/html/page/diagram/DiagramGenerator;Lscala/tools/nsc/doc/model/DocTemplateEntity;)V",
    ],
  },
  1024: {
    atLeast: 75,
    methods: [
      "scala/tools/nsc/symtab/classfile/ICodeReader.parseInstruction$1(ILscala/tools/nsc/symtab/classfile/ICodeReader$LinearCode;)V",
      "scala/tools/nsc/doc/html/page/Template.<init>(Lscala/tools/nsc/doc/Universe;Lscala/tools/nsc/doc/html/page/diagram/DiagramGenerator;Lscala/tools/nsc/doc/model/DocTemplateEntity;)V",
      "scala/tools/nsc/typechecker/Typers$Typer.typedDefDef(Lscala/reflect/internal/Trees$DefDef;)Lscala/reflect/internal/Trees$DefDef;",
      "scala/tools/nsc/transform/Erasure$Eraser.adaptMember(Lscala/reflect/internal/Trees$Tree;)Lscala/reflect/internal/Trees$Tree;",
      "scala/tools/nsc/backend/opt/Inliners$Inliner.analyzeMethod(Lscala/tools/nsc/backend/icode/Members$IMethod;)V",
      "scala/tools/nsc/backend/jvm/GenASM$JPlainBuilder.genMethod(Lscala/tools/nsc/backend/icode/Members$IMethod;Z)V",
      "scala/tools/asm/MethodWriter.visitMaxs(II)V",
      "scala/reflect/internal/Printers$TreePrinter.printTree(Lscala/reflect/internal/Trees$Tree;)V",
    ],
  },
};

/** The compiler's own jars, split or not. */
interface CompilerJars {
  compiler: string;
  reflect: string;
  library: string;
}
const STOCK: CompilerJars = { compiler: COMPILER, reflect: REFLECT, library: LIBRARY };

/** scalac -optimise and scaladoc on features.scala, run on `jars` (and the unsplit XML and parser modules). */
async function runCompiler(own: CompilerJars, tag: string): Promise<CompilerRun> {
  const classes = join(work, `${tag}-classes`);
  const pages = join(work, `${tag}-doc`);
  mkdirSync(classes);
  mkdirSync(pages);
  const jars = [own.compiler, own.reflect, own.library];
  const deps = [XML, PARSERS];
  const jvm = ["-Xverify:all"];
  const [compile, doc] = await Promise.all([
    runLogged(work, jars, deps, "scala.tools.nsc.Main", ["-optimise", "-classpath", PROGRAM_CP, "-d", classes, SOURCE], `${tag}-scalac`, jvm),
    runLogged(work, jars, deps, "scala.tools.nsc.ScalaDoc", ["-classpath", PROGRAM_CP, "-d", pages, SOURCE], `${tag}-scaladoc`, jvm),
  ]);
  return { compile, doc, classes, pages };
}

describe("Scala compiler split, compiling and documenting a program", () => {
  let stock: Promise<CompilerRun>;
  beforeAll(() => {
    stock = runCompiler(STOCK, "stock");
    stock.catch(() => undefined);
  });

  it("the unsplit compiler is deterministic (the oracle can be compared byte for byte)", async () => {
    // After the first: two compiler JVMs at a time, not four.
    const first = await stock;
    const again = await runCompiler(STOCK, "stock-again");
    expect(expectSameFiles(filesUnder(again.classes), filesUnder(first.classes), "classes")).toBeGreaterThan(60);
    expect(expectSameFiles(filesUnder(again.pages), filesUnder(first.pages), "scaladoc")).toBeGreaterThan(50);
  });

  for (const maxSize of [8000, 1024]) {
    it(`at ${maxSize} bytes writes the same classes and pages as the unsplit compiler, and the program runs the same`, async () => {
      const classpath = [REFLECT, LIBRARY, XML, PARSERS];
      const splits: SplitJarResult[] = [await splitJar(COMPILER, work, `scala-compiler-${maxSize}.jar`, { maxSize, link: "auto", classpath })];
      if (maxSize === 1024) {
        splits.push(await splitJar(REFLECT, work, `scala-reflect-${maxSize}.jar`, { maxSize, link: "auto", classpath: [LIBRARY] }));
        splits.push(await splitJar(LIBRARY, work, `scala-library-${maxSize}.jar`, { maxSize, link: "auto" }));
      }
      for (const s of splits) {
        console.log(`${s.path}: ${s.split} methods split into ${s.pieces} pieces, ${s.refused} refused`, refusalLines(s));
        expect(refusalLines(s)).toEqual([]);
      }
      const [compiler, reflect, library] = splits;
      expect(splitReportOf(compiler!, "scala/tools/nsc/symtab/classfile/ICodeReader", "parseInstruction$1(ILscala/tools/nsc/symtab/classfile/ICodeReader$LinearCode;)V").originalLength).toBe(12317);
      expect(splitReportOf(compiler!, "scala/tools/nsc/doc/html/page/Template", "<init>(Lscala/tools/nsc/doc/Universe;Lscala/tools/nsc/doc/html/page/diagram/DiagramGenerator;Lscala/tools/nsc/doc/model/DocTemplateEntity;)V").originalLength).toBe(9253);

      const actual = await runCompiler({ compiler: compiler!.path, reflect: reflect?.path ?? REFLECT, library: library?.path ?? LIBRARY }, `split-${maxSize}`);
      const expected = await stock;
      expectSameOutput(actual.compile, expected.compile);
      expectSameOutput(actual.doc, expected.doc);
      expect(expectSameFiles(filesUnder(actual.classes), filesUnder(expected.classes), "classes")).toBeGreaterThan(60);
      expect(expectSameFiles(filesUnder(actual.pages), filesUnder(expected.pages), "scaladoc")).toBeGreaterThan(50);

      // The program the split compiler wrote, on the split standard library at 1,024 (the unsplit at 8,000: nothing of it is split).
      const [ran, ranStock] = await Promise.all([
        runLogged(work, library?.path ?? LIBRARY, [actual.classes, XML], "features.Main", [], `program-${maxSize}`, ["-Xverify:all"]),
        runLogged(work, LIBRARY, [expected.classes, XML], "features.Main", [], `program-stock-${maxSize}`),
      ]);
      expect(ranStock.stdout).toContain("List(2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)");
      expectSameOutput(ran, ranStock);

      const merged: SplitJarResult = { ...compiler!, result: { ...compiler!.result, reports: splits.flatMap((s) => s.result.reports) } };
      expectSplitClassesLoaded(`scala at ${maxSize}`, merged, [actual.compile, actual.doc, ran], SCALA_LOADS[maxSize]!);
      expectSplitPiecesRan(`scala at ${maxSize}`, merged, [actual.compile, actual.doc, ran], SCALA_RUNS[maxSize]!);
    });
  }
});
