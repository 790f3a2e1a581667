/*
 * The reference side of bench/throughput: ASM rewriting every class of a jar with
 * frames computed from scratch, the usual way a JVM tool regenerates frames after a
 * transformation.
 *
 * For each class: ClassReader -> a pass-through ClassVisitor -> a ClassWriter
 * built with COMPUTE_FRAMES and without the reader (so no method is copied as
 * bytes: every instruction is decoded and encoded again and every method's
 * StackMapTable and max_stack/max_locals are recomputed). COMPUTE_FRAMES merges
 * reference types with getCommonSuperClass, which ASM answers by loading classes
 * (Class.forName, not initialised) from this thread's class loader: the input jar
 * must be on the classpath, and its manifest Class-Path brings its dependencies.
 * A merge that still cannot load a class (a dependency not installed) answers
 * java/lang/Object and is counted, so one missing library does not stop the run;
 * the count is printed. Other entries are copied; the jar is written with
 * java.util.zip (deflate level 6, as megasplit's). One line on stdout:
 *
 *   java -cp /usr/share/java/asm.jar:<classes>:<in.jar> AsmFramesRoundTrip <in.jar> <out.jar>
 *   classes 4697 methods 41234 fallbacks 0 ms 2345
 */
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

public final class AsmFramesRoundTrip {
  static int fallbacks;
  static int methods;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: AsmFramesRoundTrip <in.jar> <out.jar>");
      System.exit(2);
    }
    long start = System.nanoTime();
    int classes = roundTrip(Path.of(args[0]), Path.of(args[1]));
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("classes " + classes + " methods " + methods + " fallbacks " + fallbacks + " ms " + ms);
  }

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
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected String getCommonSuperClass(String a, String b) {
            try {
              return super.getCommonSuperClass(a, b);
            } catch (RuntimeException | LinkageError missing) {
              fallbacks++;
              return "java/lang/Object";
            }
          }
        };
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            methods++;
            return super.visitMethod(access, name, descriptor, signature, exceptions);
          }
        },
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }
}
