/*
 * DiffRunner: runs many generated programs (test/support/random-program) in one
 * JVM, for the differential test (test/random-programs.test.ts) and the soak
 * (scripts/soak.ts). Each case is a directory of class files, loaded in a class
 * loader of its own (so every case has its own static state and <clinit>):
 * every class in it is first loaded and linked, which verifies it (run the JVM
 * with -Xverify:all), then rp.Prog.run(int) is called for each seed. One line
 * per case on stdout:
 *
 *   <case> <TAB> <seed>=<result or !<exception>> ... | LINK <class> <error>
 *
 * Usage: java -Xverify:all DiffRunner <list-file> <timeout-ms> <seed>...
 * where the list file has one `<case> <TAB> <directory>` per line. A case that
 * runs longer than the timeout prints `<case> <TAB> TIMEOUT` and ends the JVM
 * (its thread cannot be stopped); the caller runs the remaining cases again.
 */
import java.io.*;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class DiffRunner {
  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Paths.get(args[0]));
    long timeout = Long.parseLong(args[1]);
    int[] seeds = new int[args.length - 2];
    for (int i = 2; i < args.length; i++) seeds[i - 2] = Integer.parseInt(args[i]);
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, "UTF-8");
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(null, r, "case", 64L << 20);
      t.setDaemon(true);
      return t;
    });
    for (String line : lines) {
      if (line.isEmpty()) continue;
      int tab = line.indexOf('\t');
      String name = line.substring(0, tab);
      Path dir = Paths.get(line.substring(tab + 1));
      Future<String> result = pool.submit(() -> runCase(dir, seeds));
      String text;
      try {
        text = result.get(timeout, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        out.println(name + "\tTIMEOUT");
        out.flush();
        Runtime.getRuntime().halt(3);
        return;
      } catch (ExecutionException e) {
        text = "RUNNER " + describe(e.getCause());
      }
      out.println(name + "\t" + text);
    }
    out.flush();
    System.exit(0);
  }

  static String runCase(Path dir, int[] seeds) throws Exception {
    List<String> names;
    try (Stream<Path> files = Files.walk(dir)) {
      names = files.filter(p -> p.toString().endsWith(".class"))
          .map(p -> dir.relativize(p).toString().replace(File.separatorChar, '.'))
          .map(n -> n.substring(0, n.length() - ".class".length()))
          .sorted()
          .collect(Collectors.toList());
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String n : names) {
        try {
          // getDeclaredFields links the class first (JVMS 5.4), which runs the verifier.
          Class.forName(n, false, loader).getDeclaredFields();
        } catch (Throwable t) {
          return "LINK " + n + " " + describe(t);
        }
      }
      Method run = Class.forName("rp.Prog", false, loader).getMethod("run", int.class);
      StringBuilder sb = new StringBuilder();
      for (int seed : seeds) {
        sb.append(seed).append('=');
        try {
          sb.append(run.invoke(null, seed));
        } catch (InvocationTargetException e) {
          sb.append('!').append(describe(e.getCause()));
        }
        sb.append(' ');
      }
      return sb.toString().trim();
    }
  }

  static String describe(Throwable t) {
    String s = String.valueOf(t);
    int frame = s.indexOf("Current Frame:");
    if (frame >= 0) s = s.substring(0, frame);
    return s.replaceAll("\\s+", " ").trim();
  }
}
