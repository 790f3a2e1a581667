/**
 * Frame inference at the level of the JVM's type-checking verifier (JVMS 4.10.1):
 * the verification type of every local and operand-stack slot at the entry of every
 * reachable block, a forward problem on the one solver (`core/dataflow.ts`), with the
 * exact max_stack and max_locals as by-products.
 *
 * Types are small integers (`VType`): top, int, float, long, double, null,
 * uninitializedThis, and interned ids for object types (an internal name or an
 * array descriptor) and for uninitialized(new site), the site being the node index
 * of the `new`. A long or double takes two slots, the second one `top` (JVMS
 * 4.10.1.2); stack slots are modelled the same way, so dup2 and friends work on
 * slots. A frame is two Int32Arrays; a block that does not write locals shares its
 * input's locals array, so the cost of most transfers is the stack copy.
 * Entry frames of equal content are one object (`shared-frames.ts`): they are
 * read only once the solver is done.
 *
 * Lattice and merge: identical types stay; null merges with a reference into that
 * reference; two object types merge through `ClassHierarchy.commonSuperClass`
 * (interfaces give java/lang/Object, as HotSpot's verifier treats them); any other
 * pair becomes top in a local and an error (E_FRAME) on the stack, as does a stack
 * height mismatch. Initial frame from the descriptor and flags (JVMS 4.10.1.6):
 * `this` is uninitializedThis in `<init>` except in java/lang/Object. The `<init>`
 * call on uninitializedThis or uninitialized(new) replaces every occurrence in
 * locals and stack with the initialized class (JVMS 4.10.1.9 invokespecial).
 *
 * Exception edges: a handler's entry gets the merge of the locals before every
 * instruction of each covered block (and after every `<init>` call, which HotSpot
 * checks too) and a stack of [catch type, or java/lang/Throwable] (JVMS 4.10.1.6,
 * handlersAreLegal / instructionSatisfiesHandlers). Only slots a block writes are
 * merged as it goes, so this costs O(stores), not O(instructions x locals).
 *
 * Declared frames: when asked (the default when the body has `frame` nodes), the
 * StackMapTable's frames are expanded (JVMS 4.7.4: same, same_locals_1_stack_item,
 * chop, append, full, each relative to the previous one, the first to the initial
 * frame) and replace the inferred state wherever they stand, as the verifier does;
 * a block that starts with one reports the declared frame as its entry. This is
 * what makes the result match javac's. Without them everything is inferred.
 *
 * Errors in the code (stack underflow, a stack height or kind mismatch at a join,
 * jsr/ret that `inline-subroutines` has not removed) are E_FRAME diagnostics in the
 * result; inference continues past them with `top`. Declared frames that do not
 * accept what flows into them (JVMS 4.10.1.4 frameIsAssignable, checked on the
 * merged input, which is equivalent since merges are least upper bounds) are
 * reported separately, so the writer can check the frames it wrote. This is not a verifier: it
 * does not check that operands have the types instructions require.
 *
 * Cost: O(sweeps x (blocks x locals + instructions)); reducible code converges in
 * two or three sweeps, so a 1 MB method takes well under a second.
 *
 * The types and frames are `frame-types.ts` (re-exported here), the transfer
 * function is `frame-interpreter.ts`; this file expands declared frames, runs the
 * solver, and checks joins and declared frames.
 */
import type { FrameNode, FrameType, MethodBody } from "../src/bytecode/model.js";
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { Access } from "../src/classfile/model.js";
import { assert, type Diagnostic, ErrorCodes } from "../src/diagnostics.js";
import { labelNames } from "../src/text/disassemble.js";
import { blockHeaders, buildCfg, firstInstruction, isInstruction, type ControlFlowGraph } from "./cfg.js";
import { solve, type DataflowProblem, type DataflowResult } from "./core/dataflow.js";
import { type Fact, FrameInterpreter, type Merge } from "./frame-interpreter.js";
import {
  compressSlots,
  CONFLICT,
  DOUBLE,
  FLOAT,
  type Frame,
  initialFrame,
  INT,
  isWide,
  localsAndFrameNodes,
  LONG,
  makeMerge,
  NULL,
  OBJECT,
  slotCount,
  THROWABLE,
  TOP,
  TypeTable,
  UNINITIALIZED_THIS,
  type VType,
} from "./frame-types.js";
import type { ClassHierarchy, Pass, PassContext } from "./pass.js";
import { SharedFrames } from "./shared-frames.js";
import { Int32Slab } from "./core/int32-slab.js";
import { InternedSlots } from "./core/interned-slots.js";

export { CONFLICT, compressSlots, DOUBLE, FLOAT, type Frame, initialFrame, INT, localsUsed, LONG, NULL, OBJECT, TOP, TypeTable, UNINITIALIZED_THIS, type VType } from "./frame-types.js";

export const name = "frames";
export const description = "verification types of locals and stack at every block entry (JVMS 4.10.1), max stack and max locals";

export interface FrameAnalysis {
  readonly cfg: ControlFlowGraph;
  readonly types: TypeTable;
  /** Frame at each block's entry; undefined for unreachable blocks. */
  readonly entry: readonly (Frame | undefined)[];
  /** 1 where the block's entry is a declared (StackMapTable) frame. */
  readonly declared: Uint8Array;
  /** The method's initial frame (JVMS 4.10.1.6). */
  readonly initial: Frame;
  /** Largest stack height (slots) over reachable code and declared frames. */
  readonly maxStack: number;
  /** Slots used by the parameters, any load, store, iinc or ret, and declared frames. */
  readonly maxLocals: number;
  /** E_FRAME errors, one per offending instruction or join. */
  readonly errors: Diagnostic[];
  /**
   * E_FRAME, one per declared frame that does not accept what flows into it (JVMS
   * 4.10.1.4 frameIsAssignable: every slot assignable, same stack height, the
   * uninitializedThis flag kept); the type checker would reject these.
   */
  readonly rejectedFrames: Diagnostic[];
  /**
   * The frame before an instruction node of a reachable block (replays its block).
   * Always a fresh copy the caller may change (frames-relabel.ts remaps it in place).
   */
  frameBefore(node: number): Frame | undefined;
  /**
   * The same frame, but possibly the analysis's own (a block's entry is not
   * copied): read only. For callers that keep a frame per block (the splitter's
   * entry frames: over a million blocks at 16 MB, each copy two typed arrays).
   */
  sharedFrameBefore(node: number): Frame | undefined;
  /**
   * Replays a reachable block, calling `visit` before each instruction with the
   * current state: arrays valid during the call only (read them, copy to keep them).
   */
  replay(block: number, visit: (node: number, locals: Int32Array, stack: readonly number[], height: number) => void): void;
}

export interface InferOptions {
  /** Use the body's `frame` nodes as facts (default: whether it has any). */
  useDeclaredFrames?: boolean;
  /**
   * The solution, known from the analysis of a body this one was derived from
   * (`frames-switch-split.ts`): given the CFG, every reachable block's entry frame
   * (the fixpoint the solver would reach; undefined when it cannot say, and the
   * solver runs), the largest stack height over the code, and the type table
   * their types are ids of (this analysis interns into it). Trusted: the
   * deriving code's tests compare it with inference.
   */
  known?: { types: TypeTable; entries(cfg: ControlFlowGraph): (Frame | undefined)[] | undefined; maxStack: number };
  /**
   * The body's CFG (`buildCfg` without extra leaders), when the caller has built
   * it: two analyses of one body (the splitter's input check without the declared
   * frames, then the passes' with them) then build it once.
   */
  cfg?: ControlFlowGraph;
}

/** The declared frames of a body, expanded, and the sizes they imply. */
interface DeclaredFrames {
  maxLocals: number;
  initial: Frame;
  /** Node indices of the `frame` nodes (empty when declared frames are not used). */
  frameNodes: number[];
  /** Expanded frame by node index (JVMS 4.7.4). */
  declaredAt: (Fact | undefined)[];
}

export function inferFrames(body: MethodBody, ctx: PassContext, opts: InferOptions = {}): FrameAnalysis {
  // One slab for the CFG's tables, the solver's and the frames: a small body's analysis allocates one buffer.
  const slab = new Int32Slab();
  assert(!opts.cfg || opts.cfg.body.nodes === body.nodes, "frames: a CFG of another body");
  const cfg = opts.cfg ?? buildCfg(body, ctx.where, { slab }).cfg;
  const types = opts.known?.types ?? new TypeTable();
  const merge = makeMerge(types, ctx.hierarchy);
  const errors = new Map<number, string>();
  const error = (node: number, message: string) => {
    if (!errors.has(node)) errors.set(node, message);
  };
  const scan = localsAndFrameNodes(body, ctx);
  const useDeclared = opts.useDeclaredFrames ?? scan.frameNodes.length > 0;
  const declared = expandDeclaredFrames(body, ctx, cfg, types, slab, useDeclared ? scan.frameNodes : undefined, scan.maxLocals);
  const { maxLocals, initial } = declared;
  // Catch types per handler.
  const catchType = body.handlers.map((h) => types.object(h.catchType === 0 ? THROWABLE : ctx.cp.className(h.catchType)));
  const interp = new FrameInterpreter(body, cfg, ctx.cp, ctx.className, types, slab, merge, declared.declaredAt, error, initial.locals);
  for (const i of declared.frameNodes) if (declared.declaredAt[i]!.stack.length > interp.maxStack) interp.maxStack = declared.declaredAt[i]!.stack.length;

  const { declaredEntry, declaredFlags } = declaredEntries(cfg, declared, slab);
  const knownEntries = opts.known?.entries(cfg);
  let result: DataflowResult<Fact>;
  if (knownEntries) {
    result = { input: knownEntries, output: [], steps: 0 };
    if (opts.known!.maxStack > interp.maxStack) interp.maxStack = opts.known!.maxStack;
  } else result = solve(cfg, frameProblem(cfg, interp, slab, merge, initial, declaredEntry, catchType), undefined, slab);
  const entry = entryFrames(cfg, result, declaredEntry, error);
  const rejected = rejectedDeclaredFrames(cfg, result, declaredEntry, types, ctx.hierarchy);

  const where = ctx.where;
  const diagnostics: Diagnostic[] = [...errors].map(([node, message]) => ({
    code: ErrorCodes.FRAME,
    severity: "error",
    message: `${message} (node ${node})`,
    location: { ...where },
  }));

  const replay = (block: number, visit: (node: number, locals: Int32Array, stack: readonly number[], height: number) => void) => {
    const f = entry[block];
    if (!f) return;
    interp.run(block, f, false, (node) => visit(node, interp.locals, interp.stack, interp.sp));
  };
  const frameBefore = (node: number): Frame | undefined => {
    const b = cfg.blockOfNode[node]!;
    // Before a block's first instruction the state is its entry: no replay needed
    // (the splitter asks this for every block).
    const f = entry[b];
    if (f && node === firstInstruction(cfg, b)) return { locals: f.locals.slice(), stack: f.stack.slice() };
    let out: Frame | undefined;
    replay(b, (i, l, s, h) => {
      if (i === node) out = { locals: l.slice(), stack: Int32Array.from(s.slice(0, h)) };
    });
    return out;
  };
  return {
    cfg,
    types,
    entry,
    declared: declaredFlags,
    initial,
    maxStack: interp.maxStack,
    maxLocals,
    errors: diagnostics,
    rejectedFrames: rejected.map((message) => ({ code: ErrorCodes.FRAME, severity: "error", message, location: { ...where } })),
    replay,
    frameBefore,
    sharedFrameBefore(node) {
      const b = cfg.blockOfNode[node]!;
      const f = entry[b];
      return f && node === firstInstruction(cfg, b) ? f : frameBefore(node);
    },
  };
}

/**
 * max_locals (`localsUsed`, the slots instructions name, widened by the largest
 * declared frame: a chop can only shorten and an append only lengthen what came
 * before), the initial frame, and every declared frame expanded relative to the
 * one before it. `usedFrameNodes`: the body's frame nodes when they are used.
 */
function expandDeclaredFrames(
  body: MethodBody,
  ctx: PassContext,
  cfg: ControlFlowGraph,
  types: TypeTable,
  slab: Int32Slab,
  usedFrameNodes: number[] | undefined,
  localsNamed: number,
): DeclaredFrames {
  const nodes = body.nodes;
  const cp = ctx.cp;
  let maxLocals = localsNamed;
  const useDeclared = usedFrameNodes !== undefined;
  const frameNodes: number[] = usedFrameNodes ?? [];
  if (useDeclared) {
    let cur = initialFrame(ctx, types, maxLocals).locals.length;
    let running = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
    for (const i of frameNodes) {
      const f = (nodes[i] as { frame: FrameNode }).frame;
      if (f.type === "full") running = slotCount(f.locals);
      else if (f.type === "append") running += slotCount(f.locals);
      if (running > cur) cur = running;
    }
    if (cur > maxLocals) maxLocals = cur;
  }
  const initial = initialFrame(ctx, types, maxLocals);

  // Sites of `new` (node index of the instruction after a label), for declared uninitialized types.
  const siteOfLabel = (label: number): number => {
    let p = cfg.labelNode[label] ?? -1;
    while (p >= 0 && p < nodes.length && !isInstruction(nodes[p]!)) p++;
    return p;
  };
  const frameTypeToV = (t: FrameType): VType => {
    switch (t.tag) {
      case "top":
        return TOP;
      case "int":
        return INT;
      case "float":
        return FLOAT;
      case "long":
        return LONG;
      case "double":
        return DOUBLE;
      case "null":
        return NULL;
      case "uninitializedThis":
        return UNINITIALIZED_THIS;
      case "object":
        return types.object(cp.className(t.classIndex));
      case "uninitialized":
        return types.uninitialized(siteOfLabel(t.label));
    }
  };
  const expandSlots = (ts: readonly VType[], length: number): Int32Array => {
    const out = slab.alloc(length);
    let i = 0;
    for (const t of ts) {
      out[i++] = t;
      if (isWide(t)) out[i++] = TOP;
    }
    return out;
  };
  const declaredAt: (Fact | undefined)[] = new Array(useDeclared ? nodes.length : 0);
  let prev: VType[] = compressSlots(initial.locals);
  for (const i of frameNodes) {
    const f = (nodes[i] as { frame: FrameNode }).frame;
    let locals = prev;
    let stack: VType[] = [];
    switch (f.type) {
      case "same":
        break;
      case "same_locals_1_stack_item":
        stack = [frameTypeToV(f.stack)];
        break;
      case "chop":
        locals = prev.slice(0, Math.max(0, prev.length - f.chop));
        break;
      case "append":
        locals = prev.concat(f.locals.map(frameTypeToV));
        break;
      case "full":
        locals = f.locals.map(frameTypeToV);
        stack = f.stack.map(frameTypeToV);
        break;
    }
    prev = locals;
    let height = 0;
    for (const t of stack) height += isWide(t) ? 2 : 1;
    declaredAt[i] = { locals: expandSlots(locals, maxLocals), stack: expandSlots(stack, height) };
  }
  return { maxLocals, initial, frameNodes, declaredAt };
}

/** Where a block starts with a declared frame, that frame is its entry. */
function declaredEntries(cfg: ControlFlowGraph, d: DeclaredFrames, slab: Int32Slab): { declaredEntry: (Fact | undefined)[]; declaredFlags: Uint8Array } {
  const declaredEntry: (Fact | undefined)[] = new Array(cfg.blockCount);
  const declaredFlags = slab.uint8(cfg.blockCount);
  for (const i of d.frameNodes) {
    const f = d.declaredAt[i]!;
    const b = cfg.blockOfNode[i]!;
    if (i <= firstInstruction(cfg, b)) {
      declaredEntry[b] = f;
      declaredFlags[b] = 1;
    }
  }
  return { declaredEntry, declaredFlags };
}

/**
 * The forward problem: join is the verifier's merge slot by slot (a stack height
 * mismatch is remembered on the fact); a handler's input is the merged locals
 * collected over its covered block and a stack of the catch type.
 */
function frameProblem(
  cfg: ControlFlowGraph,
  interp: FrameInterpreter,
  slab: Int32Slab,
  merge: Merge,
  initial: Frame,
  declaredEntry: readonly (Fact | undefined)[],
  catchType: readonly VType[],
): DataflowProblem<Fact> {
  // The locals the last transfer collected for its handlers (the interpreter's scratch,
  // read by `exceptional` for the same block before the next transfer; `keep` copies them).
  let collectedBlock = -1;
  let collectedLocals: Int32Array | undefined;
  // The solver's inputs are read only: one kept locals array per content (issue 10: a copy
  // per block was most of a 16 MB parser-actions analysis's memory), and a buffer joins write into.
  const interned = new InternedSlots(slab);
  let joinScratch: Int32Array = new Int32Array(0);
  const intern = (written: Int32Array) => interned.of(written);
  const scratchFor = (from: Int32Array) => {
    if (joinScratch.length !== from.length) joinScratch = new Int32Array(from.length);
    joinScratch.set(from);
    return joinScratch;
  };
  const catchStack: (Int32Array | undefined)[] = new Array(catchType.length);
  return {
    direction: "forward",
    boundary: () => initial,
    join: (a, b) => joinFacts(a, b, slab, merge, scratchFor, intern),
    equal(a, b) {
      return a === b || (a.mismatch === b.mismatch && sameArray(a.locals, b.locals) && sameArray(a.stack, b.stack));
    },
    transfer(b, fact) {
      const collect = cfg.handlersOf[b]!.length > 0;
      const out = interp.run(b, declaredEntry[b] ?? fact, collect);
      collectedBlock = collect ? b : -1;
      collectedLocals = interp.acc;
      interp.acc = undefined;
      return out;
    },
    exceptional(b, hi) {
      assert(b === collectedBlock && collectedLocals !== undefined, `frames: handler locals of block ${b} asked after another transfer`);
      return { locals: collectedLocals, stack: (catchStack[hi] ??= Int32Array.of(catchType[hi]!)) };
    },
    keep: (f) => (interp.isScratch(f.locals) ? { ...f, locals: interned.of(f.locals) } : f),
  };
}

/**
 * The least upper bound of two facts; `a` itself when `b` adds nothing. Merged
 * locals are written into `scratchFor(a.locals)` (a copy of them) and kept through `intern`.
 */
function joinFacts(a: Fact, b: Fact, slab: Int32Slab, merge: Merge, scratchFor: (from: Int32Array) => Int32Array, intern: (written: Int32Array) => Int32Array): Fact {
  let l = a.locals;
  const al = a.locals;
  const bl = b.locals;
  if (al !== bl) {
    for (let i = 0; i < al.length; i++) {
      const x = al[i]!;
      const y = bl[i]!;
      if (x === y) continue;
      const m = merge(x, y, false);
      if (m !== x) {
        if (l === al) l = scratchFor(al);
        l[i] = m;
      }
    }
    if (l !== al) l = intern(l);
  }
  let s = a.stack;
  let mismatch = a.mismatch;
  if (a.stack.length !== b.stack.length) mismatch = true;
  else {
    for (let i = 0; i < s.length; i++) {
      const x = a.stack[i]!;
      const y = b.stack[i]!;
      if (x === y) continue;
      const m = merge(x, y, true);
      if (m !== x) {
        if (s === a.stack) s = slab.copy(a.stack);
        s[i] = m;
      }
    }
  }
  if (l === a.locals && s === a.stack && mismatch === a.mismatch) return a;
  return mismatch ? { locals: l, stack: s, mismatch } : { locals: l, stack: s };
}

/** Each reachable block's entry frame (its declared one, else the solver's), reporting bad joins. */
function entryFrames(cfg: ControlFlowGraph, result: DataflowResult<Fact>, declaredEntry: readonly (Fact | undefined)[], error: (node: number, message: string) => void): (Frame | undefined)[] {
  const entry: (Frame | undefined)[] = new Array(cfg.blockCount);
  // Equal entries share one frame (read only from here on): a million blocks hold a few distinct ones.
  const shared = new SharedFrames();
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    const d = declaredEntry[b];
    const f = result.input[b];
    if (d) entry[b] = shared.share(d);
    else if (f) {
      const at = firstInstruction(cfg, b);
      if (f.mismatch) error(at, "stack heights differ where control flow joins");
      else if (f.stack.includes(CONFLICT)) error(at, "stack types of different kinds meet where control flow joins");
      entry[b] = f.mismatch ? f : shared.share(f);
    }
  }
  return entry;
}

/**
 * Declared frames must accept the merge of what flows in: if the merge is
 * assignable, so is every incoming state, and conversely (merges are least upper bounds).
 */
function rejectedDeclaredFrames(
  cfg: ControlFlowGraph,
  result: DataflowResult<Fact>,
  declaredEntry: readonly (Fact | undefined)[],
  types: TypeTable,
  hierarchy: ClassHierarchy | undefined,
): string[] {
  const assignable = (from: VType, to: VType): boolean => {
    if (from === to || to === TOP) return true;
    if (!types.isObject(to)) return false;
    if (from === NULL) return true;
    if (!types.isObject(from)) return false;
    const target = types.nameOf(to);
    return hierarchy ? hierarchy.isAssignable(target, types.nameOf(from)) : target === OBJECT;
  };
  const rejected: string[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const d = declaredEntry[b];
    const f = result.input[b];
    if (!d || !f || !cfg.reachable[b]) continue;
    let why: string | undefined;
    if (f.mismatch || f.stack.length !== d.stack.length) why = "stack height";
    else if (f.locals.includes(UNINITIALIZED_THIS) && !d.locals.includes(UNINITIALIZED_THIS)) why = "uninitializedThis flag";
    else {
      for (let i = 0; i < d.locals.length && !why; i++) if (!assignable(f.locals[i]!, d.locals[i]!)) why = `local ${i}: ${types.format(f.locals[i]!)} is not assignable to ${types.format(d.locals[i]!)}`;
      for (let i = 0; i < d.stack.length && !why; i++) if (!assignable(f.stack[i]!, d.stack[i]!)) why = `stack ${i}: ${types.format(f.stack[i]!)} is not assignable to ${types.format(d.stack[i]!)}`;
    }
    if (why) rejected.push(`declared frame of block ${b} rejects what flows in (${why})`);
  }
  return rejected;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One line per block: `b3: locals [I, J, Ljava/lang/String;] stack [null]`
 * (trailing tops left out, declared frames marked). With `cp`, each block is
 * introduced by its CFG header (label and first/last instruction) as in the cfg
 * and liveness filetests, and the frame follows indented.
 */
export function formatFrames(a: FrameAnalysis, cp?: ConstantPool): string {
  const lines: string[] = [`max_stack ${a.maxStack} max_locals ${a.maxLocals}`];
  const headers = cp ? blockHeaders(a.cfg, cp) : undefined;
  // uninitialized(site) by the disassembler's name of the label at the `new`, when there is one.
  const names = cp ? labelNames(a.cfg.body) : undefined;
  const nodes = a.cfg.body.nodes;
  const format = (t: VType): string => {
    if (names && a.types.isUninitialized(t)) {
      for (let p = a.types.siteOf(t) - 1; p >= 0 && !isInstruction(nodes[p]!); p--) {
        const n = nodes[p]!;
        const name = n.kind === "label" ? names.get(n.label) : undefined;
        if (name !== undefined) return `uninitialized(${name})`;
      }
    }
    return a.types.format(t);
  };
  for (let b = 0; b < a.cfg.blockCount; b++) {
    const f = a.entry[b];
    const head = headers ? `${headers[b]}\n  ` : `b${b}${a.declared[b] ? " (declared)" : ""}: `;
    if (!f) {
      lines.push(`${head}unreachable`);
      continue;
    }
    const l = compressSlots(f.locals).map(format);
    const s = compressSlots(f.stack, false).map(format);
    lines.push(`${head}${headers && a.declared[b] ? "declared " : ""}locals [${l.join(", ")}] stack [${s.join(", ")}]`);
  }
  for (const e of a.errors) lines.push(`error ${e.message}`);
  return lines.join("\n") + "\n";
}

export const framesPass: Pass<FrameAnalysis> = {
  name,
  description,
  run: (body, ctx) => inferFrames(body, ctx),
  format: (result, _body, ctx) => formatFrames(result, ctx.cp),
};
