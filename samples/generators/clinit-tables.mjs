/**
 * A `<clinit>` filling `static final` tables and a map, as javac writes array
 * initialisers and static blocks (lexer/parser tables, Unicode data, generated
 * enums): int arrays element by element (`dup; index; value; iastore`), String
 * arrays from a set of literals, then a HashMap filled with `put(key, value)`;
 * each table stored once into its final field (class version 61, so the writes
 * must stay in `<clinit>`). A unit is one element or one put (8 to 15 bytes);
 * arrays hold at most 30,000 elements, so indices stay sipush operands and the
 * constant pool stays small at any size. `main` prints Arrays.hashCode of each
 * table, then the map's size and hashCode.
 */
import { Access, Op, addMethod, newClass } from "megasplit";
import { cp, int, op, printInt, unitsForBytes, buildForBytes, withMain } from "./emit.mjs";

export const name = "clinit-tables";
export const description = "<clinit> filling static final int[]/String[] tables and a HashMap";
export const CLASS = "gen/Tables";
export const METHOD = "<clinit>";
const PER_ARRAY = 30_000;

/** The tables for `units` units: int arrays, String arrays and map puts (data the test's reference reads). */
export function layout(units) {
  const ints = Math.ceil(units * 0.7);
  const strings = Math.ceil(units * 0.15);
  const puts = Math.max(1, units - ints - strings);
  const split = (n) => Array.from({ length: Math.max(1, Math.ceil(n / PER_ARRAY)) }, (_, k) => Math.min(PER_ARRAY, n - k * PER_ARRAY)).filter((x) => x > 0);
  return { intArrays: split(ints), stringArrays: split(strings), puts };
}
export const intValue = (k, j) => ((k * 31 + j * 7919) % 65536) - 32768;
export const stringValue = (k, j) => `s${(k * 7 + j) % 1000}`;
export const putKey = (i) => `key${(i * 13) % 2000}`;
export const putValue = (i) => (i * 104729) % 30011;

export function build(units) {
  let cf = newClass({ name: CLASS, majorVersion: 61, sourceFile: "Tables.gen" });
  const pool = cf.constantPool;
  const { intArrays, stringArrays, puts } = layout(units);
  const fields = [];
  const code = [];
  intArrays.forEach((n, k) => {
    const f = pool.addMemberRef("Fieldref", CLASS, `T${k}`, "[I");
    fields.push({ name: `T${k}`, desc: "[I", ref: f });
    code.push(int(pool, n), { kind: "int", op: Op.NEWARRAY, value: 10 });
    for (let j = 0; j < n; j++) code.push(op(Op.DUP), int(pool, j), int(pool, intValue(k, j)), op(Op.IASTORE));
    code.push(cp(Op.PUTSTATIC, f));
  });
  const stringClass = pool.addClass("java/lang/String");
  stringArrays.forEach((n, k) => {
    const f = pool.addMemberRef("Fieldref", CLASS, `S${k}`, "[Ljava/lang/String;");
    fields.push({ name: `S${k}`, desc: "[Ljava/lang/String;", ref: f });
    code.push(int(pool, n), cp(Op.ANEWARRAY, stringClass));
    for (let j = 0; j < n; j++) code.push(op(Op.DUP), int(pool, j), cp(Op.LDC, pool.addString(stringValue(k, j))), op(Op.AASTORE));
    code.push(cp(Op.PUTSTATIC, f));
  });
  const map = pool.addMemberRef("Fieldref", CLASS, "MAP", "Ljava/util/Map;");
  fields.push({ name: "MAP", desc: "Ljava/util/Map;", ref: map });
  code.push(cp(Op.NEW, pool.addClass("java/util/HashMap")), op(Op.DUP), cp(Op.INVOKESPECIAL, pool.addMemberRef("Methodref", "java/util/HashMap", "<init>", "()V")), cp(Op.PUTSTATIC, map));
  const valueOf = pool.addMemberRef("Methodref", "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;");
  const put = pool.addMemberRef("InterfaceMethodref", "java/util/Map", "put", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;");
  for (let i = 0; i < puts; i++) {
    code.push(cp(Op.GETSTATIC, map), cp(Op.LDC, pool.addString(putKey(i))), int(pool, putValue(i)), cp(Op.INVOKESTATIC, valueOf));
    code.push({ kind: "invokeinterface", index: put, count: 3 }, op(Op.POP));
  }
  code.push(op(Op.RETURN));
  const fin = Access.PUBLIC | Access.STATIC | Access.FINAL;
  cf = { ...cf, fields: fields.map((f) => ({ accessFlags: fin, nameIndex: pool.addUtf8(f.name), descriptorIndex: pool.addUtf8(f.desc), attributes: [] })) };
  cf = addMethod(cf, { accessFlags: Access.STATIC, name: "<clinit>", descriptor: "()V", code });
  const main = [];
  const intHash = pool.addMemberRef("Methodref", "java/util/Arrays", "hashCode", "([I)I");
  const objHash = pool.addMemberRef("Methodref", "java/util/Arrays", "hashCode", "([Ljava/lang/Object;)I");
  for (const f of fields) {
    if (f.name === "MAP") continue;
    main.push(cp(Op.GETSTATIC, f.ref), cp(Op.INVOKESTATIC, f.desc === "[I" ? intHash : objHash), ...printInt(pool));
  }
  main.push(cp(Op.GETSTATIC, map), { kind: "invokeinterface", index: pool.addMemberRef("InterfaceMethodref", "java/util/Map", "size", "()I"), count: 1 }, ...printInt(pool));
  main.push(cp(Op.GETSTATIC, map), { kind: "invokeinterface", index: pool.addMemberRef("InterfaceMethodref", "java/util/Map", "hashCode", "()I"), count: 1 }, ...printInt(pool));
  return withMain(cf, main);
}

export const unitsFor = (bytes) => unitsForBytes(build, METHOD, bytes);
/** The class with its method about `bytes` long, and the units it took (built once). */
export const buildFor = (bytes) => buildForBytes(build, METHOD, bytes);
