/**
 * The one constructor of decoded method bodies. Every {@link MethodBody} the
 * decoder, the passes and the linkers make is built here, with all ten fields
 * in one fixed order (the optional tables present as `undefined` when absent), so
 * V8 gives every body one hidden class. Built as object literals in a dozen
 * places, with spreads and optional tables added or left out, bodies had a dozen
 * shapes, and the hot readers of `body.nodes` and `body.labelCount` (CFG, frame
 * inference, encoding) went megamorphic. A change of some fields is
 * `newMethodBody({ ...body, nodes })`: the spread is read once, here.
 */
import type { Attribute } from "../classfile/model.js";
import type { CodeNode, Handler, LocalVariable, MethodBody, NestedAttributeKind } from "./model.js";

/** Every field of T, optional ones included (as `T[K]`, so possibly undefined): a field added to MethodBody must be declared, and copied, in Body. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

class Body implements EveryField<MethodBody> {
  maxStack: number;
  maxLocals: number;
  nodes: CodeNode[];
  labelCount: number;
  handlers: Handler[];
  localVariables: LocalVariable[] | undefined;
  localVariableTypes: LocalVariable[] | undefined;
  hasStackMapTable: boolean;
  otherAttributes: Attribute[];
  attributeOrder: readonly NestedAttributeKind[] | undefined;

  constructor(f: MethodBody) {
    this.maxStack = f.maxStack;
    this.maxLocals = f.maxLocals;
    this.nodes = f.nodes;
    this.labelCount = f.labelCount;
    this.handlers = f.handlers;
    this.localVariables = f.localVariables;
    this.localVariableTypes = f.localVariableTypes;
    this.hasStackMapTable = f.hasStackMapTable;
    this.otherAttributes = f.otherAttributes;
    this.attributeOrder = f.attributeOrder;
  }
}

/** A body with the fields of `f`, in the shape every body shares. */
export function newMethodBody(f: MethodBody): MethodBody {
  return new Body(f);
}
