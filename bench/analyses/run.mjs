#!/usr/bin/env node
/**
 * bench/analyses: how the per-method analyses scale. Builds the generated method of
 * test/support/long-method.ts at about 64 KB, 256 KB and 1 MB of bytecode, encodes
 * it once, then times decode (decodeBody of the Code attribute), CFG (buildCfg),
 * liveness (computeLiveness) and, when passes/frames.ts exists, frame inference
 * (inferFrames, declared frames used as the generator wrote them; the generated
 * code does not verify, so frame errors are expected and counted, not fatal).
 * Each step runs `runs` times after a warm-up and the best time is printed (the
 * machine may be shared; the minimum is the least disturbed figure), with
 * ms per KB and that figure relative to the smallest size: near-linear growth
 * shows as a ratio near 1. The generator's random far branches leave a share of
 * the blocks unreachable that shrinks as the method grows (most of the 64 KB one
 * is dead code), so the analyses that only visit reachable blocks (liveness,
 * frames) also print solver steps per reachable block and time per step, which
 * is what stays flat when the growth is linear in the code they analyse.
 * A script, not a test: it asserts nothing about time.
 *
 *   node --import tsx bench/analyses/run.mjs [runs]
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const load = (p) => import(pathToFileURL(join(root, p)).href);

const { generateLongMethod } = await load("test/support/long-method.ts");
const { encodeBody } = await load("src/bytecode/encode.ts");
const { decodeBody } = await load("src/bytecode/decode.ts");
const { buildCfg } = await load("passes/cfg.ts");
const { computeLiveness } = await load("passes/liveness.ts");
const { methodContext } = await load("passes/pass.ts");
const frames = existsSync(join(root, "passes/frames.ts")) ? await load("passes/frames.ts") : undefined;

const runs = Number(process.argv[2] ?? 7);
const targets = [64, 256, 1024]; // KB

/** The generated method at about `kb` KB: block count calibrated on a 1 MB build. */
function methodOfSize(kb, bytesPerBlock) {
  const { body, cp } = generateLongMethod(1, Math.max(400, Math.round((kb * 1024) / bytesPerBlock)));
  const code = encodeBody(body, cp);
  return { body, cp, code };
}

/** A class around the method, for the pass context (frame inference reads name, descriptor, flags). */
function contextFor(cp) {
  const thisClass = cp.addClass("Gen");
  const method = { accessFlags: 0x0009, nameIndex: cp.addUtf8("big"), descriptorIndex: cp.addUtf8("()V"), attributes: [] };
  const cf = { minorVersion: 0, majorVersion: 52, constantPool: cp, accessFlags: 0x0021, thisClass, superClass: cp.addClass("java/lang/Object"), interfaces: [], fields: [], methods: [method], attributes: [] };
  return () => methodContext(cf, method);
}

function best(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[0];
}

function time(fn) {
  fn(); // warm-up
  const ms = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: best(ms), result };
}

const calibration = methodOfSize(1024, 1024 * 1024 / 36000);
const bytesPerBlock = calibration.code.code.length / 36000;

// Warm every step up on the 1 MB method first, so the smallest size is not timed half-compiled.
{
  const { body, cp, code } = calibration;
  decodeBody(code, cp);
  const cfg = buildCfg(body).cfg;
  computeLiveness(body, cfg);
  if (frames) frames.inferFrames(body, contextFor(cp)());
}

const steps = ["decode", "cfg", "liveness", ...(frames ? ["frames"] : [])];
const rows = [];
for (const kb of targets) {
  const { body, cp, code } = methodOfSize(kb, bytesPerBlock);
  const size = code.code.length / 1024;
  const ctx = contextFor(cp);
  const t = {};
  const notes = [];
  t.decode = time(() => decodeBody(code, cp)).ms;
  const cfgRun = time(() => buildCfg(body).cfg);
  t.cfg = cfgRun.ms;
  const cfg = cfgRun.result;
  const live = time(() => computeLiveness(body, cfg));
  t.liveness = live.ms;
  const reachable = cfg.reachable.reduce((a, r) => a + r, 0);
  notes.push(`${cfg.blockCount} blocks, ${reachable} reachable; liveness ${(live.result.steps / reachable).toFixed(1)} steps and ${((live.ms * 1000) / reachable).toFixed(2)} us per reachable block`);
  if (frames) {
    const f = time(() => frames.inferFrames(body, ctx()));
    t.frames = f.ms;
    notes.push(`frames ${((f.ms * 1000) / reachable).toFixed(2)} us per reachable block, ${f.result.errors.length} frame errors`);
  }
  rows.push({ size, t, notes });
}

const pad = (s, n) => String(s).padStart(n);
console.log(`bench/analyses: best of ${runs} runs after a warm-up, node ${process.version}`);
console.log(`${pad("KB", 7)}  ${steps.map((s) => `${pad(s + " ms", 12)} ${pad("ms/KB", 7)} ${pad("x", 5)}`).join("  ")}`);
for (const r of rows) {
  const cells = steps.map((s) => {
    const perKb = r.t[s] / r.size;
    const base = rows[0].t[s] / rows[0].size;
    return `${pad(r.t[s].toFixed(1), 12)} ${pad(perKb.toFixed(3), 7)} ${pad((perKb / base).toFixed(2), 5)}`;
  });
  console.log(`${pad(r.size.toFixed(0), 7)}  ${cells.join("  ")}   ${r.notes.join(", ")}`);
}
console.log("x = ms/KB relative to the smallest method (1.00 = linear)");
