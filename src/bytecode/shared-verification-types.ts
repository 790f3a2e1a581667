/**
 * The verification types of one encoded StackMapTable (JVMS 4.7.4,
 * verification_type_info), shared: one object per distinct type (`int`, `top`,
 * `object` of one class index, ...) and one list per distinct list of frame types
 * the body's frame nodes hold. `encode.ts` asks here for each frame it writes.
 *
 * A split keeps every piece's encoded Code attribute until the class is written,
 * and a piece entered with hundreds of live locals has full frames that list them
 * all: one object per slot per frame made those tables most of what a split of
 * parser-actions (samples/generators/) keeps per piece. Verification types are
 * values in the classfile model (the writer only reads them), so sharing them is
 * invisible to every reader; the frame inference shares one locals list among the
 * frames of a run of blocks, and the list written for it is shared the same way.
 * An `uninitialized` type names a code offset, so it is written as it comes and a
 * list holding one is not shared. A table lives for one body.
 */
import type { VerificationType } from "../classfile/model.js";
import type { FrameType, Label } from "./model.js";

export class SharedVerificationTypes {
  private readonly byTag = new Map<string, VerificationType>();
  private readonly byClass = new Map<number, VerificationType>();
  private readonly lists = new Map<readonly FrameType[], VerificationType[]>();

  constructor(private readonly offsetOf: (label: Label, what: string) => number) {}

  /** The verification type of a frame type: a shared object unless it is `uninitialized`. */
  of(t: FrameType): VerificationType {
    if (t.tag === "uninitialized") return { tag: "uninitialized", offset: this.offsetOf(t.label, "uninitialized type") };
    if (t.tag === "object") {
      let v = this.byClass.get(t.classIndex);
      if (v === undefined) this.byClass.set(t.classIndex, (v = { tag: "object", classIndex: t.classIndex }));
      return v;
    }
    const known = this.byTag.get(t.tag);
    if (known !== undefined) return known;
    const v: VerificationType = { tag: t.tag };
    this.byTag.set(t.tag, v);
    return v;
  }

  /** The list for `ts`: the same list for the same list object, unless it holds an `uninitialized` type. */
  listOf(ts: readonly FrameType[]): VerificationType[] {
    const known = this.lists.get(ts);
    if (known !== undefined) return known;
    const out: VerificationType[] = [];
    let shareable = true;
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k]!;
      if (t.tag === "uninitialized") shareable = false;
      out.push(this.of(t));
    }
    if (shareable) this.lists.set(ts, out);
    return out;
  }
}
