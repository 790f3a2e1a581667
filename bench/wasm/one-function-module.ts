/**
 * bench/wasm/one-function-module.ts: the module around a generated body, built as
 * our module model (src/wasm/module.ts) and written by src/wasm/write-module.ts:
 * one type `(i32) -> i32`, one function of that type exported as `run` and named
 * `run` in the name section, and optionally one memory with an active data segment
 * at address 0. Core spec, Binary Format, "Modules" (sections in the required
 * order: type, function, memory, export, code, data, then the custom name section).
 */
import type { Section, WasmModule } from "../../src/wasm/module.js";
import { I32 } from "../../src/wasm/types.js";
import { writeModule } from "../../src/wasm/write-module.js";
import { op } from "./emit.js";

export interface OneFunctionModule {
  /** The function body (local declarations, instructions, final `end`). */
  readonly body: Uint8Array;
  /** Bytes placed at address 0 of a memory sized to hold them (none: no memory). */
  readonly data?: Uint8Array;
}

const PAGE = 65536;

export function oneFunctionModule({ body, data }: OneFunctionModule): Uint8Array {
  const sections: Section[] = [
    { id: 1, kind: "type", sizeWidth: 0, groups: [{ explicit: false, types: [{ supers: [], comp: { kind: "func", params: [I32], results: [I32] } }] }] },
    { id: 3, kind: "function", sizeWidth: 0, types: [0] },
  ];
  if (data) sections.push({ id: 5, kind: "memory", sizeWidth: 0, memories: [{ flags: 0, min: Math.max(1, Math.ceil(data.length / PAGE)) }] });
  sections.push({ id: 7, kind: "export", sizeWidth: 0, exports: [{ name: "run", kind: 0, index: 0 }] });
  sections.push({ id: 10, kind: "code", sizeWidth: 0, entries: [{ raw: body, offset: 0, sizeWidth: 0 }] });
  if (data) {
    const offset = [
      { op: op("i32.const"), imm: 0 },
      { op: op("end"), imm: undefined },
    ];
    sections.push({ id: 11, kind: "data", sizeWidth: 0, segments: [{ flags: 0, offset, bytes: data }] });
  }
  sections.push({ id: 0, kind: "name", sizeWidth: 0, names: { subsections: [{ id: 1, sizeWidth: 0, functions: [[0, "run"]] }] } });
  const m: WasmModule = { version: 1, sections };
  return writeModule(m, { canonical: true });
}
