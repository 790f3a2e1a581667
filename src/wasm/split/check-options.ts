/**
 * Checks the options of splitWasmModule before any work: a string option that
 * names a choice (`dispatch`, `entryForm`) must be one of the values it knows, or
 * the call fails with a MegasplitError E_USAGE naming the option, the value and
 * the values allowed. Without this an unknown value (a typo, an option of a later
 * version) silently took the default way of splitting.
 */
import { ErrorCodes, MegasplitError } from "../../diagnostics.js";

const CHOICES = {
  dispatch: ["tree", "indirect", "indirect-root"],
  entryForm: ["auto", "functions", "selector"],
} as const;

/** Throws E_USAGE when `options.dispatch` or `options.entryForm` is given and is not a known value. */
export function checkWasmSplitOptions(options: { readonly dispatch?: unknown; readonly entryForm?: unknown }): void {
  for (const name of Object.keys(CHOICES) as (keyof typeof CHOICES)[]) {
    const value = options[name];
    const allowed: readonly string[] = CHOICES[name];
    if (value !== undefined && !allowed.includes(value as string)) {
      throw new MegasplitError(ErrorCodes.USAGE, `the wasm split option ${name} must be ${allowed.join(" or ")}, not ${JSON.stringify(value)}`);
    }
  }
}
