/**
 * The parsed form of an R8 mapping file (format version 2.2, r8 `doc/retrace.md`;
 * member-line grammar of ProGuard's `-printmapping`): plain data, one object per
 * class line, one {@link MappedRange} per method line in file order, with the JSON
 * metadata of the comment lines attached to the class or range they follow.
 *
 * Line numbers: a method line `a:b:R m(A):c:d -> n` says residual lines a..b of
 * method `n` come from original lines c..d of `m`; `:c` alone (a "cardinal" range)
 * says every residual line maps to c — the form inlined callers and single-line
 * mappings use; no original range means the residual lines are the original ones;
 * no residual range means the method carries no line information in the mapping.
 */

export interface LineRange {
  from: number;
  to: number;
}

export interface OriginalRange extends LineRange {
  /** Written as one number (`:c`): every residual line maps to `from`. */
  cardinal: boolean;
}

/** `com.android.tools.r8.outlineCallsite`: outline position -> position in this method. */
export interface OutlineCallsite {
  positions: Map<number, number>;
  /** The outline called here (`Lpkg/Cls;name(I)I`, required from version 2.1). */
  outline?: string;
}

/** `com.android.tools.r8.rewriteFrame`: only `throws(desc)` conditions and `removeInnerFrames(n)` actions exist. */
export interface RewriteFrame {
  /** Exception descriptors, all of which must match (`Ljava/lang/NullPointerException;`). */
  throws: string[];
  removeInnerFrames: number;
}

/** Metadata attached to one method line. */
export interface RangeInfo {
  synthesized: boolean;
  outline: boolean;
  outlineCallsite?: OutlineCallsite;
  rewriteFrames: RewriteFrame[];
  /** `com.android.tools.r8.residualsignature`: the residual method's JVM descriptor. */
  residualSignature?: string;
}

export interface MappedRange {
  /** Residual (minified) lines; absent: no line information. */
  minified?: LineRange;
  /** Absent: the residual lines are the original lines. */
  original?: OriginalRange;
  /** The original holder when the line names one (`other.Cls.m()`, an inlined or moved method). */
  holder?: string;
  returnType: string;
  name: string;
  /** Argument types in Java spelling, `int[]`, `java.lang.String`. */
  args: string[];
  /** The method's name in the residual program, as stack traces show it. */
  residualName: string;
  info: RangeInfo;
  /** 1-based line in the mapping file, for diagnostics. */
  line: number;
}

export interface FieldMapping {
  type: string;
  name: string;
  residualName: string;
  synthesized: boolean;
}

export interface ClassMapping {
  /** Original class name, dotted. */
  originalName: string;
  /** Class name in the residual program, dotted, as stack traces show it. */
  residualName: string;
  sourceFile?: string;
  synthesized: boolean;
  methods: MappedRange[];
  fields: FieldMapping[];
  line: number;
}

export interface MappingFile {
  /** The name it was read from, for diagnostics. */
  source: string;
  /** The last `com.android.tools.r8.mapping` version seen ("none" without one). */
  version: string;
  classes: ClassMapping[];
}

/** The residual line `line` of range `r` as an original line (R8's MappedRange semantics). */
export function originalLineOf(r: MappedRange, line: number): number {
  const o = r.original;
  if (o === undefined) return line;
  if (o.cardinal || o.from === o.to) return o.from;
  if (r.minified === undefined) return line;
  return o.from + (line - r.minified.from);
}
