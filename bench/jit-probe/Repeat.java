/**
 * jit-probe harness: runs `main(String[])` of a class `reps` times in one JVM and
 * prints, per repetition, the CPU time of the running thread (robust on a shared
 * machine: other processes and the JIT's own compiler threads are not counted)
 * and the wall-clock time. The first repetition includes warm-up and compilation
 * (the "whole run" figure); the median of the last half is the steady state.
 *
 *   java -cp bench/jit-probe/classes:<app> Repeat <class> <reps> [args...]
 *   rep 1 cpu-ms 812.3 wall-ms 901.2
 *   process cpu-ms 2400.1 uptime-ms 2600 jit-ms 350   (whole JVM: every thread; JIT compile time)
 */
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;

public final class Repeat {
  public static void main(String[] argv) throws Throwable {
    Class<?> c = Class.forName(argv[0]);
    int reps = Integer.parseInt(argv[1]);
    String[] rest = Arrays.copyOfRange(argv, 2, argv.length);
    Method m = c.getMethod("main", String[].class);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 1; i <= reps; i++) {
      long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
      m.invoke(null, (Object) rest);
      long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
      System.out.printf("rep %d cpu-ms %.1f wall-ms %.1f%n", i, (c1 - c0) / 1e6, (w1 - w0) / 1e6);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("process cpu-ms %.1f uptime-ms %d jit-ms %d%n", os.getProcessCpuTime() / 1e6,
        ManagementFactory.getRuntimeMXBean().getUptime(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
  }
}
