/**
 * Where another piece may enter a body, node by node, and the stack height there:
 * what `cutPoints` (cut-points.ts) reads to place its cuts. A node is enterable
 * when no monitor is held (JVMS 2.11.10) and no local or stack slot holds an
 * uninitialized object (JVMS 4.10.1.9). It takes one replay of every reachable
 * block of the frame analysis, the same replay the outline search
 * (`regions.ts`) makes of the same body with the same frames: that search feeds
 * each node it visits to a `CutQualityRecorder` too, and the quality it records
 * is the one the first cut of that body takes (docs/design/splitter.md, "What
 * the attempts share"). A later attempt cutting the same body with the same
 * frames (a new budget) takes the recorded quality as well. Recorded per frame
 * analysis (a weak map: it goes when the analysis goes), for the body it was
 * recorded on.
 */
import type { MethodBody } from "../bytecode/model.js";
import { Op } from "../bytecode/opcodes.js";
import { isInstruction, opcodeOf } from "../../passes/cfg.js";
import { monitorDepth } from "../../passes/monitors.js";
import { UNINITIALIZED_THIS, type FrameAnalysis } from "../../passes/frames.js";

/** Per instruction node: may another piece enter here, and the stack height before it. */
export interface CutQuality {
  enterable: Uint8Array;
  stackHeight: Int32Array;
}

/** The quality recorded for a frame analysis, and the nodes of the body it was recorded on. */
const recorded = new WeakMap<FrameAnalysis, { nodes: MethodBody["nodes"]; quality: CutQuality }>();

/** Cut quality of `body` from `frames` (an analysis of `body`): the recorded one, else one replay, recorded. */
export function cutQuality(body: MethodBody, frames: FrameAnalysis): CutQuality {
  const known = recordedCutQuality(body, frames);
  if (known) return known;
  const r = new CutQualityRecorder(body, frames);
  const cfg = frames.cfg;
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    r.enterBlock(b);
    frames.replay(b, r.visit);
  }
  return r.finish();
}

/** The quality recorded for `frames` on `body`, if any. */
export function recordedCutQuality(body: MethodBody, frames: FrameAnalysis): CutQuality | undefined {
  const r = recorded.get(frames);
  return r && r.nodes === body.nodes ? r.quality : undefined;
}

/**
 * Records the cut quality from a replay of every reachable block, in any order:
 * `enterBlock(b)` before block b's replay, `visit` (bound) with each node's state.
 * `finish()` records the result for `frames` and returns it.
 */
export class CutQualityRecorder {
  private readonly enterable: Uint8Array;
  private readonly stackHeight: Int32Array;
  private readonly depthIn: Int32Array;
  private readonly uninitialized: (t: number) => boolean;
  /** Whether any slot may hold an uninitialized value at all (`mayHoldUninitialized`). */
  private readonly scan: boolean;
  private depth = 0;
  /**
   * Whether the locals may hold an uninitialized value: the block's entry locals do,
   * or an astore in the block stored one (the only instruction that can put one
   * there, JVMS 4.10.1.9); until then the locals need no scan (300 slots each).
   */
  private scanLocals: boolean | undefined;

  /** `depthIn`: the monitors held at each block's entry of `frames.cfg` (`monitorDepth`), when the caller has them. */
  constructor(
    private readonly body: MethodBody,
    private readonly frames: FrameAnalysis,
    depthIn?: Int32Array,
  ) {
    const n = body.nodes.length;
    this.enterable = new Uint8Array(n);
    this.stackHeight = new Int32Array(n);
    this.depthIn = depthIn ?? monitorDepth(frames.cfg);
    this.scan = mayHoldUninitialized(body, frames);
    const types = frames.types;
    this.uninitialized = (t) => t === UNINITIALIZED_THIS || types.isUninitialized(t);
  }

  enterBlock(b: number): void {
    this.depth = this.depthIn[b]!;
    this.scanLocals = undefined;
  }

  readonly visit = (node: number, locals: Int32Array, stack: readonly number[], height: number): void => {
    const { scan, uninitialized } = this;
    let ok = this.depth === 0;
    if (scan && this.scanLocals === undefined) this.scanLocals = locals.some(uninitialized);
    if (this.scanLocals) for (let i = 0; ok && i < locals.length; i++) if (uninitialized(locals[i]!)) ok = false;
    if (scan) for (let i = 0; ok && i < height; i++) if (uninitialized(stack[i]!)) ok = false;
    this.enterable[node] = ok ? 1 : 0;
    this.stackHeight[node] = height;
    const insn = this.body.nodes[node]!;
    if (isInstruction(insn)) {
      const op = opcodeOf(insn);
      if (op === Op.MONITORENTER) this.depth++;
      else if (op === Op.MONITOREXIT) this.depth = Math.max(0, this.depth - 1);
      else if (scan && (op === Op.ASTORE || (op >= Op.ASTORE_0 && op <= Op.ASTORE_3)) && height > 0 && uninitialized(stack[height - 1]!)) this.scanLocals = true;
    }
  };

  finish(): CutQuality {
    const quality = { enterable: this.enterable, stackHeight: this.stackHeight };
    recorded.set(this.frames, { nodes: this.body.nodes, quality });
    return quality;
  }
}

/**
 * Whether any slot may hold uninitializedThis or uninitialized(new): only a `new`,
 * a declared frame, or the initial frame of a constructor brings one in (JVMS
 * 4.10.1.2). Otherwise the recorder skips scanning every slot before every
 * instruction (parser-actions keeps 300 locals live: most of its cut time).
 */
function mayHoldUninitialized(body: MethodBody, frames: FrameAnalysis): boolean {
  if (frames.initial.locals.includes(UNINITIALIZED_THIS)) return true;
  const nodes = body.nodes;
  for (let ni = 0; ni < nodes.length; ni++) {
    const n = nodes[ni]!;
    if (n.kind === "frame" || (isInstruction(n) && opcodeOf(n) === Op.NEW)) return true;
  }
  return false;
}
