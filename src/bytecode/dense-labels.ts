/**
 * A method body with its labels renumbered 0..k-1, in the order they first
 * appear, so that `labelCount` is the number of labels the body uses (the
 * decoded model of src/bytecode/model.ts, JVMS 4.7.3). A piece or driver the
 * linker writes keeps the label ids of the whole method it came from, and every
 * analysis of a body sizes tables by `labelCount` (cfg, frames, stack map,
 * encoding): without this, each of thousands of pieces of a many-megabyte method
 * would pay for all the method's labels, and the split would grow with pieces
 * times labels. Cost: one pass over nodes, handlers and local-variable rows (a
 * Map, not a table of the old size). Labels referred to but never placed keep
 * being reported by the encoder and the CFG as they were, under their new ids.
 */
import type { CodeNode, FrameType, Label, LocalVariable, MethodBody } from "./model.js";
import { newMethodBody } from "./method-body.js";
import { jumpTo, switchTo } from "./node-shapes.js";

/** `body` with dense label ids; the body itself when they already are. */
export function withDenseLabels(body: MethodBody): MethodBody {
  const ids = new Map<Label, Label>();
  const id = (l: Label): Label => {
    let n = ids.get(l);
    if (n === undefined) ids.set(l, (n = ids.size));
    return n;
  };
  const type = (t: FrameType): FrameType => (t.tag === "uninitialized" ? { tag: "uninitialized", label: id(t.label) } : t);
  const nodes = body.nodes.map((n): CodeNode => {
    switch (n.kind) {
      case "label":
        return { kind: "label", label: id(n.label) };
      case "jump":
        return jumpTo(n, id(n.target));
      case "tableswitch":
      case "lookupswitch":
        return switchTo(n, id(n.defaultTarget), n.targets.map(id));
      case "frame": {
        const f = n.frame;
        if (f.type === "same_locals_1_stack_item") return { kind: "frame", frame: { ...f, stack: type(f.stack) } };
        if (f.type === "append") return { kind: "frame", frame: { ...f, locals: f.locals.map(type) } };
        if (f.type === "full") return { kind: "frame", frame: { ...f, locals: f.locals.map(type), stack: f.stack.map(type) } };
        return n;
      }
      default:
        return n;
    }
  });
  const handlers = body.handlers.map((h) => ({ ...h, start: id(h.start), end: id(h.end), handler: id(h.handler) }));
  const rows = (vs: LocalVariable[] | undefined) => vs?.map((v) => ({ ...v, start: id(v.start), end: id(v.end) }));
  const localVariables = rows(body.localVariables);
  const localVariableTypes = rows(body.localVariableTypes);
  if (ids.size === body.labelCount && [...ids].every(([from, to]) => from === to)) return body;
  return newMethodBody({ ...body, nodes, labelCount: ids.size, handlers, localVariables, localVariableTypes });
}
