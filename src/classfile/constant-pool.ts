/**
 * The constant pool (JVMS 4.4): typed access with index and kind checks, and a
 * builder that appends deduplicated entries.
 *
 * The pool keeps entries at their original indices (slot 0 and the slot after each
 * Long/Double are `undefined`), and only ever appends, so every index in the input
 * stays valid after a pass adds constants. Adding past 65,535 slots fails with
 * `E_CP_OVERFLOW`. Lookup of an existing equal entry is O(1) through a key map built
 * lazily on the first `add`.
 */
import { assert, ErrorCodes, MegasplitError, type Location } from "../diagnostics.js";
import { type CpEntry, type CpKind } from "./model.js";
import { decodeModifiedUtf8, encodeModifiedUtf8 } from "./mutf8.js";

export const MAX_CP_SLOTS = 65535;

/** A symbolic method or field reference, resolved from a *ref entry. */
export interface MemberRef {
  owner: string;
  name: string;
  descriptor: string;
}

export class ConstantPool {
  /** entries[i] for 1 <= i < size; undefined at 0 and after Long/Double. */
  readonly entries: (CpEntry | undefined)[];
  /** Where errors point (set by the reader to the class being read). */
  where: Location = {};
  /** Entry key -> first index; for a clone, only what it added since (see `clone`). */
  private keys: Map<string, number> | undefined;
  /** A clone's view of its original's keys: shared, read-only here, valid below `baseLimit`. */
  private baseKeys: Map<string, number> | undefined;
  private baseLimit = 0;

  constructor(entries: (CpEntry | undefined)[] = [undefined]) {
    this.entries = entries;
    if (entries.length === 0) entries.push(undefined);
  }

  /** constant_pool_count: one more than the highest index. */
  get count(): number {
    return this.entries.length;
  }

  get(index: number): CpEntry {
    const e = index > 0 ? this.entries[index] : undefined;
    if (e === undefined) {
      throw new MegasplitError(ErrorCodes.CP_INDEX, `constant-pool index ${index} is not a valid entry (pool has ${this.entries.length} slots)`, this.where);
    }
    return e;
  }

  /** The entry at `index`, which must be one of `kinds`. */
  expect<K extends CpKind>(index: number, ...kinds: K[]): CpEntry & { kind: K } {
    const e = this.get(index);
    if (!(kinds as string[]).includes(e.kind)) {
      throw new MegasplitError(ErrorCodes.CP_KIND, `constant-pool entry ${index} is ${e.kind}, expected ${kinds.join(" or ")}`, this.where);
    }
    return e as CpEntry & { kind: K };
  }

  utf8(index: number): string {
    return this.expect(index, "Utf8").value;
  }

  /** The internal name of a Class entry (`java/lang/String`, or an array descriptor). */
  className(index: number): string {
    return this.utf8(this.expect(index, "Class").nameIndex);
  }

  nameAndType(index: number): { name: string; descriptor: string } {
    const nt = this.expect(index, "NameAndType");
    return { name: this.utf8(nt.nameIndex), descriptor: this.utf8(nt.descriptorIndex) };
  }

  memberRef(index: number): MemberRef {
    const r = this.expect(index, "Fieldref", "Methodref", "InterfaceMethodref");
    return { owner: this.className(r.classIndex), ...this.nameAndType(r.nameAndTypeIndex) };
  }

  /** Validates every reference between entries (JVMS 4.4 structural constraints). */
  validate(): void {
    for (let i = 1; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e === undefined) continue;
      switch (e.kind) {
        case "Class":
        case "Module":
        case "Package":
          this.expect(e.nameIndex, "Utf8");
          break;
        case "String":
          this.expect(e.stringIndex, "Utf8");
          break;
        case "Fieldref":
        case "Methodref":
        case "InterfaceMethodref":
          this.expect(e.classIndex, "Class");
          this.expect(e.nameAndTypeIndex, "NameAndType");
          break;
        case "NameAndType":
          this.expect(e.nameIndex, "Utf8");
          this.expect(e.descriptorIndex, "Utf8");
          break;
        case "MethodHandle":
          if (e.referenceKind < 1 || e.referenceKind > 9) {
            throw new MegasplitError(ErrorCodes.CP_KIND, `MethodHandle ${i} has reference kind ${e.referenceKind}`, this.where);
          }
          if (e.referenceKind <= 4) this.expect(e.referenceIndex, "Fieldref");
          else this.expect(e.referenceIndex, "Methodref", "InterfaceMethodref");
          break;
        case "MethodType":
          this.expect(e.descriptorIndex, "Utf8");
          break;
        case "Dynamic":
        case "InvokeDynamic":
          this.expect(e.nameAndTypeIndex, "NameAndType");
          break;
        default:
          break;
      }
    }
  }

  // ---- building ----

  /** Appends `e` unless an equal entry exists; returns its index. */
  add(e: CpEntry): number {
    const keys = this.keyMap();
    const k = keyOf(e);
    const found = keys.get(k);
    if (found !== undefined) return found;
    if (this.baseKeys) {
      // The original may have grown since the clone: its later entries are not ours.
      const base = this.baseKeys.get(k);
      if (base !== undefined && base < this.baseLimit) return base;
    }
    const wide = e.kind === "Long" || e.kind === "Double";
    const index = this.entries.length;
    // constant_pool_count is a u2 (JVMS 4.1): at most 65,535, so the last index is 65,534.
    if (index + (wide ? 2 : 1) > MAX_CP_SLOTS) {
      throw new MegasplitError(ErrorCodes.CP_OVERFLOW, `the constant pool would exceed ${MAX_CP_SLOTS} entries`, this.where);
    }
    this.entries.push(e);
    if (wide) this.entries.push(undefined);
    keys.set(k, index);
    return index;
  }

  /** Whether `add` looks entries up without building anything first (its key map exists, as in every clone). */
  get hasKeyMap(): boolean {
    return this.keys !== undefined;
  }

  addUtf8(s: string): number {
    return this.add({ kind: "Utf8", value: s, bytes: encodeModifiedUtf8(s) });
  }
  addClass(internalName: string): number {
    return this.add({ kind: "Class", nameIndex: this.addUtf8(internalName) });
  }
  addString(s: string): number {
    return this.add({ kind: "String", stringIndex: this.addUtf8(s) });
  }
  addInteger(v: number): number {
    return this.add({ kind: "Integer", value: v | 0 });
  }
  addFloatBits(bits: number): number {
    return this.add({ kind: "Float", bits: bits | 0 });
  }
  addLong(v: bigint): number {
    return this.add({ kind: "Long", value: BigInt.asIntN(64, v) });
  }
  addDoubleBits(bits: bigint): number {
    return this.add({ kind: "Double", bits: BigInt.asIntN(64, bits) });
  }
  addNameAndType(name: string, descriptor: string): number {
    return this.add({ kind: "NameAndType", nameIndex: this.addUtf8(name), descriptorIndex: this.addUtf8(descriptor) });
  }
  addMemberRef(kind: "Fieldref" | "Methodref" | "InterfaceMethodref", owner: string, name: string, descriptor: string): number {
    return this.add({ kind, classIndex: this.addClass(owner), nameAndTypeIndex: this.addNameAndType(name, descriptor) });
  }
  addMethodType(descriptor: string): number {
    return this.add({ kind: "MethodType", descriptorIndex: this.addUtf8(descriptor) });
  }
  addMethodHandle(referenceKind: number, referenceIndex: number): number {
    return this.add({ kind: "MethodHandle", referenceKind, referenceIndex });
  }

  /**
   * A deep-enough copy: entries are immutable, so sharing them is safe. The lookup
   * map is not copied but shared: the clone reads its original's keys below the
   * original's size at cloning time and keeps its own additions apart (a class is
   * cloned once per method split, and re-keying or copying a pool of thousands of
   * entries each time was a visible share of splitting a jar). The original may
   * keep growing: its later keys are at or above `baseLimit`, ignored by the clone.
   */
  clone(): ConstantPool {
    const c = new ConstantPool(this.entries.slice());
    c.where = this.where;
    if (this.baseKeys) {
      c.baseKeys = this.baseKeys;
      c.baseLimit = this.baseLimit;
      c.keys = new Map(this.keys);
    } else {
      c.baseKeys = this.keyMap();
      c.baseLimit = this.entries.length;
      c.keys = new Map();
    }
    return c;
  }

  /**
   * Takes the entries `derived` added: `derived` is a clone of this pool that grew
   * while nothing else wrote here (a split attempt's own pool), and afterwards this
   * pool equals it. An attempt that is not kept leaves nothing behind this way.
   */
  adopt(derived: ConstantPool): void {
    const from = this.entries.length;
    assert(derived.entries.length >= from && derived.entries[from - 1] === this.entries[from - 1], "adopt: the pool is not a clone grown from this one");
    for (let i = from; i < derived.entries.length; i++) this.entries.push(derived.entries[i]);
    const own = derived.keys ?? new Map<string, number>();
    if (this.baseKeys) this.keys = own; // a clone's clone: its keys are ours plus what it added
    else {
      const keys = this.keyMap();
      for (const [k, v] of own) if (v >= from && !keys.has(k)) keys.set(k, v);
    }
  }

  private keyMap(): Map<string, number> {
    if (this.keys) return this.keys;
    const m = new Map<string, number>();
    for (let i = 1; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e === undefined) continue;
      const k = keyOf(e);
      if (!m.has(k)) m.set(k, i);
    }
    this.keys = m;
    return m;
  }
}

function keyOf(e: CpEntry): string {
  switch (e.kind) {
    case "Utf8":
      // Key on the exact bytes: two encodings of one string are different entries.
      return `U${Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString("latin1")}`;
    case "Integer":
      return `I${e.value}`;
    case "Float":
      return `F${e.bits}`;
    case "Long":
      return `J${e.value}`;
    case "Double":
      return `D${e.bits}`;
    case "Class":
      return `C${e.nameIndex}`;
    case "String":
      return `S${e.stringIndex}`;
    case "Module":
      return `M${e.nameIndex}`;
    case "Package":
      return `P${e.nameIndex}`;
    case "Fieldref":
    case "Methodref":
    case "InterfaceMethodref":
      return `${e.kind}${e.classIndex}.${e.nameAndTypeIndex}`;
    case "NameAndType":
      return `N${e.nameIndex}.${e.descriptorIndex}`;
    case "MethodHandle":
      return `H${e.referenceKind}.${e.referenceIndex}`;
    case "MethodType":
      return `T${e.descriptorIndex}`;
    case "Dynamic":
    case "InvokeDynamic":
      return `${e.kind}${e.bootstrapMethodAttrIndex}.${e.nameAndTypeIndex}`;
  }
}

export { decodeModifiedUtf8, encodeModifiedUtf8 };
