/**
 * `indy` linking: call sites bound through `invokedynamic` (JVMS 4.4.10, 6.5
 * invokedynamic, 4.7.23 BootstrapMethods). A transfer into piece P at entry E
 * becomes `invokedynamic` whose bootstrap, a private static synthetic method
 * generated into the class (no runtime jar), returns
 * `new ConstantCallSite(insertArguments(P, 0, E))`: the entry is a constant bound
 * into the method handle, so the call site is a direct call to P with E fixed.
 *
 * One bootstrap method per class; one BootstrapMethods row per (piece, entry), and
 * one InvokeDynamic constant per call site shape, all deduplicated. Needs class
 * version 51 (invokedynamic); callers fall back to `invokestatic` below it. The
 * pool may be swapped for a trial copy (`checkpoint`), and every constant the
 * bootstrap method needs is added with the first call site, so `finish` never
 * grows a pool the split has already checked for room.
 */
import { Op } from "../../src/bytecode/opcodes.js";
import type { CodeNode, MethodBody } from "../../src/bytecode/model.js";
import { encodeBody } from "../../src/bytecode/encode.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import { Access, type BootstrapMethod, type ClassFile, findAttribute, type MethodInfo } from "../../src/classfile/model.js";
import { newMethodBody } from "../../src/bytecode/method-body.js";

const BOOTSTRAP_DESCRIPTOR =
  "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;I)Ljava/lang/invoke/CallSite;";
const REF_INVOKE_STATIC = 6;

/** What `IndyCallSites.save` records. */
export interface IndyState {
  readonly pool: ConstantPool;
  readonly added: readonly BootstrapMethod[];
  readonly rows: ReadonlyMap<string, number>;
  readonly sites: ReadonlyMap<string, number>;
  readonly bootstrapRef: number | undefined;
}

export class IndyCallSites {
  private readonly added: BootstrapMethod[] = [];
  private readonly existing: number;
  private readonly rows = new Map<string, number>();
  private readonly sites = new Map<string, number>();
  private bootstrapRef: number | undefined;
  readonly bootstrapName: string;
  /** The pool call sites are added to: the class's, or the copy a method is split against. */
  private pool: ConstantPool;

  constructor(
    private readonly cf: ClassFile,
    taken: Set<string>,
  ) {
    this.pool = cf.constantPool;
    this.existing = findAttribute(cf.attributes, "BootstrapMethods")?.methods.length ?? 0;
    let name = "megasplit$bootstrap";
    for (let k = 2; taken.has(name); k++) name = `megasplit$bootstrap${k}`;
    taken.add(name);
    this.bootstrapName = name;
  }

  get used(): boolean {
    return this.added.length > 0;
  }

  /**
   * Adds call sites to `pool` from now on; the returned function undoes every call
   * site added since (the split of a method was refused, its pool dropped).
   */
  checkpoint(pool: ConstantPool): () => void {
    const saved = this.save();
    this.pool = pool;
    return () => this.restore(saved);
  }

  /** The call sites added so far and the pool they went to, for `restore`. */
  save(): IndyState {
    return { pool: this.pool, added: this.added.slice(), rows: new Map(this.rows), sites: new Map(this.sites), bootstrapRef: this.bootstrapRef };
  }

  /**
   * Returns to a saved state, adding to `pool` from now on (default: the saved
   * one): a split attempt starts from the method's state with a pool of its own,
   * and the attempt kept is restored with the pool that took its entries.
   */
  restore(state: IndyState, pool: ConstantPool = state.pool): void {
    this.pool = pool;
    this.added.length = 0;
    this.added.push(...state.added);
    this.rows.clear();
    for (const [k, v] of state.rows) this.rows.set(k, v);
    this.sites.clear();
    for (const [k, v] of state.sites) this.sites.set(k, v);
    this.bootstrapRef = state.bootstrapRef;
  }

  /** The InvokeDynamic constant for a call to `piece` (descriptor `(I<rest>)I`) at `entry`. */
  callSite(className: string, piece: string, pieceDescriptor: string, entry: number): number {
    const cp = this.pool;
    const key = `${piece}${pieceDescriptor}#${entry}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      if (this.bootstrapRef === undefined) {
        this.bootstrapRef = cp.addMemberRef(this.isInterface ? "InterfaceMethodref" : "Methodref", className, this.bootstrapName, BOOTSTRAP_DESCRIPTOR);
        this.bootstrapNodes(cp);
        for (const name of ["BootstrapMethods", "Code", this.bootstrapName, BOOTSTRAP_DESCRIPTOR]) cp.addUtf8(name);
      }
      const handle = cp.addMethodHandle(REF_INVOKE_STATIC, cp.addMemberRef(this.isInterface ? "InterfaceMethodref" : "Methodref", className, piece, pieceDescriptor));
      this.added.push({ methodRef: cp.addMethodHandle(REF_INVOKE_STATIC, this.bootstrapRef), arguments: [handle, cp.addInteger(entry)] });
      row = this.existing + this.added.length - 1;
      this.rows.set(key, row);
    }
    const siteDescriptor = "(" + pieceDescriptor.slice(2);
    const siteKey = `${row}:${siteDescriptor}`;
    let index = this.sites.get(siteKey);
    if (index === undefined) {
      index = cp.add({ kind: "InvokeDynamic", bootstrapMethodAttrIndex: row, nameAndTypeIndex: cp.addNameAndType(piece, siteDescriptor) });
      this.sites.set(siteKey, index);
    }
    return index;
  }

  private get isInterface(): boolean {
    return (this.cf.accessFlags & Access.INTERFACE) !== 0;
  }

  /** The class with the bootstrap method and the BootstrapMethods rows added. */
  finish(cf: ClassFile): ClassFile {
    if (!this.used) return cf;
    const cp = cf.constantPool;
    const old = findAttribute(cf.attributes, "BootstrapMethods");
    const attr = { kind: "BootstrapMethods" as const, nameIndex: old?.nameIndex ?? cp.addUtf8("BootstrapMethods"), methods: [...(old?.methods ?? []), ...this.added] };
    const attributes = old ? cf.attributes.map((a) => (a === old ? attr : a)) : [...cf.attributes, attr];
    return { ...cf, attributes, methods: [...cf.methods, this.bootstrapMethod(cf)] };
  }

  private bootstrapMethod(cf: ClassFile): MethodInfo {
    const cp = cf.constantPool;
    // Straight-line code: no branch target, so no StackMapTable is needed (JVMS 4.10.1).
    const body: MethodBody = newMethodBody({ maxStack: 8, maxLocals: 5, nodes: this.bootstrapNodes(cp), labelCount: 0, handlers: [], hasStackMapTable: false, otherAttributes: [] });
    const code = encodeBody(body, cp);
    return {
      accessFlags: Access.PRIVATE | Access.STATIC | Access.SYNTHETIC,
      nameIndex: cp.addUtf8(this.bootstrapName),
      descriptorIndex: cp.addUtf8(BOOTSTRAP_DESCRIPTOR),
      attributes: [{ ...code, nameIndex: cp.addUtf8("Code") }],
    };
  }

  private bootstrapNodes(cp: ConstantPool): CodeNode[] {
    const ccs = "java/lang/invoke/ConstantCallSite";
    const nodes: CodeNode[] = [
      { kind: "cp", op: Op.NEW, index: cp.addClass(ccs) },
      { kind: "simple", op: Op.DUP },
      { kind: "local", op: Op.ALOAD, index: 3 },
      { kind: "simple", op: Op.ICONST_0 },
      { kind: "simple", op: Op.ICONST_1 },
      { kind: "cp", op: Op.ANEWARRAY, index: cp.addClass("java/lang/Object") },
      { kind: "simple", op: Op.DUP },
      { kind: "simple", op: Op.ICONST_0 },
      { kind: "local", op: Op.ILOAD, index: 4 },
      { kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef("Methodref", "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;") },
      { kind: "simple", op: Op.AASTORE },
      {
        kind: "cp",
        op: Op.INVOKESTATIC,
        index: cp.addMemberRef("Methodref", "java/lang/invoke/MethodHandles", "insertArguments", "(Ljava/lang/invoke/MethodHandle;I[Ljava/lang/Object;)Ljava/lang/invoke/MethodHandle;"),
      },
      { kind: "local", op: Op.ALOAD, index: 2 },
      { kind: "cp", op: Op.INVOKEVIRTUAL, index: cp.addMemberRef("Methodref", "java/lang/invoke/MethodHandle", "asType", "(Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;") },
      { kind: "cp", op: Op.INVOKESPECIAL, index: cp.addMemberRef("Methodref", ccs, "<init>", "(Ljava/lang/invoke/MethodHandle;)V") },
      { kind: "simple", op: Op.ARETURN },
    ];
    return nodes;
  }
}
