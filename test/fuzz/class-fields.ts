/**
 * Where the counts and lengths of a valid class file are (JVMS 4.1, 4.4, 4.7):
 * constant_pool_count, every CONSTANT_Utf8 length, interfaces/fields/methods
 * counts, every attributes_count and attribute_length, and inside Code:
 * max_stack, max_locals, code_length, exception_table_length and the entry
 * counts of LineNumberTable, LocalVariable(Type)Table and StackMapTable. The class
 * fuzzer sets these to extremes, since a lying count or length is what a reader
 * must survive without a crash or an allocation the length asks for. Each
 * method's code array is listed too, for mutations that keep the class readable
 * and change only bytecode.
 * Walks the bytes once; assumes a well-formed class (the corpus).
 */
export interface LengthField {
  offset: number;
  /** 2 or 4: a u2 or u4 count or length; 0: the first byte of a method's code, `length` bytes long. */
  size: 0 | 2 | 4;
  length?: number;
}

const CP_SIZES: Record<number, number> = { 3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2 };

export function lengthFields(b: Uint8Array): LengthField[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: LengthField[] = [];
  const u2 = (p: number) => v.getUint16(p);
  let p = 8;
  out.push({ offset: p, size: 2 });
  const cpCount = u2(p);
  p += 2;
  const utf8: string[] = [];
  for (let i = 1; i < cpCount; i++) {
    const tag = b[p]!;
    if (tag === 1) {
      out.push({ offset: p + 1, size: 2 });
      const n = u2(p + 1);
      utf8[i] = Buffer.from(b.subarray(p + 3, p + 3 + n)).toString("latin1");
      p += 3 + n;
    } else {
      p += 1 + CP_SIZES[tag]!;
      if (tag === 5 || tag === 6) i++;
    }
  }
  p += 6;
  out.push({ offset: p, size: 2 });
  p += 2 + 2 * u2(p);
  const attributes = (at: number): number => {
    out.push({ offset: at, size: 2 });
    const n = u2(at);
    let q = at + 2;
    for (let k = 0; k < n; k++) {
      const name = utf8[u2(q)];
      out.push({ offset: q + 2, size: 4 });
      const len = v.getUint32(q + 2);
      const body = q + 6;
      if (name === "Code") {
        out.push({ offset: body, size: 2 }, { offset: body + 2, size: 2 }, { offset: body + 4, size: 4 });
        const codeEnd = body + 8 + v.getUint32(body + 4);
        out.push({ offset: body + 8, size: 0, length: codeEnd - body - 8 });
        out.push({ offset: codeEnd, size: 2 });
        attributes(codeEnd + 2 + 8 * u2(codeEnd));
      } else if (name === "LineNumberTable" || name === "LocalVariableTable" || name === "LocalVariableTypeTable" || name === "StackMapTable" || name === "Exceptions" || name === "InnerClasses" || name === "BootstrapMethods") {
        out.push({ offset: body, size: 2 });
      }
      q = body + len;
    }
    return q;
  };
  for (const _ of ["fields", "methods"]) {
    out.push({ offset: p, size: 2 });
    const n = u2(p);
    p += 2;
    for (let k = 0; k < n; k++) p = attributes(p + 6);
  }
  attributes(p);
  return out;
}
