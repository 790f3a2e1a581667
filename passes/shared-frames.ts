/**
 * One frame object per distinct content among the frames an analysis keeps per
 * block (JVMS 4.10.1 verification types of the locals and the operand stack at a
 * block's entry): `frames.ts` keeps every block's entry frame and
 * `frames-relabel.ts` the frame at every cut inside an old block, and a generated
 * method of many megabytes has over a million blocks whose entries hold a handful
 * of distinct frames (the 1 MB nested-conditionals: 87,867 blocks, one distinct
 * entry frame; parser-actions: 50,229 blocks of 302 slots each, two distinct).
 * Each kept frame was an object and two typed-array views over the analysis's
 * slab; the slab chunks holding copies nobody else kept are freed with them.
 *
 * Frames kept per block are read only (`FrameAnalysis.entry`, `sharedFrameBefore`),
 * so handing out one object for equal contents is invisible to every reader.
 * Cost: one hash over the slots per frame met, a comparison per hash collision.
 * The table lives as long as the analysis that fills it.
 */
import type { Frame } from "./frame-types.js";

/** Frames by content: the first frame met with each content. */
export class SharedFrames {
  private readonly byHash = new Map<number, Frame[]>();

  /** `f` the first time its content is met, else the frame met first with that content. */
  share(f: Frame): Frame {
    return this.find(f.locals, f.stack, f.stack.length) ?? this.add(f);
  }

  /** The frame of `locals` and the first `height` slots of `stack`: the one met first, or a copy kept from now on. */
  of(locals: ArrayLike<number>, stack: ArrayLike<number>, height: number): Frame {
    return this.find(locals, stack, height) ?? this.add({ locals: Int32Array.from(locals), stack: Int32Array.from({ length: height }, (_, i) => stack[i]!) });
  }

  private find(locals: ArrayLike<number>, stack: ArrayLike<number>, height: number): Frame | undefined {
    const bucket = this.byHash.get(hashOf(locals, stack, height));
    if (bucket === undefined) return undefined;
    for (let k = 0; k < bucket.length; k++) {
      const f = bucket[k]!;
      if (sameSlots(f.locals, locals, locals.length) && sameSlots(f.stack, stack, height)) return f;
    }
    return undefined;
  }

  private add(f: Frame): Frame {
    const h = hashOf(f.locals, f.stack, f.stack.length);
    const bucket = this.byHash.get(h);
    if (bucket === undefined) this.byHash.set(h, [f]);
    else bucket.push(f);
    return f;
  }
}

/** FNV-1a over the slots and the two lengths, as a small integer. */
function hashOf(locals: ArrayLike<number>, stack: ArrayLike<number>, height: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ locals.length, 0x01000193);
  for (let i = 0; i < locals.length; i++) h = Math.imul(h ^ locals[i]!, 0x01000193);
  h = Math.imul(h ^ height, 0x01000193);
  for (let i = 0; i < height; i++) h = Math.imul(h ^ stack[i]!, 0x01000193);
  return h & 0x3fffffff;
}

/** Whether `kept` is exactly the first `length` slots of `slots`. */
function sameSlots(kept: Int32Array, slots: ArrayLike<number>, length: number): boolean {
  if (kept.length !== length) return false;
  for (let i = 0; i < length; i++) if (kept[i] !== slots[i]) return false;
  return true;
}
