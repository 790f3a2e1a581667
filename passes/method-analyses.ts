/**
 * The per-method context the splitter's passes share (Cranelift's `Context`): a
 * body and its analyses, each computed once, on first use, and dropped together
 * when a pass replaces the body (`replaceBody`). A pass that needs the CFG, the
 * frames or the liveness of the current body asks here instead of building its
 * own, so an attempt of the splitter builds each at most once.
 *
 * The CFG may have extra leaders (labels a cut inserted, `cut-points.ts`); the
 * frame analysis runs on its own block structure (declared StackMapTable frames
 * sit at the original block starts) and answers per node, so both views agree.
 * Frames may also be handed in for a body that differs from the analysed one only
 * by inserted labels (`relabelFrames`), and with them their CFG when it is the
 * body's with the extra leaders (no leader starts a new block: a million-block
 * CFG is not built twice). A CFG may also be handed in alone (the input check's,
 * `split-method.ts`), for the frame analysis with the declared frames to run on.
 * Cost: nothing until asked.
 */
import type { MethodBody } from "../src/bytecode/model.js";
import { buildCfg, type ControlFlowGraph } from "./cfg.js";
import { inferFrames, type FrameAnalysis } from "./frames.js";
import { computeLiveness, type Liveness } from "./liveness.js";
import type { PassContext } from "./pass.js";

export class MethodAnalyses {
  private currentBody: MethodBody;
  private leaders: ReadonlySet<number> | undefined;
  private cfgCache: ControlFlowGraph | undefined;
  private framesCache: FrameAnalysis | undefined;
  private livenessCache: Liveness | undefined;

  constructor(
    readonly ctx: PassContext,
    body: MethodBody,
    opts: { extraLeaders?: ReadonlySet<number>; frames?: FrameAnalysis; cfg?: ControlFlowGraph } = {},
  ) {
    this.currentBody = body;
    this.leaders = opts.extraLeaders;
    this.framesCache = opts.frames;
    this.cfgCache = opts.cfg;
  }

  get body(): MethodBody {
    return this.currentBody;
  }

  /** The CFG of the body, with the extra leaders given. */
  get cfg(): ControlFlowGraph {
    return (this.cfgCache ??= buildCfg(this.currentBody, this.ctx.where, this.leaders ? { extraLeaders: this.leaders } : {}).cfg);
  }

  /** Frames inferred on the CFG when it was handed in or built without extra leaders (the same CFG, not built twice). */
  get frames(): FrameAnalysis {
    return (this.framesCache ??= inferFrames(this.currentBody, this.ctx, this.cfgCache && !this.leaders ? { cfg: this.cfgCache } : {}));
  }

  /** Liveness over `cfg` (so its block numbers are the CFG's). */
  get liveness(): Liveness {
    return (this.livenessCache ??= computeLiveness(this.currentBody, this.cfg));
  }

  /** Drops the analyses computed so far (a pass done with them); they are computed again when asked. */
  release(): void {
    this.cfgCache = undefined;
    this.framesCache = undefined;
    this.livenessCache = undefined;
  }

  /** A pass changed the body: every analysis of the old one is dropped. */
  replaceBody(body: MethodBody, opts: { extraLeaders?: ReadonlySet<number>; frames?: FrameAnalysis } = {}): void {
    this.currentBody = body;
    this.leaders = opts.extraLeaders;
    this.cfgCache = undefined;
    this.framesCache = opts.frames;
    this.livenessCache = undefined;
  }
}
