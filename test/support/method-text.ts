/** Small methods written as Jasmin text (our assembler), decoded for pass tests. */
import { decodeBody } from "../../src/bytecode/decode.js";
import type { MethodBody } from "../../src/bytecode/model.js";
import { codeOf } from "../../src/classfile/model.js";
import { assemble } from "../../src/text/assemble.js";

/** The decoded body of `public static <nameAndDescriptor>` with `methodText` as its code, alone in class T. */
export function bodyOf(methodText: string, nameAndDescriptor = "m()V"): MethodBody {
  const cf = assemble(`.class public T\n.super java/lang/Object\n.method public static ${nameAndDescriptor}\n${methodText}\n.end method\n`)[0]!;
  return decodeBody(codeOf(cf.methods[0]!)!, cf.constantPool);
}
