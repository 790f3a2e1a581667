/**
 * Recognises the lines of a JVM stack trace as `Throwable.printStackTrace` and
 * `StackTraceElement.toString` (Java 9+) print them, and as log frameworks decorate
 * them:
 *
 *   java.lang.IllegalStateException: boom              first line (a dotted class name)
 *   Exception in thread "main" pkg.Ex: msg             uncaught, from the default handler
 *   \tat app//pkg.Cls.m(Cls.java:12) ~[app.jar:1.0]     frame: class-loader/module prefix,
 *   \tat java.base/java.lang.Thread.run(Thread.java)        file and line, Native Method,
 *   \tat pkg.Cls.n(Native Method)                            Unknown Source, jar suffix
 *   Caused by: pkg.Ex: msg                              cause
 *   \tSuppressed: pkg.Ex                                suppressed (tab-indented per level)
 *   \t... 3 more                                        frames in common with the enclosing trace
 *
 * Everything else is `other` and is left as it is. Each parse is one regular
 * expression match on the line; nothing is kept between lines.
 */

export interface FrameLine {
  kind: "frame";
  /** Whitespace (and anything before `at `) kept verbatim. */
  indent: string;
  /** `classloader/module@version/` prefix, kept verbatim (may be empty). */
  modulePrefix: string;
  className: string;
  methodName: string;
  /** File name as printed: `Foo.java`, `` (R8's `(:4)`), `SourceFile`, `Unknown Source`; undefined for `Native Method`. */
  file: string | undefined;
  native: boolean;
  line: number | undefined;
  /** Everything after the closing parenthesis (` ~[app.jar:1.0]`), kept verbatim. */
  suffix: string;
}

export interface ExceptionLine {
  kind: "exception";
  indent: string;
  /** `Caused by: `, `Suppressed: `, `Exception in thread "main" ` or empty. */
  intro: string;
  how: "first" | "cause" | "suppressed";
  className: string;
  /** `: message` or empty. */
  rest: string;
}

export interface MoreLine {
  kind: "more";
  indent: string;
  count: number;
  rest: string;
}

export type TraceLine = FrameLine | ExceptionLine | MoreLine | { kind: "other" };

const FRAME = /^(\s*(?:<OR>\s+)?at\s+)((?:[^\s/()]*\/)*)([^\s/()]+)\.([^\s.()]+)\(([^()]*)\)(.*)$/;
const CLASS = String.raw`[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*`;
const EXCEPTION = new RegExp(String.raw`^(\s*)(Caused by: |Suppressed: |Exception in thread "[^"]*" )?(${CLASS})(:.*)?$`);
const MORE = /^(\s*)\.\.\. (\d+) more(.*)$/;
const FILE_LINE = /^(.*):(\d+)$/;

export function parseTraceLine(line: string): TraceLine {
  const f = FRAME.exec(line);
  if (f) {
    const src = f[5]!;
    const frame: FrameLine = { kind: "frame", indent: f[1]!, modulePrefix: f[2]!, className: f[3]!, methodName: f[4]!, file: src, native: false, line: undefined, suffix: f[6]! };
    if (src === "Native Method") {
      frame.native = true;
      frame.file = undefined;
    } else {
      const fl = FILE_LINE.exec(src);
      if (fl) {
        frame.file = fl[1]!;
        frame.line = Number(fl[2]);
      }
    }
    return frame;
  }
  const m = MORE.exec(line);
  if (m) return { kind: "more", indent: m[1]!, count: Number(m[2]), rest: m[3]! };
  const e = EXCEPTION.exec(line);
  if (e) {
    const intro = e[2] ?? "";
    // A bare word is too common in logs to be read as an exception; a dotted class name is not.
    if (intro === "" && !e[3]!.includes(".")) return { kind: "other" };
    const how = intro === "Caused by: " ? "cause" : intro === "Suppressed: " ? "suppressed" : "first";
    return { kind: "exception", indent: e[1]!, intro, how, className: e[3]!, rest: e[4] ?? "" };
  }
  return { kind: "other" };
}

/** A frame line printed back, with the parts the retracer chose. */
export function formatFrame(f: FrameLine, className: string, method: string, file: string | undefined, line: number | undefined): string {
  const where = f.native ? "Native Method" : line === undefined ? (file ?? "") : `${file ?? ""}:${line}`;
  return `${f.indent}${f.modulePrefix}${className}.${method}(${where})${f.suffix}`;
}
