/**
 * The assembler's plans: what the parser (`assemble.ts`) records of a class, its
 * members and their code before the constant pool exists, and the steps that
 * resolve constants once it does (`assemble-build.ts`). Plain data; the order of
 * `steps` and `attrs` is text order, which fixes constant-pool order.
 */
import type { ConstantPool } from "../classfile/constant-pool.js";
import type { Attribute, BootstrapMethod, CpEntry } from "../classfile/model.js";
import type { CodeNode, Handler, Label, LocalVariable, NestedAttributeKind } from "../bytecode/model.js";
import type { ConstSpec, PoolBuilder } from "./constants.js";

/** Builds something once the pool exists; run in text order. */
export type Step = (r: Resolver) => void;

export interface Resolver {
  pb: PoolBuilder;
  cp: ConstantPool;
  resolve(spec: ConstSpec, line: number): number;
}

export interface AttrPlan {
  line: number;
  build: (r: Resolver) => Attribute;
}

export interface MemberPlan {
  line: number;
  flags: number;
  name: ConstSpec;
  desc: ConstSpec;
  descText: string;
  attrs: AttrPlan[];
}

/** Everything a `.method` says about its code. */
export interface CodePlan {
  at: number;
  line: number;
  nodes: CodeNode[];
  labels: Map<string, { id: Label; line: number; placed: boolean }>;
  labelCount: number;
  handlers: Handler[];
  locals?: LocalVariable[];
  localTypes?: LocalVariable[];
  maxStack?: number;
  maxLocals?: number;
  hasStackMapTable: boolean;
  other: AttrPlan[];
  /** `.attributeorder`: the nested attributes' order, when the text gives one. */
  attributeOrder?: NestedAttributeKind[];
  steps: Step[];
}

export interface ClassPlan {
  line: number;
  exact: boolean;
  version?: { major: number; minor: number };
  consts: Map<number, { entry: CpEntry; line: number }>;
  flags: number;
  jasminInterface: boolean;
  name?: ConstSpec;
  nameText?: string;
  superSpec?: ConstSpec | null;
  interfaces: { spec: ConstSpec; line: number }[];
  attrs: AttrPlan[];
  bsmTable?: { rows: BootstrapMethod[]; line: number };
  fields: MemberPlan[];
  methods: (MemberPlan & { code?: CodePlan })[];
}

/** An empty code plan whose Code attribute goes at attribute index `at`. */
export function newCodePlan(at: number, line: number): CodePlan {
  return { at, line, nodes: [], labels: new Map(), labelCount: 0, handlers: [], hasStackMapTable: false, other: [], steps: [] };
}
