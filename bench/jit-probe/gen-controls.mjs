#!/usr/bin/env node
/**
 * jit-probe: hand-shaped "ideal split" controls of bench/jit-unlock's interpreter
 * (issue 9: what is the best any split can do on a uniform interpreter past 8 KB?).
 * Reads an `Interp.java` written by bench/jit-unlock/generate.mjs and writes the
 * same interpreter (same opcode program, same checksum) with `run` rewritten so
 * that every method is at most 8,000 bytes of bytecode, as a person would split it
 * by hand: the driver keeps the loop, the fetch, the `switch` and as many cases as
 * fit (the smallest first, so the fewest steps leave it; filled to ~7.95 KB by
 * compiling and measuring), and every other case runs in another method, called
 * straight from the driver's `case` label. Shapes (where the registers live x how
 * a moved case is reached):
 *
 *   direct   registers in the driver's locals; each moved case is its own static
 *            method taking the registers it uses as parameters and returning pc
 *            (packed in a long with the one int register it writes, if exactly
 *            one; other results through static fields). No entry switch, no
 *            dispatch-loop hop.
 *   groups   registers in locals; moved cases grouped into methods of < 8,000
 *            bytes with a `switch` on the opcode inside (megasplit's shape minus
 *            its trampoline), registers as parameters, pc returned, the registers
 *            the group writes through static fields.
 *   odirect  every register a field of one object `R`, in the driver too; each
 *            moved case its own `static void cN(R r)`.
 *   object   registers in `R`, moved cases in group methods `gN(int op, R r)`.
 *   fdirect  registers in megasplit's heap-frame layout (`int[] f`, `long[] l`,
 *            `Object[] o` for the arrays, with casts), in the driver too; each
 *            moved case its own `cN(f, l, o)`.
 *   fgroups  registers in the frame arrays, moved cases in group methods.
 *   fcopy    as fgroups, but the driver keeps the registers in locals and copies
 *            them into the frame before each call and back after (megasplit's
 *            heap-frame hand-over without its dispatch loop and trampoline).
 *   ofull, ffull  not splits: the unsplit method (over 8,000 bytes, for
 *            -XX:-DontCompileHugeMethods) with the registers in `R` or in the
 *            frame arrays: what the residence alone does to C2's code.
 *
 * The driver's `tableswitch` spans the opcodes [0, M), where M is chosen to keep
 * the most cases inline (a table costs 4 bytes per opcode it spans); opcodes past
 * M reach the groups through `default`. `--count` adds a static counter of steps
 * run outside the driver, printed by `main` (for the fraction, not for timing).
 * Each variant is compiled into <out-dir>/<shape>/ (javac; sizes checked with the
 * built CLI's `inspect`), so bench/jit-unlock/Harness.java can run it as `Interp`.
 *
 * A direct shape whose per-case calls do not fit the driver (a call costs bytes
 * in the driver for every moved case) is refused for `direct`, and for the
 * resident shapes gets a tail of group methods for the opcodes past M.
 *
 *   node bench/jit-probe/gen-controls.mjs <Interp.java> <out-dir> [--shapes groups,odirect,...] [--count]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../../dist/src/cli/main.js");
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { shapes: { type: "string", default: "direct,groups,odirect,object,fdirect,fgroups,fcopy,ofull,ffull" }, count: { type: "boolean", default: false } },
});
const [source, outDir] = positionals;
if (!source || !outDir) {
  console.error("usage: gen-controls.mjs <Interp.java> <out-dir> [--shapes groups,odirect,...] [--count]");
  process.exit(2);
}
const DRIVER_TARGET = 7950; // bytes: the driver is filled up to this, under HotSpot's 8,000
const GROUP_LIMIT = 7000; // bytes of case code per group method (its switch and stores on top)

// The interpreter's state: registers with their Java types, and the arrays.
const REGS = { pc: "int", a: "int", b: "int", c: "int", d: "int", sp: "int", x: "long", y: "long" };
const ARRAYS = ["program", "stack", "mem"];
const STATE = [...Object.keys(REGS), ...ARRAYS];
const typeOf = (v) => REGS[v] ?? "int[]";
/**
 * Where each shape keeps the registers: `locals` (the driver's locals, passed as
 * parameters), `object` (fields of one `R` object, in the driver too), `frame`
 * (megasplit's heap frame layout: an `int[] f`, a `long[] l` and an `Object[] o`
 * for the arrays, in the driver too). `ofull` and `ffull` are not splits: the
 * unsplit method with the registers in the object or the frame (over 8,000 bytes:
 * run them with -XX:-DontCompileHugeMethods), controls for what the residence alone
 * does to C2's code. `copy` (shape `fcopy`): the driver keeps the registers in
 * locals and copies them into the frame arrays around each call of a group method
 * that works on the frame (megasplit's heap-frame hand-over, minus its dispatch
 * loop and trampoline).
 */
const RESIDENCE = { direct: "locals", groups: "locals", odirect: "object", object: "object", fdirect: "frame", fgroups: "frame", fcopy: "copy", ofull: "object", ffull: "frame" };
const DIRECT_SHAPES = new Set(["direct", "odirect", "fdirect"]);
const WHOLE_SHAPES = new Set(["ofull", "ffull"]);
const FRAME_SLOT = { pc: "f[0]", a: "f[1]", b: "f[2]", c: "f[3]", d: "f[4]", sp: "f[5]", x: "l[0]", y: "l[1]", program: "((int[]) o[0])", stack: "((int[]) o[1])", mem: "((int[]) o[2])" };
/** A line of case code with the registers where `residence` keeps them. */
function renamer(residence) {
  const re = new RegExp(`\\b(${STATE.join("|")})\\b`, "g");
  if (residence === "object") return (l) => l.replace(re, "r.$1");
  if (residence === "frame") return (l) => l.replace(re, (v) => FRAME_SLOT[v]);
  // `copy`: the driver's code stays on locals (its group methods use "frame").
  return (l) => l;
}
/** The parameters of a moved case's method, and the arguments of its call, for an object or frame residence. */
const STATE_PARAMS = { object: ["R r", "r"], frame: ["int[] f, long[] l, Object[] o", "f, l, o"] };
STATE_PARAMS.copy = STATE_PARAMS.frame;

// ---- parsing generate.mjs's Interp.java (its layout is fixed by that script)

function parseInterp(text) {
  const runAt = text.indexOf("  public static long run(int[] program, int steps) {");
  const progAt = text.indexOf("  static int[] program()");
  const run = text.slice(runAt, progAt);
  const exit = run.match(/      if \(--steps < 0\) \{\n[\s\S]*?\n      \}\n/)[0];
  const cases = [...run.matchAll(/^        case (\d+): \{\n([\s\S]*?)\n          break;\n        \}$/gm)].map((m) => ({
    op: Number(m[1]),
    body: m[2].split("\n").map((l) => l.trim()),
  }));
  cases.forEach((c, i) => {
    if (c.op !== i) throw new Error(`case ${c.op} out of order`);
    c.uses = STATE.filter((v) => c.body.some((l) => new RegExp(`\\b${v}\\b`).test(l)));
    c.writes = Object.keys(REGS).filter((v) =>
      c.body.some((l) => new RegExp(`\\b${v}\\s*(?:[-+*/%^|&]|<<|>>>?)?=(?!=)`).test(l)),
    );
  });
  return { head: text.slice(0, runAt), tail: text.slice(progAt), exit, cases };
}

// ---- Java text of the pieces shared by the shapes

const INIT = "    int pc = 0, a = 1, b = 2, c = 3, d = 4, sp = 0;\n    long x = 5L, y = 6L;\n    int[] stack = new int[64];\n    int[] mem = new int[256];\n";
const OUTPUTS = Object.keys(REGS).filter((r) => r !== "pc").map((r) => `  static ${REGS[r]} O_${r};\n`).join("");
const COUNTER = "  static long OUT_STEPS;\n";
const counting = (indent) => (opt.count ? `${indent}OUT_STEPS++;\n` : "");
const caseText = (c, indent, rename = (l) => l) =>
  `${indent}case ${c.op}: {\n${c.body.map((l) => `${indent}  ${rename(l)}`).join("\n")}\n${indent}  break;\n${indent}}\n`;
/** The loop's exit (the checksum fold), with the registers where the shape keeps them. */
const exitText = (p, shape) => p.exit.split("\n").map(renamer(RESIDENCE[shape])).join("\n");

/** The driver: loop, fetch, `switch` on [0, M) with inline cases and transfer stubs. */
function driverText(plan, shape, stubs) {
  const residence = RESIDENCE[shape];
  const rename = renamer(residence);
  let s = "  public static long run(int[] program, int steps) {\n";
  if (residence === "object") {
    s += "    final R r = new R();\n    r.program = program; r.a = 1; r.b = 2; r.c = 3; r.d = 4; r.x = 5L; r.y = 6L;\n";
    s += "    r.stack = new int[64]; r.mem = new int[256];\n";
  } else if (residence === "frame") {
    s += "    final int[] f = { 0, 1, 2, 3, 4, 0 };\n    final long[] l = { 5L, 6L };\n";
    s += "    final Object[] o = { program, new int[64], new int[256] };\n";
  } else s += INIT;
  if (residence === "copy") s += "    final int[] f = new int[6];\n    final long[] l = new long[2];\n    final Object[] o = { program, stack, mem };\n";
  s += "    for (;;) {\n" + plan.exitText() + `      int op = ${rename("program[pc]")};\n      switch (op) {\n`;
  for (const c of plan.inline) s += caseText(c, "        ", rename);
  for (const st of stubs.labelled) s += `        ${st.labels.map((k) => `case ${k}:`).join(" ")} {\n${st.code("          ")}          break;\n        }\n`;
  s += "        default:\n";
  for (const st of stubs.tail) s += `          if (op < ${st.below}) {\n${st.code("            ")}            continue;\n          }\n`;
  s += '          throw new IllegalStateException("bad opcode " + op);\n      }\n    }\n  }\n';
  return s;
}

// ---- the three transfer shapes: methods for the moved cases and the driver's calls

const params = (vars) => vars.map((v) => `${typeOf(v)} ${v}`).join(", ");
const readBack = (regs, indent) => regs.filter((r) => r !== "pc").map((r) => `${indent}${r} = O_${r};\n`).join("");
const ordered = (set) => STATE.filter((v) => set.has(v));

/** `direct` (registers as parameters), `odirect` (in `r`), `fdirect` (in the frame): one method per moved case, called from its own label. */
function directShape(plan, size, residence) {
  const moved = plan.movedInTable;
  const methods = [];
  const labelled = moved.map((c) => {
    const name = `c${c.op}`;
    if (residence !== "locals") {
      const [formals, actuals] = STATE_PARAMS[residence];
      const rename = renamer(residence);
      methods.push(`  static void ${name}(${formals}) {\n${counting("    ")}${c.body.map((l) => `    ${rename(l)}`).join("\n")}\n  }\n`);
      return { labels: [c.op], code: (i) => `${i}${name}(${actuals});\n` };
    }
    const args = ordered(new Set(["pc", ...c.uses]));
    const others = c.writes.filter((r) => r !== "pc");
    const packed = others.length === 1 && REGS[others[0]] === "int" ? others[0] : null;
    const result = packed
      ? `    return ((long) ${packed} << 32) | (pc & 0xFFFFFFFFL);\n`
      : `${others.map((r) => `    O_${r} = ${r};\n`).join("")}    return pc;\n`;
    methods.push(
      `  static ${packed ? "long" : "int"} ${name}(${params(args)}) {\n${counting("    ")}${c.body.map((l) => `    ${l}`).join("\n")}\n${result}  }\n`,
    );
    const call = `${name}(${args.join(", ")})`;
    const code = packed
      ? (i) => `${i}long t = ${call};\n${i}${packed} = (int) (t >>> 32);\n${i}pc = (int) t;\n`
      : (i) => `${i}pc = ${call};\n${readBack(others, i)}`;
    return { labels: [c.op], code };
  });
  const tail = groupsOf(plan.tail, size).map((g, i) => ({ below: g.at(-1).op + 1, code: groupMethod(g, `t${i}`, residence, methods) }));
  return { methods, stubs: { labelled, tail } };
}

/**
 * Packs moved cases (in opcode order) into groups whose case code plus the
 * group's tableswitch (4 bytes for every opcode its keys span) is at most
 * GROUP_LIMIT bytes.
 */
function groupsOf(cases, size) {
  const groups = [];
  let cur = [];
  let bytes = 0;
  for (const c of cases) {
    if (cur.length > 0 && bytes + size[c.op] + 4 * (c.op - cur[0].op + 1) > GROUP_LIMIT) {
      groups.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(c);
    bytes += size[c.op];
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

/** `groups` and `object`: group methods with a switch inside. */
function groupShape(plan, size, residence) {
  const methods = [];
  const labelled = groupsOf(plan.movedInTable, size).map((g, i) => ({ labels: g.map((c) => c.op), code: groupMethod(g, `g${i}`, residence, methods) }));
  const tail = groupsOf(plan.tail, size).map((g, i) => ({ below: g.at(-1).op + 1, code: groupMethod(g, `t${i}`, residence, methods) }));
  return { methods, stubs: { labelled, tail } };
}

/** Adds to `methods` a method running the cases of group `g` by a switch on the opcode; returns its call. */
function groupMethod(g, name, residence, methods) {
  const resident = residence !== "locals";
  const [formals, actuals] = STATE_PARAMS[residence] ?? [];
  const bodyResidence = residence === "copy" ? "frame" : residence;
  const uses = ordered(new Set(["pc", ...g.flatMap((c) => c.uses)]));
  const writes = ordered(new Set(g.flatMap((c) => c.writes)));
  let m = resident ? `  static void ${name}(int op, ${formals}) {\n` : `  static int ${name}(int op, ${params(uses)}) {\n`;
  m += `${counting("    ")}    switch (op) {\n${g.map((c) => caseText(c, "      ", renamer(bodyResidence))).join("")}`;
  m += '      default:\n        throw new IllegalStateException("bad opcode " + op);\n    }\n';
  m += resident ? "  }\n" : `${writes.filter((r) => r !== "pc").map((r) => `    O_${r} = ${r};\n`).join("")}    return pc;\n  }\n`;
  methods.push(m);
  if (residence === "copy") {
    const regs = (set) => set.filter((v) => REGS[v]);
    return (i) =>
      regs(uses).map((v) => `${i}${FRAME_SLOT[v]} = ${v};\n`).join("") +
      `${i}${name}(op, ${actuals});\n` +
      regs(writes).map((v) => `${i}${v} = ${FRAME_SLOT[v]};\n`).join("");
  }
  return resident ? (i) => `${i}${name}(op, ${actuals});\n` : (i) => `${i}pc = ${name}(op, ${uses.join(", ")});\n${readBack(writes, i)}`;
}

// ---- choosing what stays in the driver

/**
 * For a byte budget of case code in the driver: the table span M and the inline
 * cases (smallest first within [0, M)) that keep the most cases inline, given
 * `stubBytes` per moved case with its own label in the table (0 when stubs are
 * shared per group).
 */
function choose(cases, size, budget, stubBytes, wholeTableOnly) {
  const n = cases.length;
  let best = null;
  const spans = wholeTableOnly ? [n] : [...new Set([...Array.from({ length: 41 }, (_, i) => Math.round((n * i) / 40))])];
  for (const m of spans) {
    const inTable = cases.slice(0, m).sort((p, q) => size[p.op] - size[q.op] || p.op - q.op);
    let room = budget - 4 * m - stubBytes * m;
    const inline = [];
    for (const c of inTable) {
      if (size[c.op] - stubBytes > room) break;
      room -= size[c.op] - stubBytes;
      inline.push(c);
    }
    if (!best || inline.length > best.inline.length) best = { m, inline };
  }
  const inlineSet = new Set(best.inline.map((c) => c.op));
  return {
    m: best.m,
    inline: [...best.inline].sort((p, q) => p.op - q.op),
    movedInTable: cases.slice(0, best.m).filter((c) => !inlineSet.has(c.op)),
    tail: cases.slice(best.m),
  };
}

// ---- compiling and measuring

const sh = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });

function compile(javaText, dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Interp.java"), javaText);
  sh("javac", ["-d", dir, join(dir, "Interp.java")]);
  const report = JSON.parse(sh(process.execPath, [cli, "inspect", dir, "--limit", "0", "--json"]));
  return Object.fromEntries(report.methods.map((m) => [m.method.replace(/\(.*$/, ""), m.size]));
}

/**
 * Bytes of each case, from the offsets of the tableswitch in each compiled method
 * whose name matches `methods` (a case ends where the next one in the method
 * starts, the last at the switch's default).
 */
function caseSizes(dir, n, methods) {
  const out = sh("javap", ["-c", "-cp", dir, "Interp"]);
  const size = [];
  for (const m of out.split(/\n(?=  \S)/).filter((part) => methods.test(part.match(/^\s*[\w\s]*?(\w+)\(/)?.[1] ?? ""))) {
    const table = m.match(/tableswitch\s*\{[^\n]*\n([\s\S]*?)\n\s*default: (\d+)/);
    const starts = [...table[1].matchAll(/^\s*(\d+): (\d+)$/gm)].map((x) => [Number(x[1]), Number(x[2])]);
    const deflt = Number(table[2]);
    const real = starts.filter(([, at]) => at !== deflt).sort((p, q) => p[1] - q[1]);
    real.forEach(([op, at], i) => (size[op] = (i + 1 < real.length ? real[i + 1][1] : deflt) - at));
  }
  const found = size.filter((x) => x !== undefined).length;
  if (found !== n) throw new Error(`expected ${n} cases in the tableswitches of ${methods}, found ${found}`);
  return size;
}

function classText(p, shape, plan, size) {
  const residence = RESIDENCE[shape];
  const obj = residence === "object";
  const transfer = DIRECT_SHAPES.has(shape) ? directShape(plan, size, residence) : groupShape(plan, size, residence);
  const header = p.head.replace("// Generated by bench/jit-unlock/generate.mjs", `// ${shape} control by bench/jit-probe/gen-controls.mjs of a class generated by bench/jit-unlock/generate.mjs`);
  let fields = residence === "locals" ? OUTPUTS : "";
  if (opt.count) fields += COUNTER;
  if (obj) {
    fields += `  static final class R {\n${Object.keys(REGS).map((r) => `    ${REGS[r]} ${r};\n`).join("")}    int[] ${ARRAYS.join(", ")};\n  }\n`;
  }
  let tail = p.tail;
  const checksumLine = "System.out.println(\"checksum \" + Long.toHexString(run(program(), Integer.parseInt(args[0]))));";
  if (opt.count) tail = tail.replace(checksumLine, `${checksumLine}\n    System.out.println("out-steps " + OUT_STEPS + " of " + args[0]);`);
  return header + fields + "\n" + driverText(plan, shape, transfer.stubs) + "\n" + transfer.methods.join("\n") + "\n" + tail;
}

/** Fills the driver to DRIVER_TARGET by compiling and measuring (at most 8 tries). */
function fit(p, shape, size, dir, allowTail) {
  const stubBytes = { direct: 40, odirect: 8, fdirect: 10 }[shape] ?? 0;
  let budget = 7600;
  let best = null;
  for (let attempt = 0; attempt < 8; attempt++) {
    const plan = choose([...p.cases], size, budget, stubBytes, DIRECT_SHAPES.has(shape) && !allowTail);
    plan.exitText = () => exitText(p, shape);
    const sizes = compile(classText(p, shape, plan, size), dir);
    const over = Object.entries(sizes).filter(([, s]) => s > 8000);
    const fits = over.length === 0;
    process.stderr.write(`${shape}: budget ${budget} -> driver ${sizes.run} B, ${plan.inline.length} inline, table [0,${plan.m})${fits ? "" : `, over 8000: ${over.map(([m]) => m).join(" ")}`}\n`);
    if (fits && (!best || plan.inline.length > best.plan.inline.length)) best = { plan, sizes, budget };
    if (fits && sizes.run >= DRIVER_TARGET - 60) break;
    budget += Math.round((DRIVER_TARGET - sizes.run) * (fits ? 0.9 : 1.1));
  }
  if (!best) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const sizes = compile(classText(p, shape, best.plan, size), dir);
  return { plan: best.plan, sizes };
}

const p = parseInterp(readFileSync(source, "utf8"));
const n = p.cases.length;
const scratch = mkdtempSync(join(tmpdir(), "gen-controls-"));
sh("javac", ["-d", join(scratch, "orig"), source]);
const plainSize = caseSizes(join(scratch, "orig"), n, /^run$/);
for (const shape of opt.shapes.split(",")) {
  if (!RESIDENCE[shape]) throw new Error(`unknown shape ${shape}: one of ${Object.keys(RESIDENCE).join(", ")}`);
  let size = plainSize;
  if (WHOLE_SHAPES.has(shape)) {
    const all = { m: n, inline: p.cases, movedInTable: [], tail: [], exitText: () => exitText(p, shape) };
    try {
      const sizes = compile(classText(p, shape, all, plainSize), join(outDir, shape));
      console.log(`${shape}: unsplit, run ${sizes.run} B (registers in the ${RESIDENCE[shape]}; needs -XX:-DontCompileHugeMethods)`);
    } catch (e) {
      rmSync(join(outDir, shape), { recursive: true, force: true });
      console.log(`${shape}: javac refuses the unsplit method (${/code too large/.test(String(e.stderr)) ? "over 65,535 bytes" : e.message})`);
    }
    continue;
  }
  if (RESIDENCE[shape] !== "locals") {
    // Case sizes with the registers elsewhere: every case in group methods (all
    // reached through `default`), measured in their tableswitches.
    const sizing = RESIDENCE[shape] === "object" ? "object" : "fgroups";
    const all = { m: 0, inline: [], movedInTable: [], tail: p.cases, exitText: () => exitText(p, sizing) };
    const dir = join(scratch, `${shape}-sizes`);
    compile(classText(p, sizing, all, plainSize), dir);
    size = caseSizes(dir, n, /^t\d+$/);
    // `copy`: inline cases stay on locals (their plain sizes), groups work on the frame.
    if (RESIDENCE[shape] === "copy") size = size.map((s, op) => Math.max(s, plainSize[op]));
  }
  // A direct shape whose per-case stubs do not fit the driver's table gets a
  // tail of opcodes past M reached through `default` and group methods.
  let fitted = fit(p, shape, size, join(outDir, shape), false);
  if (!fitted && DIRECT_SHAPES.has(shape) && RESIDENCE[shape] !== "locals") {
    process.stderr.write(`${shape}: one method per moved case does not fit; trying a tail of group methods\n`);
    fitted = fit(p, shape, size, join(outDir, shape), true);
  }
  if (!fitted) {
    console.log(`${shape}: does not fit: with every case moved out the driver is still over 8,000 bytes`);
    continue;
  }
  const { plan, sizes } = fitted;
  const methods = Object.entries(sizes).filter(([m]) => /^(run|c\d+|g\d+|t\d+)$/.test(m));
  const pieces = methods.filter(([m]) => m !== "run").map(([, s]) => s);
  console.log(
    `${shape}: driver ${sizes.run} B with ${plan.inline.length} of ${n} cases inline (table [0,${plan.m})), ` +
      `${pieces.length} other methods (largest ${Math.max(...pieces)} B), static share of cases moved ${(1 - plan.inline.length / n).toFixed(3)}`,
  );
}
