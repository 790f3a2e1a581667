/**
 * The node copies of `src/bytecode/node-shapes.ts` are written with the fields in
 * the order the decoder writes them, so that V8 gives a copied node the decoder's
 * hidden class. Nothing else notices if the two drift apart (the copies stay
 * correct, only slower), so this checks it: every kind of node the copies make,
 * decoded from real bytecode, against its copy, key by key in order, and the copy's
 * operand really changed.
 */
import { describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import type { CodeNode, Instruction } from "../src/bytecode/model.js";
import { jumpTo, switchTo, withLocalIndex, withPoolIndex } from "../src/bytecode/node-shapes.js";

const CLASS = `.class public S
.super java/lang/Object
.method public static m(ILjava/util/List;)I
    .limit stack 4
    .limit locals 3
    iinc 0 1
    iload_0
    tableswitch 0 1
        L1
        L2
        default : L3
L1:
    iload_0
    lookupswitch
        5 : L2
        default : L3
L2:
    aload_1
    invokeinterface java/util/List/size()I 1
    istore_2
    iconst_2
    iconst_2
    multianewarray [[I 2
    pop
    getstatic java/lang/System/out Ljava/io/PrintStream;
    pop
    goto L3
L3:
    iload_2
    ireturn
.end method
`;

function decoded(): CodeNode[] {
  const cf = assemble(CLASS)[0]!;
  return decodeBody(codeOf(cf.methods[0]!)!, cf.constantPool).nodes;
}

const of = <K extends Instruction["kind"]>(nodes: CodeNode[], kind: K) => nodes.find((n) => n.kind === kind) as Extract<Instruction, { kind: K }>;

describe("node copies keep the decoder's field order", () => {
  it("for every kind they copy", () => {
    const nodes = decoded();
    const label = of(nodes, "jump").target;
    const pairs: [CodeNode, CodeNode, string][] = [
      [of(nodes, "jump"), jumpTo(of(nodes, "jump"), label + 1), "target"],
      [of(nodes, "tableswitch"), switchTo(of(nodes, "tableswitch"), label + 1, [label, label]), "defaultTarget"],
      [of(nodes, "lookupswitch"), switchTo(of(nodes, "lookupswitch"), label + 1, [label]), "defaultTarget"],
      [of(nodes, "local"), withLocalIndex(of(nodes, "local"), 7), "index"],
      [of(nodes, "iinc"), withLocalIndex(of(nodes, "iinc"), 7), "index"],
      [of(nodes, "cp"), withPoolIndex(of(nodes, "cp"), 99), "index"],
      [of(nodes, "invokeinterface"), withPoolIndex(of(nodes, "invokeinterface"), 99), "index"],
      [of(nodes, "multianewarray"), withPoolIndex(of(nodes, "multianewarray"), 99), "index"],
    ];
    for (const [original, copy, changed] of pairs) {
      expect(original, `decoded ${copy.kind}`).toBeDefined();
      expect(Object.keys(copy), copy.kind).toEqual(Object.keys(original));
      expect((copy as unknown as Record<string, unknown>)[changed], copy.kind).not.toEqual((original as unknown as Record<string, unknown>)[changed]);
    }
  });
});
