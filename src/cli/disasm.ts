/**
 * `megasplit disasm <input> [--method NAME] [--class NAME] [--pool] [--frames]`: the
 * text form of every class in a bundle, in bundle order. A class that cannot be
 * read is reported and skipped; the others are still printed. With `--method`,
 * only the classes that have such a method are printed, each with just its header
 * and the matching methods.
 *
 * `--frames` adds, at the start of every basic block, the frame inferred by
 * `passes/frames.ts` (JVMS 4.10.1, computed from the code alone, ignoring the
 * StackMapTable so it can be compared with the `.stack` lines shown in place) and
 * the live locals from `passes/liveness.ts`, as comment lines:
 *   ; frame: locals [I, Ljava/lang/String;] stack []
 *   ; live: {0, 2}
 * (`; unreachable` for a block no path reaches; `; frame error: ...` lines at the
 * entry for code the inference rejects). Merging reference types needs the class
 * hierarchy: the input's own classes, then the JDK found from PATH/JAVA_HOME.
 * Cost: one CFG, liveness and frame inference per printed method.
 */
import { entryClassName, isClassEntry } from "../bundle/bundle.js";
import { readBundle } from "../bundle/read.js";
import type { Label, MethodBody } from "../bytecode/model.js";
import type { ClassFile } from "../classfile/model.js";
import { readClass } from "../classfile/read.js";
import { asDiagnostic, ErrorCodes, MegasplitError } from "../diagnostics.js";
import { bundleClassMap, createClassHierarchy, type LoadedClassHierarchy } from "../hierarchy/hierarchy.js";
import { disassemble, type DisassembleOptions, methodMatches } from "../text/disassemble.js";
import { compressSlots, inferFrames } from "../../passes/frames.js";
import { computeLiveness, formatSlots } from "../../passes/liveness.js";
import { methodContext } from "../../passes/pass.js";
import type { Reporter } from "./report.js";
import { isWasmFile, readWasmFile } from "./wasm-input.js";
import { moduleText } from "../wasm/print-module.js";

export interface DisasmOptions {
  method?: string;
  class?: string;
  pool?: boolean;
  frames?: boolean;
}

export async function disasmCommand(input: string, opts: DisasmOptions, r: Reporter): Promise<number> {
  if (await isWasmFile(input)) {
    if (opts.method !== undefined || opts.class !== undefined || opts.pool || opts.frames) {
      throw new MegasplitError(ErrorCodes.USAGE, "--method, --class, --pool and --frames apply to class files, not to a WebAssembly module", { bundle: input });
    }
    const m = await readWasmFile(input);
    try {
      process.stdout.write(moduleText(m));
    } catch (e) {
      throw e instanceof MegasplitError ? e.within({ bundle: input }) : e;
    }
    return r.finish();
  }
  const { bundle, diagnostics } = await readBundle(input);
  r.all(diagnostics);
  const wanted = opts.class?.replace(/\./g, "/");
  let hierarchy: LoadedClassHierarchy | undefined;
  if (opts.frames) {
    const ds: typeof diagnostics = [];
    hierarchy = await createClassHierarchy({ bundleClasses: bundleClassMap(bundle, ds) });
    r.all(ds);
    r.all(hierarchy.diagnostics);
  }
  let printed = 0;
  let matched = 0;
  let methods = 0;
  try {
    for (const entry of bundle.entries) {
      if (!isClassEntry(entry)) continue;
      if (wanted !== undefined && entryClassName(entry.name) !== wanted) continue;
      matched++;
      try {
        const warnings: typeof diagnostics = [];
        const cf = readClass(entry.data, { where: { bundle: input, entry: entry.name }, diagnostics: warnings });
        r.all(warnings);
        // With --method, a class without such a method is not printed at all.
        if (opts.method !== undefined && !cf.methods.some((_, i) => methodMatches(cf, i, opts.method!))) continue;
        methods++;
        const annotate = hierarchy ? frameNotes(cf, hierarchy, { bundle: input, entry: entry.name }) : undefined;
        const text = disassemble(cf, { method: opts.method, constantPool: opts.pool ?? false, ...(annotate ? { annotate } : {}) });
        if (printed > 0) process.stdout.write("\n");
        if (bundle.kind !== "class") process.stdout.write(`; entry ${entry.name}\n`);
        process.stdout.write(text.endsWith("\n") ? text : text + "\n");
        printed++;
      } catch (e) {
        r.diagnostic(asDiagnostic(e, { bundle: input, entry: entry.name }));
      }
    }
  } finally {
    hierarchy?.close();
  }
  if (matched === 0) {
    throw new MegasplitError(ErrorCodes.USAGE, wanted ? `no class ${wanted} in ${input}` : `no class files in ${input}`, { bundle: input });
  }
  if (opts.method !== undefined && methods === 0 && r.errors === 0) {
    throw new MegasplitError(ErrorCodes.USAGE, `no method ${opts.method} in ${wanted ? `class ${wanted} of ` : ""}${input}`, { bundle: input });
  }
  return r.finish();
}

/**
 * The `annotate` hook for `--frames`. The disassembler prints notes at labels, and
 * a block need not start at one (the entry, code after a return), so a fresh
 * label, which nothing refers to and the printer therefore leaves unnamed, is
 * inserted at such block starts in the body the disassembler just decoded for
 * printing (its own copy, not the class's).
 */
function frameNotes(cf: ClassFile, hierarchy: LoadedClassHierarchy, where: { bundle: string; entry: string }): NonNullable<DisassembleOptions["annotate"]> {
  return (methodIndex: number, body: MethodBody): ReadonlyMap<Label, readonly string[]> | undefined => {
    const ctx = methodContext(cf, cf.methods[methodIndex]!, { hierarchy, where });
    const notes = new Map<Label, string[]>();
    let frames;
    try {
      frames = inferFrames(body, ctx, { useDeclaredFrames: false });
    } catch (e) {
      if (!(e instanceof MegasplitError)) throw e;
      const label = body.labelCount++;
      body.nodes.unshift({ kind: "label", label });
      notes.set(label, [`frames not computed: ${e.diagnostic.code} ${e.diagnostic.message}`]);
      return notes;
    }
    const cfg = frames.cfg;
    const live = computeLiveness(body, cfg);
    const lines: string[][] = [];
    for (let b = 0; b < cfg.blockCount; b++) {
      const f = frames.entry[b];
      if (!cfg.reachable[b] || f === undefined) {
        lines.push(["unreachable"]);
        continue;
      }
      const locals = compressSlots(f.locals).map((t) => frames.types.format(t));
      const stack = compressSlots(f.stack, false).map((t) => frames.types.format(t));
      lines.push([`frame: locals [${locals.join(", ")}] stack [${stack.join(", ")}]`, `live: ${formatSlots(live.liveIn[b]!)}`]);
    }
    for (const e of frames.errors) lines[0]!.push(`frame error: ${e.message}`);
    // A label at each block start: the first one before its first instruction, or a new one.
    const inserts: { at: number; label: Label }[] = [];
    for (let b = 0; b < cfg.blockCount; b++) {
      let label: Label | undefined;
      for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]! && isPseudo(body.nodes[i]!.kind); i++) {
        const n = body.nodes[i]!;
        if (n.kind === "label") {
          label = n.label;
          break;
        }
      }
      if (label === undefined) {
        label = body.labelCount++;
        inserts.push({ at: cfg.blockStart[b]!, label });
      }
      notes.set(label, lines[b]!);
    }
    if (inserts.length > 0) {
      const nodes: MethodBody["nodes"] = [];
      let k = 0;
      for (let i = 0; i < body.nodes.length; i++) {
        while (k < inserts.length && inserts[k]!.at === i) nodes.push({ kind: "label", label: inserts[k++]!.label });
        nodes.push(body.nodes[i]!);
      }
      body.nodes = nodes;
    }
    return notes;
  };
}

function isPseudo(kind: string): boolean {
  return kind === "label" || kind === "line" || kind === "frame";
}
