/**
 * The splitter's passes and link modes as text-in, text-out `Pass`es (one method
 * body in, the methods it becomes as disassembly out), for the filetests in
 * `test/filetests/<name>/` and anything else that shows one pass at work. Each
 * view runs the registered thing itself: a splitter pass from `split-passes.ts`,
 * the first attempt's partition of `partition-and-link.ts`, or a whole class split
 * in a link mode of `passes/link/modes.ts`. Settings come from the context's
 * `options` (a filetest's `; options:` line): `max-size` (default 64), `link`
 * (default auto), `handover` for the partition (heap-frame or parameters).
 *
 * Output is deterministic: methods in class order, disassembled with the
 * disassembler's label names and frames; no constant-pool indices.
 */
import type { MethodBody } from "../bytecode/model.js";
import type { ClassFile, MethodInfo } from "../classfile/model.js";
import { codeOf } from "../classfile/model.js";
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { disassemble } from "../text/disassemble.js";
import { blockHeaders } from "../../passes/cfg.js";
import { isLinkModeName, LINK_MODES, type LinkModeName } from "../../passes/link/modes.js";
import type { Pass, PassContext } from "../../passes/pass.js";
import type { BodySplit, Refusal } from "./encode-split.js";
import { pieceBaseName } from "./names.js";
import { partitionOnce, type PartitionView } from "./partition-and-link.js";
import { splitClass } from "./split-class.js";
import type { SplitMethodOptions } from "./split-method.js";
import { SPLIT_PASSES, splitState, type SplitPass } from "./split-passes.js";

function option(ctx: PassContext, key: string, fallback: string): string {
  return ctx.options?.[key] ?? fallback;
}

function splitOptions(ctx: PassContext): SplitMethodOptions {
  const maxSize = Number(option(ctx, "max-size", "64"));
  const link = option(ctx, "link", "auto");
  if (!Number.isInteger(maxSize) || maxSize < 16) throw new MegasplitError(ErrorCodes.USAGE, `max-size must be an integer of at least 16, not ${maxSize}`);
  if (!isLinkModeName(link)) throw new MegasplitError(ErrorCodes.USAGE, `no link mode named ${link}`);
  return { maxSize, link, ...(ctx.hierarchy ? { hierarchy: ctx.hierarchy } : {}), verify: true };
}

/** The methods as our disassembly, without the class around them. */
function methodsText(cf: ClassFile, methods: readonly MethodInfo[]): string {
  const text = disassemble({ ...cf, fields: [], methods: [...methods], attributes: [] });
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.startsWith(".method"));
  const last = lines.lastIndexOf(".end class");
  return first < 0 ? "" : lines.slice(first, last).join("\n").replace(/\n+$/, "") + "\n";
}

/** A split's summary and its methods (driver first, then the pieces). */
function bodySplitText(cf: ClassFile, r: BodySplit | Refusal | undefined): string {
  if (r === undefined) return "does not apply\n";
  if ("kind" in r) return `refused: ${r.reason}\n`;
  const head = `driver ${r.driverLength} bytes, ${r.pieces.length} pieces (${r.pieces.map((p) => `${p.name} ${p.codeLength}`).join(", ")}), ${r.crossEdges} cross edges, values as ${r.handover.join(" and ") || "nothing"}`;
  return `${head}\n${methodsText(cf, [r.driver, ...r.pieces.map((p) => p.method)])}`;
}

/** A registered splitter pass run on the method as the method itself (depth 0) or as a part of a split (depth 1). */
function splitPassView(pass: SplitPass, depth: number): Pass<BodySplit | Refusal | undefined> {
  return {
    name: pass.name,
    description: pass.description,
    run(body: MethodBody, ctx: PassContext) {
      const cf = ctx.classFile;
      const taken = new Set(cf.methods.map((m) => cf.constantPool.utf8(m.nameIndex)));
      const state = splitState(cf, ctx.method, body, splitOptions(ctx), taken, codeOf(ctx.method)!.nameIndex, pieceBaseName(ctx.methodName), depth);
      return pass.run(state);
    },
    format: (r, _body, ctx) => bodySplitText(ctx.classFile, r),
  };
}

/** The partition of the first attempt: blocks with their costs, then the pieces. */
const partitionView: Pass<PartitionView | Refusal> = {
  name: "partition",
  description: "the first attempt's cut and partition of a method, with the cost of every block",
  run(body, ctx) {
    const handover = option(ctx, "handover", "heap-frame");
    if (handover !== "heap-frame" && handover !== "parameters") throw new MegasplitError(ErrorCodes.USAGE, `handover must be heap-frame or parameters, not ${handover}`);
    return partitionOnce(ctx.classFile, ctx.method, body, ctx, splitOptions(ctx), handover === "parameters" ? "parameters" : "heap frame");
  },
  format(r, _body, ctx) {
    if ("kind" in r) return `refused: ${r.reason}\n`;
    const parameters = option(ctx, "handover", "heap-frame") === "parameters";
    const { cfg, costs, part } = r;
    const entry = parameters ? costs.parameters.entryCost : costs.heapFrame.entryCost;
    const group = parameters ? costs.parameters.groupCost : costs.heapFrame.groupCost;
    const headers = blockHeaders(cfg, ctx.cp);
    const out: string[] = [];
    for (let b = 0; b < cfg.blockCount; b++) {
      if (!cfg.reachable[b]) {
        out.push(`${headers[b]}  unreachable`);
        continue;
      }
      const flags = `${r.cuttable[b] ? "" : " uncuttable"}${r.pinned[b] ? " pinned" : ""}`;
      const g = costs.exitGroup[b]!;
      out.push(`${headers[b]}  size ${costs.blockSize[b]} entry ${entry[b]} exit ${costs.exitCost[b]} group ${g} (${group[g]})${flags}`);
    }
    if (!part.ok) {
      out.push(`no partition (${part.what}): ${part.reason}`);
      return out.join("\n") + "\n";
    }
    part.pieceBlocks.forEach((blocks, p) => out.push(`piece ${p} (estimated ${part.pieceCost[p]} bytes): ${blocks.map((b) => `b${b}`).join(" ")}`));
    out.push(`cross edges ${part.crossEdges}`);
    return out.join("\n") + "\n";
  },
};

/** A whole class split in one link mode, the class reduced to the method under test. */
function linkModeView(mode: LinkModeName, description: string): Pass<string> {
  return {
    name: `link-${mode}`,
    description: `split in link mode ${mode}: ${description}`,
    run(_body, ctx) {
      const opts = splitOptions(ctx);
      const cf: ClassFile = { ...ctx.classFile, methods: [ctx.method] };
      const out = splitClass(cf, { maxSize: opts.maxSize, link: mode, ...(opts.hierarchy ? { hierarchy: opts.hierarchy } : {}), verify: true });
      const report = out.reports[0];
      const head = !report ? "under the limit" : report.result.kind === "refused" ? `refused: ${report.result.reason}` : `split: driver ${report.result.driverLength} bytes, ${report.result.pieces.length} pieces, values as ${report.result.handover.join(" and ")}`;
      return `${head}\n${methodsText(out.classFile, out.classFile.methods)}`;
    },
    format: (text) => text,
  };
}

/** Every view, by name: the splitter passes, the partition, and one per link mode. */
export const SPLIT_VIEWS: readonly Pass[] = [
  partitionView as Pass,
  ...SPLIT_PASSES.map((p) => splitPassView(p, p.name === "fits" ? 1 : 0) as Pass),
  ...LINK_MODES.map((m) => linkModeView(m.name, m.description) as Pass),
];

/** The view of this name, or undefined. */
export function splitViewByName(name: string): Pass | undefined {
  return SPLIT_VIEWS.find((p) => p.name === name);
}
