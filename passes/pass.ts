/**
 * The one shape every pass has (Binaryen's `Pass`, one per file): a name, a
 * one-line description, `run` over one method body, and `format`, which renders the
 * result as text for filetests (`test/filetests/<name>/*.j`) and for
 * `megasplit disasm --frames`-style output. The registry (`registry.ts`) is the
 * only list of passes.
 *
 * Analyses return side tables (see `cfg.ts`); transforms return a new body and
 * leave the input untouched. Everything a pass may need about the method's
 * surroundings is in the context: the class, its constant pool, the method's
 * descriptor and flags, the class hierarchy, and a sink for diagnostics.
 */
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import type { ClassFile, MethodInfo } from "../src/classfile/model.js";
import type { MethodBody } from "../src/bytecode/model.js";
import type { Diagnostic, Location } from "../src/diagnostics.js";

/**
 * What passes need of the class hierarchy (JVMS 4.10.1.2 assignability and the
 * verifier's merge); `src/hierarchy/hierarchy.ts` implements it with a cache.
 */
export interface ClassHierarchy {
  isAssignable(to: string, from: string): boolean;
  commonSuperClass(a: string, b: string): string;
  /**
   * The missing class `commonSuperClass(a, b)` went past, when it had to guess
   * (src/hierarchy/hierarchy.ts). A guessed merge must answer java/lang/Object (or an
   * array of it): that is the type src/split/merge-watch.ts looks for at the uses.
   */
  mergeGuessedPast?(a: string, b: string): string | undefined;
  /** Names no source had, when the hierarchy records them (empty: no merge can have guessed). */
  readonly missing?: ReadonlySet<string>;
  /** What the hierarchy knows of a class, when it loads classes: whether it is an interface. */
  info?(name: string): { readonly isInterface: boolean } | undefined;
}

export interface PassContext {
  readonly classFile: ClassFile;
  readonly method: MethodInfo;
  readonly cp: ConstantPool;
  /** Internal name of the class being transformed. */
  readonly className: string;
  readonly methodName: string;
  readonly descriptor: string;
  /** Resolves super classes for frame merging; absent in tests that need none. */
  readonly hierarchy?: ClassHierarchy;
  readonly where: Location;
  readonly diagnostics: Diagnostic[];
  /** Settings of a pass run from text (a filetest's `; options:` line, e.g. `max-size=64`). */
  readonly options?: Readonly<Record<string, string>>;
}

export interface Pass<R = unknown> {
  readonly name: string;
  readonly description: string;
  run(body: MethodBody, ctx: PassContext): R;
  /** Deterministic text of a result, for filetests and the CLI. */
  format(result: R, body: MethodBody, ctx: PassContext): string;
}

/** Builds a context for one method of a class. */
export function methodContext(
  classFile: ClassFile,
  method: MethodInfo,
  extra: { hierarchy?: ClassHierarchy; where?: Location; diagnostics?: Diagnostic[]; options?: Readonly<Record<string, string>> } = {},
): PassContext {
  const cp = classFile.constantPool;
  const className = cp.className(classFile.thisClass);
  const methodName = cp.utf8(method.nameIndex);
  const descriptor = cp.utf8(method.descriptorIndex);
  return {
    classFile,
    method,
    cp,
    className,
    methodName,
    descriptor,
    ...(extra.hierarchy ? { hierarchy: extra.hierarchy } : {}),
    where: { ...extra.where, className, method: methodName + descriptor },
    diagnostics: extra.diagnostics ?? [],
    ...(extra.options ? { options: extra.options } : {}),
  };
}
