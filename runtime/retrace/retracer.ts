/**
 * Rewrites a stack trace of the residual program into the original program's trace,
 * line by line, with the semantics of R8's retrace for mapping format 2.2
 * (r8 `doc/retrace.md`):
 *
 * - a frame of a mapped class becomes the frame(s) of the original method(s) its
 *   residual method and line map to: an inlined stack expands innermost first, and
 *   ambiguous answers follow the first as `<OR> at ...` lines, as R8 prints them;
 * - a frame whose range is marked `com.android.tools.r8.outline` is removed and its
 *   position carried to the next frame, whose `outlineCallsite` positions map it to the
 *   line to retrace that frame at (a caller that is itself an outline carries the
 *   mapped position on: piece -> piece -> driver);
 * - frames marked `com.android.tools.r8.synthesized` (range or class) are removed;
 * - `com.android.tools.r8.rewriteFrame` rules apply to the frame directly under an
 *   exception line whose (original) class they name;
 * - the file comes from the class's `sourceFile` entry; without one, an unknown file
 *   (``, `SourceFile`, `Unknown`, `PG`, or `Unknown Source` of a renamed class) is
 *   synthesised from the original class name as R8 does; a renamed class's file too;
 * - exception class names of `Caused by:` / `Suppressed:` / first lines are mapped;
 * - `... N more`: the JVM elides the frames a trace has in common with its enclosing
 *   trace, counted from the end (`Throwable.printEnclosedTrace`), and the original
 *   program's trace elides the original frames in common. The elided frames are the
 *   last N of the enclosing trace's full frame list (its own frames and, when it
 *   ends in `... M more` itself, the frames that elides of its own enclosing trace);
 *   they are retraced again as part of this trace, with the position of removed
 *   outline frames before them carried on (through a dispatcher or a chain of
 *   pieces into the driver) and this trace's indentation. Of the lines they give,
 *   those equal to the enclosing trace's last lines are counted in `... K more`; the
 *   others (the driver at the line the exception was thrown at) are printed;
 * - everything else is left untouched.
 *
 * State between lines: the pending outline position, the current exception, and per
 * indentation level the full frame list of the trace being read with the lines each
 * frame retraced to (the last 4,096 to 8,192 frames), so memory is bounded by the
 * longest trace, not by the input.
 */
import type { IndexedClass, FrameGroup, MappingIndex } from "./mapping-index.js";
import { type MappedRange, originalLineOf } from "./model.js";
import { type FrameLine, formatFrame, type MoreLine, parseTraceLine } from "./trace-line.js";

export interface RetraceOptions {
  /** Print return and argument types (`void run(int)`) instead of method names. */
  verbose?: boolean;
}

const UNKNOWN_FILES = new Set(["", "SourceFile", "Unknown", "PG"]);
/** Frames kept per trace: the last ones, enough for every `... N more` up to this count. */
const MAX_RECORDED_FRAMES = 4096;
/** Lines held behind a piece's frame at most (then they are printed as they are). */
const MAX_HELD = 16;

interface RecordedFrame {
  /** The frame as read (indentation of the trace it was read in). */
  frame: FrameLine;
  /** The lines it retraced to in the trace it is recorded for. */
  lines: string[];
}

interface TraceRecord {
  depth: number;
  /**
   * The trace's full frame list, innermost first: its own frames, then the ones its
   * `... N more` elided; the first ones are dropped past 2 * MAX_RECORDED_FRAMES.
   */
  frames: RecordedFrame[];
  /** Its `... N more` could not be resolved: the end of its frame list is unknown. */
  unknown: boolean;
  enclosing: TraceRecord | undefined;
}

export class Retracer {
  private readonly verbose: boolean;
  /** Position of a removed outline frame, for the next frame's outlineCallsite. */
  private carry: number | undefined;
  /** Non-frame lines read while an outline position was carried, printed after the frame it resolves to. */
  private held: string[] = [];
  /** Descriptor of the exception whose first frame is next, for rewriteFrame. */
  private firstFrameOf: string | undefined;
  private traces: TraceRecord[] = [];
  private current: TraceRecord | undefined;

  constructor(
    private readonly index: MappingIndex,
    options: RetraceOptions = {},
  ) {
    this.verbose = options.verbose ?? false;
  }

  /** The lines one input line (without its line terminator) becomes: none, itself, or several. */
  retraceLine(text: string): string[] {
    const t = parseTraceLine(text);
    switch (t.kind) {
      case "frame": {
        const held = this.held;
        if (held.length > 0 && !this.index.classOf(t.className)) this.held = [];
        const out = this.frame(t);
        if (this.held.length > 0 && this.carry === undefined) {
          out.push(...this.held);
          this.held = [];
        } else if (held.length > 0 && this.held.length === 0) out.unshift(...held);
        this.firstFrameOf = undefined;
        if (this.current) record(this.current, { frame: t, lines: out });
        return out;
      }
      case "exception": {
        const held = this.release();
        const cls = this.index.classOf(t.className);
        const name = cls ? cls.originalName : t.className;
        this.firstFrameOf = `L${name.replace(/\./g, "/")};`;
        this.startTrace(t.indent.length, t.how);
        return [...held, `${t.indent}${t.intro}${name}${t.rest}`];
      }
      case "more": {
        const out = this.more(t, text);
        this.carry = undefined;
        this.firstFrameOf = undefined;
        return out;
      }
      case "other":
        // A frame-like line of no Java method (Rhino prints `at script(f.js:1)` after
        // each interpreter frame) between a piece and its caller: it follows the
        // original method's frame, so it is held until that frame is known.
        if (this.carry !== undefined && this.held.length < MAX_HELD && /^\s+at /.test(text)) {
          this.held.push(text);
          return [];
        }
        this.firstFrameOf = undefined;
        return [...this.release(), text];
    }
  }

  /** Lines still owed at the end of the input: lines held after a piece's frame. */
  end(): string[] {
    return this.release();
  }

  /** Drops the carried outline position and gives back the lines held behind it. */
  private release(): string[] {
    this.carry = undefined;
    const held = this.held;
    this.held = [];
    return held;
  }

  private startTrace(depth: number, how: "first" | "cause" | "suppressed"): void {
    let enclosing: TraceRecord | undefined;
    if (how === "cause") enclosing = this.traces.find((r) => r.depth === depth);
    else if (how === "suppressed") enclosing = [...this.traces].reverse().find((r) => r.depth < depth);
    if (how === "first" && depth === 0) this.traces = [];
    const rec: TraceRecord = { depth, frames: [], unknown: false, enclosing };
    this.traces = this.traces.filter((r) => r.depth < depth);
    this.traces.push(rec);
    this.current = rec;
  }

  /**
   * `... N more`: retraces the N elided frames (the end of the enclosing trace's full
   * list) as frames of this trace, continuing the carried outline position and the
   * first-frame rules if this trace printed no frame of its own; prints the lines
   * they give that differ from the enclosing trace's, counted from the end, and
   * counts the rest, as `printEnclosedTrace` does with the original frames.
   */
  private more(t: MoreLine, text: string): string[] {
    const rec = this.current;
    const enc = rec?.enclosing;
    if (!rec || !enc || enc.unknown || t.count === 0 || enc.frames.length < t.count) {
      if (rec) rec.unknown = true;
      return [...this.release(), text];
    }
    const elided = enc.frames.slice(enc.frames.length - t.count);
    const mine: RecordedFrame[] = [];
    const lines: string[] = [];
    for (const e of elided) {
      const out = this.frame({ ...e.frame, indent: t.indent + e.frame.indent.replace(/^\s*/, "") });
      this.firstFrameOf = undefined;
      // Lines held behind a piece follow the elided frame the piece's position resolves to.
      if (this.held.length > 0 && this.carry === undefined) {
        out.push(...this.held);
        this.held = [];
      }
      mine.push({ frame: e.frame, lines: out });
      lines.push(...out);
    }
    // Lines in common with the enclosing trace's, from the end (never lines already printed).
    let common = 0;
    let fi = enc.frames.length - 1;
    let li = fi >= 0 ? enc.frames[fi]!.lines.length - 1 : -1;
    while (common < lines.length) {
      while (fi >= 0 && li < 0) li = --fi >= 0 ? enc.frames[fi]!.lines.length - 1 : -1;
      if (fi < 0 || unindented(enc.frames[fi]!.lines[li]!) !== unindented(lines[lines.length - 1 - common]!)) break;
      common++;
      li--;
    }
    for (const m of mine) record(rec, m);
    const out = lines.slice(0, lines.length - common);
    out.push(...this.release());
    if (common > 0) out.push(`${t.indent}... ${common} more${t.rest}`);
    return out;
  }

  private frame(f: FrameLine): string[] {
    const incoming = this.carry;
    this.carry = undefined;
    const cls = this.index.classOf(f.className);
    if (!cls) return [f.indent + f.modulePrefix + f.className + "." + f.methodName + rawSource(f) + f.suffix];
    if (cls.synthesized) return [];
    const name = f.methodName;
    let pos = f.line;
    const atLine = pos !== undefined ? this.index.groupsAt(cls, name, pos) : [];
    if (pos !== undefined && incoming !== undefined) {
      const site = callsiteIn(atLine);
      if (site) pos = site.positions.get(incoming) ?? incoming;
    }
    let groups: readonly FrameGroup[];
    let lineKnown = pos !== undefined;
    if (pos === undefined) groups = this.index.groupsOf(cls, name);
    else {
      groups = pos === f.line ? atLine : this.index.groupsAt(cls, name, pos);
      if (groups.length === 0) groups = this.index.groupsOf(cls, name).filter((g) => g.minified === undefined);
      if (groups.length === 0) {
        groups = this.index.groupsOf(cls, name);
        lineKnown = false;
      }
    }
    if (this.index.isOutline(cls, name)) {
      // An outline frame without a line (a dispatcher without line numbers) passes the position through.
      this.carry = pos ?? incoming;
      return [];
    }
    if (groups.length === 0) {
      // A method the mapping does not list (not split): only the class and file change.
      const line = pos;
      return [formatFrame(f, cls.originalName, name, this.fileFor(f, cls, cls.originalName), line)];
    }
    const out: string[] = [];
    const seen = new Set<string>();
    for (const g of groups) {
      let frames = g.frames.filter((r) => !r.info.synthesized);
      if (pos === undefined || !lineKnown) frames = frames.slice(-1);
      else if (this.firstFrameOf !== undefined) {
        for (const r of g.frames)
          for (const rule of r.info.rewriteFrames)
            if (rule.throws.every((d) => d === this.firstFrameOf)) frames = frames.slice(Math.min(rule.removeInnerFrames, frames.length));
      }
      const lines = frames.map((r) => {
        const holder = r.holder ?? cls.originalName;
        const line = !lineKnown || pos === undefined ? (pos === undefined ? undefined : f.line) : originalLineOf(r, pos);
        return formatFrame(f, holder, this.methodText(r), this.fileFor(f, cls, holder), line);
      });
      const key = lines.map((l) => l.trimStart().replace(/^<OR>\s+/, "")).join("\n");
      if (lines.length === 0 || seen.has(key)) continue;
      if (seen.size > 0) lines[0] = orLine(lines[0]!, f);
      seen.add(key);
      out.push(...lines);
    }
    return out;
  }

  private methodText(r: MappedRange): string {
    return this.verbose ? `${r.returnType} ${r.name}(${r.args.join(",")})` : r.name;
  }

  private fileFor(f: FrameLine, cls: IndexedClass, holder: string): string | undefined {
    if (f.native) return undefined;
    const file = f.file ?? "";
    const renamed = cls.originalName !== cls.residualName;
    if (holder === cls.originalName && cls.sourceFile !== undefined) return cls.sourceFile;
    const unknown = UNKNOWN_FILES.has(file) || (file === "Unknown Source" && renamed);
    const changed = holder !== cls.originalName || (renamed && !holder.startsWith(cls.residualName));
    if (!unknown && !changed) return file;
    const dot = file.lastIndexOf(".");
    const ext = dot > 0 && file !== "Unknown Source" ? file.slice(dot + 1) : "java";
    return `${simpleName(holder)}.${ext}`;
  }
}

/** Appends a frame to a trace's full frame list, keeping the last ones only. */
function record(rec: TraceRecord, f: RecordedFrame): void {
  rec.frames.push(f);
  if (rec.frames.length > 2 * MAX_RECORDED_FRAMES) rec.frames.splice(0, rec.frames.length - MAX_RECORDED_FRAMES);
}

/** A retraced line without its indentation, to compare lines of traces at different levels. */
function unindented(line: string): string {
  return line.replace(/^\s*/, "");
}

/** The frame as it was, for classes the mapping does not know. */
function rawSource(f: FrameLine): string {
  return f.native ? "(Native Method)" : `(${f.file ?? ""}${f.line !== undefined ? `:${f.line}` : ""})`;
}

/** The first line of an alternative answer, marked as R8 marks it: `\t<OR> at ...`. */
function orLine(line: string, f: FrameLine): string {
  const ws = /^\s*/.exec(f.indent)![0];
  return ws + "<OR> " + line.slice(ws.length).replace(/^<OR>\s+/, "");
}

function callsiteIn(groups: readonly FrameGroup[]) {
  for (const g of groups) for (const r of g.frames) if (r.info.outlineCallsite) return r.info.outlineCallsite;
  return undefined;
}

/** R8's file-name stem: the outermost class's simple name. */
function simpleName(cls: string): string {
  const dot = cls.lastIndexOf(".");
  let end = cls.lastIndexOf("$");
  if (end < 0 || dot > end) end = cls.length;
  return cls.slice(dot + 1, end);
}

/** Retraces a whole text; line terminators (`\n` or `\r\n`) and a missing final newline are kept. */
export function retraceText(index: MappingIndex, text: string, options: RetraceOptions = {}): string {
  const r = new Retracer(index, options);
  const lines = text.split("\n");
  const unterminated = lines.pop()!;
  let out = "";
  let open = false; // the last line written still lacks its terminator
  let end = "\n";
  const emit = (o: string): void => {
    out += (open ? "\n" : "") + o + end;
    open = end === "";
  };
  for (const l of lines) {
    const cr = l.endsWith("\r");
    end = cr ? "\r\n" : "\n";
    r.retraceLine(cr ? l.slice(0, -1) : l).forEach(emit);
  }
  if (unterminated !== "") {
    end = "";
    r.retraceLine(unterminated).forEach(emit);
  }
  // Lines held at the end take the last line's terminator.
  r.end().forEach(emit);
  return out;
}
