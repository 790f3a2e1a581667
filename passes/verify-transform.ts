/**
 * The verifier between passes (Binaryen's BINARYEN_PASS_DEBUG): with
 * `MEGASPLIT_VERIFY_PASSES=1` (the test setup sets it, see vitest.config.ts) every
 * body a transform of the splitter produces is checked right after the transform,
 * not only the final bodies: its frames and limits are recomputed as the encoder
 * would (`stackmap.ts`, from inference) and `assertVerified` runs on the result.
 * A failure, including a frame inference error on a body we wrote, is an
 * InternalError naming the transform, never a refusal. It also checks structured
 * locking (JVMS 2.11.10), which the verifier does not: no `monitorexit` that every
 * path reaches without a monitor of its own frame (`monitors.ts`; a region or
 * piece that releases its caller's monitor loops in javac's self-covering
 * handler at run time). The check works on a copy of the constant pool, so it
 * never changes the output. Off, it costs nothing.
 */
import type { MethodBody } from "../src/bytecode/model.js";
import { buildCfg } from "./cfg.js";
import { unheldMonitorExit } from "./monitors.js";
import { InternalError, MegasplitError } from "../src/diagnostics.js";
import type { PassContext } from "./pass.js";
import { computeStackMapFrames, withoutFrames } from "./stackmap.js";
import { assertVerified } from "./verify.js";

export const VERIFY_PASSES_ENV = "MEGASPLIT_VERIFY_PASSES";

/** Whether the environment asks for the verifier after every transform. */
export function verifyPassesRequested(): boolean {
  return process.env[VERIFY_PASSES_ENV] === "1";
}

/** With the switch on (or `force`): checks the body `when` produced; a violation throws an InternalError. */
export function verifyAfter(body: MethodBody, ctx: PassContext, when: string, force = false): void {
  if (!force && !verifyPassesRequested()) return;
  let framed: MethodBody;
  // On a copy of the pool: the frames' class constants must not change what is written.
  const scratch: PassContext = { ...ctx, cp: ctx.cp.clone() };
  try {
    framed = computeStackMapFrames(withoutFrames(body), scratch, { asInferred: true });
  } catch (e) {
    if (e instanceof MegasplitError) throw new InternalError(`body fails frame inference after ${when}: ${e.code}: ${e.diagnostic.message}`);
    throw e;
  }
  assertVerified(framed, scratch, when);
  const unheld = unheldMonitorExit(buildCfg(framed, ctx.where).cfg);
  if (unheld >= 0) throw new InternalError(`body releases a monitor it does not hold after ${when} (monitorexit at node ${unheld})`);
}
