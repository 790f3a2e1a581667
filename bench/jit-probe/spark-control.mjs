#!/usr/bin/env node
/**
 * jit-probe: a hand-written split of bench/jit-unlock's Spark workload, the control
 * for "values as parameters" (issue 9). Reads the `SparkStage.java` that
 * `bench/jit-unlock/workloads/spark.mjs` writes and writes `SparkStage.java` into
 * <out-dir> with the same class name and the same results, but `processBatch`'s row
 * body cut in two at expression <cut>: the method keeps the row loop and the
 * expressions before the cut, and calls `rest(...)` once a row with every earlier
 * `isNull_N` / `value_N` the rest reads as a parameter; `rest` evaluates the other
 * expressions, the filter and the aggregate, with the six accumulators in a
 * `long[6]` it loads at its start and stores at its end. Each half is under 8,000
 * bytes once compiled, so HotSpot compiles both with default flags; nothing crosses
 * through a heap frame. Compile it with Janino as the workload does.
 *
 * With `arrays` the values cross in three arrays instead (`long[]`, `double[]`,
 * `boolean[]`, allocated once per batch), stored just before the call and loaded
 * into locals at `rest`'s start: a heap frame written once per transfer, not at
 * every store as megasplit's driver writes it through.
 *
 * With `packed` the values are parameters but the null flags travel as the bits of
 * `long` masks (64 flags a mask): about half the arguments of `params`, under the 48
 * stack arguments past which C2 refuses to compile a method (docs/design/jit-speed.md).
 *
 * With `fields` the values cross as `arrays` does, but in the typed fields of one
 * object of a nested class `Xfer` (one field per null flag and per value, allocated
 * once per batch): no range checks, and each field its own alias class for C2,
 * where every element of one array type shares one.
 *
 *   node bench/jit-probe/spark-control.mjs <SparkStage.java> <out-dir> [cut=120] [params|arrays|packed|fields]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [input, outDir, cutArg] = process.argv.slice(2, 5);
if (!input || !outDir) {
  console.error("usage: node bench/jit-probe/spark-control.mjs <SparkStage.java> <out-dir> [cut=120]");
  process.exit(2);
}
const cut = Number(cutArg ?? 120);
const viaArrays = process.argv[5] === "arrays";
const packed = process.argv[5] === "packed";
const viaFields = process.argv[5] === "fields";
const src = readFileSync(input, "utf8").split("\n");
const loopAt = src.findIndex((l) => l.trim() === "for (int r = 0; r < rows; r++) {");
const endAt = src.indexOf("    }", loopAt);
if (loopAt < 0 || endAt < 0) throw new Error("not a SparkStage.java of bench/jit-unlock/workloads/spark.mjs");
const body = src.slice(loopAt + 1, endAt);
const cutLine = body.findIndex((l) => l.trim().startsWith(`boolean isNull_${cut} =`));
if (cutLine < 0) throw new Error(`no expression ${cut}`);
const first = body.slice(0, cutLine);
const rest = body.slice(cutLine);

// The type of every value declared before the cut, and which of them the rest reads.
const valueType = new Map();
for (const l of first) {
  const m = /^\s*(long|double) value_(\d+) =/.exec(l);
  if (m) valueType.set(Number(m[2]), m[1]);
}
const restText = rest.join("\n");
const read = [...valueType.keys()].filter((n) => new RegExp(`\\b(isNull|value)_${n}\\b`).test(restText));
const slots = read.reduce((s) => s + 1 + 2, 0) + 1;
if (!viaArrays && !viaFields && slots > 255) throw new Error(`${slots} parameter slots: over the JVM's 255`);
// Arrays: value N of kind J or D at its index among the crossing values of its kind; isNull at its index among all.
const indexIn = (n) => read.filter((k) => valueType.get(k) === valueType.get(n)).indexOf(n);
const arr = (n) => (valueType.get(n) === "long" ? "lv" : "dv");
// Packed: flag i is bit i % 64 of mask i / 64.
const masks = Math.ceil(read.length / 64);
const maskNames = Array.from({ length: masks }, (_, m) => `nullMask${m}`);
const params = viaFields
  ? ["Xfer xf"]
  : viaArrays
  ? ["long[] lv", "double[] dv", "boolean[] nv"]
  : packed
    ? [...maskNames.map((m) => `long ${m}`), ...read.map((n) => `${valueType.get(n)} value_${n}`)]
    : read.flatMap((n) => [`boolean isNull_${n}`, `${valueType.get(n)} value_${n}`]);
const args = viaFields ? ["xf"] : viaArrays ? ["lv", "dv", "nv"] : packed ? [...maskNames, ...read.map((n) => `value_${n}`)] : read.flatMap((n) => [`isNull_${n}`, `value_${n}`]);
const bit = (i) => `${maskNames[Math.floor(i / 64)]}`;
const storesBeforeCall = viaFields
  ? read.map((n) => `        xf.n_${n} = isNull_${n}; xf.v_${n} = value_${n};`)
  : viaArrays
  ? read.map((n, i) => `        nv[${i}] = isNull_${n}; ${arr(n)}[${indexIn(n)}] = value_${n};`)
  : packed
    ? maskNames.map((m, k) => `        long ${m} = ${read.slice(k * 64, k * 64 + 64).map((n, j) => `(isNull_${n} ? 1L << ${j} : 0L)`).join(" | ")};`)
    : [];
const loadsAtStart = viaFields
  ? read.map((n) => `    boolean isNull_${n} = xf.n_${n}; ${valueType.get(n)} value_${n} = xf.v_${n};`)
  : viaArrays
  ? read.map((n, i) => `    boolean isNull_${n} = nv[${i}]; ${valueType.get(n)} value_${n} = ${arr(n)}[${indexIn(n)}];`)
  : packed
    ? read.map((n, i) => `    boolean isNull_${n} = (${bit(i)} & (1L << ${i % 64})) != 0L;`)
    : [];
const restBody = rest.map((l) => l.replace("{ continue; }", "{ break row; }"));
const method = [
  `  static void rest(${[...params, "long[] acc"].join(", ")}) {`,
  ...loadsAtStart,
  `    long agg0 = acc[0], agg1 = acc[1], agg2 = acc[2], agg3 = acc[3], count = acc[4], nulls = acc[5];`,
  `    row: {`,
  ...restBody.map((l) => `  ${l}`),
  `    }`,
  `    acc[0] = agg0; acc[1] = agg1; acc[2] = agg2; acc[3] = agg3; acc[4] = count; acc[5] = nulls;`,
  `  }`,
];
const head = src.slice(0, loopAt);
const declAt = head.findIndex((l) => l.includes("long agg0 = 0L, agg1 = 0L"));
head[declAt] = viaFields
  ? "    long[] acc = new long[6]; Xfer xf = new Xfer();"
  : viaArrays
  ? `    long[] acc = new long[6]; long[] lv = new long[${read.length}]; double[] dv = new double[${read.length}]; boolean[] nv = new boolean[${read.length}];`
  : "    long[] acc = new long[6];";
head.splice(declAt + 1, 1); // `long count = 0L, nulls = 0L;`
const tail = src.slice(endAt + 1);
const retAt = tail.findIndex((l) => l.trim().startsWith("return ((agg0"));
tail[retAt] = "    return ((acc[0] * 31L + acc[1]) * 31L + acc[2]) * 31L + acc[3] + acc[4] * 1000003L + acc[5];";
const closeAt = tail.indexOf("  }");
const out = [
  ...head,
  src[loopAt],
  ...first,
  ...storesBeforeCall,
  `        rest(${[...args, "acc"].join(", ")});`,
  src[endAt],
  ...tail.slice(0, closeAt + 1),
  "",
  ...method,
  ...(viaFields ? ["", "  static final class Xfer {", ...read.map((n) => `    boolean n_${n}; ${valueType.get(n)} v_${n};`), "  }"] : []),
  ...tail.slice(closeAt + 1),
].join("\n");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "SparkStage.java"), out.replace("// Generated by", "// Hand-split control (bench/jit-probe/spark-control.mjs) of a file generated by"));
console.log(`cut at expression ${cut}: ${read.length} values cross ${viaFields ? "in the fields of an object" : viaArrays ? "in arrays" : packed ? `as ${read.length} values and ${masks} null mask(s)` : `as ${slots} parameter slots`}`);
