/*
 * jit-probe: the Harness's whole run alone. Loads a workload class (a
 * LongUnaryOperator, as bench/jit-unlock's), applies it to 0..n-1 in a fresh JVM
 * and prints the sum, the process CPU time (ms) and HotSpot's total compilation
 * time (ms), then exits: what a short-lived program pays, for reading with
 * -XX:+PrintCompilation or -XX:+LogCompilation (docs/design/jit-speed.md, "The key
 * hand-over's whole-run cost, found").
 *
 *   javac -d DIR WholeRun.java && java -cp DIR:CLASSES WholeRun Interp 400
 */
import java.lang.management.ManagementFactory;
import java.util.function.LongUnaryOperator;

public final class WholeRun {
  public static void main(String[] args) throws Exception {
    LongUnaryOperator op = (LongUnaryOperator) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    int n = Integer.parseInt(args[1]);
    long sum = 0;
    for (int i = 0; i < n; i++) sum += op.applyAsLong(i);
    long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    System.out.println(sum + " cpu " + cpuMs + " jit " + ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
  }
}
