/**
 * Runs a module's exports for the codec tests: instantiates it (with the imports
 * the test modules use) and calls each exported function with the same argument,
 * recording each result or the error it throws, so two encodings of one module can
 * be compared call by call.
 */

/** What each export returned for `arg` (bigints and NaN made printable). */
export async function runExports(bytes: Uint8Array, arg: number): Promise<Record<string, string>> {
  const logged: number[] = [];
  const { instance } = await WebAssembly.instantiate(bytes, { env: { log: (x: number) => logged.push(x) } });
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(instance.exports)) {
    if (typeof f !== "function") continue;
    try {
      out[name] = String((f as (x: number) => unknown)(arg));
    } catch (e) {
      out[name] = `threw ${String(e)}`;
    }
  }
  out["(log)"] = logged.join(",");
  return out;
}
