/**
 * The WebAssembly binary module's magic, `\0asm` (core spec 5.5.16, the preamble),
 * and the test a reader or the command line uses to tell a module by its first four
 * bytes. A module of its own with no imports, so that the command line can ask it
 * without loading the codec (src/cli/wasm-magic.ts).
 */
export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;

/** Whether `bytes` starts with the WebAssembly magic `\0asm`. */
export function isWasm(bytes: Uint8Array): boolean {
  return WASM_MAGIC.every((b, i) => bytes[i] === b);
}
