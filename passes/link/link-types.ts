/**
 * What the link reads and writes (docs/design/splitter.md): the partitioned method
 * with its analyses and the naming and calling choices of the split (`LinkInput`),
 * and the driver, the pieces and the call sites it writes (`LinkedMethod`). The
 * heap-frame link (heap-frame.ts) and the parameters link (parameters.ts) share
 * these shapes.
 */
import type { MethodBody } from "../../src/bytecode/model.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import type { ControlFlowGraph } from "../cfg.js";
import type { Partition } from "../core/partition.js";
import type { Frame, TypeTable } from "../frames.js";
import type { Liveness } from "../liveness.js";
import type { ResidentKinds } from "./resident-locals.js";

export type LinkMode = "switch" | "direct";

export interface LinkInput {
  body: MethodBody;
  cfg: ControlFlowGraph;
  /** Types at the entry of a block (its first instruction), from the frame analysis. */
  frameAt(block: number): Frame;
  types: TypeTable;
  liveness: Liveness;
  partition: Extract<Partition, { ok: true }>;
  cp: ConstantPool;
  className: string;
  /**
   * The class holding the pieces and dispatchers, and whether it is an interface
   * (calls into an interface's methods need InterfaceMethodref, JVMS 4.4.2);
   * default: `className`, a class.
   */
  pieceOwner?: { className: string; isInterface: boolean };
  /** The original method's descriptor and whether it is static. */
  descriptor: string;
  isStatic: boolean;
  /** max_locals of the original body (the frame's local area). */
  maxLocals: number;
  /** Largest stack height at any cut (the frame's spill area). */
  maxSpill: number;
  /** Names of pieces 1..n (index 0 unused). */
  pieceNames: string[];
  /** Name of the method whose body becomes the driver. */
  driverName: string;
  mode: LinkMode;
  /**
   * Push exit codes without the constant pool: for a method whose distinct codes
   * over 32,767 (one `ldc` constant each) would overflow it. Priced by
   * `wideCodeCosts` (costs.ts).
   */
  wideCodes?: boolean;
  /** In `direct` mode: whether piece `from` may call piece `to` (the transfer cannot repeat). */
  directOk?: (from: number, to: number) => boolean;
  /** Most pieces the driver calls itself; beyond, it calls dispatcher methods. */
  flatDispatch?: number;
  /** Pieces per dispatcher method. */
  dispatchGroup?: number;
  /**
   * For a direct transfer into piece `piece` at `entry` (of `entries`): an
   * InvokeDynamic constant binding the entry (`indy` linking), or undefined for
   * a plain `invokestatic` with the entry as argument.
   */
  indyCallSite?: (piece: number, entry: number, entries: number, pieceDescriptor: string) => number | undefined;
  /**
   * A fresh line number above every real line of the class, given to each call
   * into a piece or dispatcher so a retrace tool can tell the call sites apart
   * (R8's outline call sites). Without it, call sites carry no line of their own.
   */
  syntheticLine?: () => number | undefined;
  /** Fresh name of dispatcher method k (k >= 1). */
  dispatcherName?: (k: number) => string;
  /**
   * Locals every body keeps in the frame arrays, the driver included (a dispatch
   * loop's registers: `loop-resident.ts`): no transfer moves them.
   */
  loopResident?: ResidentKinds;
}

/** A call from one written method into a piece or dispatcher, at a synthetic line. */
export interface CallSite {
  /** Name of the calling method: the driver (the original name) or a piece. */
  caller: string;
  line: number;
  callee: string;
  calleeDescriptor: string;
}

/** A new method the link wrote: a piece or a dispatcher. */
export interface LinkedPiece {
  name: string;
  descriptor: string;
  body: MethodBody;
}

export interface LinkedMethod {
  driver: MethodBody;
  /** The pieces, then the dispatchers; empty when they went to `linkMethod`'s `onPiece`. */
  pieces: LinkedPiece[];
  /** The frame-array kinds in use, in parameter order. */
  kinds: number[];
  callSites: CallSite[];
}
