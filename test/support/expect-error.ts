/** The MegasplitError a call throws (bad input must never surface as another kind of exception). */
import { MegasplitError } from "../../src/diagnostics.js";

export function errorOf(f: () => unknown): MegasplitError {
  try {
    f();
  } catch (e) {
    if (e instanceof MegasplitError) return e;
    throw e;
  }
  throw new Error("expected a MegasplitError, nothing was thrown");
}
