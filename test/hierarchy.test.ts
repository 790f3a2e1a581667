/**
 * The class hierarchy: verifier assignability (JVMS 4.10.1.2) and merges over the
 * JDK (read from lib/modules), a Debian jar on the classpath and bundle classes
 * built in the test; missing classes and their fallback; caching; the
 * class-header reader against the full reader; and superclass chains against the
 * JVM's own reflection as the oracle.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isClassEntry } from "../src/bundle/bundle.js";
import { readBundle } from "../src/bundle/read.js";
import { ConstantPool } from "../src/classfile/constant-pool.js";
import { Access, type ClassFile } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { classInfoOf, readClassHeader } from "../src/hierarchy/class-header.js";
import { CachedClassHierarchy, createClassHierarchy, javaHomeFromPath, type LoadedClassHierarchy } from "../src/hierarchy/hierarchy.js";
import { jdkSource, mapSource, type ClassSource } from "../src/hierarchy/sources.js";
import { corpusJar, extractModule, javaHome, jdkTool, moduleClassFiles } from "./support/corpus.js";

function classModel(name: string, superName: string | undefined, interfaces: string[] = [], flags = Access.PUBLIC | Access.SUPER): ClassFile {
  const cp = new ConstantPool();
  const thisClass = cp.addClass(name);
  const superClass = superName === undefined ? 0 : cp.addClass(superName);
  const ifaces = interfaces.map((i) => cp.addClass(i));
  return { minorVersion: 0, majorVersion: 52, constantPool: cp, accessFlags: flags, thisClass, superClass, interfaces: ifaces, fields: [], methods: [], attributes: [] };
}
const classBytes = (...args: Parameters<typeof classModel>) => writeClass(classModel(...args));

let jdk: LoadedClassHierarchy;
let rhino: LoadedClassHierarchy;
beforeAll(async () => {
  jdk = await createClassHierarchy({ javaHome: javaHome() });
  rhino = await createClassHierarchy({ classpath: [corpusJar("rhino")], javaHome: javaHome() });
});
afterAll(() => {
  jdk.close();
  rhino.close();
});

describe("JDK classes", () => {
  it("reads class facts from lib/modules", () => {
    expect(jdk.info("java/lang/Object")).toEqual({ name: "java/lang/Object", superName: undefined, interfaces: [], isInterface: false });
    expect(jdk.info("java/lang/Integer")).toEqual({ name: "java/lang/Integer", superName: "java/lang/Number", interfaces: ["java/lang/Comparable", "java/lang/constant/Constable", "java/lang/constant/ConstantDesc"], isInterface: false });
    expect(jdk.info("java/lang/Runnable")?.isInterface).toBe(true);
    expect(jdk.info("javax/swing/JFrame")?.superName).toBe("java/awt/Frame");
    expect(jdk.info("[I")).toBeUndefined();
    expect(jdk.diagnostics).toEqual([]);
  });

  it.each([
    ["java/lang/Integer", "java/lang/Long", "java/lang/Number"],
    ["java/util/ArrayList", "java/util/LinkedList", "java/util/AbstractList"],
    ["java/util/HashMap", "java/util/TreeMap", "java/util/AbstractMap"],
    ["java/io/FileNotFoundException", "java/io/EOFException", "java/io/IOException"],
    ["java/io/IOException", "java/lang/IllegalStateException", "java/lang/Exception"],
    ["java/lang/NullPointerException", "java/lang/Error", "java/lang/Throwable"],
    ["java/util/ArrayList", "java/util/AbstractList", "java/util/AbstractList"],
    ["java/lang/String", "java/lang/Runnable", "java/lang/Object"],
    ["java/util/List", "java/util/Collection", "java/lang/Object"],
    ["java/lang/String", "java/lang/String", "java/lang/String"],
    ["java/lang/Runnable", "java/lang/Runnable", "java/lang/Runnable"],
    ["java/lang/String", "java/lang/Object", "java/lang/Object"],
    ["javax/swing/JFrame", "javax/swing/JDialog", "java/awt/Window"],
  ])("merge %s + %s = %s", (a, b, expected) => {
    expect(jdk.commonSuperClass(a, b)).toBe(expected);
    expect(jdk.commonSuperClass(b, a)).toBe(expected);
    expect(jdk.isAssignable(expected, a)).toBe(true);
    expect(jdk.isAssignable(expected, b)).toBe(true);
  });

  it.each([
    ["[Ljava/lang/String;", "[Ljava/lang/Integer;", "[Ljava/lang/Object;"],
    ["[Ljava/lang/Integer;", "[Ljava/lang/Long;", "[Ljava/lang/Number;"],
    ["[[Ljava/lang/Integer;", "[[Ljava/lang/Long;", "[[Ljava/lang/Number;"],
    ["[Ljava/util/ArrayList;", "[Ljava/util/LinkedList;", "[Ljava/util/AbstractList;"],
    ["[Ljava/lang/String;", "[Ljava/lang/Runnable;", "[Ljava/lang/Object;"],
    ["[I", "[I", "[I"],
    ["[I", "[J", "java/lang/Object"],
    ["[I", "[Ljava/lang/Object;", "java/lang/Object"],
    ["[[I", "[[J", "[Ljava/lang/Object;"],
    ["[[I", "[Ljava/lang/String;", "[Ljava/lang/Object;"],
    ["[[I", "[I", "java/lang/Object"],
    ["[Ljava/lang/String;", "java/lang/String", "java/lang/Object"],
    ["[I", "java/io/Serializable", "java/lang/Object"],
  ])("array merge %s + %s = %s", (a, b, expected) => {
    expect(jdk.commonSuperClass(a, b)).toBe(expected);
    expect(jdk.commonSuperClass(b, a)).toBe(expected);
    expect(jdk.isAssignable(expected, a)).toBe(true);
    expect(jdk.isAssignable(expected, b)).toBe(true);
  });

  it.each([
    ["java/lang/Number", "java/lang/Integer", true],
    ["java/lang/Integer", "java/lang/Number", false],
    ["java/lang/Integer", "java/lang/Long", false],
    // Interfaces are Object to the verifier: any class is assignable to one.
    ["java/lang/Runnable", "java/lang/String", true],
    ["java/util/List", "java/lang/Object", true],
    ["java/lang/Object", "java/lang/Runnable", true],
    ["java/lang/String", "java/lang/Runnable", false],
    // Arrays: to Object, Cloneable and Serializable only; covariant for references.
    ["java/lang/Object", "[I", true],
    ["java/lang/Cloneable", "[I", true],
    ["java/io/Serializable", "[[Ljava/lang/String;", true],
    ["java/lang/Runnable", "[I", false],
    ["java/lang/String", "[Ljava/lang/String;", false],
    ["[Ljava/lang/String;", "java/lang/String", false],
    ["[Ljava/lang/Object;", "[Ljava/lang/String;", true],
    ["[Ljava/lang/String;", "[Ljava/lang/Object;", false],
    ["[Ljava/lang/Object;", "[I", false],
    ["[Ljava/lang/Object;", "[[I", true],
    ["[Ljava/lang/Runnable;", "[Ljava/lang/String;", true],
    ["[Ljava/lang/Cloneable;", "[[I", true],
    ["[J", "[I", false],
    ["[I", "[I", true],
  ])("isAssignable(to %s, from %s) = %s", (to, from, expected) => {
    expect(jdk.isAssignable(to, from)).toBe(expected);
  });

  it("has nothing missing after all that", () => {
    expect([...jdk.missing]).toEqual([]);
  });
});

describe("classpath and bundle", () => {
  it("merges classes of a corpus jar (rhino) through to the JDK", () => {
    expect(rhino.commonSuperClass("org/mozilla/javascript/NativeArray", "org/mozilla/javascript/NativeObject")).toBe("org/mozilla/javascript/IdScriptableObject");
    expect(rhino.commonSuperClass("org/mozilla/javascript/NativeFunction", "org/mozilla/javascript/NativeArray")).toBe("org/mozilla/javascript/IdScriptableObject");
    expect(rhino.commonSuperClass("org/mozilla/javascript/EcmaError", "java/lang/IllegalStateException")).toBe("java/lang/RuntimeException");
    expect(rhino.isAssignable("java/util/List", "org/mozilla/javascript/NativeArray")).toBe(true);
    expect(rhino.isAssignable("org/mozilla/javascript/ScriptableObject", "org/mozilla/javascript/NativeArray")).toBe(true);
    expect(rhino.info("org/mozilla/javascript/Scriptable")?.isInterface).toBe(true);
    expect([...rhino.missing]).toEqual([]);
  });

  it("lets bundle classes override the classpath and the JDK, as bytes or parsed", async () => {
    const bundleClasses = new Map<string, Uint8Array | ClassFile>([
      // Pretend NativeObject was rewritten to extend HashMap.
      ["org/mozilla/javascript/NativeObject", classBytes("org/mozilla/javascript/NativeObject", "java/util/HashMap")],
      ["p/MyList", classModel("p/MyList", "java/util/ArrayList")],
      ["p/Sub", classBytes("p/Sub", "p/MyList")],
    ]);
    const h = await createClassHierarchy({ bundleClasses, classpath: [corpusJar("rhino")], javaHome: javaHome() });
    try {
      expect(h.info("org/mozilla/javascript/NativeObject")?.superName).toBe("java/util/HashMap");
      expect(h.commonSuperClass("org/mozilla/javascript/NativeObject", "java/util/TreeMap")).toBe("java/util/AbstractMap");
      expect(h.commonSuperClass("org/mozilla/javascript/NativeObject", "org/mozilla/javascript/NativeArray")).toBe("java/lang/Object");
      expect(h.commonSuperClass("p/Sub", "java/util/LinkedList")).toBe("java/util/AbstractList");
      expect(h.commonSuperClass("p/Sub", "p/MyList")).toBe("p/MyList");
      expect(h.isAssignable("java/util/ArrayList", "p/Sub")).toBe(true);
      expect([...h.missing]).toEqual([]);
    } finally {
      h.close();
    }
  });

  it("records missing classes and treats them as direct subclasses of Object", async () => {
    const bundleClasses = new Map([["p/Child", classBytes("p/Child", "com/example/Missing")]]);
    const h = await createClassHierarchy({ bundleClasses, javaHome: javaHome() });
    try {
      expect(h.info("com/example/Missing")).toBeUndefined();
      expect(h.commonSuperClass("com/example/Missing", "java/lang/Integer")).toBe("java/lang/Object");
      // A known subclass still links to the missing class by name.
      expect(h.commonSuperClass("p/Child", "com/example/Missing")).toBe("com/example/Missing");
      expect(h.commonSuperClass("p/Child", "java/lang/String")).toBe("java/lang/Object");
      expect(h.isAssignable("com/example/Missing", "p/Child")).toBe(true);
      expect(h.isAssignable("com/example/Missing", "java/lang/Integer")).toBe(false);
      expect(h.isAssignable("java/lang/Object", "com/example/Other")).toBe(true);
      expect(h.isAssignable("java/lang/Number", "com/example/Other")).toBe(false);
      expect([...h.missing].sort()).toEqual(["com/example/Missing", "com/example/Other"]);
      // Each one is a diagnostic naming it and the fallback.
      const ds = h.missingDiagnostics();
      expect(ds.map((d) => [d.code, d.location.className])).toEqual([
        ["W_CLASS_MISSING", "com/example/Missing"],
        ["W_CLASS_MISSING", "com/example/Other"],
      ]);
      expect(ds[0]!.message).toContain("direct subclass of java/lang/Object");
    } finally {
      h.close();
    }
  });

  it("names the missing class a merge guessed past, and none for an exact merge", async () => {
    const bundleClasses = new Map([
      ["p/Child", classBytes("p/Child", "com/example/Missing")],
      ["p/Other", classBytes("p/Other", "java/lang/Number")],
    ]);
    const h = await createClassHierarchy({ bundleClasses, javaHome: javaHome() });
    try {
      // Exact: identical, Object, a known chain that reaches the missing class, known classes only.
      expect(h.mergeGuessedPast("com/example/Missing", "com/example/Missing")).toBeUndefined();
      expect(h.mergeGuessedPast("p/Child", "java/lang/Object")).toBeUndefined();
      expect(h.mergeGuessedPast("p/Child", "com/example/Missing")).toBeUndefined();
      expect(h.mergeGuessedPast("p/Other", "java/lang/Integer")).toBeUndefined();
      // A known interface merges to Object whatever the other class is.
      expect(h.mergeGuessedPast("com/example/Missing", "java/lang/Runnable")).toBeUndefined();
      // Guessed: the answer lies above a missing class, on either side, also inside arrays.
      expect(h.commonSuperClass("p/Child", "java/lang/Integer")).toBe("java/lang/Object");
      expect(h.mergeGuessedPast("p/Child", "java/lang/Integer")).toBe("com/example/Missing");
      expect(h.mergeGuessedPast("java/lang/Integer", "com/example/Missing")).toBe("com/example/Missing");
      expect(h.mergeGuessedPast("com/example/Other", "com/example/Missing")).toBe("com/example/Missing");
      // Asked again (the cache), in either order: the same answer.
      expect(h.mergeGuessedPast("com/example/Missing", "com/example/Other")).toBe("com/example/Missing");
      expect(h.mergeGuessedPast("p/Child", "java/lang/Integer")).toBe("com/example/Missing");
      expect(h.mergeGuessedPast("[Lp/Child;", "[Ljava/lang/Integer;")).toBe("com/example/Missing");
      expect(h.mergeGuessedPast("[Lp/Child;", "[I")).toBeUndefined();
    } finally {
      h.close();
    }
  });

  it("reports unreadable classpath elements and corrupt classes as diagnostics and keeps going", async () => {
    const dir = mkdtempSync(join(tmpdir(), "megasplit-hier-"));
    const bad = join(dir, "Bad.class");
    writeFileSync(bad, Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 9]));
    const bundleClasses = new Map([
      ["p/Broken", new Uint8Array([1, 2, 3, 4])],
      ["p/Liar", classBytes("p/Other", "java/lang/Object")],
    ]);
    const h = await createClassHierarchy({ bundleClasses, classpath: [join(dir, "nope.jar"), bad, corpusJar("rhino")], javaHome: javaHome() });
    try {
      expect(h.info("p/Broken")).toBeUndefined();
      expect(h.info("p/Liar")).toBeUndefined();
      expect(h.commonSuperClass("org/mozilla/javascript/NativeArray", "org/mozilla/javascript/NativeObject")).toBe("org/mozilla/javascript/IdScriptableObject");
      const codes = h.diagnostics.map((d) => d.code);
      expect(codes).toContain("E_IO"); // nope.jar, and p/Liar declaring another name
      expect(codes).toContain("E_TRUNCATED"); // Bad.class
      expect(codes).toContain("E_BAD_MAGIC"); // p/Broken
      expect([...h.missing].sort()).toEqual(["p/Broken", "p/Liar"]);
    } finally {
      h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without a JDK, JDK classes are missing", async () => {
    const h = await createClassHierarchy({ javaHome: false });
    expect(h.commonSuperClass("java/lang/Integer", "java/lang/Long")).toBe("java/lang/Object");
    expect([...h.missing].sort()).toEqual(["java/lang/Integer", "java/lang/Long"]);
  });

  it("finds the JDK from PATH like the test corpus does", () => {
    expect(javaHomeFromPath()).toBe(javaHome());
  });
});

describe("cost", () => {
  it("answers 100k questions from the cache without asking the sources again", async () => {
    const jdkClasses = (await jdkSource(javaHome(), []))!;
    let lookups = 0;
    const counting: ClassSource = { name: "counting", lookup: (n) => (lookups++, jdkClasses.lookup(n)) };
    const h = new CachedClassHierarchy([mapSource(new Map()), counting]);
    const names = ["java/lang/Integer", "java/lang/Long", "java/util/ArrayList", "java/util/LinkedList", "java/util/HashMap", "java/util/TreeMap", "java/io/IOException", "java/lang/String", "java/lang/Runnable", "[Ljava/lang/Integer;", "[Ljava/lang/Long;", "javax/swing/JFrame"];
    for (const a of names) for (const b of names) h.commonSuperClass(a, b);
    const warm = lookups;
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; n < 100_000; i++) {
      const a = names[i % names.length]!;
      const b = names[(i * 7 + 3) % names.length]!;
      h.commonSuperClass(a, b);
      h.isAssignable(a, b);
      n += 2;
    }
    const ms = performance.now() - t0;
    jdkClasses.close?.();
    console.log(`hierarchy: ${n} cached questions in ${ms.toFixed(1)} ms; ${warm} source lookups to warm up`);
    expect(lookups).toBe(warm);
    expect(ms).toBeLessThan(2000); // a loose guard; typically a few tens of ms
  });
});

describe("class headers", () => {
  it("agree with the full reader on every class of rhino and a slice of java.base", async () => {
    const { bundle } = await readBundle(corpusJar("rhino"));
    const classes: Uint8Array[] = bundle.entries.filter(isClassEntry).map((e) => e.data);
    for (const f of moduleClassFiles("java.base").filter((_, i) => i % 10 === 0)) classes.push(new Uint8Array(readFileSync(f)));
    expect(classes.length).toBeGreaterThan(1000);
    for (const bytes of classes) expect(readClassHeader(bytes)).toEqual(classInfoOf(readClass(bytes)));
  });
});

describe("the JVM as oracle", () => {
  it("superclass chains match reflection for java.base and rhino classes", () => {
    const base = extractModule("java.base");
    const names = moduleClassFiles("java.base")
      .filter((_, i) => i % 5 === 0)
      .map((f) => relative(base, f).replace(/\.class$/, ""));
    const rhinoNames = ["org/mozilla/javascript/NativeArray", "org/mozilla/javascript/NativeObject", "org/mozilla/javascript/NativeFunction", "org/mozilla/javascript/EcmaError", "org/mozilla/javascript/Context"];
    const all = [...names, ...rhinoNames];
    const dir = mkdtempSync(join(tmpdir(), "megasplit-oracle-"));
    const src = join(dir, "Chains.java");
    writeFileSync(
      src,
      [
        "public class Chains {",
        "  public static void main(String[] a) throws Exception {",
        "    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));",
        "    StringBuilder out = new StringBuilder();",
        "    for (String n; (n = in.readLine()) != null; ) {",
        "      Class<?> c;",
        "      try { c = Class.forName(n.replace('/', '.'), false, Chains.class.getClassLoader()); } catch (Throwable t) { out.append(n).append(\" ?\\n\"); continue; }",
        "      out.append(n).append(c.isInterface() ? \" I\" : \" C\");",
        "      for (Class<?> s = c.getSuperclass(); s != null; s = s.getSuperclass()) out.append(' ').append(s.getName().replace('.', '/'));",
        "      out.append('\\n');",
        "    }",
        "    System.out.print(out);",
        "  }",
        "}",
      ].join("\n"),
    );
    let out: string;
    try {
      out = execFileSync(jdkTool("java"), ["-cp", corpusJar("rhino"), src], { input: all.join("\n") + "\n", encoding: "utf8", maxBuffer: 64 << 20 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    let compared = 0;
    for (const line of out.trim().split("\n")) {
      const [name, kind, ...supers] = line.split(" ");
      if (kind === "?") continue;
      const info = rhino.info(name!);
      expect(info?.isInterface, name).toBe(kind === "I");
      if (kind === "I") continue; // reflection reports no super class for interfaces; the class file says Object
      expect(rhino.superChain(name!), name).toEqual([name, ...supers]);
      compared++;
    }
    expect(compared).toBeGreaterThan(800);
  });
});
