/**
 * A random program as class-file bytes: its text (emit-class.ts) assembled with
 * our assembler, then, for class versions that carry one, a StackMapTable
 * computed by our frame pass (passes/stackmap.ts) over a hierarchy of the
 * program's own class and the JDK. The JVM verifier checks those frames when the
 * unsplit program runs under -Xverify:all, so a wrong frame shows as a failure of
 * the original, never as a split mismatch.
 */
import type { ClassFile } from "../../../src/classfile/model.js";
import { writeClass } from "../../../src/classfile/write.js";
import { CachedClassHierarchy, type ClassSource } from "../../../src/hierarchy/hierarchy.js";
import { javaHomeFromPath, jdkSource, mapSource } from "../../../src/hierarchy/sources.js";
import { assemble } from "../../../src/text/assemble.js";
import { recomputeClassFrames } from "../../../passes/stackmap.js";
import { CLASS_NAME, programText } from "./emit-class.js";
import type { Program } from "./model.js";


let jdk: Promise<ClassSource | undefined> | undefined;

function jdkClasses(): Promise<ClassSource | undefined> {
  const home = javaHomeFromPath();
  if (!home) throw new Error("no JDK found (javac on PATH or JAVA_HOME)");
  jdk ??= jdkSource(home, []);
  return jdk;
}

export interface BuiltProgram {
  text: string;
  /** Internal class name -> class file bytes. */
  classes: Map<string, Uint8Array>;
}

export async function buildProgram(p: Program): Promise<BuiltProgram> {
  const text = programText(p);
  const [cf] = assemble(text, { fileName: `program-${p.seed}.j` }) as [ClassFile];
  let out = cf;
  if (p.frames) {
    const jdkSrc = await jdkClasses();
    const hierarchy = new CachedClassHierarchy([mapSource(new Map([[CLASS_NAME, cf]])), ...(jdkSrc ? [jdkSrc] : [])], []);
    out = recomputeClassFrames(cf, hierarchy, { strict: true });
  }
  return { text, classes: new Map([[CLASS_NAME, writeClass(out)]]) };
}
