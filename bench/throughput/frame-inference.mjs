#!/usr/bin/env node
/**
 * bench/throughput/frame-inference.mjs DIST [JAR] [MIN_BYTES] [RUNS]: frame
 * inference alone, in one process, over every method of a jar with at least
 * MIN_BYTES of code (default: jython.jar, 100 bytes, 5 runs), with the build in
 * DIST (this tree's `dist`, or a base revision's built in a copy: the same command
 * on both sides gives before/after figures that a loaded machine disturbs less
 * than whole runs). Three steps, each timed as the CPU time of the process
 * (process.cpuUsage, GC threads included) over all methods, minimum over the runs:
 * `check` (inferFrames on the code alone, as the splitter's input check),
 * `declared` (inferFrames with the StackMapTable's frames as facts, as the
 * splitter's passes) and `write` (computeStackMapFrames as the splitter writes
 * every body: every inferred local). Bodies are decoded once, before timing. The
 * `sig` printed sums max_stack and node counts: equal on both sides when the
 * results agree. A script, not a test: it asserts nothing.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
const [dist, jar = "/usr/share/java/jython.jar", minSize = 100, reps = 5] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 100), Number(process.argv[5] ?? 5)];
if (!dist) throw new Error("usage: frame-inference.mjs DIST [JAR] [MIN_BYTES] [RUNS]");
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { readJar } = await imp("src/bundle/jar.js");
const { readClass } = await imp("src/classfile/read.js");
const { codeOf } = await imp("src/classfile/model.js");
const { decodeBody } = await imp("src/bytecode/decode.js");
const { methodContext } = await imp("passes/pass.js");
const { inferFrames } = await imp("passes/frames.js");
const { computeStackMapFrames, withoutFrames } = await imp("passes/stackmap.js");
const { hasSubroutines, inlineSubroutines } = await imp("passes/inline-subroutines.js");
const { createClassHierarchy } = await imp("src/hierarchy/hierarchy.js");
const { bundle } = await readJar(new Uint8Array(readFileSync(jar)), jar);
const hierarchy = await createClassHierarchy({ classpath: [jar] });
const work = [];
for (const e of bundle.entries) {
  if (!e.name.endsWith(".class")) continue;
  const cf = readClass(e.data);
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code || code.code.length < minSize) continue;
    const ctx = methodContext(cf, m, { hierarchy });
    let body = decodeBody(code, cf.constantPool, ctx.where);
    if (hasSubroutines(body)) body = inlineSubroutines(body, ctx);
    work.push({ ctx, body, bare: withoutFrames(body) });
  }
}
console.log(`${work.length} methods`);
const best = { check: Infinity, declared: Infinity, write: Infinity };
let sig = 0;
for (let r = 0; r < reps; r++) {
  for (const [k, f] of [["check", (w) => inferFrames(w.bare, w.ctx).maxStack], ["declared", (w) => inferFrames(w.body, w.ctx).maxStack], ["write", (w) => computeStackMapFrames(w.bare, w.ctx, { asInferred: true }).nodes.length]]) {
    const c0 = process.cpuUsage();
    for (const w of work) sig += f(w);
    const c = process.cpuUsage(c0);
    best[k] = Math.min(best[k], (c.user + c.system) / 1000);
  }
}
console.log(JSON.stringify(best), "sig", sig);
hierarchy.close();
