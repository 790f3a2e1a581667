/**
 * The independent judges of a WebAssembly module for the codec tests: V8's
 * `WebAssembly.validate` (Node's engine), wabt's validator (`wabt` from npm,
 * readWasm + validate) and Binaryen's (`binaryen` from npm, readBinary +
 * validate), each with every feature the module may use switched on.
 */
import binaryen from "binaryen";
import wabtFactory from "wabt";

const wabt = await wabtFactory();

/** wabt's feature switches: everything the codec reads. */
export const WABT_FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  extended_const: true,
  relaxed_simd: true,
  multi_memory: true,
  gc: true,
};

/** wabt's verdict: undefined when valid, else its message. */
export function wabtError(bytes: Uint8Array): string | undefined {
  let m: ReturnType<typeof wabt.readWasm> | undefined;
  try {
    m = wabt.readWasm(bytes, { readDebugNames: true, ...WABT_FEATURES });
    m.validate();
    return undefined;
  } catch (e) {
    return String(e);
  } finally {
    m?.destroy();
  }
}

/** Binaryen's verdict: undefined when valid, else what it says. */
export function binaryenError(bytes: Uint8Array): string | undefined {
  let m: binaryen.Module | undefined;
  try {
    m = binaryen.readBinary(bytes);
    m.setFeatures(binaryen.Features.All);
    return m.validate() ? undefined : "binaryen: module does not validate";
  } catch (e) {
    return String(e);
  } finally {
    m?.dispose();
  }
}

/** Every validator's complaint (empty when all three accept the module). */
export function validationErrors(bytes: Uint8Array): string[] {
  const out: string[] = [];
  if (!WebAssembly.validate(bytes)) out.push("V8: WebAssembly.validate is false");
  const w = wabtError(bytes);
  if (w) out.push(`wabt: ${w}`);
  const b = binaryenError(bytes);
  if (b) out.push(`binaryen: ${b}`);
  return out;
}

/** wabt's text-to-binary: `canonicalLebs: false` pads sizes and indices to five bytes, as linkers do. */
export function wat2wasm(text: string, canonicalLebs = true): Uint8Array {
  const m = wabt.parseWat("test.wat", text, WABT_FEATURES);
  try {
    m.resolveNames();
    m.validate();
    return m.toBinary({ log: false, canonicalize_lebs: canonicalLebs, relocatable: false, write_debug_names: true }).buffer;
  } finally {
    m.destroy();
  }
}

/** The first offset where `a` and `b` differ (or where the shorter ends), -1 when equal: cheaper than a deep equality of large arrays. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
