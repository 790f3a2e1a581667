/*
 * AsmRewrite: a program that uses ASM's own classes the way bytecode tools do, for
 * test/split-run-programs.test.ts (issue #11 point 4: a split asm.jar must behave
 * as the original). For every class of a jar, in entry-name order, it
 *
 *   1. reads the class with ClassReader and writes it anew with
 *      ClassWriter(COMPUTE_FRAMES): stack map frames, max stack and max locals
 *      computed from scratch (JVMS 4.7.4), common super classes found through a
 *      loader over the jar;
 *   2. reads the written bytes again with EXPAND_FRAMES and prints them as text
 *      through TraceClassVisitor and Textifier (asm-util);
 *   3. runs ASM's data-flow analysis (asm-analysis: Analyzer with SimpleVerifier,
 *      which loads classes through the same loader) over every method of the
 *      written class and prints each method's frames as text.
 *
 * Output: one line per class, with the sizes read and written and SHA-256 digests
 * of the written bytes, of the Textifier text and of the analysis text (an
 * exception is printed by its toString only, never with a stack trace, whose
 * frames would name split pieces); then a summary line. The whole text of one
 * class is long, so the digests stand in for it: one differing byte changes them.
 *
 *   java -cp asm.jar:asm-tree.jar:asm-analysis.jar:asm-util.jar:<this> AsmRewrite <jar>
 */
import java.io.File;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceClassVisitor;

public final class AsmRewrite {
  /** Methods whose analysis ASM objected to (AnalyzerException or a class it could not load). */
  static int objections = 0;

  public static void main(String[] args) throws Exception {
    File file = new File(args[0]);
    int classes = 0;
    int failed = 0;
    long read = 0;
    long written = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {file.toURI().toURL()}, ClassLoader.getPlatformClassLoader());
        JarFile jar = new JarFile(file)) {
      List<String> names = jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/")).sorted().toList();
      for (String name : names) {
        byte[] in;
        try (InputStream s = jar.getInputStream(jar.getJarEntry(name))) {
          in = s.readAllBytes();
        }
        classes++;
        read += in.length;
        try {
          byte[] out = rewrite(in, loader);
          written += out.length;
          System.out.println(name + " " + in.length + "->" + out.length + " class " + sha256(out) + " text " + sha256(textOf(out)) + " frames " + sha256(framesOf(out, loader)));
        } catch (RuntimeException e) {
          failed++;
          System.out.println(name + " ! " + e);
        }
      }
    }
    System.out.println(classes + " classes, " + read + " bytes read, " + written + " bytes written, " + failed + " failed, " + objections + " methods the analysis objected to");
  }

  /** The class written anew by ClassWriter with every frame computed. */
  static byte[] rewrite(byte[] in, ClassLoader loader) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected ClassLoader getClassLoader() {
        return loader;
      }
    };
    new ClassReader(in).accept(writer, 0);
    return writer.toByteArray();
  }

  /** The class as Textifier prints it, frames expanded. */
  static String textOf(byte[] bytes) {
    StringWriter text = new StringWriter();
    new ClassReader(bytes).accept(new TraceClassVisitor(null, new Textifier(), new PrintWriter(text)), ClassReader.EXPAND_FRAMES);
    return text.toString();
  }

  /** Every method's frames as ASM's verifier computes them, or the message of its objection. */
  static String framesOf(byte[] bytes, ClassLoader loader) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG);
    Type superType = node.superName == null ? null : Type.getObjectType(node.superName);
    List<Type> interfaces = node.interfaces.stream().map(Type::getObjectType).toList();
    StringBuilder out = new StringBuilder();
    for (MethodNode method : node.methods) {
      out.append(method.name).append(method.desc).append('\n');
      SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(node.name), superType, interfaces, (node.access & Opcodes.ACC_INTERFACE) != 0);
      verifier.setClassLoader(loader);
      try {
        for (Frame<BasicValue> frame : new Analyzer<>(verifier).analyze(node.name, method)) out.append(frame).append('\n');
      } catch (AnalyzerException | RuntimeException e) {
        objections++;
        out.append("! ").append(e.getMessage()).append('\n');
      }
    }
    return out.toString();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
