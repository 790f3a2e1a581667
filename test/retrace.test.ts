/**
 * Retrace (runtime/retrace, `megasplit retrace`): the table of cases in
 * test/retrace-cases (R8's documented examples and megasplit mappings) through the
 * library and the CLI; mapping errors; combining mapping files; streaming a large
 * input; and ProGuard's ReTrace reading a mapping that `megasplit split` wrote.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBundle } from "../src/bundle/read.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { MegasplitError } from "../src/diagnostics.js";
import { MappingIndex, parseJson, readMapping, retraceLines, retraceStream, retraceText, Retracer } from "../runtime/retrace/index.js";
import { runCli } from "./support/cli.js";

const casesDir = join(import.meta.dirname, "retrace-cases");

interface Case {
  name: string;
  mapping: string;
  input: string;
  expected: string;
  verbose?: string;
}

function readCase(name: string): Case {
  const sections = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of readFileSync(join(casesDir, name), "utf8").split("\n")) {
    const m = /^=== (.*)$/.exec(line);
    if (m) sections.set(m[1]!, (cur = []));
    else cur?.push(line);
  }
  const text = (k: string) => {
    const lines = sections.get(k);
    if (!lines) return undefined;
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.join("\n") + "\n";
  };
  const c: Case = { name, mapping: text("mapping")!, input: text("input")!, expected: text("expected")! };
  const v = text("expected --verbose");
  if (v !== undefined) c.verbose = v;
  return c;
}

const cases = readdirSync(casesDir).filter((f) => f.endsWith(".txt")).sort().map(readCase);
const indexOf = (mapping: string) => new MappingIndex([readMapping(mapping).mapping]);

describe("retrace cases (test/retrace-cases)", () => {
  it("has the R8 documentation examples and megasplit mappings", () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(["r8-outline.txt", "r8-rewrite-frame.txt", "r8-synthesized-inline.txt", "r8-source-file.txt", "r8-catch-all-range.txt", "megasplit-today.txt", "megasplit-outline.txt", "megasplit-spans.txt", "megasplit-more-outline-chain.txt", "megasplit-more-suppressed.txt", "megasplit-more-cause-of-cause.txt"]));
  });
  for (const c of cases) {
    it(c.name, () => {
      const index = indexOf(c.mapping);
      expect(retraceText(index, c.input)).toBe(c.expected);
      if (c.verbose !== undefined) expect(retraceText(index, c.input, { verbose: true })).toBe(c.verbose);
    });
  }
  it("the CLI gives the same output, from a file and from standard input", () => {
    const dir = mkdtempSync(join(tmpdir(), "retrace-cli-"));
    for (const c of cases) {
      writeFileSync(join(dir, "m.txt"), c.mapping);
      writeFileSync(join(dir, "t.txt"), c.input);
      const r = runCli(["retrace", join(dir, "m.txt"), join(dir, "t.txt")]);
      expect(r.stderr, c.name).toBe("");
      expect(r.stdout, c.name).toBe(c.expected);
      if (c.verbose !== undefined) expect(runCli(["retrace", "--verbose", join(dir, "m.txt"), join(dir, "t.txt")]).stdout, c.name).toBe(c.verbose);
    }
    const c = cases.find((x) => x.name === "megasplit-today.txt")!;
    writeFileSync(join(dir, "m.txt"), c.mapping);
    const root = join(import.meta.dirname, "..");
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "retrace", join(dir, "m.txt")], { cwd: root, input: c.input, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(c.expected);
  });
});

describe("mapping reader", () => {
  it("reads today's split mapping: at Foo.run$split$3(Foo.java:57) -> at Foo.run(Foo.java:57)", () => {
    const index = indexOf(['# {"id":"com.android.tools.r8.mapping","version":"2.2"}', "Foo -> Foo:", '# {"id":"sourceFile","fileName":"Foo.java"}', "    57:57:int run(int):57:57 -> run$split$3", ""].join("\n"));
    expect(new Retracer(index).retraceLine("\tat Foo.run$split$3(Foo.java:57)")).toEqual(["\tat Foo.run(Foo.java:57)"]);
  });
  it("reports malformed lines and JSON as E_MAPPING_SYNTAX with the line", () => {
    const bad: [string, RegExp][] = [
      ["a -> b:\n  1:void m() -> c\n", /two numbers/],
      ["a -> b:\n  void m( -> c\n", /member line/],
      ['a -> b:\n# {"id":"sourceFile","fileName":"A.java"\n', /bad JSON/],
      ['a -> b:\n# {"id":"sourceFile","fileName":"A.java",}\n', /bad JSON/],
      ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}\na -> b:\n  void m() -> c\n  # {"id":"com.android.tools.r8.outlineCallsite","positions":{"x":1},"outline":"La;c()V"}\n', /position 'x'/],
      ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}\na -> b:\n  void m() -> c\n  # {"id":"com.android.tools.r8.outlineCallsite","positions":{"1":2}}\n', /needs 'outline'/],
      ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}\na -> b:\n# {"id":"com.android.tools.r8.outline"}\n', /directly below a method line/],
      ["  void m() -> c\n", /outside a class/],
      ["a b c\n", /class line/],
    ];
    for (const [text, message] of bad) {
      let err: unknown;
      try {
        readMapping(text, { source: "m.txt" });
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(MegasplitError);
      const d = (err as MegasplitError).diagnostic;
      expect(d.code).toBe("E_MAPPING_SYNTAX");
      expect(d.message).toMatch(message);
      expect(d.location.bundle).toBe("m.txt");
      expect(d.location.line).toBe(text.split("\n").length - 1);
    }
  });
  it("strict JSON mode rejects R8's documented single-quote spelling, which the default accepts", () => {
    expect(parseJson("{'id':'x', a: [1, 2.5e3, true, null, \"\\u0041\"]}", "r8")).toEqual({ id: "x", a: [1, 2500, true, null, "A"] });
    expect(() => parseJson("{'id':'x'}", "strict")).toThrow(/expected a string|expected a key/);
    expect(() => readMapping("a -> b:\n# {'id':'sourceFile','fileName':'A.java'}\n", { json: "strict" })).toThrow(/E_MAPPING_SYNTAX/);
    expect(() => parseJson('{"a":1} x')).toThrow(/end of JSON/);
  });
  it("warns about a mapping version it does not know", () => {
    const r = readMapping('# {"id":"com.android.tools.r8.mapping","version":"3.0"}\na -> b:\n');
    expect(r.warnings.map((w) => w.code)).toEqual(["W_MAPPING_VERSION"]);
  });
  it("the CLI reports a bad mapping with its code, file and line and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "retrace-bad-"));
    writeFileSync(join(dir, "bad.map"), "a -> b:\n    int x(\n");
    writeFileSync(join(dir, "t.txt"), "\tat b.x(B.java:1)\n");
    const r = runCli(["retrace", join(dir, "bad.map"), join(dir, "t.txt")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error E_MAPPING_SYNTAX: expected a member line`);
    expect(r.stderr).toContain(`${join(dir, "bad.map")}, line 2`);
  });
});

describe("combining mapping files", () => {
  const jarA = ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}', "a.A -> a.A:", '# {"id":"sourceFile","fileName":"A.java"}', "    5:9:void f():5:9 -> f$split$1", ""].join("\n");
  const jarB = ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}', "b.B -> b.B:", '# {"id":"sourceFile","fileName":"B.java"}', "    1:2:void g():1:2 -> g$split$1", "a.A -> a.A:", "    20:30:void h(int):20:30 -> h$split$1", ""].join("\n");
  const trace = "java.lang.Error\n\tat b.B.g$split$1(B.java:2)\n\tat a.A.h$split$1(A.java:25)\n\tat a.A.f$split$1(A.java:6)\n";
  const expected = "java.lang.Error\n\tat b.B.g(B.java:2)\n\tat a.A.h(A.java:25)\n\tat a.A.f(A.java:6)\n";
  it("later files add classes and members; a class mapped twice merges", () => {
    const index = new MappingIndex([readMapping(jarA).mapping, readMapping(jarB).mapping]);
    expect(index.classCount).toBe(2);
    expect(retraceText(index, trace)).toBe(expected);
    // Each file alone retraces only its own part.
    expect(retraceText(indexOf(jarA), trace)).toContain("a.A.h$split$1(A.java:25)");
  });
  it("the CLI takes more mapping files with -m, and concatenated files read the same", () => {
    const dir = mkdtempSync(join(tmpdir(), "retrace-combine-"));
    writeFileSync(join(dir, "a.map"), jarA);
    writeFileSync(join(dir, "b.map"), jarB);
    writeFileSync(join(dir, "ab.map"), jarA + jarB);
    writeFileSync(join(dir, "t.txt"), trace);
    expect(runCli(["retrace", join(dir, "a.map"), "-m", join(dir, "b.map"), join(dir, "t.txt")]).stdout).toBe(expected);
    expect(runCli(["retrace", join(dir, "ab.map"), join(dir, "t.txt")]).stdout).toBe(expected);
  });
});

describe("streaming", () => {
  const outlined = [
    '# {"id":"com.android.tools.r8.mapping","version":"2.2"}',
    "Foo -> Foo:",
    '# {"id":"sourceFile","fileName":"Foo.java"}',
    "    50:60:int run(int):50:60 -> run$split$1",
    '    # {"id":"com.android.tools.r8.outline"}',
    "    50:60:int run(int):50:60 -> run",
    "    1000:1000:int run(int):11:11 -> run",
    '    # {"id":"com.android.tools.r8.outlineCallsite","positions":{},"outline":"LFoo;run$split$1(I)I"}',
    "",
  ].join("\n");
  const streamed = async (index: MappingIndex, text: string, chunks: string[]): Promise<string> => {
    const input = new PassThrough();
    const output = new PassThrough();
    const got: string[] = [];
    output.on("data", (c: Buffer) => got.push(c.toString("utf8")));
    const done = retraceStream(index, input, output);
    for (const c of chunks) input.write(c);
    input.end();
    await done;
    expect(chunks.join("")).toBe(text);
    return got.join("");
  };

  it("keeps each line's end, and none after an unterminated last line, also for lines held at the end", async () => {
    const index = indexOf(outlined);
    const cases: [string, string][] = [
      // A piece frame, then a held line, at the end of the input.
      ["E: x\n\tat Foo.run$split$1(Foo.java:57)\n\tat script(bad.js:1)", "E: x\n\tat script(bad.js:1)"],
      ["E: x\r\n\tat Foo.run$split$1(Foo.java:57)\r\n\tat script(bad.js:1)\r\n", "E: x\r\n\tat script(bad.js:1)\r\n"],
      ["E: x\n\tat Foo.run$split$1(Foo.java:57)\n\tat script(bad.js:1)\n\tat Foo.run(Foo.java:1000)", "E: x\n\tat Foo.run(Foo.java:57)\n\tat script(bad.js:1)"],
    ];
    for (const [text, expected] of cases) {
      expect(retraceText(index, text)).toBe(expected);
      expect(await streamed(index, text, [text.slice(0, 7), text.slice(7)])).toBe(expected);
    }
  });

  it("writes what a chunk gives before the next chunk arrives (a live pipe)", async () => {
    const index = indexOf(outlined);
    const input = new PassThrough();
    const output = new PassThrough();
    const got: string[] = [];
    output.on("data", (c: Buffer) => got.push(c.toString("utf8")));
    const done = retraceStream(index, input, output);
    input.write("E: x\n\tat Foo.run$split$1(Foo.java:57)\n\tat Foo.run(Foo.java:1000)\n");
    await new Promise((r) => setTimeout(r, 50));
    expect(got.join("")).toBe("E: x\n\tat Foo.run(Foo.java:57)\n");
    input.end();
    await done;
  });

  const mapping = ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}', "Foo -> Foo:", '# {"id":"sourceFile","fileName":"Foo.java"}', "    1:60000:int run(int):1:60000 -> run$split$1", ""].join("\n");
  it("a large input streams through in chunks and equals the whole-text result", async () => {
    const index = indexOf(mapping);
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      if (i % 10 === 0) lines.push(i % 20 === 0 ? "java.lang.IllegalStateException: x" + i : "Caused by: java.lang.Error");
      else if (i % 10 === 9) lines.push(`log line ${i} with no frame`);
      else lines.push(`\tat Foo.run$split$1(Foo.java:${(i % 60000) + 1})`);
    }
    const text = lines.join("\n") + "\n";
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
    const done = retraceStream(index, input, output);
    // Odd-sized chunks split lines (and would split multi-byte characters) anywhere.
    const bytes = Buffer.from(text);
    for (let o = 0; o < bytes.length; o += 8191) input.write(bytes.subarray(o, o + 8191));
    input.end();
    const stats = await done;
    const out = chunks.join("");
    expect(stats.linesIn).toBe(200_000);
    expect(out).toBe(retraceText(index, text));
    expect(out).toContain("\tat Foo.run(Foo.java:2)\n");
    expect(out).not.toContain("$split$");
    const viaIterator: string[] = [];
    for await (const l of retraceLines(index, lines.slice(0, 30))) viaIterator.push(l);
    expect(viaIterator.join("\n") + "\n").toBe(retraceText(index, lines.slice(0, 30).join("\n") + "\n"));
  });
});

const retraceJar = "/usr/share/java/retrace.jar";
const rhino = "/usr/share/java/rhino.jar";

describe("ProGuard ReTrace reads the mapping megasplit split writes", () => {
  it("names the original method and line of a piece frame of split Rhino (it cannot remove frames)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retrace-proguard-"));
    const split = runCli(["split", rhino, "-o", join(dir, "out.jar"), "--max-size", "1024"]);
    expect(split.status, split.stderr).toBe(0);
    const mappingText = readFileSync(join(dir, "out.jar.mapping"), "utf8");
    // A call site into a first piece, e.g.
    //   4522:4522:int stackChange(int):0:0 -> stackChange
    //   # {"id":"com.android.tools.r8.outlineCallsite","positions":{},"outline":"L...;stackChange$split$1(I[I)I"}
    const m = /^(\S+) -> \S+:\n(?:#.*\n)?(?: {4}.*\n)*? {4}(\d+):\d+:(\S+) (\w+)\([^)]*\):0:0 -> \4\n {4}# (\{"id":"com\.android\.tools\.r8\.outlineCallsite".*\})$/m.exec(mappingText);
    expect(m).not.toBeNull();
    const [, cls, callLine, , method, json] = m!;
    const info = JSON.parse(json!) as { positions: Record<string, number>; outline: string };
    expect(info.positions).toEqual({});
    const [, pieceClass, piece] = /^L(\S+?);(\S+?)\(/.exec(info.outline)!;
    expect(pieceClass!.replace(/\//g, ".")).toBe(cls);
    // A line the piece's own code carries (its LineNumberTable in the split jar) in the
    // range the mapping gives it (the method's lines; its call sites' lines are above).
    const range = new RegExp(`^ {4}(\\d+):(\\d+):\\S+ \\S+\\(.*\\):\\d+:\\d+ -> ${piece!.replace(/\$/g, "\\$")}$`, "m").exec(mappingText)!;
    const { bundle } = await readBundle(join(dir, "out.jar"));
    const cf = readClass(bundle.entries.find((e) => e.name === `${pieceClass}.class`)!.data);
    const pieceMethod = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === piece)!;
    const lines = codeOf(pieceMethod)!.attributes.flatMap((a) => (a.kind === "LineNumberTable" ? a.entries.map((e) => e.line) : []));
    const line = lines.find((l) => l >= Number(range[1]) && l <= Number(range[2]))!;
    expect(line).toBeGreaterThan(0);
    const file = /([^.$]+)(?:\$.*)?$/.exec(cls!)![1] + ".java";
    // What the JVM prints when the piece throws: the piece, then the driver at the call site.
    const trace = [`java.lang.IllegalStateException: boom`, `\tat ${cls}.${piece}(${file}:${line})`, `\tat ${cls}.${method}(${file}:${callLine})`, `\tat Main.main(Main.java:5)`, ""].join("\n");
    writeFileSync(join(dir, "trace.txt"), trace);
    const r = spawnSync("java", ["-jar", retraceJar, join(dir, "out.jar.mapping"), join(dir, "trace.txt")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    // ProGuard keeps every frame: the piece frame names the original method at the
    // original line; the driver frame at the call site reads line 0 (its `:0:0`).
    expect(r.stdout).toBe([`java.lang.IllegalStateException: boom`, `\tat ${cls}.${method}(${file}:${line})`, `\tat ${cls}.${method}(${file}:0)`, `\tat Main.main(Main.java:5)`, ""].join("\n"));
    // megasplit retrace removes the piece frame and gives the original trace.
    expect(retraceText(new MappingIndex([readMapping(mappingText).mapping]), trace)).toBe(
      [`java.lang.IllegalStateException: boom`, `\tat ${cls}.${method}(${file}:${line})`, `\tat Main.main(Main.java:5)`, ""].join("\n"),
    );
  });
});
