#!/usr/bin/env node
/**
 * bench/scaling/measure.mjs GENERATOR BYTES: one measurement in its own process.
 * Builds the generator's class with a mega-method of about BYTES bytes of bytecode
 * (samples/generators/), splits it with the library API (`splitClass` from
 * "megasplit", the built dist/, JDK hierarchy included), and prints one JSON line:
 * method length, units, build and split milliseconds (wall, and the CPU time of
 * the split: on a shared machine the wall time mostly measures the others), then the milliseconds and
 * size of the mapping text (rendered when first read), pieces, the largest method
 * written, and the process's peak resident set size (getrusage maxrss, which
 * includes building the input and the mapping). Exits non-zero when the split did not succeed.
 */
import { splitClass } from "megasplit";

const [generator, bytesArg] = process.argv.slice(2);
const gen = await import(`../../samples/generators/${generator}.mjs`);
const t0 = performance.now();
const { units, cf } = gen.buildFor(Number(bytesArg));
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const r = await splitClass(cf);
const cpu = process.cpuUsage(cpu0);
const t2 = performance.now();
const peakSplitRssMb = Math.round(process.resourceUsage().maxRSS / 1024); // the peak so far: before the mapping
const mappingLength = r.mapping.length; // rendered on first read
const t3 = performance.now();
const report = r.methods.find((m) => m.method.startsWith(`${gen.METHOD}(`));
const split = report?.result.kind === "split" ? report.result : undefined;
process.stdout.write(
  JSON.stringify({
    generator,
    bytes: report?.originalLength ?? null,
    units,
    buildMs: Math.round(t1 - t0),
    splitMs: Math.round(t2 - t1),
    splitCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    mappingMs: Math.round(t3 - t2),
    mappingKb: Math.round(mappingLength / 1024),
    pieces: split ? split.pieces.length : 0,
    largest: split ? Math.max(split.driverLength, ...split.pieces.map((p) => p.codeLength)) : null,
    result: report?.result.kind ?? "missing",
    reason: report?.result.kind === "refused" ? report.result.reason : undefined,
    peakSplitRssMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + "\n",
);
process.exit(split ? 0 : 1);
