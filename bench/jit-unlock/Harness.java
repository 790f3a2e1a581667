/*
 * The timing side of bench/jit-unlock, shared by every workload. A workload is a
 * class with a public no-argument constructor implementing LongUnaryOperator:
 * `applyAsLong(i)` does one unit of work (one "op": an interpreter call of many
 * steps, a batch of calls into compiled JavaScript, ...) whose result depends only
 * on i. The harness
 *
 *   1. runs ops 0..whole-1 from a cold start and records the "whole run": wall time
 *      since the JVM started (RuntimeMXBean uptime: start-up, class loading,
 *      interpretation, JIT compilation and the work itself), the process CPU time
 *      (all threads, so JIT compiler threads and GC included) and HotSpot's own
 *      total compilation time;
 *   2. keeps calling ops (i mod whole) for at least warm-seconds and at least
 *      2 x whole ops, and until the JIT has been quiet for a second (the process's other threads used less
 *      than a tenth of this thread's CPU time; at most 20 x warm-seconds, then the line ends
 *      with "warm-up-capped"), checking every
 *      result against the one from step 1 (the output must not change as code
 *      gets compiled);
 *   3. times calls for time-seconds in slices of a tenth of that, each slice's
 *      figure being CPU time of this thread per op (a shared machine steals wall
 *      time, not thread CPU time), and prints the median slice: the steady state.
 *
 *   java -cp harness:classes Harness <workload-class> <whole-ops> <warm-s> <time-s>
 *   checksum 6b1f0c2a9d3e4f51 whole-wall-ms 1234 whole-cpu-ms 2100 whole-jit-ms 800 steady-ns/op 51234.0 steady-wall-ns/op 52001.3 ops 312 jit-ms 1300 warm-s 3.4
 *
 * The checksum folds the results of ops 0..whole-1, so runs of the same workload
 * in any configuration must print the same one. The line goes to stderr: HotSpot's
 * own diagnostics (-XX:+PrintCompilation) write to stdout from other threads.
 */
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

public final class Harness {
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: Harness <workload-class> <whole-ops> <warm-seconds> <time-seconds>");
      System.exit(2);
    }
    LongUnaryOperator op = (LongUnaryOperator) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    int whole = Integer.parseInt(args[1]);
    double warm = Double.parseDouble(args[2]);
    double time = Double.parseDouble(args[3]);

    long[] expect = new long[whole];
    for (int i = 0; i < whole; i++) expect[i] = op.applyAsLong(i);
    long wholeWallMs = ManagementFactory.getRuntimeMXBean().getUptime();
    long wholeCpuMs = processCpuNanos() / 1_000_000;
    long wholeJitMs = jitMillis();
    long checksum = 17;
    for (long e : expect) checksum = checksum * 0x9E3779B97F4A7C15L + e;

    // Warm up for at least warm-seconds and until the JIT has been quiet for a
    // second, at most 20 x warm-seconds. "Quiet": in that second the process's
    // other threads (compiler threads, GC) used less than a tenth of the CPU time
    // this thread did (relative, because on a loaded machine a busy compiler thread
    // may get only a few percent of a core). HotSpot's total compilation time is no
    // guide: it only grows when a compile finishes, and on a loaded machine C2 can
    // work on a 60 KB method for tens of seconds.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long i = 0;
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (warm * 1e9);
    long cap = t0 + (long) (20 * warm * 1e9);
    long windowStart = t0;
    long windowSelf = threads.getCurrentThreadCpuTime();
    long windowOthers = processCpuNanos() - windowSelf;
    boolean quiet = false;
    boolean capped = false;
    // A quiet JIT is not a finished one: a caller whose own tier-4 compile has
    // not been *requested* yet leaves the compiler threads idle. Rhino's
    // RhinoBig.applyAsLong (200 calls of f an op) reaches HotSpot's tier-4
    // back-edge threshold only after ~350 ops, and its C2 code halves the speed
    // of the unsplit f (docs/design/jit-speed.md, "bench/jit-unlock's Rhino
    // workload"); a time-only warm-up on a loaded machine measured before it.
    long minWarmOps = 2L * whole;
    for (;;) {
      check(op, i % whole, expect);
      i++;
      long t = System.nanoTime();
      if (t - windowStart >= 1_000_000_000L) {
        long self = threads.getCurrentThreadCpuTime();
        long others = processCpuNanos() - self;
        quiet = others - windowOthers < (self - windowSelf) / 10;
        windowStart = t;
        windowSelf = self;
        windowOthers = others;
      }
      if (t >= deadline && quiet && i >= minWarmOps) break;
      if (t >= cap) {
        capped = true;
        break;
      }
    }
    double warmed = (System.nanoTime() - t0) / 1e9;

    int slices = 10;
    long sliceNanos = (long) (time * 1e9 / slices);
    double[] cpuPerOp = new double[slices];
    double[] wallPerOp = new double[slices];
    long ops = 0;
    for (int s = 0; s < slices; s++) {
      long n = 0;
      long cpu0 = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      long end;
      do {
        check(op, i % whole, expect);
        i++;
        n++;
        end = System.nanoTime();
      } while (end - start < sliceNanos);
      cpuPerOp[s] = (threads.getCurrentThreadCpuTime() - cpu0) / (double) n;
      wallPerOp[s] = (end - start) / (double) n;
      ops += n;
    }
    System.err.printf("checksum %016x whole-wall-ms %d whole-cpu-ms %d whole-jit-ms %d steady-ns/op %.1f steady-wall-ns/op %.1f ops %d jit-ms %d warm-s %.1f%s%n",
        checksum, wholeWallMs, wholeCpuMs, wholeJitMs, median(cpuPerOp), median(wallPerOp), ops, jitMillis(), warmed,
        capped ? " warm-up-capped" : "");
  }

  static void check(LongUnaryOperator op, long i, long[] expect) {
    long got = op.applyAsLong(i);
    if (got != expect[(int) i]) {
      throw new AssertionError("op " + i + ": " + Long.toHexString(got) + " != " + Long.toHexString(expect[(int) i]));
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  static long jitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }
}
