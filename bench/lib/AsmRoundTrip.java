/*
 * The reference side of bench/roundtrip and bench/throughput: ASM decoding and
 * re-encoding every method of a jar, the way a JVM tool rewrites classes.
 *
 * For each class: ClassReader -> a pass-through ClassVisitor -> a ClassWriter
 * built *without* the reader, so ASM cannot copy the constant pool or any method's
 * bytes: every instruction is decoded and encoded again. Two modes:
 *
 * - default (bench/roundtrip): COMPUTE_MAXS; max_stack/max_locals recomputed,
 *   StackMapTable frames re-encoded as read.
 * - `--frames` (bench/throughput): COMPUTE_FRAMES with the input's frames skipped,
 *   so every method's StackMapTable is computed from scratch, the usual way a tool
 *   regenerates frames after a transformation. COMPUTE_FRAMES merges reference
 *   types with getCommonSuperClass, which ASM answers by loading classes
 *   (Class.forName, not initialised) from this thread's class loader: the input
 *   jar must be on the classpath, and its manifest Class-Path brings its
 *   dependencies. A merge that still cannot load a class (a dependency not
 *   installed) answers java/lang/Object and is counted, so one missing library
 *   does not stop the run.
 *
 * Other entries are copied; the jar is written with java.util.zip (deflate level
 * 6, as megasplit's). Prints one line per iteration and the best, in milliseconds:
 *
 *   java -cp /usr/share/java/asm.jar:<classes>[:<in.jar>] AsmRoundTrip [--frames] <in.jar> <out.jar> [iterations]
 *   iteration 1: 812 ms (4697 classes, 41234 methods, 0 frame merges fell back to Object)
 *   best: 640 ms
 *
 * Iterations after the first show the JIT-warm cost. Uses Debian's ASM 9.4
 * (libasm-java), which reads class versions up to 64.
 */
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

public final class AsmRoundTrip {
  static boolean frames;
  static int fallbacks;
  static int methods;

  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    frames = rest.remove("--frames");
    if (rest.size() < 2 || rest.size() > 3) {
      System.err.println("usage: AsmRoundTrip [--frames] <in.jar> <out.jar> [iterations]");
      System.exit(2);
    }
    Path in = Path.of(rest.get(0));
    Path out = Path.of(rest.get(1));
    int iterations = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 1;
    long best = Long.MAX_VALUE;
    for (int i = 1; i <= iterations; i++) {
      methods = 0;
      fallbacks = 0;
      long start = System.nanoTime();
      int classes = roundTrip(in, out);
      long ms = (System.nanoTime() - start) / 1_000_000;
      best = Math.min(best, ms);
      System.out.println(
          "iteration " + i + ": " + ms + " ms (" + classes + " classes, " + methods + " methods"
              + (frames ? ", " + fallbacks + " frame merges fell back to Object" : "") + ")");
    }
    System.out.println("best: " + best + " ms");
  }

  /** Rewrites every class of {@code in} into {@code out}; returns the number of classes. */
  static int roundTrip(Path in, Path out) throws IOException {
    int classes = 0;
    try (ZipFile zip = new ZipFile(in.toFile());
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
        ZipOutputStream jar = new ZipOutputStream(file)) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        byte[] bytes;
        try (InputStream s = zip.getInputStream(entry)) {
          bytes = s.readAllBytes();
        }
        if (entry.getName().endsWith(".class") && !entry.isDirectory()) {
          bytes = rewrite(bytes);
          classes++;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        jar.putNextEntry(copy);
        jar.write(bytes);
        jar.closeEntry();
      }
    }
    return classes;
  }

  static byte[] rewrite(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    // No reader argument: nothing is copied from the input, every method is re-encoded.
    ClassWriter writer =
        frames
            ? new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
              @Override
              protected String getCommonSuperClass(String a, String b) {
                try {
                  return super.getCommonSuperClass(a, b);
                } catch (RuntimeException | LinkageError missing) {
                  fallbacks++;
                  return "java/lang/Object";
                }
              }
            }
            : new ClassWriter(ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            methods++;
            return super.visitMethod(access, name, descriptor, signature, exceptions);
          }
        },
        frames ? ClassReader.SKIP_FRAMES : 0);
    return writer.toByteArray();
  }
}
