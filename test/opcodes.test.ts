/**
 * The opcode table is complete (a row for every opcode 0..201, none above) and
 * agrees with JVMS 6.5 on sizes, stack effects and flags for a sample of opcodes.
 */
import { describe, it, expect } from "vitest";
import { OPCODES, Op, OpFlag, VARIABLE_STACK, invertCondition, opcodeByMnemonic, opcodeInfo, FORMAT_CODE, isWideable } from "../src/bytecode/opcodes.js";

describe("opcode table", () => {
  it("has a row for every opcode 0..201 whose opcode field is its index", () => {
    for (let op = 0; op <= 201; op++) {
      const row = OPCODES[op];
      expect(row, `opcode ${op}`).toBeDefined();
      expect(row!.opcode).toBe(op);
      expect(FORMAT_CODE[op]).not.toBe(255);
    }
  });

  it("has no row for 202..255 (breakpoint, impdep1/2 and undefined opcodes)", () => {
    for (let op = 202; op <= 255; op++) {
      expect(OPCODES[op], `opcode ${op}`).toBeUndefined();
      expect(FORMAT_CODE[op]).toBe(255);
    }
    expect(OPCODES.length).toBe(256);
  });

  it("has unique mnemonics that map back to their rows", () => {
    const names = OPCODES.filter((r) => r !== undefined).map((r) => r!.mnemonic);
    expect(new Set(names).size).toBe(202);
    for (const r of OPCODES) if (r) expect(opcodeByMnemonic.get(r.mnemonic)).toBe(r);
  });

  it("names opcode constants consistently with the mnemonics", () => {
    for (const [name, op] of Object.entries(Op)) expect(opcodeInfo(op).mnemonic.toUpperCase(), name).toBe(name);
    expect(Object.keys(Op).length).toBe(202);
  });

  it("gives JVMS instruction lengths for fixed-length instructions", () => {
    const sizes: [string, number][] = [
      ["nop", 1], ["iconst_m1", 1], ["bipush", 2], ["sipush", 3], ["ldc", 2], ["ldc_w", 3], ["ldc2_w", 3],
      ["iload", 2], ["aload_3", 1], ["istore", 2], ["iinc", 3], ["ifeq", 3], ["if_acmpne", 3], ["goto", 3],
      ["jsr", 3], ["ret", 2], ["getfield", 3], ["invokevirtual", 3], ["invokeinterface", 5], ["invokedynamic", 5],
      ["new", 3], ["newarray", 2], ["anewarray", 3], ["multianewarray", 4], ["ifnonnull", 3], ["goto_w", 5], ["jsr_w", 5],
      ["athrow", 1], ["monitorexit", 1],
    ];
    for (const [m, size] of sizes) expect(opcodeByMnemonic.get(m)!.size, m).toBe(size);
    for (const m of ["tableswitch", "lookupswitch", "wide"]) expect(opcodeByMnemonic.get(m)!.size, m).toBe(0);
  });

  it("gives JVMS stack effects in slots", () => {
    const effects: [string, number, number][] = [
      ["dup2_x1", 3, 5], ["dup2_x2", 4, 6], ["dup_x2", 3, 4], ["swap", 2, 2], ["pop2", 2, 0],
      ["lcmp", 4, 1], ["dcmpg", 4, 1], ["fcmpl", 2, 1], ["i2l", 1, 2], ["l2i", 2, 1], ["d2f", 2, 1], ["f2d", 1, 2],
      ["lshl", 3, 2], ["ladd", 4, 2], ["laload", 2, 2], ["lastore", 4, 0], ["aastore", 3, 0], ["lload_1", 0, 2],
      ["dstore", 2, 0], ["ldc2_w", 0, 2], ["jsr", 0, 1], ["lreturn", 2, 0], ["return", 0, 0], ["if_icmpge", 2, 0],
      ["tableswitch", 1, 0], ["arraylength", 1, 1], ["new", 0, 1],
    ];
    for (const [m, pop, push] of effects) {
      const r = opcodeByMnemonic.get(m)!;
      expect([r.pop, r.push], m).toEqual([pop, push]);
    }
    for (const m of ["getstatic", "putfield", "invokevirtual", "invokespecial", "invokestatic", "invokeinterface", "invokedynamic"]) {
      const r = opcodeByMnemonic.get(m)!;
      expect([r.pop, r.push], m).toEqual([VARIABLE_STACK, VARIABLE_STACK]);
    }
    expect(opcodeByMnemonic.get("multianewarray")!.pop).toBe(VARIABLE_STACK);
  });

  it("marks control flow and locals", () => {
    const has = (m: string, f: number): boolean => (opcodeByMnemonic.get(m)!.flags & f) !== 0;
    expect(has("ifeq", OpFlag.CONDITIONAL | OpFlag.BRANCH)).toBe(true);
    expect(has("ifeq", OpFlag.NO_FALLTHROUGH)).toBe(false);
    expect(has("goto_w", OpFlag.UNCONDITIONAL)).toBe(true);
    expect(has("lookupswitch", OpFlag.SWITCH)).toBe(true);
    expect(has("areturn", OpFlag.RETURN)).toBe(true);
    expect(has("athrow", OpFlag.THROW)).toBe(true);
    expect(has("ret", OpFlag.SUBROUTINE)).toBe(true);
    expect(has("iadd", OpFlag.CAN_THROW)).toBe(false);
    expect(has("idiv", OpFlag.CAN_THROW)).toBe(true);
    expect(has("iinc", OpFlag.READS_LOCAL) && has("iinc", OpFlag.WRITES_LOCAL)).toBe(true);
    for (const r of OPCODES) {
      if (!r) continue;
      // Every block-ending instruction is a branch, return, throw or ret, and vice versa.
      const ends = (r.flags & OpFlag.ENDS_BLOCK) !== 0;
      const transfers = (r.flags & (OpFlag.BRANCH | OpFlag.RETURN | OpFlag.THROW)) !== 0 || r.opcode === Op.RET;
      expect(ends, r.mnemonic).toBe(transfers);
    }
  });

  it("records implied locals and normal forms of the short and wide variants", () => {
    expect(OPCODES[Op.ILOAD_0]).toMatchObject({ normal: Op.ILOAD, impliedLocal: 0 });
    expect(OPCODES[Op.DLOAD_3]).toMatchObject({ normal: Op.DLOAD, impliedLocal: 3 });
    expect(OPCODES[Op.ASTORE_2]).toMatchObject({ normal: Op.ASTORE, impliedLocal: 2 });
    expect(OPCODES[Op.LSTORE_1]!.flags & OpFlag.WRITES_LOCAL).toBeTruthy();
    expect(OPCODES[Op.LDC_W]!.normal).toBe(Op.LDC);
    expect(OPCODES[Op.GOTO_W]!.normal).toBe(Op.GOTO);
    expect(OPCODES[Op.JSR_W]!.normal).toBe(Op.JSR);
    expect(OPCODES[Op.ICONST_0]!.impliedLocal).toBeUndefined();
  });

  it("inverts every conditional branch into its complement", () => {
    const pairs: [number, number][] = [
      [Op.IFEQ, Op.IFNE], [Op.IFLT, Op.IFGE], [Op.IFGT, Op.IFLE], [Op.IF_ICMPEQ, Op.IF_ICMPNE],
      [Op.IF_ICMPLT, Op.IF_ICMPGE], [Op.IF_ICMPGT, Op.IF_ICMPLE], [Op.IF_ACMPEQ, Op.IF_ACMPNE], [Op.IFNULL, Op.IFNONNULL],
    ];
    for (const [a, b] of pairs) {
      expect(invertCondition(a)).toBe(b);
      expect(invertCondition(b)).toBe(a);
    }
    expect(() => invertCondition(Op.GOTO)).toThrow();
  });

  it("knows which opcodes wide may modify", () => {
    const wideable = OPCODES.filter((r) => r && isWideable(r.opcode)).map((r) => r!.mnemonic);
    expect(wideable.sort()).toEqual(["aload", "astore", "dload", "dstore", "fload", "fstore", "iinc", "iload", "istore", "lload", "lstore", "ret"]);
  });
});
