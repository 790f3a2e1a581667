/**
 * Keeps a split from writing a frame the verifier rejects because a class is
 * missing. A frame merge of two classes is their least common superclass (JVMS
 * 4.10.1.2); when a class on the way is in no input, classpath entry or JDK, its
 * super class is unknown and the hierarchy answers with java/lang/Object
 * (`mergeGuessedPast`, src/hierarchy/hierarchy.ts, names the class it guessed past).
 * The watch wraps the hierarchy for one method and records those guesses. A guess
 * is harmless while the merged value is only stored, compared or passed as an
 * Object; a body that then uses it as a class (`x = debug ? wrap(cw) : cw;
 * x.visit(...)` with the ASM jar absent) is rejected by HotSpot (`VerifyError: Bad
 * type on operand stack`) although the original links once the jar is there. So,
 * only in a method where some merge guessed, every body written is checked for
 * such a use (`guessedUse`), and one found refuses the method
 * (W_REFUSED_MISSING_CLASS, naming the classes whose jars would let it merge
 * exactly). A hierarchy without `mergeGuessedPast` (a library caller's own) is
 * trusted as it is. Cost: nothing unless a merge guessed; then one more frame
 * analysis per body written.
 */
import type { Instruction, MethodBody } from "../bytecode/model.js";
import { parseMethodDescriptor } from "../bytecode/descriptors.js";
import { Op, OPCODES } from "../bytecode/opcodes.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import { opcodeOf } from "../../passes/cfg.js";
import { type FrameAnalysis, inferFrames } from "../../passes/frames.js";
import { FIRST_ID, OBJECT } from "../../passes/frame-types.js";
import { ErrorCodes, InternalError, MegasplitError } from "../diagnostics.js";
import type { ClassHierarchy, PassContext } from "../../passes/pass.js";

export class MergeWatch implements ClassHierarchy {
  /** Missing classes some merge went past, in the order first met. */
  readonly guessedPast = new Set<string>();

  /** `interfaceOwners` of the pool the bodies are written into, and its size then: read once per method, not per body. */
  private owners: { cp: ConstantPool; count: number; names: Set<string> } | undefined;

  constructor(private readonly base: ClassHierarchy) {}

  private interfaceOwners(cp: ConstantPool): Set<string> {
    if (this.owners?.cp !== cp || this.owners.count !== cp.count) this.owners = { cp, count: cp.count, names: interfaceOwners(cp) };
    return this.owners.names;
  }

  isAssignable(to: string, from: string): boolean {
    return this.base.isAssignable(to, from);
  }

  commonSuperClass(a: string, b: string): string {
    const merged = this.base.commonSuperClass(a, b);
    // While the base has no missing class (the merge has looked its classes up by now), no merge can have guessed.
    if (this.base.missing?.size === 0) return merged;
    const missing = this.base.mergeGuessedPast?.(a, b);
    if (missing !== undefined) this.guessedPast.add(missing);
    return merged;
  }

  /**
   * After a body's frames are computed: when some merge of this method guessed,
   * throws W_REFUSED_MISSING_CLASS if the body uses a guessed type as a more
   * specific one (`guessedUse`). Nothing to do, and no cost, when no merge guessed.
   */
  checkBody(body: MethodBody, ctx: PassContext): void {
    if (this.guessedPast.size === 0) return;
    const frames = inferFrames(body, ctx, { useDeclaredFrames: body.nodes.some((n) => n.kind === "frame") });
    // The body's frames were just computed from this code: an analysis that fails here is a bug of ours.
    if (frames.errors.length > 0) throw new InternalError(`checking ${ctx.className}.${ctx.methodName} for guessed merges: ${frames.errors[0]!.message}`);
    const info = this.base.info?.bind(this.base);
    const owners = this.interfaceOwners(ctx.cp);
    const isInterface = (name: string) => info?.(name)?.isInterface ?? (owners.has(name) ? true : undefined);
    const use = guessedUse(body, frames, ctx.cp, { returnType: parseMethodDescriptor(ctx.descriptor).returnType, className: ctx.className }, isInterface);
    if (use === undefined) return;
    const names = [...this.guessedPast].sort();
    const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : "");
    throw new MegasplitError(
      ErrorCodes.REFUSED_MISSING_CLASS,
      `a frame of the split would merge types whose super classes are unknown (${shown} not found in the input, the classpath or the JDK) into java/lang/Object, ` +
        `where ${use}: the verifier would reject it; add the missing jars with --classpath`,
      ctx.where,
    );
  }
}

/**
 * Where a body uses a guessed merge's result as a more specific type: a stack
 * operand typed java/lang/Object (or an array of it), the answer of a merge past a
 * missing class, taken where the instruction needs a class or array type (a
 * receiver, an argument, a field's value, the return value, athrow's Throwable, an
 * array load's or store's array), JVMS 4.10.1.9. Valid code never uses an Object as
 * anything else, so such a use exists only because of the guess, and HotSpot would
 * reject the body. An interface type accepts any object (JVMS 4.10.1.2), so only a
 * class known not to be an interface counts, or a missing one (it may be a class).
 * Returns the first such use, for the refusal's reason; undefined if none. Cost: one
 * replay of the frame analysis.
 */
export function guessedUse(
  body: MethodBody,
  frames: FrameAnalysis,
  cp: ConstantPool,
  where: { returnType: string; className: string },
  isInterface: (name: string) => boolean | undefined,
): string | undefined {
  const { returnType, className } = where;
  const { cfg, types } = frames;
  let found: string | undefined;
  const needs = (required: string, t: number): boolean => {
    if (t < FIRST_ID || types.isUninitialized(t)) return false;
    const name = types.nameOf(t);
    if (name !== OBJECT && !/^\[+Ljava\/lang\/Object;$/.test(name)) return false;
    if (required === OBJECT || required === name) return false;
    if (required[0] === "[") return !(name[0] === "[" && required.lastIndexOf("[") < name.lastIndexOf("["));
    return isInterface(required) !== true;
  };
  for (let b = 0; b < cfg.blockCount && found === undefined; b++) {
    if (!cfg.reachable[b]) continue;
    frames.replay(b, (node, _locals, stack, height) => {
      if (found !== undefined) return;
      const uses = operandsNeeded(body.nodes[node] as Instruction, cp, returnType, className);
      for (const [depth, required] of uses) {
        if (needs(required, stack[height - 1 - depth]!)) {
          found = `${OPCODES[opcodeOf(body.nodes[node] as Instruction)]?.mnemonic ?? "an instruction"} needs ${required}`;
          return;
        }
      }
    });
  }
  return found;
}

/** Slots from the top of the stack, and the reference type each needs: `[depth, type]`. */
function operandsNeeded(n: Instruction, cp: ConstantPool, returnType: string, className: string): [number, string][] {
  const refs = (descriptors: readonly string[], below: number): [number, string][] => {
    const out: [number, string][] = [];
    let depth = below;
    for (let i = descriptors.length - 1; i >= 0; i--) {
      const d = descriptors[i]!;
      if (d[0] === "L") out.push([depth, d.slice(1, -1)]);
      else if (d[0] === "[") out.push([depth, d]);
      depth += d === "J" || d === "D" ? 2 : 1;
    }
    return out;
  };
  switch (n.kind) {
    case "cp": {
      if (n.op === Op.GETFIELD || n.op === Op.PUTFIELD || n.op === Op.PUTSTATIC) {
        const f = cp.memberRef(n.index);
        const value = n.op === Op.GETFIELD ? [] : refs([f.descriptor], 0);
        const valueSlots = f.descriptor === "J" || f.descriptor === "D" ? 2 : 1;
        return n.op === Op.PUTSTATIC ? value : [...value, [n.op === Op.GETFIELD ? 0 : valueSlots, f.owner]];
      }
      if (n.op === Op.INVOKEVIRTUAL || n.op === Op.INVOKESPECIAL || n.op === Op.INVOKESTATIC) {
        const m = cp.memberRef(n.index);
        const md = parseMethodDescriptor(m.descriptor);
        const args = refs(md.params, 0);
        if (n.op === Op.INVOKESTATIC) return args;
        // invokevirtual: the owner, an array type too (`arr.clone()`). invokespecial: the
        // current class (JVMS 4.10.1.9); the receiver of <init> is uninitialized, which the check skips.
        return [...args, [md.paramSlots, n.op === Op.INVOKESPECIAL ? className : m.owner]];
      }
      return [];
    }
    case "invokeinterface":
      // The receiver is an interface type: any object will do.
      return refs(parseMethodDescriptor(cp.memberRef(n.index).descriptor).params, 0);
    case "invokedynamic": {
      const e = cp.expect(n.index, "InvokeDynamic");
      return refs(parseMethodDescriptor(cp.nameAndType(e.nameAndTypeIndex).descriptor).params, 0);
    }
    case "simple":
      switch (n.op) {
        case Op.ARETURN:
          return returnType[0] === "L" || returnType[0] === "[" ? refs([returnType], 0) : [];
        case Op.ATHROW:
          return [[0, "java/lang/Throwable"]];
        case Op.AALOAD:
          return [[1, "[Ljava/lang/Object;"]];
        case Op.AASTORE:
          return [[2, "[Ljava/lang/Object;"]];
        case Op.ARRAYLENGTH:
          return [[0, "[Ljava/lang/Object;"]];
        default:
          return [];
      }
    default:
      return [];
  }
}

/**
 * Classes the pool names as owners of InterfaceMethodrefs: interfaces, missing or
 * not (JVMS 4.4.2: the class of an InterfaceMethodref must be an interface), so a
 * missing one that the code calls through invokeinterface is known to take any object.
 */
function interfaceOwners(cp: ConstantPool): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < cp.entries.length; i++) {
    const e = cp.entries[i];
    if (e?.kind === "InterfaceMethodref") out.add(cp.className(e.classIndex));
  }
  return out;
}
