/**
 * A class in plain Jasmin, as compilers that emit Jasmin write it (Sable/Soot
 * style: `.limit`, `.line`, `labelN:`, `ldc`, `iinc`, lookupswitch and tableswitch
 * with `default :`, old Jasmin's `invokenonvirtual Owner.<init>()V`, version 45.3
 * by default): `main` runs one long method of `units` blocks on two ints and
 * prints the first. `expectedOutput` computes the same in TypeScript. About 33
 * bytes of bytecode a unit (170 KB: 5,300 units).
 */
export function jasminClass(className: string, units: number): string {
  const out: string[] = [
    `.class public ${className}`,
    ".super java/lang/Object",
    "",
    ".method public <init>()V",
    "   aload_0",
    "   invokenonvirtual java/lang/Object.<init>()V",
    "   return",
    ".end method",
    "",
    ".method public static main([Ljava/lang/String;)V",
    "   .limit stack 4",
    "   .limit locals 3",
    "   iconst_0",
    "   istore_1",
    "   ldc 12345",
    "   istore_2",
  ];
  let l = 0;
  for (let i = 0; i < units; i++) {
    const odd = `label${l++}`;
    const join = `label${l++}`;
    out.push(`   .line ${i + 1}`, "   iload_1", "   ldc 31", "   imul", "   iload_2", "   iadd", `   ldc ${(i * 7919) % 100003}`, "   iadd", "   istore_1");
    out.push("   iload_1", "   iconst_1", "   iand", `   ifeq ${odd}`, `   iinc 2 ${(i % 50) + 1}`, `   goto ${join}`, `${odd}:`, "   iload_2", `   ldc ${i}`, "   ixor", "   istore_2", `${join}:`);
    if (i % 40 === 39) {
      const [a, b, c, end] = [`label${l++}`, `label${l++}`, `label${l++}`, `label${l++}`];
      out.push("   iload_2", "   iconst_3", "   irem", "   tableswitch 0", `\t${a}`, `\t${b}`, `     default : ${c}`);
      out.push(`${a}:`, "   iinc 1 1", `   goto ${end}`, `${b}:`, "   iload_1", "   lookupswitch", `\t7 : ${end}`, `     default : ${c}`, `${c}:`, "   iinc 2 -1", `${end}:`);
    }
  }
  out.push("   getstatic java/lang/System/out Ljava/io/PrintStream;", "   iload_1", "   invokevirtual java/io/PrintStream/println(I)V", "   return", ".end method", "");
  return out.join("\n");
}

/** What {@link jasminClass}'s main prints. */
export function expectedOutput(units: number): string {
  let x = 0;
  let y = 12345;
  for (let i = 0; i < units; i++) {
    x = (Math.imul(x, 31) + y + ((i * 7919) % 100003)) | 0;
    if ((x & 1) !== 0) y = (y + (i % 50) + 1) | 0;
    else y = y ^ i;
    if (i % 40 === 39) {
      const k = y % 3; // Java's irem: the sign of the dividend
      if (k === 0) x = (x + 1) | 0;
      else if (k === 1 && x === 7) {
        /* lookupswitch to end */
      } else y = (y - 1) | 0;
    }
  }
  return `${x}\n`;
}
