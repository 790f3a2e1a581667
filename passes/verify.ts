/**
 * The internal checker that runs between passes in tests (Cranelift's verifier,
 * Binaryen's BINARYEN_PASS_DEBUG): structural facts every body we hand to the
 * encoder or the JVM must have, reported as a list of violations rather than
 * thrown, so a test shows all of them at once. `assertVerified` turns a non-empty
 * list into an AssertionError: a transform that breaks these is a bug.
 *
 * Checked: every label placed exactly once and every reference (branch, switch,
 * handler, local-variable range, uninitialized frame type) to a placed label
 * (JVMS 4.7.3); handler ranges with start before end and an instruction inside,
 * handler entries at an instruction; local indices, the second slot of long and
 * double included, below max_locals, and the parameters fitting in it (4.7.3);
 * operand-stack heights by forward dataflow over the CFG with the one solver
 * (`core/dataflow.ts`): equal at every join, never negative, never above max_stack
 * (4.10.1, 4.10.2.2); when the body has a StackMapTable, a frame at every branch
 * target, handler entry and instruction after an unconditional transfer (4.10.1:
 * the type checker walks the code linearly, so this holds for unreachable code
 * too); and control not running past the last instruction (4.10.2.2; for bodies
 * without frames only when that instruction is reachable, as the old verifier).
 *
 * Subroutines (4.10.2.5) are checked as the old verifier sees compiled code: a
 * jsr's target starts with the caller's height plus the return address, its
 * return point with the caller's height (compiled subroutines leave the stack as
 * they found it). Heights use a two-level lattice per block (a height, or
 * "disagrees"), so the solver needs at most two visits per block; violations are
 * collected in one sweep after it converges. Cost: O(nodes + edges).
 */
import type { Instruction, Label, MethodBody } from "../src/bytecode/model.js";
import { stackEffect, parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import { FLAGS, Op, OPCODES, OpFlag } from "../src/bytecode/opcodes.js";
import { Access } from "../src/classfile/model.js";
import { AssertionError, formatLocation, MegasplitError } from "../src/diagnostics.js";
import { blockInstructions, branchTargets, buildCfg, type ControlFlowGraph, isInstruction, opcodeOf } from "./cfg.js";
import { solve } from "./core/dataflow.js";
import type { Pass, PassContext } from "./pass.js";

export const name = "verify";
export const description = "internal checker: labels, handler ranges, locals, stack heights at joins, frames at targets";

export type ViolationKind =
  /** A label out of range, placed twice, or referenced but not placed. */
  | "label"
  /** A handler range that is empty or reversed, or a handler entry with no instruction. */
  | "handler"
  /** A local index at or above max_locals, or parameters that do not fit. */
  | "local"
  /** Two paths reach a point with different stack heights. */
  | "stack-join"
  | "stack-underflow"
  | "stack-overflow"
  /** An operand the stack effect cannot be computed from (a malformed descriptor). */
  | "operand"
  /** A StackMapTable body without a frame where JVMS 4.10.1 requires one. */
  | "frame"
  | "falls-off-end";

export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Index in `body.nodes` of the node concerned, when there is one. */
  node?: number;
  label?: Label;
}

/** The context the verifier reads: the pool for descriptors, the method for its parameters. */
export type VerifyContext = Pick<PassContext, "cp" | "descriptor" | "method">;

const CONFLICT = -1;

export function verifyBody(body: MethodBody, ctx: VerifyContext): Violation[] {
  const out: Violation[] = [];
  const nodes = body.nodes;
  const describe = (i: number): string => {
    const node = nodes[i]!;
    return isInstruction(node) ? `node ${i} (${OPCODES[opcodeOf(node)]?.mnemonic ?? "?"})` : `node ${i}`;
  };
  const c: Checked = { body, ctx, out, describe };
  const { labelNode, owner, labelsBroken } = checkLabels(c);
  checkLocals(c);
  if (labelsBroken || !nodes.some(isInstruction)) return out;
  const cfg = checkStackHeights(c, owner);
  if (!cfg) return out;
  if (body.hasStackMapTable) checkFrames(c, labelNode, owner);
  checkEnd(c, cfg);
  return out;
}

/** What every check reads, and where it reports. */
interface Checked {
  body: MethodBody;
  ctx: VerifyContext;
  out: Violation[];
  describe: (node: number) => string;
}

/** Every label placed once, every reference to a placed label, handler ranges holding an instruction. */
function checkLabels(c: Checked): { labelNode: Int32Array; owner: Int32Array; labelsBroken: boolean } {
  const { body, out, describe } = c;
  const nodes = body.nodes;
  const n = nodes.length;
  const labelNode = new Int32Array(body.labelCount).fill(-1);
  let labelsBroken = false;
  nodes.forEach((node, i) => {
    if (node.kind !== "label") return;
    const l = node.label;
    if (!(Number.isInteger(l) && l >= 0 && l < body.labelCount)) {
      out.push({ kind: "label", message: `${describe(i)}: label ${l} is outside 0..${body.labelCount - 1}`, node: i, label: l });
      labelsBroken = true;
    } else if (labelNode[l]! >= 0) {
      out.push({ kind: "label", message: `${describe(i)}: label ${l} is placed twice (also at node ${labelNode[l]})`, node: i, label: l });
      labelsBroken = true;
    } else labelNode[l] = i;
  });
  const placed = (l: Label, what: string, node?: number): boolean => {
    if (Number.isInteger(l) && l >= 0 && l < body.labelCount && labelNode[l]! >= 0) return true;
    out.push({ kind: "label", message: `${node === undefined ? "" : `${describe(node)}: `}${what} refers to label ${l}, which is not placed`, label: l, ...(node === undefined ? {} : { node }) });
    labelsBroken = true;
    return false;
  };
  // The instruction at or after each node (n: none).
  const owner = new Int32Array(n + 1);
  owner[n] = n;
  for (let i = n - 1; i >= 0; i--) owner[i] = isInstruction(nodes[i]!) ? i : owner[i + 1]!;
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (isInstruction(node)) {
      for (const t of branchTargets(node)) {
        if (placed(t, "branch", i) && owner[labelNode[t]!] === n) {
          out.push({ kind: "label", message: `${describe(i)}: branch target label ${t} has no instruction after it`, node: i, label: t });
          labelsBroken = true;
        }
      }
    } else if (node.kind === "frame") {
      const f = node.frame;
      const types = f.type === "full" ? [...f.locals, ...f.stack] : f.type === "append" ? f.locals : f.type === "same_locals_1_stack_item" ? [f.stack] : [];
      for (const t of types) if (t.tag === "uninitialized") placed(t.label, "uninitialized frame type", i);
    }
  }
  body.handlers.forEach((h, hi) => {
    const ok = [placed(h.start, `handler ${hi} start`), placed(h.end, `handler ${hi} end`), placed(h.handler, `handler ${hi} entry`)];
    if (!ok.every(Boolean)) return;
    const s = labelNode[h.start]!;
    const e = labelNode[h.end]!;
    if (!(s < e) || owner[s]! >= e) {
      out.push({ kind: "handler", message: `handler ${hi}: range from label ${h.start} to label ${h.end} holds no instruction`, label: h.start });
    }
    if (owner[labelNode[h.handler]!] === n) {
      out.push({ kind: "handler", message: `handler ${hi}: entry label ${h.handler} has no instruction after it`, label: h.handler });
      labelsBroken = true;
    }
  });
  for (const rows of [body.localVariables, body.localVariableTypes]) {
    rows?.forEach((v, vi) => {
      placed(v.start, `local variable row ${vi} start`);
      placed(v.end, `local variable row ${vi} end`);
    });
  }

  return { labelNode, owner, labelsBroken };
}

/** The parameters fit in max_locals, and every local index (both slots of a long or double) is below it. */
function checkLocals(c: Checked): void {
  const { body, ctx, out, describe } = c;
  const nodes = body.nodes;
  const n = nodes.length;
  let paramSlots = 0;
  try {
    paramSlots = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
  } catch (e) {
    if (!(e instanceof MegasplitError)) throw e;
    out.push({ kind: "operand", message: e.diagnostic.message });
  }
  if (paramSlots > body.maxLocals) out.push({ kind: "local", message: `the parameters take ${paramSlots} local slots but max_locals is ${body.maxLocals}` });
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node.kind !== "local" && node.kind !== "iinc") continue;
    const op = node.kind === "iinc" ? Op.IINC : node.op;
    const wide = op === Op.LLOAD || op === Op.DLOAD || op === Op.LSTORE || op === Op.DSTORE;
    const last = node.index + (wide ? 1 : 0);
    if (!(node.index >= 0) || last >= body.maxLocals) {
      out.push({ kind: "local", message: `${describe(i)}: local ${wide ? `${node.index}..${last}` : node.index} is not below max_locals ${body.maxLocals}`, node: i });
    }
  }

}

/** Stack heights by forward dataflow: equal at joins, never negative, never above max_stack. Undefined when no CFG can be built. */
function checkStackHeights(c: Checked, owner: Int32Array): ControlFlowGraph | undefined {
  const { body, ctx, out, describe } = c;
  const nodes = body.nodes;
  let cfgResult;
  try {
    cfgResult = buildCfg(body);
  } catch (e) {
    if (!(e instanceof MegasplitError)) throw e;
    out.push({ kind: "label", message: e.diagnostic.message });
    return undefined;
  }
  const cfg = cfgResult.cfg;
  const jsrTarget = new Uint8Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    const last = nodes[cfg.blockLastInstruction[b]!] as Instruction;
    if (last.kind === "jump" && last.op === Op.JSR) jsrTarget[cfg.blockOfLabel[last.target]!] = 1;
  }
  const effect = (insn: Instruction): { pop: number; push: number } | undefined => {
    try {
      return stackEffect(insn, ctx.cp);
    } catch (e) {
      if (!(e instanceof MegasplitError)) throw e;
      return undefined;
    }
  };
  /** Runs a block from height h; `report` collects violations in the final sweep only. */
  const walk = (b: number, h: number, report: boolean): number => {
    if (h === CONFLICT) return CONFLICT;
    if (jsrTarget[b]) h += 1;
    if (report && h > body.maxStack) {
      out.push({ kind: "stack-overflow", message: `${describe(cfg.blockStart[b]!)}: a subroutine entry with height ${h} exceeds max_stack ${body.maxStack}`, node: cfg.blockStart[b]! });
    }
    for (const [i, insn] of blockInstructions(cfg, b)) {
      const op = opcodeOf(insn);
      const e = effect(insn);
      if (!e) {
        if (report) out.push({ kind: "operand", message: `${describe(i)}: stack effect cannot be computed from its constant-pool operand`, node: i });
        return CONFLICT;
      }
      if (h < e.pop) {
        if (report) out.push({ kind: "stack-underflow", message: `${describe(i)}: pops ${e.pop} but the stack holds ${h}`, node: i });
        h = 0;
      } else h -= e.pop;
      // jsr's return address is counted at its target; the return point resumes at the caller's height.
      if (op !== Op.JSR) h += e.push;
      if (report && h > body.maxStack) out.push({ kind: "stack-overflow", message: `${describe(i)}: height ${h} exceeds max_stack ${body.maxStack}`, node: i });
    }
    return h;
  };
  const heights = solve<number>(cfg, {
    direction: "forward",
    boundary: () => 0,
    join: (a, b) => (a === b ? a : CONFLICT),
    equal: (a, b) => a === b,
    transfer: (b, h) => walk(b, h, false),
    exceptional: () => 1,
  });
  for (const b of cfg.reversePostorder) {
    const input = heights.input[b]!;
    if (input === CONFLICT) {
      // Report where paths with known heights meet, not where a disagreement only flows through.
      const incoming: { height: number; from: number }[] = [];
      for (const p of cfg.predecessors[b]!) {
        const h = heights.output[p];
        if (h !== undefined && h !== CONFLICT) incoming.push({ height: h, from: cfg.blockLastInstruction[p]! });
      }
      for (const p of cfg.exceptionPredecessors[b]!) incoming.push({ height: 1, from: cfg.blockLastInstruction[p]! });
      const distinct = [...new Set(incoming.map((x) => x.height))];
      if (distinct.length > 1) {
        const start = cfg.blockStart[b]!;
        const detail = incoming.map((x) => `${x.height} from node ${x.from}`).join(", ");
        out.push({ kind: "stack-join", message: `${describe(owner[start]!)}: stack heights disagree at a join (${detail})`, node: owner[start]! });
      }
      continue;
    }
    walk(b, input, true);
  }

  return cfg;
}

/** With a StackMapTable: a frame at every branch target, handler entry and instruction after an unconditional transfer. */
function checkFrames(c: Checked, labelNode: Int32Array, owner: Int32Array): void {
  const { body, out, describe } = c;
  const nodes = body.nodes;
  const n = nodes.length;
  if (body.hasStackMapTable) {
    const hasFrame = new Uint8Array(n + 1);
    let pending = false;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      if (node.kind === "frame") pending = true;
      else if (isInstruction(node)) {
        hasFrame[i] = pending ? 1 : 0;
        pending = false;
      }
    }
    const reported = new Uint8Array(n);
    const need = (insn: number, why: string, label?: Label): void => {
      if (insn >= n || hasFrame[insn] || reported[insn]) return;
      reported[insn] = 1;
      out.push({ kind: "frame", message: `${describe(insn)}: no stack map frame at ${why}`, node: insn, ...(label === undefined ? {} : { label }) });
    };
    let afterTransfer = false;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      if (!isInstruction(node)) continue;
      if (afterTransfer) need(i, "an instruction after an unconditional transfer");
      for (const t of branchTargets(node)) need(owner[labelNode[t]!]!, "a branch target", t);
      afterTransfer = (FLAGS[opcodeOf(node)]! & OpFlag.NO_FALLTHROUGH) !== 0;
    }
    body.handlers.forEach((h) => need(owner[labelNode[h.handler]!]!, "a handler entry", h.handler));
  }

}

/** Control must not run past the last instruction (reachable, or any with frames). */
function checkEnd(c: Checked, cfg: ControlFlowGraph): void {
  const { body, out, describe } = c;
  const lastBlock = cfg.blockCount - 1;
  if (cfg.fallsOffEnd && (cfg.reachable[lastBlock] || body.hasStackMapTable)) {
    const last = cfg.blockLastInstruction[lastBlock]!;
    out.push({ kind: "falls-off-end", message: `${describe(last)}: control runs past the last instruction`, node: last });
  }
}

/** Throws an AssertionError listing every violation; `when` names the pass that just ran. */
export function assertVerified(body: MethodBody, ctx: VerifyContext & { where?: PassContext["where"] }, when?: string): void {
  const violations = verifyBody(body, ctx);
  if (violations.length === 0) return;
  const where = ctx.where ? formatLocation(ctx.where) : "";
  throw new AssertionError(
    `body fails verification${when ? ` after ${when}` : ""}${where ? ` (${where})` : ""}:\n${violations.map((v) => `  ${v.kind}: ${v.message}`).join("\n")}`,
  );
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.length === 0 ? "ok\n" : violations.map((v) => `${v.kind}: ${v.message}\n`).join("");
}

export const verifyPass: Pass<Violation[]> = {
  name,
  description,
  run: verifyBody,
  format: (violations) => formatViolations(violations),
};
