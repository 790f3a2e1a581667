/**
 * Random valid WebAssembly functions (text format) for the CFG builder's tests:
 * `(param i32) (result i32)` bodies of nested expressions over i32 and i64 where
 * values wait on the stack below blocks, `if`s, loops with parameters and
 * `br_table`s, branches carry values out of them, `br_if` keeps values for its
 * fallthrough, returns leave from deep inside, and dead code follows `br`. Loops
 * count down a local of their own, so every function terminates. Same seed, same
 * function.
 */
import { prng } from "./prng.js";

type T = "i32" | "i64";

class Gen {
  private readonly rnd: () => number;
  private counters = 0;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }

  private pick(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private other(t: T): T {
    return t === "i32" ? "i64" : "i32";
  }

  private op(t: T): string {
    return `${t}.${["add", "sub", "mul", "xor", "or"][this.pick(5)]!}`;
  }

  private leaf(t: T): string[] {
    if (this.pick(2) === 0) return [`${t}.const ${this.pick(200) - 50}`];
    if (t === "i32") return [`local.get ${[0, 1, 3][this.pick(3)]!}`];
    return [`local.get ${[2, 4][this.pick(2)]!}`];
  }

  cond(depth: number): string[] {
    return [...this.value("i32", depth - 1), "i32.const 3", "i32.and"];
  }

  /** Code that pushes one value of type `t` (the stack below untouched). */
  value(t: T, depth: number): string[] {
    if (depth <= 0) return this.leaf(t);
    const d = depth - 1;
    switch (this.pick(12)) {
      case 0:
        return this.leaf(t);
      case 1:
        return [...this.value(t, d), ...this.value(t, d), this.op(t)];
      case 2:
        return t === "i32" ? [...this.value("i64", d), "i32.wrap_i64"] : [...this.value("i32", d), "i64.extend_i32_s"];
      case 3: // br_if with a value out of a block, fallthrough keeps it
        return [`block (result ${t})`, ...this.value(t, d), ...this.cond(d), "br_if 0", ...this.value(t, d), this.op(t), "end"];
      case 4:
        return [...this.cond(d), `if (result ${t})`, ...this.value(t, d), "else", ...this.value(t, d), "end"];
      case 5: // a block with a parameter
        return [...this.value(t, d), `block (param ${t}) (result ${t})`, ...this.value(t, d), this.op(t), ...this.cond(d), "br_if 0", ...this.value(t, d), this.op(t), "end"];
      case 6:
        return this.loop(t, d);
      case 7: // br_table carrying a value to one of three labels
        return [
          ...[`block (result ${t})`, `block (result ${t})`, `block (result ${t})`],
          ...this.value(t, d),
          ...this.cond(d),
          "br_table 0 1 2 1",
          "end",
          ...this.value(t, d),
          this.op(t),
          "end",
          ...this.value(t, d),
          this.op(t),
          "end",
        ];
      case 8: // a value below, a branch out carrying the top one
        return [`block (result ${t})`, ...this.value(t, d), ...this.value(t, d), ...this.cond(d), "br_if 0", this.op(t), "end"];
      case 9:
        return [...this.statement(d), ...this.value(t, d)];
      case 10:
        return [...this.value(t, d), ...this.value(t, d), ...this.cond(d), "select"];
      default: // a value of the other type below a nested computation
        return [...this.value(this.other(t), d), ...this.value(t, d), "local.set " + (t === "i32" ? 3 : 4), "drop", `local.get ${t === "i32" ? 3 : 4}`];
    }
  }

  private loop(t: T, d: number): string[] {
    const c = 5 + this.counters++;
    return [
      `i32.const ${1 + this.pick(4)}`,
      `local.set ${c}`,
      ...this.value(t, d),
      `loop (param ${t}) (result ${t})`,
      ...this.value(t, d),
      this.op(t),
      `local.get ${c}`,
      "i32.const 1",
      "i32.sub",
      `local.tee ${c}`,
      "br_if 0",
      "end",
    ];
  }

  /** Code that leaves the stack as it found it. */
  statement(depth: number): string[] {
    const d = depth - 1;
    switch (this.pick(5)) {
      case 0:
        return [...this.value("i32", d), `local.set ${[1, 3][this.pick(2)]!}`];
      case 1:
        return [...this.value("i64", d), `local.set ${[2, 4][this.pick(2)]!}`];
      case 2: // return from inside, with whatever waits below
        return [...this.cond(d), "i32.eqz", "if", ...this.value("i32", d), "return", "end"];
      case 3: // dead code after br
        return ["block", ...this.cond(d), "drop", "br 0", "i32.add", "drop", "end"];
      default:
        return [...this.cond(d), "if", ...this.statement(d), "else", ...this.statement(d), "end"];
    }
  }

  counterLocals(): number {
    return this.counters;
  }
}

/** A module exporting `count` random functions `f0`, `f1`, ... of type [i32] -> [i32]. */
export function randomFunctionsModule(seed: number, count: number, depth: number): string {
  const funcs: string[] = [];
  for (let i = 0; i < count; i++) {
    const g = new Gen(seed * 1000 + i);
    const body = [...g.statement(depth), ...g.value("i32", depth), ...g.statement(depth - 1), "i32.const 7", "i32.add"];
    const counters = " i32".repeat(g.counterLocals());
    funcs.push(`(func (export "f${i}") (param i32) (result i32) (local i32 i64 i32 i64${counters})\n  ${body.join("\n  ")})`);
  }
  return `(module\n${funcs.join("\n")})`;
}
