/**
 * A loop-resident driver's frame arrays in the one-byte local slots. The JVM loads
 * and stores locals 0 to 3 with one-byte instructions (`aload_<n>`, JVMS 6.5) and
 * every other local up to 255 with two (`aload n`). The heap-frame driver puts its
 * frame arrays after the original method's locals (`heap-frame.ts`), so each access
 * to them takes two bytes. In a loop-resident driver (a dispatch loop whose
 * registers live in the frame, `loop-resident.ts`) there is one on every register
 * access, several a statement: on bench/jit-unlock's heavy 20 KB interpreter, 807 of
 * the driver's 7,987 bytes. The registers' own slots, often among 0 to 3, are then
 * never touched in the driver. Here the arrays of the kinds with the most resident
 * accesses take those slots, so the driver's cases take fewer bytes and the driver
 * fill (`src/split/driver-fill.ts`) keeps more of them out of the pieces: fewer
 * steps leave the driver.
 *
 * The assignment is a function of the cut body, its resident locals and the
 * parameter slots (`residentLowSlots`), computed alike by the partition's size
 * estimate (`residenceGrowth`, which prices a moved array's loads at one byte) and
 * by the linker, so the estimates stay upper bounds of what is written. The linker
 * renames the arrays' slots (`inLowSlots`) only into slots no instruction of the
 * finished driver touches, as one slot or as the second slot of a long or double:
 * no value any instruction sees changes. A LocalVariable(Type)Table row that names
 * a slot taken this way (an original local the driver never touches) is dropped,
 * since the slot now holds an array. The StackMapTable is inferred from the code
 * afterwards (`src/split/encode-split.ts`).
 */
import type { CodeNode, LocalVariable } from "../../src/bytecode/model.js";
import { withLocalIndex } from "../../src/bytecode/node-shapes.js";
import { Op } from "../../src/bytecode/opcodes.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import { KIND_DOUBLE, KIND_LONG } from "./frame-arrays.js";
import type { ResidentKinds } from "./resident-locals.js";

/** Highest local slot with a one-byte load and store. */
const LAST_SHORT_SLOT = 3;

/** Frame-array kinds (int, long, float, double, reference). */
const KINDS = 5;

/** Loads and stores that take two slots (a long or a double). */
function isTwoSlot(op: number): boolean {
  return op === Op.LLOAD || op === Op.DLOAD || op === Op.LSTORE || op === Op.DSTORE;
}

/** Marks in `slots` the one-byte slots `n` names: its local, and a long's or double's second slot. */
function markShortSlots(n: CodeNode & { kind: "local" | "iinc" }, slots: Uint8Array): void {
  if (n.index <= LAST_SHORT_SLOT) slots[n.index] = 1;
  if (n.kind === "local" && isTwoSlot(n.op) && n.index + 1 <= LAST_SHORT_SLOT) slots[n.index + 1] = 1;
}

/**
 * Per frame-array kind, the one-byte slot its array takes in a loop-resident
 * driver, or -1. Free are the slots from `paramSlots` to 3 that hold a resident
 * local (or the second half of a resident long or double), the driver reaching it
 * through the frame only, and that no access of a local that is not resident names
 * (javac reuses a slot for locals of other kinds: a long before the loop, say, whose
 * second slot is a resident register later). They go, lowest first, to the kinds
 * with the most accesses of resident locals in `nodes` (ties: the lower kind).
 */
export function residentLowSlots(nodes: readonly CodeNode[], resident: ResidentKinds, paramSlots: number): Int8Array {
  const slotOf = new Int8Array(KINDS).fill(-1);
  const accesses = new Float64Array(KINDS);
  // Slots an access of a local that is not resident names (as one slot or a long's second): the driver may keep it.
  const named = new Uint8Array(LAST_SHORT_SLOT + 1);
  for (const n of nodes) {
    if (n.kind !== "local" && n.kind !== "iinc") continue;
    const k = n.index < resident.length ? resident[n.index]! : -1;
    if (k >= 0) {
      accesses[k]!++;
      continue;
    }
    markShortSlots(n, named);
  }
  const free: number[] = [];
  for (let x = paramSlots; x <= LAST_SHORT_SLOT && x < resident.length; x++) {
    const wideBefore = x > 0 && (resident[x - 1] === KIND_LONG || resident[x - 1] === KIND_DOUBLE);
    if ((resident[x]! >= 0 || wideBefore) && !named[x]) free.push(x);
  }
  if (free.length === 0) return slotOf;
  const kinds = [...Array(KINDS).keys()].filter((k) => accesses[k]! > 0).sort((a, b) => accesses[b]! - accesses[a]! || a - b);
  for (let i = 0; i < kinds.length && i < free.length; i++) slotOf[kinds[i]!] = free[i]!;
  return slotOf;
}

/** A body's debug rows, as the driver writer has them. */
export interface SlotRows {
  localVariables: LocalVariable[] | undefined;
  localVariableTypes: LocalVariable[] | undefined;
}

/**
 * `nodes` with local `from` renamed to `to` for each planned move whose `to` no
 * instruction touches (a move into a touched slot is left out), and without the
 * debug rows naming a slot taken.
 */
export function inLowSlots(nodes: CodeNode[], rows: SlotRows, moves: ReadonlyMap<number, number>, cp: ConstantPool): { nodes: CodeNode[]; rows: SlotRows } {
  if (moves.size === 0) return { nodes, rows };
  const touched = new Uint8Array(LAST_SHORT_SLOT + 1);
  for (const n of nodes) if (n.kind === "local" || n.kind === "iinc") markShortSlots(n, touched);
  const moved = new Map([...moves].filter(([, to]) => to <= LAST_SHORT_SLOT && !touched[to]));
  if (moved.size === 0) return { nodes, rows };
  const out = nodes.map((n) => {
    if (n.kind !== "local" && n.kind !== "iinc") return n;
    const to = moved.get(n.index);
    return to === undefined ? n : withLocalIndex(n, to);
  });
  const taken = new Set(moved.values());
  // A row's descriptor (or signature) "J" or "D" covers its slot and the next.
  const covers = (v: LocalVariable): boolean => taken.has(v.index) || (taken.has(v.index + 1) && /^[JD]$/.test(cp.utf8(v.descriptorIndex)));
  const keep = (table: LocalVariable[] | undefined): LocalVariable[] | undefined => table?.filter((v) => !covers(v));
  return { nodes: out, rows: { localVariables: keep(rows.localVariables), localVariableTypes: keep(rows.localVariableTypes) } };
}
