/**
 * A WebAssembly module in the text format (core spec, Text Format, "Modules"),
 * flat form: each function's instructions one per line, indented by block depth,
 * every index numeric, each definition's index and name (from the name section)
 * as a `(;i name;)` comment. Data strings escape every byte outside printable
 * ASCII; custom sections are listed as comments. The output reads back with
 * wabt's wat2wasm; `disasm` prints it.
 */
import { decodeBody, type LocalDecl } from "./body.js";
import type { Instr } from "./instructions.js";
import { section, type ConstExpr, type ElemSegment, type Import, type WasmModule } from "./module.js";
import { functionNames } from "./name-section.js";
import { instrText, valTypeText } from "./print-instr.js";
import type { CompType, FieldType, GlobalType, Limits, SubType } from "./types.js";

const OPENERS = new Set(["block", "loop", "if", "try", "try_table"]);
const MIDDLES = new Set(["else", "catch", "catch_all"]);

function escapeComment(s: string): string {
  return s.replace(/;\)/g, "; )").replace(/\(;/g, "( ;");
}

function label(i: number, names?: Map<number, string>): string {
  const n = names?.get(i);
  return n === undefined ? `(;${i};)` : `(;${i} ${escapeComment(n)};)`;
}

function quoted(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : "\\" + b.toString(16).padStart(2, "0");
  return s + '"';
}

function nameText(s: string): string {
  return quoted(new TextEncoder().encode(s));
}

function fieldText(f: FieldType): string {
  return f.mutable ? `(mut ${valTypeText(f.type)})` : valTypeText(f.type);
}

function compText(c: CompType): string {
  if (c.kind === "func") {
    const params = c.params.length ? ` (param ${c.params.map(valTypeText).join(" ")})` : "";
    const results = c.results.length ? ` (result ${c.results.map(valTypeText).join(" ")})` : "";
    return `(func${params}${results})`;
  }
  if (c.kind === "struct") return `(struct${c.fields.map((f) => ` (field ${fieldText(f)})`).join("")})`;
  return `(array ${fieldText(c.field)})`;
}

function subText(s: SubType, index: number): string {
  if (s.prefix === undefined) return `(type ${label(index)} ${compText(s.comp)})`;
  const final = s.prefix === 0x4f ? " final" : "";
  return `(type ${label(index)} (sub${final}${s.supers.map((t) => ` ${t}`).join("")} ${compText(s.comp)}))`;
}

function limitsText(l: Limits): string {
  const address = l.flags & 4 ? "i64 " : "";
  const max = l.flags & 1 ? ` ${l.max}` : "";
  return `${address}${l.min}${max}${l.flags & 2 ? " shared" : ""}`;
}

function globalTypeText(g: GlobalType): string {
  return g.mutable & 1 ? `(mut ${valTypeText(g.type)})` : valTypeText(g.type);
}

/** A constant expression without its final `end`, folded into parentheses for each instruction. */
function exprText(e: ConstExpr): string {
  return e.slice(0, -1).map((i) => `(${instrText(i)})`).join(" ");
}

/** Engines refuse a function with more locals (V8, SpiderMonkey, JSC share the limit). */
const ENGINE_LOCALS_LIMIT = 50_000;

/** The local declarations; beyond what any engine accepts, a comment with the counts instead. */
function localsText(locals: readonly LocalDecl[]): string {
  const total = locals.reduce((n, l) => n + l.count, 0);
  if (total > ENGINE_LOCALS_LIMIT) return `    (;${locals.map((l) => ` ${l.count} ${valTypeText(l.type)}`).join(",")}: ${total} locals, more than engines accept ;)`;
  return `    (local${locals.map((l) => ` ${valTypeText(l.type)}`.repeat(l.count)).join("")})`;
}

/** Instructions one per line, indented by depth (the final `end` of a body left out). */
export function codeLines(code: readonly Instr[], indent: string): string[] {
  const lines: string[] = [];
  let depth = 0;
  for (let k = 0; k < code.length - 1; k++) {
    const ins = code[k]!;
    const name = ins.op.name;
    if (name === "end" || name === "delegate") depth--;
    const pad = indent + "  ".repeat(Math.max(0, MIDDLES.has(name) ? depth - 1 : depth));
    lines.push(pad + instrText(ins));
    if (OPENERS.has(name)) depth++;
  }
  return lines;
}

function importText(imp: Import, index: number, funcNames: Map<number, string>): string {
  const d = imp.desc;
  let desc: string;
  if (d.kind === 0) desc = `(func ${label(index, funcNames)} (type ${d.type}))`;
  else if (d.kind === 1) desc = `(table ${label(index)} ${limitsText(d.table.limits)} ${valTypeText(d.table.type)})`;
  else if (d.kind === 2) desc = `(memory ${label(index)} ${limitsText(d.memory)})`;
  else if (d.kind === 3) desc = `(global ${label(index)} ${globalTypeText(d.global)})`;
  else desc = `(tag ${label(index)} (type ${d.tag.type}))`;
  return `  (import ${nameText(imp.module)} ${nameText(imp.name)} ${desc})`;
}

function elemText(e: ElemSegment, i: number): string {
  const passive = (e.flags & 1) !== 0;
  const mode = passive ? (e.flags & 2 ? " declare" : "") : ` (table ${e.table ?? 0}) (offset ${exprText(e.offset!)})`;
  const items = e.exprs ? ` ${valTypeText(e.type ?? 0x70)}${e.exprs.map((x) => ` (item ${exprText(x)})`).join("")}` : ` func${e.funcs!.map((f) => ` ${f}`).join("")}`;
  return `  (elem ${label(i)}${mode}${items})`;
}

/** The whole module as text. */
export function moduleText(m: WasmModule): string {
  const names = section(m, "name");
  const funcNames = names ? functionNames(names.names) : new Map<number, string>();
  const out: string[] = ["(module"];
  const funcTypes: number[] = [];
  const counts = { func: 0, table: 0, memory: 0, global: 0, tag: 0, type: 0 };
  for (const s of m.sections) {
    switch (s.kind) {
      case "custom":
        out.push(`  ;; custom section ${nameText(s.name)}, ${s.payload.length} bytes`);
        break;
      case "name":
        out.push(`  ;; custom section "name" (function and local names shown as comments)`);
        break;
      case "type":
        for (const g of s.groups) {
          const types = g.types.map((t) => subText(t, counts.type++));
          out.push(g.explicit ? `  (rec ${types.join(" ")})` : `  ${types[0]}`);
        }
        break;
      case "import":
        for (const imp of s.imports) {
          const kind = (["func", "table", "memory", "global", "tag"] as const)[imp.desc.kind];
          out.push(importText(imp, counts[kind]++, funcNames));
        }
        break;
      case "function":
        funcTypes.push(...s.types);
        break;
      case "table":
        for (const t of s.tables) out.push(`  (table ${label(counts.table++)} ${limitsText(t.limits)} ${valTypeText(t.type)}${t.init ? ` ${exprText(t.init)}` : ""})`);
        break;
      case "memory":
        for (const l of s.memories) out.push(`  (memory ${label(counts.memory++)} ${limitsText(l)})`);
        break;
      case "global":
        for (const g of s.globals) out.push(`  (global ${label(counts.global++)} ${globalTypeText(g)} ${exprText(g.init)})`);
        break;
      case "export":
        for (const e of s.exports) out.push(`  (export ${nameText(e.name)} (${["func", "table", "memory", "global", "tag"][e.kind]} ${e.index}))`);
        break;
      case "start":
        out.push(`  (start ${s.func})`);
        break;
      case "element":
        s.segments.forEach((e, i) => out.push(elemText(e, i)));
        break;
      case "code":
        s.entries.forEach((e, i) => {
          const index = counts.func + i;
          const body = e.body ?? decodeBody(e.raw, e.offset);
          out.push(`  (func ${label(index, funcNames)} (type ${funcTypes[i]})`);
          if (body.locals.length) out.push(localsText(body.locals));
          out.push(...codeLines(body.code, "    "));
          out.push("  )");
        });
        break;
      case "data":
        s.segments.forEach((d, i) => {
          const mode = d.flags === 1 ? "" : ` (memory ${d.memory ?? 0}) (offset ${exprText(d.offset!)})`;
          out.push(`  (data ${label(i)}${mode} ${quoted(d.bytes)})`);
        });
        break;
      case "datacount":
        out.push(`  ;; data count ${s.count}`);
        break;
      case "tag":
        for (const t of s.tags) out.push(`  (tag ${label(counts.tag++)} (type ${t.type}))`);
        break;
    }
  }
  out.push(")");
  return out.join("\n") + "\n";
}
