/**
 * What the generators share: code-node shorthands (instructions of the decoded
 * model of `megasplit`, labels as numbers), a println of an int, and the sizing
 * rule that turns a byte count into a unit count. Every generator exports
 * `name`, `description`, `build(units)` (a class model whose `main` prints what
 * the mega-method computes), `unitsFor(bytes)` and `buildFor(bytes)`.
 */
import { Access, Op, SharedNodes, addMethod, codeOf } from "megasplit";

export const iload = (index) => ({ kind: "local", op: Op.ILOAD, index });
export const istore = (index) => ({ kind: "local", op: Op.ISTORE, index });
export const aload = (index) => ({ kind: "local", op: Op.ALOAD, index });
export const astore = (index) => ({ kind: "local", op: Op.ASTORE, index });
export const op = (o) => ({ kind: "simple", op: o });
export const jump = (o, target) => ({ kind: "jump", op: o, target });
export const label = (l) => ({ kind: "label", label: l });
export const line = (n) => ({ kind: "line", line: n });
export const cp = (o, index) => ({ kind: "cp", op: o, index });

/** Pushes an int without the constant pool (iconst, bipush, sipush), or with it past a short. */
export function int(pool, v) {
  if (v >= -1 && v <= 5) return op(Op.ICONST_0 + v);
  if (v >= -128 && v <= 127) return { kind: "int", op: Op.BIPUSH, value: v };
  if (v >= -32768 && v <= 32767) return { kind: "int", op: Op.SIPUSH, value: v };
  return cp(Op.LDC, pool.addInteger(v));
}

/**
 * `iload`, `istore`, `op`, `int` and `line` as above, over one table of shared
 * nodes (call it once per build: no global cache). Nodes are values (the model's
 * rule), so the hundreds of thousands of `iload 2` or `iadd` in a generated method
 * can each be one object, as the decoder makes them: at 16 MB of bytecode a node
 * per occurrence was most of the heap building the input.
 */
export function sharedShorthands() {
  const shared = new SharedNodes();
  const lines = new Map();
  return {
    iload: (index) => shared.local(Op.ILOAD, index),
    istore: (index) => shared.local(Op.ISTORE, index),
    op: (o) => shared.simple(o),
    int(pool, v) {
      if (v >= -1 && v <= 5) return shared.simple(Op.ICONST_0 + v);
      if (v >= -128 && v <= 127) return shared.int(Op.BIPUSH, v);
      if (v >= -32768 && v <= 32767) return shared.int(Op.SIPUSH, v);
      return shared.cp(Op.LDC, pool.addInteger(v));
    },
    line(n) {
      let node = lines.get(n);
      if (node === undefined) lines.set(n, (node = Object.freeze(line(n))));
      return node;
    },
  };
}

/** Nodes printing the int on top of the stack (System.out.println(int)). */
export function printInt(pool) {
  return [
    cp(Op.GETSTATIC, pool.addMemberRef("Fieldref", "java/lang/System", "out", "Ljava/io/PrintStream;")),
    op(Op.SWAP),
    cp(Op.INVOKEVIRTUAL, pool.addMemberRef("Methodref", "java/io/PrintStream", "println", "(I)V")),
  ];
}

/** Adds `public static void main(String[])` with `code` (a `return` appended). */
export function withMain(cf, code) {
  return addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: "main", descriptor: "([Ljava/lang/String;)V", code: [...code, op(Op.RETURN)] });
}

/** The code length of method `name` of a built class. */
export function codeLength(cf, name) {
  const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === name);
  return codeOf(m).code.length;
}

/**
 * Units that make `build(units)`'s method `name` about `bytes` long (within 2%):
 * a line through two small builds, then, where units do not all cost the same
 * (wide local indices, longer constants), one correction from a build at the
 * estimate.
 */
export function unitsForBytes(build, name, bytes, probe = 400) {
  return buildForBytes(build, name, bytes, probe).units;
}

/**
 * The class `build(units)` with `units` from {@link unitsForBytes}, reusing the build
 * made at the estimate when it is within 2% (`cf` is then that build, not a second
 * one: at 16 MB a build's garbage is over a gigabyte, which a benchmark of the split's
 * memory must not pay twice).
 */
export function buildForBytes(build, name, bytes, probe = 400) {
  const a = codeLength(build(probe), name);
  const b = codeLength(build(2 * probe), name);
  const perUnit = (b - a) / probe;
  const fixed = a - perUnit * probe;
  let units = Math.max(1, Math.round((bytes - fixed) / perUnit));
  if (units > 2 * probe) {
    const cf = build(units);
    const got = codeLength(cf, name);
    if (Math.abs(got - bytes) <= bytes * 0.02) return { units, cf };
    units = Math.max(1, Math.round(units * ((bytes - fixed) / (got - fixed))));
  }
  return { units, cf: build(units) };
}
