/**
 * Whether an input file is a WebAssembly module: it starts with the magic `\0asm`
 * (Wasm core spec 5.5.16, the binary module's preamble), as a jar is recognised by its
 * zip magic. It reads four bytes and asks src/wasm/magic.ts, not the module reader,
 * so that a jar split, which only asks this, does not load the WebAssembly codec at
 * start-up.
 */
import { open, stat } from "node:fs/promises";
import { isWasm } from "../wasm/magic.js";

/** Whether `path` is a file that starts with the WebAssembly magic. */
export async function isWasmFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    const f = await open(path, "r");
    try {
      const head = new Uint8Array(4);
      const { bytesRead } = await f.read(head, 0, 4, 0);
      return bytesRead === 4 && isWasm(head);
    } finally {
      await f.close();
    }
  } catch {
    return false;
  }
}
