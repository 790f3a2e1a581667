#!/usr/bin/env node
/**
 * bench/wasm/transfer-shapes.mjs: which way of crossing from one function to
 * another is cheapest in V8 for a split interpreter loop (issue 14). One small
 * interpreter (a loop that fetches a 16-bit opcode from a skewed program in linear
 * memory and dispatches over N cases of a few i32 statements on seven registers,
 * a pc and a step counter) is written by hand in the text format in several
 * shapes, converted with Binaryen (the `binaryen` npm package, all features on;
 * wabt's parser is quadratic in the nesting of a big br_table's blocks), checked
 * by Binaryen's validator and WebAssembly.validate, and each module is run in a fresh `node`
 * by bench/wasm/child.mjs (3,000,000 steps a round by default) under the V8 flag
 * sets asked for. Every shape must return the checksum of a JS reference
 * interpreter of the same cases. The cases are split into buckets of B
 * consecutive opcodes (a bucket is one function in the split shapes: `key >> log2 B`):
 *
 * - `whole`: one function, the loop and one br_table over N cases (unsplit);
 * - `params`: what the splitter writes today: the loop's function fetches and
 *   dispatches on the bucket, `return_call`s the bucket's function with every
 *   register as a parameter, which runs the case and `return_call`s the loop's
 *   function with the registers back (two transfers a step);
 * - `params-spine`: every bucket function has its own copy of the loop head and
 *   bucket dispatch (loop-spines.ts): a case in the same bucket is a branch,
 *   another bucket one `return_call` with the registers;
 * - `globals`, `globals-spine`: the same two shapes with the registers resident
 *   in mutable globals (each access a global.get/global.set), calls pass the key only;
 * - `globals-driver`: registers in globals, the loop in one driver function that
 *   `call`s the bucket's function (plain call and return, no tail call);
 * - `memory-driver`: the same with registers in linear memory;
 * - `mv-driver`: the driver keeps the registers in locals and passes them to the
 *   bucket function, which returns all of them (multi-value);
 * - `threaded`, `indirect-head`: one function per case, entered by
 *   `return_call_indirect` on the opcode (see `indirect`).
 *
 * A script, not a test: it prints medians, asserts nothing about time; exits
 * non-zero when a module does not validate or a checksum differs.
 *
 *   node bench/wasm/transfer-shapes.mjs [--cases 2048] [--bucket 64] [--steps 3000000]
 *        [--rounds 8] [--runs 3] [--flags default,no-liftoff] [--shapes whole,params,...] [--stmts 6]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import binaryen from "binaryen";

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    cases: { type: "string", default: "2048" },
    bucket: { type: "string", default: "64" },
    steps: { type: "string", default: "3000000" },
    rounds: { type: "string", default: "8" },
    runs: { type: "string", default: "3" },
    stmts: { type: "string", default: "6" },
    flags: { type: "string", default: "default,no-liftoff" },
    shapes: { type: "string", default: "whole,params,params-spine,globals,globals-spine,globals-driver,memory-driver,mv-driver" },
  },
});
const N = Number(opt.cases);
const B = Number(opt.bucket);
const G = N / B;
const SHIFT = Math.log2(B);
if (!Number.isInteger(G) || !Number.isInteger(SHIFT)) throw new Error("--cases must be a multiple of --bucket, a power of two");
const STEPS = Number(opt.steps);
const FLAG_SETS = { default: [], "no-liftoff": ["--no-liftoff"], "liftoff-only": ["--liftoff-only"] };
const PROGRAM = 1 << 16;
const REGS = 7;
const REG_BASE = 2 * PROGRAM; // registers of memory-driver: after the program
const INIT = [0x12345678, -0x3c6ef372, 0x2545f491, 0x6a09e667, -0x4498517b, 0x3c6ef372, 0x510e527f];

// --- the program and the cases, from a seeded PRNG (xorshift32) ---
let seed = 0x9e3779b9;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const order = Array.from({ length: N }, (_, i) => i);
for (let i = N - 1; i > 0; i--) {
  const j = rnd() % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
const program = new Uint16Array(PROGRAM);
for (let i = 0; i < PROGRAM; i++) program[i] = order[Math.min(N - 1, Math.floor(Math.exp((rnd() / 4294967296) * Math.log(N + 1))) - 1)];
const OPS = ["i32.add", "i32.sub", "i32.xor", "i32.mul", "i32.rotl"];
const JS_OPS = [(a, b) => (a + b) | 0, (a, b) => (a - b) | 0, (a, b) => a ^ b, (a, b) => Math.imul(a, b), (a, b) => (a << (b & 31)) | (a >>> (32 - (b & 31)))];
const cases = Array.from({ length: N }, () => Array.from({ length: Number(opt.stmts) }, () => ({ d: rnd() % REGS, a: rnd() % REGS, b: rnd() % REGS, op: rnd() % OPS.length, c: (rnd() % 1000) | 0 })));

function reference(steps) {
  const r = Int32Array.from(INIT);
  let pc = 0;
  for (let s = 0; s < steps; s++) {
    const key = program[pc];
    pc = (pc + 1) & (PROGRAM - 1);
    for (const st of cases[key]) r[st.d] = (JS_OPS[st.op](r[st.a], r[st.b]) + st.c) | 0;
  }
  let sum = pc;
  for (let i = 0; i < REGS; i++) sum = (Math.imul(sum, 31) + r[i]) | 0;
  return sum;
}

// --- register access in each residence: locals, globals, memory ---
/** The address of a register in memory-driver: after the program, the seven registers, then pc and steps. */
const slot = (r) => REG_BASE + 4 * (r === "pc" ? REGS : r === "steps" ? REGS + 1 : r);
const ACCESS = {
  locals: { get: (r) => `local.get $r${r}`, set: (r) => `local.set $r${r}` },
  globals: { get: (r) => `global.get $r${r}`, set: (r) => `global.set $r${r}` },
  memory: { get: (r) => `i32.const 0 i32.load offset=${slot(r)}`, set: (r) => `local.set $t i32.const 0 local.get $t i32.store offset=${slot(r)}` },
};
const regNames = [...Array.from({ length: REGS }, (_, i) => i), "pc", "steps"];
const caseCode = (k, acc) => cases[k].map((st) => `${acc.get(st.a)} ${acc.get(st.b)} ${OPS[st.op]} i32.const ${st.c} i32.add ${acc.set(st.d)}`).join("\n");
const initCode = (acc) => INIT.map((v, i) => `i32.const ${v} ${acc.set(i)}`).join(" ") + ` i32.const 0 ${acc.set("pc")} local.get $arg ${acc.set("steps")}`;
const checksumCode = (acc) => `${acc.get("pc")} ` + Array.from({ length: REGS }, (_, i) => `i32.const 31 i32.mul ${acc.get(i)} i32.add`).join(" ");
/** steps==0 -> `exit`; steps -= 1; key = program[pc]; pc += 1 (key left in $k). */
const headCode = (acc, exit) =>
  `${acc.get("steps")} i32.eqz ${exit} ${acc.get("steps")} i32.const 1 i32.sub ${acc.set("steps")} ` +
  `${acc.get("pc")} i32.const 1 i32.shl i32.load16_u local.set $k ${acc.get("pc")} i32.const 1 i32.add i32.const ${PROGRAM - 1} i32.and ${acc.set("pc")}`;
/** A br_table on the value `key` pushes over `n` arms; arm(i) is the code after the i-th block's end. */
function table(n, key, arm, after = "") {
  let s = "";
  for (let i = 0; i < n; i++) s += "block\n";
  s += `${key}\nbr_table ${Array.from({ length: n }, (_, i) => i).join(" ")} ${n - 1}\n`;
  for (let i = 0; i < n; i++) s += `end\n${arm(i)}\n`;
  return s + after;
}
const localDecls = (acc) => (acc === ACCESS.locals ? regNames.map((r) => `(local $r${r} i32)`).join(" ") : "");
const paramDecls = () => regNames.map((r) => `(param $r${r} i32)`).join(" ");
const args = () => regNames.map((r) => `local.get $r${r}`).join(" ");
const globalDecls = () => regNames.map((r) => `(global $r${r} (mut i32) (i32.const 0))`).join("\n");
const moduleOf = (body, extra = "") => {
  const data = Array.from(new Uint8Array(program.buffer), (b) => "\\" + b.toString(16).padStart(2, "0")).join("");
  return `(module (memory 3) (data (i32.const 0) "${data}") ${extra}\n${body})`;
};

// --- the shapes ---
function whole() {
  const a = ACCESS.locals;
  return moduleOf(`(func $run (export "run") (param $arg i32) (result i32) ${localDecls(a)} (local $k i32)
  ${initCode(a)}
  block $exit loop $top
    ${headCode(a, "br_if $exit")}
    ${table(N, "local.get $k", (i) => `${caseCode(i, a)}\nbr $top`)}
  end end
  ${checksumCode(a)})`);
}

/** Split shapes. `resident`: registers in globals (calls pass the key) or as parameters. */
function split(resident, spine) {
  const a = resident ? ACCESS.globals : ACCESS.locals;
  const sig = resident ? "(param $k i32)" : `${paramDecls()} (param $k i32)`;
  const call = (f) => (resident ? `local.get $k return_call ${f}` : `${args()} local.get $k return_call ${f}`);
  const headSig = resident ? "" : paramDecls();
  const headLocals = resident ? "(local $k i32)" : "(local $k i32)";
  // $head: the loop head and the bucket dispatch (the loop's function).
  let text = `(func $head ${headSig} (result i32) ${headLocals}
    block $exit
      ${headCode(a, "br_if $exit")}
      ${table(G, `local.get $k i32.const ${SHIFT} i32.shr_u`, (j) => call(`$g${j}`))}
    end
    ${checksumCode(a)})\n`;
  for (let j = 0; j < G; j++) {
    const caseArm = (i) => `${caseCode(j * B + i, a)}\n${spine ? "br $next" : resident ? "return_call $head" : `${args()} return_call $head`}`;
    if (!spine) {
      text += `(func $g${j} ${sig} (result i32)\n${table(B, `local.get $k i32.const ${B - 1} i32.and`, caseArm)} unreachable)\n`;
      continue;
    }
    text += `(func $g${j} ${sig} (result i32)
      block $exit
      loop $top
        block $next
          ${table(B, `local.get $k i32.const ${B - 1} i32.and`, caseArm)}
          unreachable
        end
        ${headCode(a, "br_if $exit")}
        ${table(G, `local.get $k i32.const ${SHIFT} i32.shr_u`, (b) => (b === j ? "br $top" : call(`$g${b}`)))}
      end end
      ${checksumCode(a)})\n`;
  }
  const run = resident
    ? `(func $run (export "run") (param $arg i32) (result i32) ${initCode(a)} return_call $head)`
    : `(func $run (export "run") (param $arg i32) (result i32) ${localDecls(a)} ${initCode(a)} ${regNames.map((r) => `local.get $r${r}`).join(" ")} return_call $head)`;
  return moduleOf(text + run, resident ? globalDecls() : "");
}

/** A driver loop that `call`s the bucket's function; registers in globals, memory, or passed and returned (multi-value). */
function driver(where) {
  const a = where === "mv" ? ACCESS.locals : ACCESS[where];
  const results = regNames.filter((r) => r !== "steps");
  let text = "";
  for (let j = 0; j < G; j++) {
    if (where === "mv") {
      const ret = results.map((r) => `local.get $r${r}`).join(" ");
      text += `(func $g${j} ${results.map((r) => `(param $r${r} i32)`).join(" ")} (param $k i32) (result ${results.map(() => "i32").join(" ")}) (local $t i32)
        block $done
        ${table(B, `local.get $k i32.const ${B - 1} i32.and`, (i) => `${caseCode(j * B + i, a)}\nbr $done`)} end ${ret})\n`;
    } else {
      text += `(func $g${j} (param $k i32) (local $t i32)
        ${table(B, `local.get $k i32.const ${B - 1} i32.and`, (i) => `${caseCode(j * B + i, a)}\nreturn`)})\n`;
    }
  }
  const callArm = (j) =>
    where === "mv"
      ? `${results.map((r) => `local.get $r${r}`).join(" ")} local.get $k call $g${j} ${results.slice().reverse().map((r) => `local.set $r${r}`).join(" ")} br $top`
      : `local.get $k call $g${j} br $top`;
  text += `(func $run (export "run") (param $arg i32) (result i32) ${where === "globals" ? "" : localDecls(ACCESS.locals)} (local $k i32) (local $t i32)
    ${initCode(a)}
    block $exit loop $top
      ${headCode(a, "br_if $exit")}
      ${table(G, `local.get $k i32.const ${SHIFT} i32.shr_u`, callArm)}
    end end
    ${checksumCode(a)})`;
  return moduleOf(text, where === "globals" ? globalDecls() : "");
}

/**
 * One function per case reached by `return_call_indirect` through a table indexed
 * by the opcode (one indirect branch a step, as in the unsplit function): `threaded`
 * repeats the loop head at the end of every case (direct threading: each case has
 * its own indirect call site), `indirect-head` returns to one head function that
 * makes the indirect call.
 */
function indirect(threaded) {
  const a = ACCESS.locals;
  const type = `(type $case (func ${paramDecls()} (result i32)))`;
  const table = `(table ${N} ${N} funcref) (elem (i32.const 0) ${Array.from({ length: N }, (_, i) => `$c${i}`).join(" ")})`;
  const dispatch = `${args()} local.get $k return_call_indirect (type $case)`;
  const head = (body) => `block $exit ${headCode(a, "br_if $exit")} ${body} end ${checksumCode(a)}`;
  let text = "";
  for (let i = 0; i < N; i++) {
    const after = threaded ? head(dispatch) : `${args()} return_call $head`;
    text += `(func $c${i} (type $case) ${paramDecls()} (result i32) (local $k i32)\n${caseCode(i, a)}\n${after})\n`;
  }
  text += `(func $head ${paramDecls()} (result i32) (local $k i32) ${head(dispatch)})\n`;
  text += `(func $run (export "run") (param $arg i32) (result i32) ${localDecls(a)} ${initCode(a)} ${args()} return_call $head)`;
  return moduleOf(text, `${type} ${table}`);
}

const SHAPES = {
  whole,
  threaded: () => indirect(true),
  "indirect-head": () => indirect(false),
  params: () => split(false, false),
  "params-spine": () => split(false, true),
  globals: () => split(true, false),
  "globals-spine": () => split(true, true),
  "globals-driver": () => driver("globals"),
  "memory-driver": () => driver("memory"),
  "mv-driver": () => driver("mv"),
};

const dir = mkdtempSync(join(tmpdir(), "transfer-shapes-"));
const expected = reference(STEPS);
const files = {};
for (const name of opt.shapes.split(",")) {
  const text = SHAPES[name]();
  const m = binaryen.parseText(text);
  m.setFeatures(binaryen.Features.All);
  if (!m.validate()) throw new Error(`${name}: Binaryen's validator refused the module`);
  const bytes = m.emitBinary();
  m.dispose();
  if (!WebAssembly.validate(bytes)) new WebAssembly.Module(bytes); // throws with V8's reason
  files[name] = join(dir, `${name}.wasm`);
  writeFileSync(files[name], bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}
const results = {};
const runs = Number(opt.runs);
for (let run = 0; run < runs; run++) {
  for (const flags of opt.flags.split(",")) {
    for (const name of Object.keys(files)) {
      const r = spawnSync("nice", ["-n", "0", process.execPath, ...FLAG_SETS[flags], join(here, "child.mjs"), files[name], "interpreter", String(STEPS), "1", opt.rounds], { encoding: "utf8", maxBuffer: 1 << 24 });
      const line = r.stdout.trim().split("\n").pop();
      let out;
      try {
        out = JSON.parse(line);
      } catch {
        throw new Error(`${name} ${flags}: ${r.stderr}`);
      }
      if (out.checksum !== expected) throw new Error(`${name} ${flags}: checksum ${out.checksum}, the JS reference ${expected}`);
      const later = out.later.slice(Math.floor(out.later.length / 2)).map((x) => x.thread).sort((x, y) => x - y);
      const steady = later[Math.floor(later.length / 2)];
      (results[`${flags} ${name}`] ??= []).push({ first: out.first.thread, steady });
    }
  }
}
if (process.env.KEEP_SHAPES) console.log(`modules kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
const median = (xs) => {
  const s = xs.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`\n${N} cases in ${G} buckets of ${B}, ${opt.stmts} statements a case, ${STEPS} steps a round, ${opt.rounds} rounds, medians of ${runs} runs; main-thread CPU ms; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
console.log(`${"flags".padEnd(11)} ${"shape".padEnd(15)} ${"first".padStart(8)} ${"steady".padStart(8)} ${"ns/step".padStart(8)}  vs whole`);
for (const flags of opt.flags.split(",")) {
  const base = results[`${flags} whole`] ? median(results[`${flags} whole`].map((x) => x.steady)) : undefined;
  for (const name of Object.keys(files)) {
    const rs = results[`${flags} ${name}`];
    const steady = median(rs.map((x) => x.steady));
    const ratio = base ? `${(base / steady).toFixed(2)}x` : "";
    console.log(`${flags.padEnd(11)} ${name.padEnd(15)} ${median(rs.map((x) => x.first)).toFixed(0).padStart(8)} ${steady.toFixed(1).padStart(8)} ${((steady * 1e6) / STEPS).toFixed(1).padStart(8)}  ${ratio}`);
  }
}
