/**
 * An interpreter's dispatch loop, as bytecode interpreters, regex and lexer
 * engines and state-machine compilers emit it: `run(steps)` loops around one
 * large tableswitch on the state; each case updates the accumulator and picks
 * the next state from it, until the step budget runs out. A unit is one case
 * (about 30 bytes with its switch entry). The loop crosses every piece, so the
 * split must go through the trampoline. `main` prints run(STEPS).
 */
import { Access, Op, addMethod, newClass } from "megasplit";
import { cp, int, jump, label, printInt, sharedShorthands, unitsForBytes, buildForBytes, withMain } from "./emit.mjs";

export const name = "interpreter";
export const description = "a loop around a large tableswitch (state machine)";
export const CLASS = "gen/Interp";
export const METHOD = "run";
export const STEPS = 200_000;

/** Case k: acc = acc * mul + add; state = (state + jump + (acc >>> 28)) % cases. */
export function caseOf(k) {
  return { mul: (k * 7 + 3) % 1000, add: ((k * 7919) % 60000) - 30000, jump: 1 + ((k * 104729) % 30000) };
}

export function build(units) {
  let cf = newClass({ name: CLASS, sourceFile: "Interp.gen" });
  const pool = cf.constantPool;
  // locals: 0 steps, 1 state, 2 acc, 3 the number of cases
  const LOOP = 0, EXIT = 1, FIRST = 2;
  // Equal nodes are one object (sharedShorthands): the input's build at 16 MB stays under 1 GB.
  const { iload, istore, op, int: push, line } = sharedShorthands();
  const gotoLoop = jump(Op.GOTO, LOOP);
  const code = [op(Op.ICONST_0), istore(1), push(pool, 12345), istore(2), push(pool, units), istore(3)];
  code.push(label(LOOP), iload(0), jump(Op.IFLE, EXIT), { kind: "iinc", index: 0, delta: -1 }, iload(1));
  code.push({ kind: "tableswitch", low: 0, high: units - 1, defaultTarget: EXIT, targets: Array.from({ length: units }, (_, k) => FIRST + k) });
  for (let k = 0; k < units; k++) {
    const c = caseOf(k);
    code.push(label(FIRST + k), line(1 + (k % 60000)));
    code.push(iload(2), push(pool, c.mul), op(Op.IMUL), push(pool, c.add), op(Op.IADD), istore(2));
    code.push(iload(1), push(pool, c.jump), op(Op.IADD), iload(2), push(pool, 28), op(Op.IUSHR), op(Op.IADD), iload(3), op(Op.IREM), istore(1));
    code.push(gotoLoop);
  }
  code.push(label(EXIT), iload(2), op(Op.IRETURN));
  cf = addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: METHOD, descriptor: "(I)I", code });
  return withMain(cf, [int(pool, STEPS), cp(Op.INVOKESTATIC, pool.addMemberRef("Methodref", CLASS, METHOD, "(I)I")), ...printInt(pool)]);
}

export const unitsFor = (bytes) => unitsForBytes(build, METHOD, bytes);
/** The class with its method about `bytes` long, and the units it took (built once). */
export const buildFor = (bytes) => buildForBytes(build, METHOD, bytes);
