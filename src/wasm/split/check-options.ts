/**
 * Checks the options of splitWasmModule before any work: a string option that
 * names a choice (`dispatch`, `entryForm`) must be one of the values it knows, or
 * the call fails with a MegasplitError E_USAGE naming the option, the value and
 * the values allowed. Without this an unknown value (a typo, an option of a later
 * version) silently took the default way of splitting. `maxSize` must be an
 * integer from 16 (as for class files) to the engines' body limit (7,654,321
 * bytes, the JS API's limit that V8, SpiderMonkey and JavaScriptCore enforce): a
 * larger limit would write pieces no engine loads, and a fraction or NaN made
 * every size comparison meaningless.
 */
import { ErrorCodes, MegasplitError } from "../../diagnostics.js";
import { ENGINE_BODY_LIMIT } from "../function-sizes.js";
import { ENTRY_FORMS } from "../../../passes/wasm/link.js";
import { DISPATCH_MODES } from "./analyse.js";

/** The smallest `maxSize` accepted, as for class files (src/split/pass-views.ts). */
export const WASM_MIN_MAX_SIZE = 16;

const CHOICES = { dispatch: DISPATCH_MODES, entryForm: ENTRY_FORMS } as const;

/** Throws E_USAGE when `options.maxSize` is out of range, or `options.dispatch` or `options.entryForm` is given and is not a known value. */
export function checkWasmSplitOptions(options: { readonly maxSize: unknown; readonly dispatch?: unknown; readonly entryForm?: unknown }): void {
  const { maxSize } = options;
  if (typeof maxSize !== "number" || !Number.isInteger(maxSize) || maxSize < WASM_MIN_MAX_SIZE || maxSize > ENGINE_BODY_LIMIT) {
    throw new MegasplitError(ErrorCodes.USAGE, `the wasm split option maxSize must be an integer from ${WASM_MIN_MAX_SIZE} to ${ENGINE_BODY_LIMIT} (the engines' function body limit), not ${String(maxSize)}`);
  }
  for (const name of Object.keys(CHOICES) as (keyof typeof CHOICES)[]) {
    const value = options[name];
    const allowed: readonly string[] = CHOICES[name];
    if (value !== undefined && !allowed.includes(value as string)) {
      throw new MegasplitError(ErrorCodes.USAGE, `the wasm split option ${name} must be ${allowed.join(" or ")}, not ${JSON.stringify(value)}`);
    }
  }
}
