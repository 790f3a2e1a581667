/*
 * The independent count of unused constant-pool entries: for every class of a jar
 * (or every .class file named), ASM's ClassReader reads it and a fresh ClassWriter
 * (not given the reader, so it copies no pool) writes it again; the writer's pool
 * holds only what the class refers to (JVMS 4.4). Prints one line per class:
 *   <class name> <constant_pool_count of the input> <constant_pool_count rebuilt>
 * With --skip-debug the rewrite leaves out the debug attributes (ClassReader.SKIP_DEBUG:
 * line numbers, variable tables, source file), so entries only they name count as unused.
 *   java -cp asm.jar:<dir> PoolCount [--skip-debug] <jar or .class files>
 */
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

public final class PoolCount {
  private static int readFlags = 0;

  public static void main(String[] args) throws Exception {
    for (String path : args) {
      if (path.equals("--skip-debug")) {
        readFlags = ClassReader.SKIP_DEBUG;
        continue;
      }
      if (path.endsWith(".jar")) {
        try (ZipInputStream z = new ZipInputStream(new FileInputStream(path))) {
          for (ZipEntry e; (e = z.getNextEntry()) != null; ) if (e.getName().endsWith(".class")) count(z.readAllBytes());
        }
      } else count(Files.readAllBytes(Paths.get(path)));
    }
  }

  private static void count(byte[] bytes) {
    ClassReader in = new ClassReader(bytes);
    ClassWriter out = new ClassWriter(0);
    in.accept(out, readFlags);
    ClassReader rebuilt = new ClassReader(out.toByteArray());
    System.out.println(in.getClassName() + " " + in.getItemCount() + " " + rebuilt.getItemCount());
  }
}
