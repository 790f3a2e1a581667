/**
 * The fuzzers' one property: whatever the input, the library either succeeds or
 * throws a MegasplitError whose code is one of the documented codes (and every
 * diagnostic it returns carries one). Anything else (a TypeError, a RangeError, an
 * AssertionError) is a crash: rethrown, so fast-check reports and shrinks it.
 */
import { ErrorCodes, MegasplitError, type Diagnostic } from "../../src/diagnostics.js";

const CODES = new Set<string>(Object.values(ErrorCodes));

/** Runs `f`; a coded MegasplitError is an accepted outcome (returns undefined), anything else is rethrown. */
export function codedOrValue<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof MegasplitError && CODES.has(e.code)) return undefined;
    throw e;
  }
}

export async function codedOrValueAsync<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof MegasplitError && CODES.has(e.code)) return undefined;
    throw e;
  }
}

/** Every diagnostic has a documented code and a severity that matches its prefix. */
export function checkDiagnostics(ds: readonly Diagnostic[]): void {
  for (const d of ds) {
    if (!CODES.has(d.code)) throw new Error(`diagnostic with an unknown code: ${JSON.stringify(d)}`);
    if ((d.severity === "error") !== d.code.startsWith("E_")) throw new Error(`severity does not match the code: ${JSON.stringify(d)}`);
  }
}
