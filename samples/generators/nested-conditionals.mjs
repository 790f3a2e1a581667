/**
 * Deeply nested conditionals, as rule engines and decision trees compiled to code
 * emit them: `decide(x, y)` is a tree of `if (x < t) { ... } else { ... }` with
 * code before each test and after each join; leaves mix y with a constant. The
 * tree is lopsided (a quarter of the leaves on one side, three quarters on the
 * other), so its depth grows like 2.4 log2 of its size (about 45 at 16 MB). A unit
 * is one leaf (about 35 bytes with its share of the tests; thresholds past a short are pushed as (hi << 15) + lo, not from the constant pool). `main` prints the sum
 * of decide(x, i) over a thousand inputs.
 */
import { Access, Op, addMethod, newClass } from "megasplit";
import { cp, iload, int, istore, jump, label, line, op, printInt, unitsForBytes, buildForBytes, withMain } from "./emit.mjs";

export const name = "nested-conditionals";
export const description = "a lopsided tree of nested if/else (decision tree, rules)";
export const CLASS = "gen/Rules";
export const METHOD = "decide";
export const INPUTS = 1000;

/**
 * The tree of `leaves` leaves over x in [lo, hi): a leaf `{ leaf, c }` or a node
 * `{ pre, t, post, left, right }` (y += pre; x < t ? left : right; y = y * 3 + post).
 */
export function tree(leaves, lo = 0, hi = 1 << 30, id = { next: 0 }) {
  const n = id.next++;
  if (leaves === 1) return { leaf: true, c: (n * 7919) % 30000 };
  const left = Math.max(1, Math.floor(leaves / 4));
  const t = lo + Math.floor(((hi - lo) * left) / leaves);
  return { leaf: false, pre: (n * 31) % 1000, t, post: (n * 104729) % 100, left: tree(left, lo, t, id), right: tree(leaves - left, t, hi, id) };
}

/** The x main passes for input i: spread over [0, 2^30). */
export const inputX = (i) => (i * 1_073_741) % (1 << 30);

/**
 * Pushes a threshold below 2^30: a short as it is, a larger one as (hi << 15) + lo,
 * so that hundreds of thousands of distinct thresholds (16 MB) need no constants.
 */
function threshold(pool, t) {
  if (t <= 32767) return [int(pool, t)];
  return [int(pool, t >> 15), { kind: "int", op: Op.BIPUSH, value: 15 }, op(Op.ISHL), int(pool, t & 0x7fff), op(Op.IADD)];
}

function emit(node, pool, code, labels) {
  if (node.leaf) {
    code.push(iload(1), int(pool, node.c), op(Op.IXOR), istore(1));
    return;
  }
  const [right, join] = [labels.next++, labels.next++];
  code.push(line(1 + (labels.next % 60000)), iload(1), int(pool, node.pre), op(Op.IADD), istore(1));
  code.push(iload(0), ...threshold(pool, node.t), jump(Op.IF_ICMPGE, right));
  emit(node.left, pool, code, labels);
  code.push(jump(Op.GOTO, join), label(right));
  emit(node.right, pool, code, labels);
  code.push(label(join), iload(1), op(Op.ICONST_3), op(Op.IMUL), int(pool, node.post), op(Op.IADD), istore(1));
}

export function build(units) {
  let cf = newClass({ name: CLASS, sourceFile: "Rules.gen" });
  const pool = cf.constantPool;
  const code = [];
  emit(tree(units), pool, code, { next: 0 });
  code.push(iload(1), op(Op.IRETURN));
  cf = addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: METHOD, descriptor: "(II)I", code });
  // for (i = 0; i < INPUTS; i++) sum += decide(inputX(i), i)   -- inputX computed in Java as (int)((long)i * 1073741 % 2^30)
  const [LOOP, DONE] = [0, 1];
  return withMain(cf, [
    op(Op.ICONST_0), istore(1), op(Op.ICONST_0), istore(2),
    label(LOOP), iload(2), int(pool, INPUTS), jump(Op.IF_ICMPGE, DONE),
    iload(1), iload(2), int(pool, 1_073_741), op(Op.IMUL), int(pool, (1 << 30) - 1), op(Op.IAND), iload(2),
    cp(Op.INVOKESTATIC, pool.addMemberRef("Methodref", CLASS, METHOD, "(II)I")), op(Op.IADD), istore(1),
    { kind: "iinc", index: 2, delta: 1 }, jump(Op.GOTO, LOOP),
    label(DONE), iload(1), ...printInt(pool),
  ]);
}

export const unitsFor = (bytes) => unitsForBytes(build, METHOD, bytes);
/** The class with its method about `bytes` long, and the units it took (built once). */
export const buildFor = (bytes) => buildForBytes(build, METHOD, bytes);
