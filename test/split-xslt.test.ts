/**
 * XSLT processors split and run (Debian packages `libxalan2-java`, 2.7.2, and
 * `libsaxonhe-java`, 9.9): Xalan's XSLTC compiles a stylesheet to bytecode with a
 * CUP-generated XPath parser whose action method is 15,854 bytes
 * (`XPathParser$CUP$XPathParser$actions.CUP$XPathParser$do_action_part00000000`,
 * run once per reduction), and it bundles BCEL (whose `Const.<clinit>` is 9,121
 * bytes); Saxon-HE is the other processor, with 10 KB of number-formatting tables.
 *
 * Each jar is split at 8,000 and at 1,024 bytes with the internal verifier on; no
 * method may be refused. test/xslt/report.xsl (keys, grouping, sorting, predicates,
 * string and number functions) is applied to a generated list of 200 items by XSLTC,
 * by Xalan's interpreter and by Saxon, each on its split jar under -Xverify:all, and
 * each must print byte for byte what the unsplit jar prints (the oracle); the
 * class-load logs show what ran from the split jars (measured: at 8,000, XSLTC
 * loads all 3 classes holding split methods and Saxon its one; the interpreter,
 * which loads none of XSLTC's, runs only at 1,024; at 1,024, 15, 6 and 45), and the
 * touched-method lists which split methods' pieces were called. Cost: about 15 s.
 */
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSameOutput, expectSplitClassesLoaded, expectSplitPiecesRan, type MustLoad, type MustRun, removeAfterRuns, type Run, runLogged } from "./support/program-run.js";
import { refusalLines, splitJar } from "./support/split-jar.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-xslt-"));
afterAll(() => removeAfterRuns(work));

const STYLESHEET = join(here, "xslt", "report.xsl");
/** Installed by scripts/setup.sh. */
const XALAN = realpathSync("/usr/share/java/xalan2.jar");
const SERIALIZER = realpathSync("/usr/share/java/serializer.jar");
const SAXON = realpathSync("/usr/share/java/Saxon-HE.jar");

/** 200 items with names, kinds and numbers from a fixed linear congruential sequence. */
function itemsXml(): string {
  let x = 12345;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const lines = ["<items>"];
  for (let i = 0; i < 200; i++) lines.push(`  <item name="n${i}-${["ab", "abcdef", "x"][next(3)]}" kind="${"abcde"[next(5)]}" n="${next(501)}"/>`);
  lines.push("</items>", "");
  return lines.join("\n");
}

interface Processor {
  name: string;
  jar: string;
  deps: string[];
  /** Main class and arguments, writing the result to `out`. */
  command(input: string, out: string): { main: string; args: string[] };
  /** Per limit run: classes holding split methods the run must load (a limit whose split classes the run never loads is not run). */
  loads: Record<number, MustLoad>;
  /** Per limit run: split methods whose pieces the run must call (`class.name(descriptor)`), measured. */
  runs: Record<number, MustRun>;
}

/** XSLTC's XPath parser's action method (15,854 bytes, CUP-generated). */
const CUP_ACTIONS = "org/apache/xalan/xsltc/compiler/XPathParser$CUP$XPathParser$actions.CUP$XPathParser$do_action_part00000000(ILjava_cup/runtime/lr_parser;Ljava/util/Stack;I)Ljava_cup/runtime/Symbol;";

const PROCESSORS: Processor[] = [
  {
    name: "Xalan XSLTC",
    jar: XALAN,
    deps: [SERIALIZER],
    command: (input, out) => ({ main: "org.apache.xalan.xslt.Process", args: ["-XSLTC", "-in", input, "-xsl", STYLESHEET, "-out", out] }),
    loads: { 8000: { atLeast: 3, classes: ["org.apache.xalan.xsltc.compiler.XPathParser$CUP$XPathParser$actions", "org.apache.bcel.Const"] }, 1024: { atLeast: 13, classes: ["org.apache.xalan.xsltc.compiler.XPathParser$CUP$XPathParser$actions"] } },
    // 2 of 3 at 8,000 (the XPath parser's action method, BCEL's opcode tables); 11 of 107 at 1,024.
    runs: {
      8000: { atLeast: 2, methods: [CUP_ACTIONS, "org/apache/bcel/Const.<clinit>()V"] },
      1024: {
        atLeast: 10,
        methods: [
          CUP_ACTIONS,
          "org/apache/xalan/xsltc/compiler/XPathLexer.next_token()Ljava_cup/runtime/Symbol;",
          "org/apache/xalan/xsltc/compiler/Parser.initSymbolTable()V",
          "org/apache/xalan/xsltc/compiler/Mode.compileApplyTemplates(Lorg/apache/xalan/xsltc/compiler/util/ClassGenerator;)V",
        ],
      },
    },
  },
  {
    name: "Xalan interpreter",
    jar: XALAN,
    deps: [SERIALIZER],
    command: (input, out) => ({ main: "org.apache.xalan.xslt.Process", args: ["-in", input, "-xsl", STYLESHEET, "-out", out] }),
    // Only at 1,024: at 8,000 the jar's split methods are XSLTC's and BCEL's, which the interpreter never loads.
    loads: { 1024: { atLeast: 5, classes: [] } },
    // 5 of 107.
    runs: {
      1024: {
        atLeast: 5,
        methods: [
          "org/apache/xalan/processor/XSLTSchema.build()V",
          "org/apache/xalan/templates/ElemNumber.getFormattedNumber(Lorg/apache/xalan/transformer/TransformerImpl;ICIJLorg/apache/xml/utils/FastStringBuffer;)V",
          "org/apache/xpath/compiler/Lexer.tokenize(Ljava/lang/String;Ljava/util/Vector;)V",
        ],
      },
    },
  },
  {
    name: "Saxon-HE",
    jar: SAXON,
    deps: [],
    command: (input, out) => ({ main: "net.sf.saxon.Transform", args: [`-s:${input}`, `-xsl:${STYLESHEET}`, `-o:${out}`] }),
    // xsl:number with Arabic-Indic digits loads the tables of the one method over 8,000 bytes.
    loads: { 8000: { atLeast: 1, classes: ["net.sf.saxon.expr.number.Alphanumeric"] }, 1024: { atLeast: 38, classes: ["net.sf.saxon.expr.number.Alphanumeric"] } },
    // 1 of 1 at 8,000; 29 of 69 at 1,024.
    runs: {
      8000: { atLeast: 1, methods: ["net/sf/saxon/expr/number/Alphanumeric.<clinit>()V"] },
      1024: {
        atLeast: 26,
        methods: [
          "net/sf/saxon/expr/number/Alphanumeric.<clinit>()V",
          "net/sf/saxon/expr/parser/XPathParser.parseBasicStep(Z)Lnet/sf/saxon/expr/Expression;",
          "net/sf/saxon/expr/parser/Tokenizer.lookAhead()V",
          "net/sf/saxon/om/StandardNames.<clinit>()V",
          "net/sf/saxon/type/TypeHierarchy.computeRelationship(Lnet/sf/saxon/type/ItemType;Lnet/sf/saxon/type/ItemType;)I",
        ],
      },
    },
  },
];

describe("XSLT processors split, transforming a document", () => {
  const input = join(work, "items.xml");
  beforeAll(() => writeFileSync(input, itemsXml()));
  const transform = async (p: Processor, jar: string, tag: string): Promise<Run & { result: string }> => {
    const out = join(work, `${tag}.txt`);
    const { main, args } = p.command(input, out);
    const run = await runLogged(work, jar, p.deps, main, args, tag, ["-Xverify:all"]);
    return { ...run, result: readFileSync(out, "utf8") };
  };
  const splits = new Map<string, ReturnType<typeof splitJar>>();
  const splitOnce = (jar: string, maxSize: number) => {
    const key = `${jar}@${maxSize}`;
    if (!splits.has(key)) splits.set(key, splitJar(jar, work, `${key.replace(/\W+/g, "-")}.jar`, { maxSize, link: "auto", classpath: jar === XALAN ? [SERIALIZER] : [] }));
    return splits.get(key)!;
  };

  for (const p of PROCESSORS) {
    for (const maxSize of [8000, 1024].filter((m) => p.loads[m])) {
      it(`${p.name} at ${maxSize} bytes writes the same result as unsplit`, async () => {
        const tag = `${p.name.replace(/\W+/g, "-")}-${maxSize}`;
        const [stock, split] = await Promise.all([transform(p, p.jar, `${tag}-stock`), splitOnce(p.jar, maxSize)]);
        console.log(`${p.name} at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
        expect(refusalLines(split)).toEqual([]);
        expect(split.split).toBeGreaterThan(0);
        expect(stock.result).toContain("items: 200");
        const actual = await transform(p, split.path, tag);
        expect(actual.result).toBe(stock.result);
        expectSameOutput(actual, stock);
        expectSplitClassesLoaded(`${p.name} at ${maxSize}`, split, [actual], p.loads[maxSize]!);
        expectSplitPiecesRan(`${p.name} at ${maxSize}`, split, [actual], p.runs[maxSize]!);
      });
    }
  }
});
