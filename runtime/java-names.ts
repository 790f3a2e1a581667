/**
 * JVM descriptors and internal names in the Java source spelling that stack traces
 * and mapping files use (JVMS 4.2.1 binary names, 4.3 descriptors):
 * `java/lang/String` -> `java.lang.String`, `[I` -> `int[]`,
 * `(ILjava/lang/String;)V` -> return `void`, arguments `int,java.lang.String`.
 */
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";

const PRIMITIVES: Record<string, string> = { B: "byte", C: "char", D: "double", F: "float", I: "int", J: "long", S: "short", Z: "boolean", V: "void" };

export function javaClassName(internalName: string): string {
  return internalName.replace(/\//g, ".");
}

/** The Java spelling of a field descriptor. */
export function javaType(descriptor: string): string {
  let dims = 0;
  while (descriptor[dims] === "[") dims++;
  const base = descriptor.slice(dims);
  const name = base[0] === "L" ? javaClassName(base.slice(1, -1)) : PRIMITIVES[base]!;
  return name + "[]".repeat(dims);
}

export function javaMethodParts(descriptor: string): { returnType: string; args: string } {
  const md = parseMethodDescriptor(descriptor);
  return { returnType: javaType(md.returnType), args: md.params.map(javaType).join(",") };
}
