/**
 * The real WebAssembly modules the codec tests read: every .wasm file shipped by
 * the npm packages that `npm run setup` installs for them (QuickJS, built with
 * Emscripten: `@jitl/quickjs-wasmfile-release-sync`, optimised, and
 * `@jitl/quickjs-wasmfile-debug-sync`, -O0 as wasm-ld links it, with the linker's
 * five-byte padded indices; `sql.js`, SQLite built with Emscripten), found by
 * walking each package's folder.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const WASM_PACKAGES = ["@jitl/quickjs-wasmfile-release-sync", "@jitl/quickjs-wasmfile-debug-sync", "sql.js"] as const;

const nodeModules = fileURLToPath(new URL("../../node_modules/", import.meta.url));

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".wasm")) out.push(path);
  }
  return out;
}

/** Every .wasm file of `pkg`, by path. */
export function packageWasmFiles(pkg: string): string[] {
  return walk(join(nodeModules, pkg), []);
}

export function packageFile(pkg: string, path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(nodeModules, pkg, path)));
}
