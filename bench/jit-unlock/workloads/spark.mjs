#!/usr/bin/env node
/**
 * bench/jit-unlock Spark-style workload generator: writes `SparkStage.java`, Java
 * in the shape of Spark SQL's whole-stage code generation: one method,
 * `processBatch`, loops over the rows of a columnar batch (long and double columns
 * with null masks) and evaluates a long chain of projected expressions the way
 * Spark's generated code does, each expression as an `isNull_N` / `value_N` pair
 * of locals guarded by `if (!isNull_N)`, with arithmetic, comparisons, CASE-WHEN
 * style branches and casts, then a filter and a hash aggregate into a few
 * accumulators. Deterministic (seeded PRNG); `exprs` sets the size (about 45 bytes
 * of bytecode an expression with javac or Janino). The class is a workload of
 * Harness.java: `applyAsLong(i)` processes one batch (batch i mod 4) and returns
 * the aggregate.
 *
 *   node bench/jit-unlock/workloads/spark.mjs <out-dir> [exprs=220] [rows=1024]
 *   java -cp janino.jar:commons-compiler.jar org.codehaus.janino.Compiler -d classes <out-dir>/SparkStage.java
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [outDir, exprsArg, rowsArg] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node bench/jit-unlock/workloads/spark.mjs <out-dir> [exprs=220] [rows=1024]");
  process.exit(2);
}
const EXPRS = Number(exprsArg ?? 220);
const ROWS = Number(rowsArg ?? 1024);
let state = 0x5eed;
const rnd = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

// Columns: 6 long (l0..l5) and 4 double (d0..d3), each with a null mask.
const LONGS = 6, DOUBLES = 4;
const lines = [];
// Every expression N yields (isNull_N, value_N) of kind "J" or "D".
const kinds = [];
const emit = (s) => lines.push(`        ${s}`);
for (let c = 0; c < LONGS; c++) {
  emit(`boolean isNull_${kinds.length} = nl${c}[r];`);
  emit(`long value_${kinds.length} = isNull_${kinds.length} ? -1L : l${c}[r];`);
  kinds.push("J");
}
for (let c = 0; c < DOUBLES; c++) {
  emit(`boolean isNull_${kinds.length} = nd${c}[r];`);
  emit(`double value_${kinds.length} = isNull_${kinds.length} ? -1.0 : d${c}[r];`);
  kinds.push("D");
}
const pickOf = (kind) => {
  // Prefer recent expressions, as nested projections do.
  for (;;) {
    const k = Math.max(0, kinds.length - 1 - Math.floor(rnd() * rnd() * 24));
    if (kinds[k] === kind) return k;
    const j = int(0, kinds.length - 1);
    if (kinds[j] === kind) return j;
  }
};
for (let e = 0; e < EXPRS; e++) {
  const n = kinds.length;
  const form = int(0, 5);
  if (form <= 1) {
    const a = pickOf("J"), b = pickOf("J");
    const op = ["+", "-", "*", "^", "&", "|"][int(0, 5)];
    emit(`boolean isNull_${n} = isNull_${a} || isNull_${b};`);
    emit(`long value_${n} = -1L;`);
    emit(`if (!isNull_${n}) { value_${n} = value_${a} ${op} value_${b} * ${int(1, 999)}L; }`);
    kinds.push("J");
  } else if (form === 2) {
    const a = pickOf("D"), b = pickOf("D");
    const op = ["+", "-", "*"][int(0, 2)];
    emit(`boolean isNull_${n} = isNull_${a} || isNull_${b};`);
    emit(`double value_${n} = -1.0;`);
    emit(`if (!isNull_${n}) { value_${n} = value_${a} ${op} value_${b} * ${int(1, 99)}.5; }`);
    kinds.push("D");
  } else if (form === 3) {
    const a = pickOf("J"), b = pickOf("J"), c = pickOf("J");
    emit(`boolean isNull_${n} = isNull_${a};`);
    emit(`long value_${n} = -1L;`);
    emit(`if (!isNull_${n}) { if (value_${a} % ${int(2, 9)}L == 0L) { value_${n} = value_${b} + ${int(1, 99)}L; } else { value_${n} = value_${c} - ${int(1, 99)}L; } }`);
    kinds.push("J");
  } else if (form === 4) {
    const a = pickOf("D");
    emit(`boolean isNull_${n} = isNull_${a};`);
    emit(`long value_${n} = -1L;`);
    emit(`if (!isNull_${n}) { value_${n} = (long) (value_${a} * ${int(2, 64)}.0) % 1000003L; }`);
    kinds.push("J");
  } else {
    const a = pickOf("J");
    emit(`boolean isNull_${n} = isNull_${a};`);
    emit(`double value_${n} = -1.0;`);
    emit(`if (!isNull_${n}) { value_${n} = (double) (value_${a} % ${int(3, 997)}L) / ${int(2, 50)}.0; }`);
    kinds.push("D");
  }
}
// Filter on two late expressions, then aggregate every tenth expression.
const last = kinds.length - 1;
const fl = pickOf("J");
emit(`if (isNull_${fl} || value_${fl} % 7L == 3L) { continue; }`);
emit(`count++;`);
for (let k = last; k >= 0; k -= 10) {
  const v = kinds[k] === "J" ? `value_${k}` : `Double.doubleToLongBits(value_${k})`;
  emit(`if (!isNull_${k}) { agg${k % 4} = agg${k % 4} * 31L + ${v}; } else { nulls++; }`);
}

const cols = [
  ...Array.from({ length: LONGS }, (_, c) => `long[] l${c}, boolean[] nl${c}`),
  ...Array.from({ length: DOUBLES }, (_, c) => `double[] d${c}, boolean[] nd${c}`),
].join(", ");
const args = (b) => [
  ...Array.from({ length: LONGS }, (_, c) => `L[${b}][${c}], NL[${b}][${c}]`),
  ...Array.from({ length: DOUBLES }, (_, c) => `D[${b}][${c}], ND[${b}][${c}]`),
].join(", ");

const java = `// Generated by bench/jit-unlock/workloads/spark.mjs (exprs ${EXPRS}, rows ${ROWS}); do not edit.
public final class SparkStage implements java.util.function.LongUnaryOperator {
  static final int ROWS = ${ROWS};
  static final long[][][] L = new long[4][${LONGS}][ROWS];
  static final boolean[][][] NL = new boolean[4][${LONGS}][ROWS];
  static final double[][][] D = new double[4][${DOUBLES}][ROWS];
  static final boolean[][][] ND = new boolean[4][${DOUBLES}][ROWS];
  static {
    long s = 42L;
    for (int b = 0; b < 4; b++) {
      for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < ${LONGS}; c++) {
          s = s * 6364136223846793005L + 1442695040888963407L;
          L[b][c][r] = (s >>> 20) % 100000L;
          NL[b][c][r] = ((s >>> 8) & 31L) == 0L;
        }
        for (int c = 0; c < ${DOUBLES}; c++) {
          s = s * 6364136223846793005L + 1442695040888963407L;
          D[b][c][r] = (double) ((s >>> 24) % 100000L) / 128.0;
          ND[b][c][r] = ((s >>> 8) & 31L) == 0L;
        }
      }
    }
  }

  @Override
  public long applyAsLong(long i) {
    int b = (int) (i & 3L);
    switch (b) {
      case 0: return processBatch(${args(0)}, ROWS);
      case 1: return processBatch(${args(1)}, ROWS);
      case 2: return processBatch(${args(2)}, ROWS);
      default: return processBatch(${args(3)}, ROWS);
    }
  }

  static long processBatch(${cols}, int rows) {
    long agg0 = 0L, agg1 = 0L, agg2 = 0L, agg3 = 0L;
    long count = 0L, nulls = 0L;
    for (int r = 0; r < rows; r++) {
${lines.join("\n")}
    }
    return ((agg0 * 31L + agg1) * 31L + agg2) * 31L + agg3 + count * 1000003L + nulls;
  }
}
`;
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "SparkStage.java"), java);
