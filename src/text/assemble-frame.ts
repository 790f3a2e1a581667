/**
 * The assembler's lines about a Code attribute's tables: `.attributeorder`, the
 * order of its nested attributes (JVMS 4.7.3), and `.stack`, one StackMapTable
 * frame (JVMS 4.7.4) in the syntax `same | same_locals_1_stack_item T | chop N |
 * append T... | full locals T... stack T...` (`same_frame_extended` and
 * `same_locals_1_stack_item_frame_extended T` keep JVMS's extended form where the
 * short one would do), T being Top Integer Float Double Long Null
 * UninitializedThis, `Object C` or `Uninitialized L`. A class constant is resolved
 * by a step once the pool exists. Errors are E_ASM_SYNTAX at the line.
 */
import type { FrameNode, FrameType, Label, NestedAttributeKind } from "../bytecode/model.js";
import type { CodePlan } from "./assemble-plan.js";
import { type Cursor, parseClassRef } from "./constants.js";

const FRAME_TYPES: Record<string, FrameType> = {
  Top: { tag: "top" },
  Integer: { tag: "int" },
  Float: { tag: "float" },
  Double: { tag: "double" },
  Long: { tag: "long" },
  Null: { tag: "null" },
  UninitializedThis: { tag: "uninitializedThis" },
};

/** Parses the rest of a `.stack` line. */
export function parseFrame(code: CodePlan, c: Cursor, labelRef: (c: Cursor) => Label): FrameNode {
  const type = c.word("a frame type");
  const vt = (): FrameType => {
    const w = c.word("a verification type");
    const simple = FRAME_TYPES[w];
    if (simple) return simple;
    if (w === "Object") {
      const spec = parseClassRef(c);
      const t: FrameType = { tag: "object", classIndex: 0 };
      code.steps.push((r) => ((t as { classIndex: number }).classIndex = r.resolve(spec, c.line)));
      return t;
    }
    if (w === "Uninitialized") return { tag: "uninitialized", label: labelRef(c) };
    return c.fail(`unknown verification type '${w}'`);
  };
  let f: FrameNode;
  switch (type) {
    case "same":
      f = { type: "same" };
      break;
    case "same_frame_extended":
      f = { type: "same", extended: true };
      break;
    case "same_locals_1_stack_item":
      f = { type: "same_locals_1_stack_item", stack: vt() };
      break;
    case "same_locals_1_stack_item_frame_extended":
      f = { type: "same_locals_1_stack_item", stack: vt(), extended: true };
      break;
    case "chop":
      f = { type: "chop", chop: c.int("a count 1..3", 1, 3) };
      break;
    case "append": {
      const locals: FrameType[] = [];
      while (!c.atEnd) locals.push(vt());
      if (locals.length < 1 || locals.length > 3) c.fail("append takes 1 to 3 types");
      f = { type: "append", locals };
      break;
    }
    case "full": {
      c.keyword("locals");
      const locals: FrameType[] = [];
      while (!c.atEnd && c.peekWord() !== "stack") locals.push(vt());
      c.keyword("stack");
      const stack: FrameType[] = [];
      while (!c.atEnd) stack.push(vt());
      f = { type: "full", locals, stack };
      break;
    }
    default:
      return c.fail(`unknown frame type '${type}'`);
  }
  c.end();
  return f;
}

/** The words of `.attributeorder`. */
const NESTED_KINDS: readonly NestedAttributeKind[] = ["LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "StackMapTable", "other"];

/** Parses the rest of an `.attributeorder` line: at least one kind, each table at most once (`other` as often as there are others). */
export function parseAttributeOrder(c: Cursor): NestedAttributeKind[] {
  const order: NestedAttributeKind[] = [];
  while (!c.atEnd) {
    const word = c.word("an attribute kind");
    if (!NESTED_KINDS.includes(word as NestedAttributeKind)) c.fail(`.attributeorder takes ${NESTED_KINDS.join(", ")}; not ${word}`);
    if (word !== "other" && order.includes(word as NestedAttributeKind)) c.fail(`.attributeorder names ${word} twice`);
    order.push(word as NestedAttributeKind);
  }
  if (order.length === 0) c.fail(".attributeorder names no attribute");
  return order;
}
