/**
 * bench/wasm/count-entries.ts: where a step of the split interpreter goes
 * (issue 14). Generates the bench/wasm interpreter at a size, splits it with the
 * built splitter (dist/src/wasm/split/split-module.js, options as given), and
 * makes an instrumented copy with Binaryen (the `binaryen` npm package): every
 * function adds one to a global of its own at its start. Runs the copy (checksum
 * against the generator's JS reference) and prints function entries per step,
 * the hottest functions with their parameter counts and body sizes, and how the
 * pieces were written. Not a timing: a count of transfers, which do not depend
 * on the engine.
 *
 *   npx tsx bench/wasm/count-entries.ts [SIZE=1m] [MAX_SIZE=65536] [STEPS=300000] [OPTIONS_JSON]
 */
import binaryen from "binaryen";
import { generateModule } from "./generate.js";

const [sizeText = "1m", maxText = "65536", stepsText = "300000", optionsJson = "{}"] = process.argv.slice(2);
const size = Math.round(Number(sizeText.replace(/[km]$/i, "")) * (/m$/i.test(sizeText) ? 1 << 20 : /k$/i.test(sizeText) ? 1024 : 1));
const steps = Number(stepsText);
const { splitWasmModule } = await import("../../dist/src/wasm/split/split-module.js");
const w = generateModule("interpreter", size);
const split = splitWasmModule(w.bytes, { maxSize: Number(maxText), ...JSON.parse(optionsJson) });
console.log(`${w.describe}; split at ${maxText}: ${split.bytes.length} bytes, ${split.functions.map((f: { pieces: number; refused?: string }) => f.refused ?? `${f.pieces} pieces`).join(", ")}`);
if (!WebAssembly.validate(split.bytes)) throw new Error("the split module does not validate");

const m = binaryen.readBinary(split.bytes);
m.setFeatures(binaryen.Features.All);
const n = m.getNumFunctions();
const info: { name: string; params: number; bytes: number }[] = [];
for (let i = 0; i < n; i++) {
  const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
  const g = `count${i}`;
  m.addGlobal(g, binaryen.i32, true, m.i32.const(0));
  m.addGlobalExport(g, g);
  const counted = m.block(null, [m.global.set(g, m.i32.add(m.global.get(g, binaryen.i32), m.i32.const(1))), f.body], f.results);
  binaryen.Function.setBody(m.getFunctionByIndex(i), counted);
  info.push({ name: f.name, params: binaryen.expandType(f.params).length, bytes: 0 });
}
if (!m.validate()) throw new Error("the instrumented module does not validate");
const bytes = m.emitBinary();
m.dispose();
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
const exports = instance.exports as Record<string, unknown>;
const result = (exports.run as (s: number) => number)(steps);
if (result !== w.reference(steps)) throw new Error(`checksum ${result}, the JS reference ${w.reference(steps)}`);
const counts = info.map((f, i) => ({ ...f, entries: (exports[`count${i}`] as WebAssembly.Global).value as number }));
const total = counts.reduce((s, c) => s + c.entries, 0) - 1;
console.log(`${steps} steps: ${total} function entries after the first call, ${(total / steps).toFixed(3)} a step`);
const hot = counts.filter((c) => c.entries > 0).sort((a, b) => b.entries - a.entries);
console.log(`functions entered: ${hot.length} of ${n}; hottest:`);
for (const c of hot.slice(0, 12)) console.log(`  ${c.name.padEnd(20)} ${String(c.params).padStart(3)} params  ${(c.entries / steps).toFixed(3)} a step`);
