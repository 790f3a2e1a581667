/**
 * Reads an R8 mapping file (format version 2.2; r8 `doc/retrace.md`, member grammar
 * of ProGuard's `-printmapping`) into {@link MappingFile} data.
 *
 *   original.Cls -> residual.Cls:                      class line
 *   # {"id":"sourceFile","fileName":"Cls.java"}        metadata: JSON after `#`
 *       int count -> a                                 field
 *       void m() -> b                                  method, no line information
 *       1:3:void m(int):10:12 -> b                     residual 1..3 <- original 10..12
 *       4:4:void other.Cls.g():5:5 -> b                inlined frames: same residual range,
 *       4:4:void m(int):13 -> b                        innermost first, callers cardinal
 *
 * A metadata line attaches to the class when it comes before the class's first
 * member, else to the member line just above it (the spec's "directly below").
 * Metadata of a version later than the file's `com.android.tools.r8.mapping` header
 * is an ordinary comment, as the spec requires; versions above 2.2 give a warning.
 * Malformed lines and malformed JSON are errors (E_MAPPING_SYNTAX with the file and
 * line), never skipped: a mapping that reads wrong would retrace wrong silently.
 * Other `#` comments and blank lines are ignored. One pass, linear in the text.
 */
import { type Diagnostic, ErrorCodes, MegasplitError, warning } from "../../src/diagnostics.js";
import { type JsonMode, JsonSyntaxError, type JsonValue, parseJson } from "./json.js";
import type { ClassMapping, FieldMapping, MappedRange, MappingFile, OutlineCallsite, RangeInfo, RewriteFrame } from "./model.js";

export interface ReadMappingOptions {
  /** File name for diagnostics. */
  source?: string;
  /** `"r8"` (default) also accepts the single-quoted, bare-key JSON of R8's documentation. */
  json?: JsonMode;
}

export interface ReadMappingResult {
  mapping: MappingFile;
  warnings: Diagnostic[];
}

/** Versions in order; a feature introduced at version v is read when the file's version is at least v. */
const VERSIONS = ["none", "1.0", "2.0", "2.1", "2.2"] as const;
const SUPPORTED = "2.2";

const CLASS_LINE = /^([^\s#][^\s]*?)\s*->\s*([^\s:]+)\s*:\s*$/;
const MEMBER_LINE =
  /^\s+(?:(\d+)\s*:\s*(\d+)\s*:\s*)?([^\s:()]+)\s+([^\s:()]+)\s*(?:\(([^()]*)\))?\s*(?::\s*(\d+)(?:\s*:\s*(\d+))?)?\s*->\s*([^\s]+)\s*$/;
const THROWS = /^throws\((L[^;()]+;)\)$/;
const REMOVE_INNER = /^removeInnerFrames\((\d+)\)$/;

function versionRank(v: string): number {
  const i = (VERSIONS as readonly string[]).indexOf(v);
  if (i >= 0) return i;
  // A later numeric version reads with everything this reader knows; "experimental" and
  // unknown words read as unversioned, as R8 does without its experimental switch.
  return /^\d+(\.\d+)*$/.test(v) && Number(v.split(".")[0]) >= 2 ? VERSIONS.length - 1 : 0;
}

function emptyInfo(): RangeInfo {
  return { synthesized: false, outline: false, rewriteFrames: [] };
}

/** The reader's state while it walks the lines. */
interface Reader {
  source: string;
  jsonMode: JsonMode;
  warnings: Diagnostic[];
  file: MappingFile;
  /** The file's version as a rank in VERSIONS. */
  rank: number;
  /** The class the lines belong to. */
  cls: ClassMapping | undefined;
  /** The member line metadata attaches to; undefined right after a class line. */
  last: { kind: "method"; m: MappedRange } | { kind: "field"; f: FieldMapping } | undefined;
  lineNo: number;
}

export function readMapping(text: string, options: ReadMappingOptions = {}): ReadMappingResult {
  const source = options.source ?? "<mapping>";
  const r: Reader = {
    source,
    jsonMode: options.json ?? "r8",
    warnings: [],
    file: { source, version: "none", classes: [] },
    rank: 0,
    cls: undefined,
    last: undefined,
    lineNo: 0,
  };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    r.lineNo++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (r.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const trimmed = line.trimStart();
    if (trimmed === "") {
      if (start > text.length) break;
      continue;
    }
    if (trimmed[0] === "#") {
      const rest = trimmed.slice(1).trimStart();
      if (rest[0] === "{") readMetadata(r, rest, line.length - rest.length);
    } else if (line[0] !== " " && line[0] !== "\t") readClassLine(r, line);
    else readMemberLine(r, line);
  }
  return { mapping: r.file, warnings: r.warnings };
}

function fail(r: Reader, message: string): never {
  throw new MegasplitError(ErrorCodes.MAPPING_SYNTAX, message, { bundle: r.source, line: r.lineNo });
}

function needVersion(r: Reader, v: string): boolean {
  return r.rank >= versionRank(v);
}

function readClassLine(r: Reader, line: string): void {
  const m = CLASS_LINE.exec(line);
  if (!m) fail(r, `expected a class line 'original -> residual:', found '${line}'`);
  r.cls = { originalName: m[1]!, residualName: m[2]!, synthesized: false, methods: [], fields: [], line: r.lineNo };
  r.file.classes.push(r.cls);
  r.last = undefined;
}

/** A field line, or a method line with its optional residual and original line ranges. */
function readMemberLine(r: Reader, line: string): void {
  const cls = r.cls;
  if (!cls) fail(r, "member line outside a class");
  const m = MEMBER_LINE.exec(line);
  if (!m) {
    if (/^\s+\d+\s*:\s*\D/.test(line)) fail(r, "a residual line range needs two numbers 'from:to:'");
    fail(r, `expected a member line '[from:to:]type name[(args)][:line[:line]] -> residual', found '${line.trim()}'`);
  }
  const [, minFrom, minTo, type, qualified, args, origFrom, origTo, residual] = m;
  if (args === undefined) {
    if (minFrom !== undefined || origFrom !== undefined) fail(r, "a field line has no line numbers");
    const f: FieldMapping = { type: type!, name: qualified!, residualName: residual!, synthesized: false };
    cls.fields.push(f);
    r.last = { kind: "field", f };
    return;
  }
  const dot = qualified!.lastIndexOf(".");
  const range: MappedRange = {
    returnType: type!,
    name: dot < 0 ? qualified! : qualified!.slice(dot + 1),
    args: args.trim() === "" ? [] : args.split(",").map((a) => a.trim()),
    residualName: residual!,
    info: emptyInfo(),
    line: r.lineNo,
  };
  if (dot >= 0) range.holder = qualified!.slice(0, dot);
  if (range.args.some((a) => a === "")) fail(r, "empty argument type");
  if (minFrom !== undefined) {
    range.minified = { from: Number(minFrom), to: Number(minTo) };
    if (range.minified.from > range.minified.to) fail(r, `residual range ${minFrom}:${minTo} runs backwards`);
  }
  if (origFrom !== undefined) {
    range.original =
      origTo === undefined ? { from: Number(origFrom), to: Number(origFrom), cardinal: true } : { from: Number(origFrom), to: Number(origTo), cardinal: false };
  }
  cls.methods.push(range);
  r.last = { kind: "method", m: range };
}

type JsonObject = { [key: string]: JsonValue };

/** A `# {...}` metadata comment: parsed, then attached to the file, class or member it describes. */
function readMetadata(r: Reader, body: string, column: number): void {
  let obj: JsonValue;
  try {
    obj = parseJson(body, r.jsonMode);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(r, `bad JSON in metadata comment at column ${column + e.offset + 1}: ${e.message}`);
    throw e;
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return fail(r, "metadata comment is not a JSON object");
  const id = obj["id"];
  if (typeof id !== "string") return fail(r, "metadata object has no string 'id'");
  const o: JsonObject = obj;
  const str = (key: string): string => {
    const v = o[key];
    return typeof v === "string" ? v : fail(r, `'${id}' needs a string '${key}'`);
  };
  switch (id) {
    case "com.android.tools.r8.mapping": {
      const v = str("version");
      r.file.version = v;
      r.rank = versionRank(v);
      if (!(VERSIONS as readonly string[]).includes(v))
        r.warnings.push(warning(ErrorCodes.MAPPING_VERSION, `mapping version ${v} is not one this reader knows (it reads up to ${SUPPORTED})`, { bundle: r.source, line: r.lineNo }));
      // Global information ends the class above: what follows is another file's content.
      r.cls = undefined;
      r.last = undefined;
      return;
    }
    case "sourceFile": {
      const name = str("fileName");
      if (!r.cls || r.last) return fail(r, "sourceFile must come directly below its class line");
      r.cls.sourceFile = name;
      return;
    }
    case "com.android.tools.r8.synthesized": {
      if (!needVersion(r, "1.0")) return;
      if (!r.cls) return fail(r, "synthesized information outside a class");
      if (!r.last) r.cls.synthesized = true;
      else if (r.last.kind === "method") r.last.m.info.synthesized = true;
      else r.last.f.synthesized = true;
      return;
    }
    case "com.android.tools.r8.outline": {
      if (!needVersion(r, "2.0")) return;
      rangeInfo(r, id).outline = true;
      return;
    }
    case "com.android.tools.r8.outlineCallsite": {
      if (!needVersion(r, "2.0")) return;
      readOutlineCallsite(r, id, o, str);
      return;
    }
    case "com.android.tools.r8.rewriteFrame": {
      if (!needVersion(r, "2.0")) return;
      readRewriteFrame(r, id, o);
      return;
    }
    case "com.android.tools.r8.residualsignature": {
      if (!needVersion(r, "2.2")) return;
      const sig = str("signature");
      if (r.last?.kind === "method") {
        if (!sig.startsWith("(")) fail(r, `residual signature ${sig} of a method is not a method descriptor`);
        r.last.m.info.residualSignature = sig;
      } else if (!r.last) fail(r, "residualsignature must follow a member line");
      return;
    }
    default:
      // Information this reader does not know is a comment (the spec's forward compatibility).
      return;
  }
}

/** The range information of the method line just above, which `id` must follow. */
function rangeInfo(r: Reader, id: string): RangeInfo {
  if (r.last?.kind !== "method") return fail(r, `'${id}' must come directly below a method line`);
  return r.last.m.info;
}

function readOutlineCallsite(r: Reader, id: string, obj: JsonObject, str: (key: string) => string): void {
  const info = rangeInfo(r, id);
  if (info.outlineCallsite) fail(r, "a method line has at most one outlineCallsite");
  const pos = obj["positions"];
  if (pos === null || typeof pos !== "object" || Array.isArray(pos)) return fail(r, "outlineCallsite needs a 'positions' object");
  const positions = new Map<number, number>();
  for (const [k, v] of Object.entries(pos)) {
    if (!/^\d+$/.test(k) || typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(r, `outlineCallsite position '${k}': ${JSON.stringify(v)} is not line: line`);
    positions.set(Number(k), v as number);
  }
  const callsite: OutlineCallsite = { positions };
  if (obj["outline"] !== undefined) callsite.outline = str("outline");
  else if (needVersion(r, "2.1")) fail(r, "outlineCallsite needs 'outline' from mapping version 2.1");
  info.outlineCallsite = callsite;
}

function readRewriteFrame(r: Reader, id: string, obj: JsonObject): void {
  const info = rangeInfo(r, id);
  const conditions = obj["conditions"];
  const actions = obj["actions"];
  if (!Array.isArray(conditions) || !Array.isArray(actions)) return fail(r, "rewriteFrame needs 'conditions' and 'actions' arrays");
  const rule: RewriteFrame = { throws: [], removeInnerFrames: 0 };
  for (const c of conditions) {
    const m = typeof c === "string" ? THROWS.exec(c) : null;
    if (!m) return fail(r, `unknown rewriteFrame condition ${JSON.stringify(c)}`);
    rule.throws.push(m[1]!);
  }
  for (const a of actions) {
    const m = typeof a === "string" ? REMOVE_INNER.exec(a) : null;
    if (!m) return fail(r, `unknown rewriteFrame action ${JSON.stringify(a)}`);
    rule.removeInnerFrames += Number(m[1]);
  }
  info.rewriteFrames.push(rule);
}
