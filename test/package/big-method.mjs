// Builds, in memory, a class whose main() prints the result of one generated
// method of more than 1 MB of bytecode, splits it with megasplit and writes the
// classes under argv[2] and the mapping to argv[2].mapping. Imports only from the
// package name: it runs in a project that installed the packed tarball
// (test/package.test.ts). argv[3]: the number of units (30 bytes each).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Access, Op, addMethod, newClass, splitMethod, formatDiagnostic } from "megasplit";

const [out, unitsArg] = process.argv.slice(2);
const units = Number(unitsArg);
let cf = newClass({ name: "pkg/Big", sourceFile: "Big.gen" });
const cp = cf.constantPool;
// h = h * 31 + k; if ((h & 1) == 0) h ^= c; else h += c;   (h in local 0)
const code = [{ kind: "int", op: Op.SIPUSH, value: 7 }, { kind: "local", op: Op.ISTORE, index: 0 }];
let label = 0;
for (let i = 0; i < units; i++) {
  const k = ((i * 7919) % 65536) - 32768;
  const c = ((i * 104729 + 17) % 65536) - 32768;
  const odd = label++, end = label++;
  code.push(
    { kind: "line", line: 1 + (i % 60000) },
    { kind: "local", op: Op.ILOAD, index: 0 }, { kind: "int", op: Op.BIPUSH, value: 31 }, { kind: "simple", op: Op.IMUL },
    { kind: "int", op: Op.SIPUSH, value: k }, { kind: "simple", op: Op.IADD }, { kind: "local", op: Op.ISTORE, index: 0 },
    { kind: "local", op: Op.ILOAD, index: 0 }, { kind: "simple", op: Op.ICONST_1 }, { kind: "simple", op: Op.IAND },
    { kind: "jump", op: Op.IFNE, target: odd },
    { kind: "local", op: Op.ILOAD, index: 0 }, { kind: "int", op: Op.SIPUSH, value: c }, { kind: "simple", op: Op.IXOR }, { kind: "local", op: Op.ISTORE, index: 0 },
    { kind: "jump", op: Op.GOTO, target: end },
    { kind: "label", label: odd },
    { kind: "local", op: Op.ILOAD, index: 0 }, { kind: "int", op: Op.SIPUSH, value: c }, { kind: "simple", op: Op.IADD }, { kind: "local", op: Op.ISTORE, index: 0 },
    { kind: "label", label: end },
  );
}
code.push({ kind: "local", op: Op.ILOAD, index: 0 }, { kind: "simple", op: Op.IRETURN });
cf = addMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: "compute", descriptor: "()I", code });
const result = await splitMethod(cf, {
  accessFlags: Access.PUBLIC | Access.STATIC,
  name: "main",
  descriptor: "([Ljava/lang/String;)V",
  code: [
    { kind: "cp", op: Op.GETSTATIC, index: cp.addMemberRef("Fieldref", "java/lang/System", "out", "Ljava/io/PrintStream;") },
    { kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef("Methodref", "pkg/Big", "compute", "()I") },
    { kind: "cp", op: Op.INVOKEVIRTUAL, index: cp.addMemberRef("Methodref", "java/io/PrintStream", "println", "(I)V") },
    { kind: "simple", op: Op.RETURN },
  ],
});
for (const d of result.diagnostics) console.error(formatDiagnostic(d));
for (const c of result.classes) {
  mkdirSync(dirname(join(out, c.fileName)), { recursive: true });
  writeFileSync(join(out, c.fileName), c.bytes);
}
writeFileSync(`${out}.mapping`, result.mapping);
const m = result.methods.find((x) => x.method === "compute()I");
console.log(JSON.stringify({ originalLength: m?.originalLength, kind: m?.result.kind, pieces: m?.result.kind === "split" ? m.result.pieces.length : 0, classes: result.classes.map((c) => c.name) }));
