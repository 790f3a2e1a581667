/**
 * Local variable slots of a generated method (JVMS 2.6.1): the parameters, then
 * the checksum (a long), the int, long and double state the prologue initialises
 * and the epilogue folds into the result, one group of slots per nesting depth
 * (a loop counter, a monitor, a caught exception, a return address: each
 * structure uses only its own depth's group, so nested structures never clobber
 * what an enclosing one still needs), and four scratch slots that blocks fill
 * with different types (slot reuse). Wide methods add state slots until well
 * past slot 255, which forces the `wide` forms and more than 255 values live
 * across every cut.
 */

/** Deepest nesting of structures (loops, try, switch, ...) the generator draws. */
export const MAX_DEPTH = 6;

export interface DepthSlots {
  counter: number;
  lock: number;
  exception: number;
  returnAddress: number;
}

export interface Layout {
  /** The int parameter or constant every value of the prologue derives from. */
  seed: number;
  checksum: number;
  ints: number[];
  longs: number[];
  doubles: number[];
  depth: DepthSlots[];
  /** Four slots, written before they are read by each block that uses them. */
  scratch: number;
  /** The exception slot of the wrapper around <clinit>'s blocks. */
  wrapException: number;
  maxLocals: number;
}

/** `params`: slots the parameters take (`this` included). */
export function layoutFor(params: number, counts: { ints: number; longs: number; doubles: number }): Layout {
  let next = params;
  const take = (n: number) => {
    const s = next;
    next += n;
    return s;
  };
  const seed = params > 0 ? params - 1 : take(1);
  const checksum = take(2);
  const ints = Array.from({ length: counts.ints }, () => take(1));
  const longs = Array.from({ length: counts.longs }, () => take(2));
  const doubles = Array.from({ length: counts.doubles }, () => take(2));
  const depth = Array.from({ length: MAX_DEPTH + 1 }, () => ({ counter: take(1), lock: take(1), exception: take(1), returnAddress: take(1) }));
  const scratch = take(4);
  const wrapException = take(1);
  return { seed, checksum, ints, longs, doubles, depth, scratch, wrapException, maxLocals: next };
}
