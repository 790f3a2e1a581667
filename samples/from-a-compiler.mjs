// A compiler's view of megasplit: generate a ~200 KB method in memory (far over
// the JVM's 64 KB), split it, write the classes and the mapping.
//   npm run build && node samples/from-a-compiler.mjs out && java -cp out demo.Generated
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Access, Op, formatDiagnostic, newClass, splitMethod } from "megasplit";

const out = process.argv[2] ?? "out";
const cf = newClass({ name: "demo/Generated", sourceFile: "Generated.gen" });
const cp = cf.constantPool;
const code = [{ kind: "simple", op: Op.ICONST_0 }, { kind: "local", op: Op.ISTORE, index: 1 }];
for (let i = 0; i < 22_000; i++) {
  // x = x * 31 + i % 1000, one source line each: 9 bytes of bytecode
  code.push(
    { kind: "line", line: i + 1 },
    { kind: "local", op: Op.ILOAD, index: 1 }, { kind: "int", op: Op.BIPUSH, value: 31 }, { kind: "simple", op: Op.IMUL },
    { kind: "int", op: Op.SIPUSH, value: i % 1000 }, { kind: "simple", op: Op.IADD }, { kind: "local", op: Op.ISTORE, index: 1 },
  );
}
code.push(
  { kind: "cp", op: Op.GETSTATIC, index: cp.addMemberRef("Fieldref", "java/lang/System", "out", "Ljava/io/PrintStream;") },
  { kind: "local", op: Op.ILOAD, index: 1 },
  { kind: "cp", op: Op.INVOKEVIRTUAL, index: cp.addMemberRef("Methodref", "java/io/PrintStream", "println", "(I)V") },
  { kind: "simple", op: Op.RETURN },
);
const result = await splitMethod(cf, { accessFlags: Access.PUBLIC | Access.STATIC, name: "main", descriptor: "([Ljava/lang/String;)V", code });
for (const d of result.diagnostics) console.error(formatDiagnostic(d));
for (const c of result.classes) {
  mkdirSync(dirname(join(out, c.fileName)), { recursive: true });
  writeFileSync(join(out, c.fileName), c.bytes);
}
writeFileSync(`${out}.mapping`, result.mapping);
const [m] = result.methods;
console.log(`main: ${m.originalLength} bytes -> ${m.result.kind === "split" ? `${m.result.pieces.length} pieces` : m.result.reason}`);
