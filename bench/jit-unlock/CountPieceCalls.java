/*
 * The profile side of bench/jit-unlock: how many times the split interpreter
 * calls its pieces per interpreter step. `instrument` copies a class with a call
 * to CountPieceCalls.hit(k) added at the start of every method whose name
 * contains "$split$" (megasplit's pieces; k numbers them in class-file order);
 * `run` then calls Interp.run(Interp.program(), steps) once on the instrumented
 * class and prints the calls per piece and per step. Uses Debian's ASM 9.4
 * (libasm-java); only max_stack is recomputed, frames are kept as written.
 *
 *   javac -cp /usr/share/java/asm.jar -d tools CountPieceCalls.java
 *   java -cp /usr/share/java/asm.jar:tools CountPieceCalls instrument split/Interp.class counted/Interp.class
 *   java -cp tools:counted CountPieceCalls run 1000000
 *   piece calls per step 0.853 (853012 calls in 1000000 steps; run$split$1 121044, ...)
 */
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

public final class CountPieceCalls {
  static final long[] HITS = new long[1024];
  static final List<String> NAMES = new ArrayList<>();

  public static void hit(int k) {
    HITS[k]++;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("instrument")) {
      instrument(Path.of(args[1]), Path.of(args[2]));
    } else if (args.length == 2 && args[0].equals("run")) {
      run(Integer.parseInt(args[1]));
    } else {
      System.err.println("usage: CountPieceCalls instrument <in.class> <out.class> | run <steps>");
      System.exit(2);
    }
  }

  static void instrument(Path in, Path out) throws Exception {
    ClassReader reader = new ClassReader(Files.readAllBytes(in));
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    int[] next = {0};
    List<String> names = new ArrayList<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (!name.contains("$split$")) return mv;
        int k = next[0]++;
        names.add(name);
        return new MethodVisitor(Opcodes.ASM9, mv) {
          @Override
          public void visitCode() {
            super.visitCode();
            super.visitIntInsn(Opcodes.SIPUSH, k);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "CountPieceCalls", "hit", "(I)V", false);
          }
        };
      }
    }, 0);
    Files.createDirectories(out.getParent());
    Files.write(out, writer.toByteArray());
    // The piece names, in the order of their numbers, for `run`.
    Files.write(out.resolveSibling("pieces.txt"), names);
  }

  static void run(int steps) throws Exception {
    Class<?> interp = Class.forName("Interp");
    Method program = interp.getDeclaredMethod("program");
    program.setAccessible(true);
    Method run = interp.getDeclaredMethod("run", int[].class, int.class);
    run.invoke(null, program.invoke(null), steps);
    List<String> names = Files.readAllLines(Path.of(interp.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("pieces.txt"));
    long total = 0;
    StringBuilder per = new StringBuilder();
    for (int k = 0; k < names.size(); k++) {
      total += HITS[k];
      per.append(k == 0 ? "" : ", ").append(names.get(k)).append(' ').append(HITS[k]);
    }
    System.out.printf("piece calls per step %.3f (%d calls in %d steps; %s)%n", total / (double) steps, total, steps, per);
  }
}
