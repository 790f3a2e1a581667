/**
 * The `name` custom section (core spec, Appendix "Custom Sections", "Name
 * Section"): the module name (subsection 0), function names (1) and local names
 * (2) decoded; every other subsection (labels, types, fields... of later
 * extensions) kept as raw bytes in place. Read with its LEB128 widths logged, so
 * an unchanged name section is written back byte for byte.
 */
import type { WasmReader } from "./binary-reader.js";
import type { WasmWriter } from "./binary-writer.js";

/** Index -> name pairs in the order of the section (ascending indices). */
export type NameMap = Array<readonly [index: number, name: string]>;

export type NameSubsection = { sizeWidth: number } & (
  | { readonly id: 0; moduleName: string }
  | { readonly id: 1; functions: NameMap }
  | { readonly id: 2; locals: Array<readonly [func: number, names: NameMap]> }
  | { readonly id: number; payload: Uint8Array }
);

export interface NameSection {
  subsections: NameSubsection[];
}

function readNameMap(r: WasmReader): NameMap {
  return r.vec("name map", () => [r.u32("index"), r.name("name")] as const);
}

function writeNameMap(w: WasmWriter, m: NameMap): void {
  w.vec(m, ([i, n]) => w.u32(i).name(n));
}

/** Reads the subsections, from after the section's name to `r.end`. */
export function readNameSection(r: WasmReader): NameSection {
  const subsections: NameSubsection[] = [];
  while (!r.atEnd) {
    const id = r.u8("name subsection id");
    const size = r.size("name subsection size");
    const end = r.pos + size.value;
    if (end > r.end) r.malformed(`name subsection ${id} overruns its section`);
    let sub: NameSubsection;
    if (id === 0) sub = { id, moduleName: r.name("module name"), sizeWidth: size.width };
    else if (id === 1) sub = { id, functions: readNameMap(r), sizeWidth: size.width };
    else if (id === 2) sub = { id, locals: r.vec("local names", () => [r.u32("function index"), readNameMap(r)] as const), sizeWidth: size.width };
    else sub = { id, payload: r.take(size.value, "name subsection"), sizeWidth: size.width };
    if (r.pos !== end) r.malformed(`name subsection ${id} is ${size.value} bytes but its content ${r.pos - end + size.value}`);
    subsections.push(sub);
  }
  return { subsections };
}

export function writeNameSection(w: WasmWriter, names: NameSection): void {
  for (const sub of names.subsections) {
    w.u8(sub.id);
    w.sized(sub.sizeWidth, () => {
      if ("moduleName" in sub) w.name(sub.moduleName);
      else if ("functions" in sub) writeNameMap(w, sub.functions);
      else if ("locals" in sub) w.vec(sub.locals, ([f, m]) => writeNameMap(w.u32(f), m));
      else w.bytes(sub.payload);
    });
  }
}

/** The function names of a name section, by function index. */
export function functionNames(names: NameSection): Map<number, string> {
  const out = new Map<number, string>();
  for (const sub of names.subsections) if ("functions" in sub) for (const [i, n] of sub.functions) out.set(i, n);
  return out;
}
