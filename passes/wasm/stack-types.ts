/**
 * Operand-stack typing of straight-line WebAssembly instructions, as the spec's
 * validation algorithm does it (core spec, Appendix "Validation Algorithm",
 * `pop_val`/`push_val` per instruction; Validation, "Instructions"): for each
 * instruction, how many values it pops and the types it pushes, given the types
 * already on the stack (for `select`, `drop`, `ref.as_non_null`, ...). Control
 * instructions (block, loop, if, else, end, br*, return, return_call*) are the CFG
 * builder's (cfg-build.ts); this file types everything between them: numeric and
 * vector instructions (by name rule, numeric-effects.ts), locals, globals, calls,
 * memory, bulk memory, tables, reference types.
 *
 * What it cannot type is a refusal, a reason string, not an exception: GC
 * aggregates (0xFB), atomics (0xFE), exception handling and typed-reference
 * branches. An index out of range or a block type that is not a function type is
 * invalid input (`E_WASM_INVALID`). Otherwise input is trusted to be valid (the
 * module validates): popped types are not checked, only counted, so a body that
 * mixes types gives a CFG that does not validate either.
 *
 * Cost: one table lookup per instruction; effects that depend on an index are
 * cached per index, so no object is allocated per instruction.
 */
import { ErrorCodes, MegasplitError } from "../../src/diagnostics.js";
import type { Instr, MemArg } from "../../src/wasm/instructions.js";
import { allOpcodes, type OpInfo } from "../../src/wasm/opcodes.js";
import { I32, I64, type RefType, type ValType } from "../../src/wasm/types.js";
import { funcTypeAt, type FuncType, type ModuleTypes } from "./module-types.js";
import { memoryAccessEffect, numericEffect, type Effect } from "./numeric-effects.js";

export type { Effect } from "./numeric-effects.js";

const STATIC = new Map<OpInfo, Effect>();
for (const info of allOpcodes()) {
  const e = numericEffect(info);
  if (e) STATIC.set(info, e);
}

const NONE: readonly ValType[] = [];
const EMPTY: Effect = { pops: NONE, pushes: NONE };

/** Input that does not validate: an index out of range, a short stack. */
export function invalid(message: string): never {
  throw new MegasplitError(ErrorCodes.WASM_INVALID, message);
}

/** A reference type in canonical form: a nullable abstract heap type as its one-byte shorthand. */
export function canonicalRef(t: RefType): ValType {
  return t.nullable && t.heap < 0 && t.heap >= -0x40 ? t.heap + 0x80 : t;
}

/** The type of a value, as a key: equal keys for equal types. */
export function typeKey(t: ValType): number | string {
  return typeof t === "number" ? t : `${t.nullable ? 0x63 : 0x64}:${t.heap}`;
}

/** Whether `t` is a reference type that cannot be null (so cannot live in a defaultable local). */
export function isNonNullable(t: ValType): t is RefType {
  return typeof t !== "number" && !t.nullable;
}

/** `t` made nullable (the type of a local that can hold it). */
export function nullableOf(t: ValType): ValType {
  return isNonNullable(t) ? canonicalRef({ nullable: true, heap: t.heap }) : t;
}

/** The heap type of a reference type as its s33 value (shorthand bytes decoded). */
function heapOf(t: ValType): number {
  return typeof t === "number" ? t - 0x80 : t.heap;
}

/** Opcodes that exist only with typed function references (3.0): call_ref, return_call_ref, ref.as_non_null, br_on_null, br_on_non_null. */
const TYPED_REF_OPCODES = new Set([0x14, 0x15, 0xd4, 0xd5, 0xd6]);

function usesTypedRefs(code: readonly Instr[]): boolean {
  for (let i = 0; i < code.length; i++) {
    const op = code[i]!.op;
    if (op.prefix === 0 && TYPED_REF_OPCODES.has(op.code)) return true;
  }
  return false;
}

/** Typing context of one function body: its locals and the module's index spaces, with caches. */
export class FunctionTyping {
  private readonly localGet: Effect[] = [];
  private readonly localSet: Effect[] = [];
  private readonly localTee: Effect[] = [];
  private readonly calls = new Map<number, Effect>();
  /** Whether references are typed (3.0): `ref.func` gives `(ref $t)`, else `funcref`. */
  private readonly typedRefs: boolean;
  constructor(
    readonly module: ModuleTypes,
    /** Parameters then declared locals. */
    readonly locals: readonly ValType[],
    /** The body, to see whether it uses typed references (`call_ref`, `ref.as_non_null`, ...). */
    code: readonly Instr[] = [],
  ) {
    this.typedRefs = module.typedRefs || locals.some((t) => typeof t !== "number") || usesTypedRefs(code);
  }

  funcType(typeIndex: number): FuncType {
    return funcTypeAt(this.module, typeIndex) ?? invalid(`type ${typeIndex} is not a function type`);
  }

  private memAddr(m: MemArg): ValType {
    return this.module.memoryAddr[m.memory] ?? I32;
  }

  private local(kind: "get" | "set" | "tee", i: number): Effect | string {
    const t = this.locals[i];
    if (t === undefined) invalid(`local ${i} out of range`);
    const cache = kind === "get" ? this.localGet : kind === "set" ? this.localSet : this.localTee;
    let e = cache[i];
    if (!e) {
      e = kind === "get" ? { pops: NONE, pushes: [t] } : kind === "set" ? { pops: [t], pushes: NONE } : { pops: [t], pushes: [t] };
      cache[i] = e;
    }
    return e;
  }

  private call(key: number, extra: readonly ValType[], ft: FuncType): Effect {
    let e = this.calls.get(key);
    if (!e) {
      e = { pops: [...ft.params, ...extra], pushes: ft.results };
      this.calls.set(key, e);
    }
    return e;
  }

  /** The effect of calling function `f` (also the operands of `return_call f`). */
  callEffect(f: number): Effect | string {
    const ti = this.module.funcTypeIndex[f];
    if (ti === undefined) invalid(`function ${f} out of range`);
    return this.call(f, NONE, this.funcType(ti));
  }

  /** The effect of `call_indirect` / `return_call_indirect` with type `ti` through table `table`. */
  callIndirectEffect(ti: number, table: number): Effect | string {
    const ft = this.funcType(ti);
    const addr = this.module.tables[table]?.addr ?? I32;
    return this.call(-1 - (ti * 2 + (addr === I64 ? 1 : 0)), [addr], ft);
  }

  /** The effect of `call_ref` / `return_call_ref` with type `ti`. */
  callRefEffect(ti: number): Effect | string {
    const ft = this.funcType(ti);
    return { pops: [...ft.params, { nullable: true, heap: ti }], pushes: ft.results };
  }

  /**
   * The effect of straight-line instruction `ins` on a stack whose top types are
   * `stack` (bottom first, only the top few are read), or a refusal reason.
   */
  effectOf(ins: Instr, stack: readonly ValType[]): Effect | string {
    const fixed = STATIC.get(ins.op);
    if (fixed) return fixed;
    const name = ins.op.name;
    if (ins.op.prefix === 0xfe) return `cannot type ${name} (atomic)`;
    if (ins.op.prefix === 0xfb) return `cannot type ${name} (GC aggregate)`;
    if (ins.op.imm === "memarg" || ins.op.imm === "memarg,lane") {
      const mem = ins.op.imm === "memarg" ? (ins.imm as MemArg) : (ins.imm as { mem: MemArg }).mem;
      return memoryAccessEffect(name, this.memAddr(mem)) ?? `cannot type ${name}`;
    }
    return this.indexedEffect(ins, name, stack);
  }

  private indexedEffect(ins: Instr, name: string, stack: readonly ValType[]): Effect | string {
    const imm = ins.imm as never;
    const top = stack[stack.length - 1];
    switch (name) {
      case "nop":
        return EMPTY;
      case "drop":
        return { pops: [top ?? I32], pushes: NONE };
      case "select": {
        if (ins.op.imm === "select_t") {
          const ts = ins.imm as readonly ValType[];
          if (ts.length !== 1) return "select with more than one result type";
          return { pops: [ts[0]!, ts[0]!, I32], pushes: [ts[0]!] };
        }
        const t = stack[stack.length - 2];
        if (t === undefined) invalid("select on a short stack");
        return { pops: [t, t, I32], pushes: [t] };
      }
      case "local.get":
        return this.local("get", imm);
      case "local.set":
        return this.local("set", imm);
      case "local.tee":
        return this.local("tee", imm);
      case "global.get":
      case "global.set": {
        const t = this.module.globals[imm];
        if (t === undefined) invalid(`global ${imm as number} out of range`);
        return name === "global.get" ? { pops: NONE, pushes: [t] } : { pops: [t], pushes: NONE };
      }
      case "call":
        return this.callEffect(imm);
      case "call_indirect": {
        const [ti, table] = ins.imm as readonly [number, number];
        return this.callIndirectEffect(ti, table);
      }
      case "call_ref":
        return this.callRefEffect(imm);
      default:
        return this.memoryOrReferenceEffect(ins, name, top);
    }
  }

  private memoryOrReferenceEffect(ins: Instr, name: string, top: ValType | undefined): Effect | string {
    const imm = ins.imm as never;
    const mem = (i: number): ValType => this.module.memoryAddr[i] ?? I32;
    const table = (i: number) => this.module.tables[i] ?? { elem: 0x70, addr: I32 };
    switch (name) {
      case "memory.size":
        return { pops: NONE, pushes: [mem(imm)] };
      case "memory.grow":
        return { pops: [mem(imm)], pushes: [mem(imm)] };
      case "memory.fill":
        return { pops: [mem(imm), I32, mem(imm)], pushes: NONE };
      case "memory.copy": {
        const [dst, src] = ins.imm as readonly [number, number];
        const n = mem(dst) === I64 && mem(src) === I64 ? I64 : I32;
        return { pops: [mem(dst), mem(src), n], pushes: NONE };
      }
      case "memory.init": {
        const [, m] = ins.imm as readonly [number, number];
        return { pops: [mem(m), I32, I32], pushes: NONE };
      }
      case "data.drop":
      case "elem.drop":
        return EMPTY;
      case "table.get":
        return { pops: [table(imm).addr], pushes: [table(imm).elem] };
      case "table.set":
        return { pops: [table(imm).addr, table(imm).elem], pushes: NONE };
      case "table.size":
        return { pops: NONE, pushes: [table(imm).addr] };
      case "table.grow":
        return { pops: [table(imm).elem, table(imm).addr], pushes: [table(imm).addr] };
      case "table.fill":
        return { pops: [table(imm).addr, table(imm).elem, table(imm).addr], pushes: NONE };
      case "table.copy": {
        const [dst, src] = ins.imm as readonly [number, number];
        const n = table(dst).addr === I64 && table(src).addr === I64 ? I64 : I32;
        return { pops: [table(dst).addr, table(src).addr, n], pushes: NONE };
      }
      case "table.init": {
        const [, t] = ins.imm as readonly [number, number];
        return { pops: [table(t).addr, I32, I32], pushes: NONE };
      }
      case "ref.null":
        return { pops: NONE, pushes: [canonicalRef({ nullable: true, heap: imm })] };
      case "ref.is_null":
        return { pops: [top ?? 0x70], pushes: [I32] };
      case "ref.func": {
        const ti = this.module.funcTypeIndex[imm];
        if (ti === undefined) invalid(`function ${imm as number} out of range`);
        return { pops: NONE, pushes: [this.typedRefs ? { nullable: false, heap: ti } : 0x70] };
      }
      case "ref.as_non_null":
        if (top === undefined) invalid("ref.as_non_null on an empty stack");
        return { pops: [top], pushes: [{ nullable: false, heap: heapOf(top) }] };
      case "ref.eq":
        return { pops: [0x6d, 0x6d], pushes: [I32] };
      default:
        return `cannot type ${name}`;
    }
  }
}
