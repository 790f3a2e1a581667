/**
 * Long straight-line generated code as template engines emit it (JSP, Velocity,
 * Jinja-to-Java, report generators): one `render(int)` that appends literal
 * chunks to a StringBuilder, interleaved with computed values and a few
 * conditional sections, with a source line per template line. A unit is one
 * append (8 to 20 bytes); literals come from a set of 2,000, so the constant pool
 * stays small at any size. `main` prints the rendered text's length and hashCode.
 */
import { Access, Op, addMethod, newClass } from "megasplit";
import { aload, astore, cp, iload, int, jump, label, line, op, printInt, unitsForBytes, buildForBytes, withMain } from "./emit.mjs";

export const name = "template";
export const description = "straight-line StringBuilder appends of a template engine";
export const CLASS = "gen/Template";
export const METHOD = "render";
/** The argument main passes to render. */
export const ARG = 7;

/** Unit i: a literal (kind 0), a computed int `n * factor` (1), or a literal shown only when n > threshold (2). */
export function unit(i) {
  const kind = i % 8 === 3 ? 1 : i % 16 === 9 ? 2 : 0;
  const j = i % 2000;
  return { kind, text: `<td class="c${j % 7}">row ${j}</td>`.slice(0, 8 + (j % 23)), factor: (i * 31) % 1000, threshold: i % 13 };
}

export function build(units) {
  let cf = newClass({ name: CLASS, sourceFile: "template.html" });
  const pool = cf.constantPool;
  const sb = "java/lang/StringBuilder";
  const appendS = pool.addMemberRef("Methodref", sb, "append", `(Ljava/lang/String;)L${sb};`);
  const appendI = pool.addMemberRef("Methodref", sb, "append", `(I)L${sb};`);
  const code = [cp(Op.NEW, pool.addClass(sb)), op(Op.DUP), cp(Op.INVOKESPECIAL, pool.addMemberRef("Methodref", sb, "<init>", "()V")), astore(1)];
  let labels = 0;
  for (let i = 0; i < units; i++) {
    const u = unit(i);
    code.push(line(1 + (i % 60000)));
    if (u.kind === 1) code.push(aload(1), iload(0), int(pool, u.factor), op(Op.IMUL), cp(Op.INVOKEVIRTUAL, appendI), op(Op.POP));
    else {
      const skip = labels++;
      if (u.kind === 2) code.push(iload(0), int(pool, u.threshold), jump(Op.IF_ICMPLE, skip));
      code.push(aload(1), cp(Op.LDC, pool.addString(u.text)), cp(Op.INVOKEVIRTUAL, appendS), op(Op.POP));
      if (u.kind === 2) code.push(label(skip));
    }
  }
  code.push(aload(1), cp(Op.INVOKEVIRTUAL, pool.addMemberRef("Methodref", sb, "toString", "()Ljava/lang/String;")), op(Op.ARETURN));
  cf = addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: METHOD, descriptor: "(I)Ljava/lang/String;", code });
  const render = pool.addMemberRef("Methodref", CLASS, METHOD, "(I)Ljava/lang/String;");
  return withMain(cf, [
    int(pool, ARG), cp(Op.INVOKESTATIC, render), astore(1),
    aload(1), cp(Op.INVOKEVIRTUAL, pool.addMemberRef("Methodref", "java/lang/String", "length", "()I")), ...printInt(pool),
    aload(1), cp(Op.INVOKEVIRTUAL, pool.addMemberRef("Methodref", "java/lang/String", "hashCode", "()I")), ...printInt(pool),
  ]);
}

export const unitsFor = (bytes) => unitsForBytes(build, METHOD, bytes);
/** The class with its method about `bytes` long, and the units it took (built once). */
export const buildFor = (bytes) => buildForBytes(build, METHOD, bytes);
