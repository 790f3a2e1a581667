/**
 * Hand-made WebAssembly CFGs for the stackifier and linker tests: a WasmCfg from a
 * list of blocks written as text (`cfgOf`), a reference interpreter of the i32
 * block language that runs a CFG directly in JavaScript (the oracle the engine's
 * results are compared with), a liveness over locals, random graphs (reducible or
 * not, every transfer through a fuel guard so each run ends), and a module of
 * functions written from the codec's model (`moduleOf`).
 */
import { writeModule } from "../../src/wasm/write-module.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { FuncBody } from "../../src/wasm/body.js";
import type { Section } from "../../src/wasm/module.js";
import { I32, type ValType } from "../../src/wasm/types.js";
import { instr } from "../../passes/wasm/instr.js";
import { terminatorTargets, type Terminator, type WasmBlock, type WasmCfg } from "../../passes/wasm/wasm-cfg.js";
import { prng } from "./prng.js";

/** Instructions from text: `local.get 0; i32.const 5; i32.add`. */
export function code(text: string): Instr[] {
  return text
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const [name, arg] = s.split(/\s+/);
      return arg === undefined ? instr(name!) : instr(name!, Number(arg));
    });
}

export function block(text: string, term: Terminator): WasmBlock {
  return { code: code(text), term };
}

export const goto = (target: number): Terminator => ({ kind: "goto", target });
export const iff = (then: number, els: number): Terminator => ({ kind: "if", then, else: els });
export const table = (targets: number[], dflt: number): Terminator => ({ kind: "table", targets, default: dflt });
export const ret: Terminator = { kind: "return" };

/** A WasmCfg (BlockGraph fields computed) over `blocks`, block 0 the entry, every local i32. */
export function cfgOf(blocks: WasmBlock[], params: number, locals: number, results: ValType[] = [I32]): WasmCfg {
  const n = blocks.length;
  const successors = blocks.map((b) => [...terminatorTargets(b.term)]);
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  successors.forEach((s, b) => s.forEach((t) => predecessors[t]!.push(b)));
  const reachable = new Uint8Array(n);
  const post: number[] = [];
  const visit = (b: number) => {
    reachable[b] = 1;
    for (const s of successors[b]!) if (!reachable[s]) visit(s);
    post.push(b);
  };
  visit(0);
  return {
    blocks,
    blockCount: n,
    successors,
    predecessors,
    handlersOf: blocks.map(() => []),
    handlerBlock: new Int32Array(0),
    reachable,
    reversePostorder: Int32Array.from(post.reverse()),
    localTypes: new Array<ValType>(params + locals).fill(I32),
    paramCount: params,
    results,
  };
}

/** Runs the CFG in JavaScript (i32 instructions only); the result, or "fuel" when it ran `maxSteps` blocks. */
export function interpretCfg(cfg: WasmCfg, args: number[], maxSteps = 1_000_000): number | "fuel" {
  const locals = new Int32Array(cfg.localTypes.length);
  args.forEach((a, i) => (locals[i] = a));
  let b = 0;
  for (let step = 0; step < maxSteps; step++) {
    const stack: number[] = [];
    const pop = () => stack.pop()!;
    for (const ins of cfg.blocks[b]!.code) {
      const imm = ins.imm as number;
      switch (ins.op.name) {
        case "local.get": stack.push(locals[imm]!); break;
        case "local.set": locals[imm] = pop(); break;
        case "local.tee": locals[imm] = stack[stack.length - 1]!; break;
        case "i32.const": stack.push(imm | 0); break;
        case "i32.add": { const y = pop(); stack.push((pop() + y) | 0); break; }
        case "i32.sub": { const y = pop(); stack.push((pop() - y) | 0); break; }
        case "i32.mul": { const y = pop(); stack.push(Math.imul(pop(), y)); break; }
        case "i32.xor": { const y = pop(); stack.push(pop() ^ y); break; }
        case "i32.and": { const y = pop(); stack.push(pop() & y); break; }
        case "i32.shr_u": { const y = pop(); stack.push((pop() >>> (y & 31)) | 0); break; }
        case "i32.rem_u": { const y = pop() >>> 0; stack.push((pop() >>> 0) % y | 0); break; }
        case "i32.lt_s": { const y = pop(); stack.push(pop() < y ? 1 : 0); break; }
        case "i32.gt_s": { const y = pop(); stack.push(pop() > y ? 1 : 0); break; }
        case "i32.eq": { const y = pop(); stack.push(pop() === y ? 1 : 0); break; }
        case "i32.eqz": stack.push(pop() === 0 ? 1 : 0); break;
        default: throw new Error(`interpretCfg: ${ins.op.name}`);
      }
    }
    const t = cfg.blocks[b]!.term;
    if (t.kind === "return") return pop();
    if (t.kind === "goto") b = t.target;
    else if (t.kind === "if") b = pop() !== 0 ? t.then : t.else;
    else if (t.kind === "table") {
      const i = pop() >>> 0;
      b = i < t.targets.length ? t.targets[i]! : t.default;
    } else throw new Error(`interpretCfg: terminator ${t.kind}`);
  }
  return "fuel";
}

/** The locals live at each block's entry (sorted), by the usual backward iteration. */
export function liveInOf(cfg: WasmCfg): number[][] {
  const n = cfg.blockCount;
  const gen: Set<number>[] = [];
  const kill: Set<number>[] = [];
  for (const b of cfg.blocks) {
    const g = new Set<number>();
    const k = new Set<number>();
    for (const ins of b.code) {
      const l = ins.imm as number;
      if (ins.op.name === "local.get" && !k.has(l)) g.add(l);
      if (ins.op.name === "local.set" || ins.op.name === "local.tee") k.add(l);
    }
    gen.push(g);
    kill.push(k);
  }
  const live: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (let changed = true; changed; ) {
    changed = false;
    for (let b = n - 1; b >= 0; b--) {
      const out = new Set<number>();
      for (const s of cfg.successors[b]!) for (const l of live[s]!) out.add(l);
      const inn = new Set(gen[b]);
      for (const l of out) if (!kill[b]!.has(l)) inn.add(l);
      if (inn.size !== live[b]!.size) {
        live[b] = inn;
        changed = true;
      }
    }
  }
  return live.map((s) => [...s].sort((a, b) => a - b));
}

export interface TestFunction {
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  /** The body without its final `end`. */
  code: Instr[];
  export?: string;
}

/** A module holding `funcs` (each its own type), exported by name where given. */
export function moduleOf(funcs: TestFunction[]): Uint8Array {
  const sections: Section[] = [
    { id: 1, kind: "type", groups: funcs.map((f) => ({ explicit: false, types: [{ supers: [], comp: { kind: "func", params: f.params, results: f.results } }] })), sizeWidth: 0 },
    { id: 3, kind: "function", types: funcs.map((_, i) => i), sizeWidth: 0 },
    { id: 7, kind: "export", exports: funcs.flatMap((f, i) => (f.export ? [{ name: f.export, kind: 0, index: i }] : [])), sizeWidth: 0 },
    {
      id: 10,
      kind: "code",
      entries: funcs.map((f) => ({
        raw: new Uint8Array(0),
        offset: 0,
        sizeWidth: 0,
        body: { locals: f.locals.map((type) => ({ count: 1, type })), code: [...f.code, instr("end")] },
      })),
      sizeWidth: 0,
    },
  ];
  return writeModule({ version: 1, sections });
}

/**
 * A random CFG of `n` working blocks over params 0..1 and locals 2..4 (local 5 is
 * the fuel): any block may jump to any other (so irreducible loops come up), by
 * goto, if or table; every transfer passes a guard that decrements the fuel and
 * returns local 2 when it is spent.
 */
export function randomCfg(seed: number, n: number): WasmCfg {
  const next = prng(seed);
  const rnd = { int: (k: number) => Math.floor(next() * k) };
  const FUEL = 5;
  const blocks: WasmBlock[] = [];
  // Block 0 sets the fuel, guards are 1..n, workers n+1..2n, the exit 2n+1.
  const guard = (w: number) => 1 + w;
  const exit = 2 * n + 1;
  blocks.push(block(`i32.const 200; local.set ${FUEL}`, goto(guard(0))));
  for (let w = 0; w < n; w++) blocks.push(block(`local.get ${FUEL}; i32.const 1; i32.sub; local.tee ${FUEL}`, iff(n + 1 + w, exit)));
  const ops = ["i32.add", "i32.sub", "i32.mul", "i32.xor"];
  for (let w = 0; w < n; w++) {
    const dst = 2 + rnd.int(3);
    const work = `local.get ${rnd.int(5)}; local.get ${rnd.int(5)}; i32.const ${rnd.int(100)}; ${ops[rnd.int(4)]}; ${ops[rnd.int(4)]}; local.set ${dst}`;
    const to = () => guard(rnd.int(n));
    const kind = rnd.int(10);
    if (kind < 4) blocks.push(block(work, goto(to())));
    else if (kind < 8) blocks.push(block(`${work}; local.get ${rnd.int(5)}; i32.const 3; i32.and`, iff(to(), to())));
    else if (kind < 9) blocks.push(block(`${work}; local.get ${rnd.int(5)}; i32.const 7; i32.and`, table([to(), to(), to(), to()], to())));
    else blocks.push(block(`${work}; local.get ${dst}`, ret));
  }
  blocks.push(block("local.get 2", ret));
  return cfgOf(blocks, 2, 4);
}

export interface TestBody {
  params: readonly ValType[];
  results: readonly ValType[];
  body: FuncBody;
  export?: string;
}

/** A module of whole bodies (each function its own type), function i at index i. */
export function moduleOfBodies(funcs: TestBody[]): Uint8Array {
  const sections: Section[] = [
    { id: 1, kind: "type", groups: funcs.map((f) => ({ explicit: false, types: [{ supers: [], comp: { kind: "func", params: f.params, results: f.results } }] })), sizeWidth: 0 },
    { id: 3, kind: "function", types: funcs.map((_, i) => i), sizeWidth: 0 },
    { id: 7, kind: "export", exports: funcs.flatMap((f, i) => (f.export ? [{ name: f.export, kind: 0, index: i }] : [])), sizeWidth: 0 },
    { id: 10, kind: "code", entries: funcs.map((f) => ({ raw: new Uint8Array(0), offset: 0, sizeWidth: 0, body: f.body })), sizeWidth: 0 },
  ];
  return writeModule({ version: 1, sections });
}
