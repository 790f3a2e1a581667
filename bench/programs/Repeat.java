/*
 * bench/programs/Repeat.java: runs one real program's unit of work N times in one
 * JVM, with a System.gc() before each (untimed), and prints each unit's wall time
 * in ms on one line ("times ..."), from which bench/programs/run.mjs takes the
 * steady state (the last units). The programs are entered through their documented in-process entry
 * points, by reflection (this class compiles against the JDK alone):
 *
 *   ecj    ARGS...        new batch.Main(out, err, false, null, null).compile(ARGS)
 *   scalac ARGS...        scala.tools.nsc.Main.process(ARGS), then its reporter's hasErrors()
 *   kotlinc ARGS...       new K2JVMCompiler().exec(System.err, ARGS)
 *   xsltc XSL IN OUT      XSLTC's TransformerFactoryImpl.newTemplates(XSL), then one
 *                         transform of IN into OUT with the compiled templates
 *
 * A unit that reports failure stops the run with status 1 (the caller compares the
 * outputs too).
 */
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

public class Repeat {
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    String kind = a[1];
    String[] rest = Arrays.copyOfRange(a, 2, a.length);
    StringBuilder times = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // The garbage of the unit before is collected outside the timed unit, so a full
      // collection it left behind is not charged to this one.
      System.gc();
      long t0 = System.nanoTime();
      boolean ok = once(kind, rest);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (!ok) {
        System.err.println("Repeat: " + kind + " reported failure in iteration " + i);
        System.exit(1);
      }
      times.append(i == 0 ? "" : " ").append(ms);
    }
    System.out.println("times " + times);
  }

  static boolean once(String kind, String[] args) throws Exception {
    switch (kind) {
      case "ecj": {
        Class<?> main = Class.forName("org.eclipse.jdt.internal.compiler.batch.Main");
        Class<?> progress = Class.forName("org.eclipse.jdt.core.compiler.CompilationProgress");
        PrintWriter out = new PrintWriter(OutputStream.nullOutputStream());
        Object compiler = main.getConstructor(PrintWriter.class, PrintWriter.class, boolean.class, Map.class, progress)
            .newInstance(out, new PrintWriter(System.err, true), false, null, null);
        return (Boolean) main.getMethod("compile", String[].class).invoke(compiler, (Object) args);
      }
      case "scalac": {
        // 2.11's Driver.process returns Unit: errors are the reporter's to say.
        Class<?> main = Class.forName("scala.tools.nsc.Main");
        main.getMethod("process", String[].class).invoke(null, (Object) args);
        Object reporter = main.getMethod("reporter").invoke(null);
        return !(Boolean) reporter.getClass().getMethod("hasErrors").invoke(reporter);
      }
      case "kotlinc": {
        Class<?> k2jvm = Class.forName("org.jetbrains.kotlin.cli.jvm.K2JVMCompiler");
        Object exit = k2jvm.getMethod("exec", PrintStream.class, String[].class)
            .invoke(k2jvm.getConstructor().newInstance(), System.err, args);
        return exit.toString().equals("OK");
      }
      case "xsltc": {
        Class<?> factory = Class.forName("org.apache.xalan.xsltc.trax.TransformerFactoryImpl");
        javax.xml.transform.TransformerFactory f = (javax.xml.transform.TransformerFactory) factory.getConstructor().newInstance();
        javax.xml.transform.Templates t = f.newTemplates(new javax.xml.transform.stream.StreamSource(new File(args[0])));
        t.newTransformer().transform(new javax.xml.transform.stream.StreamSource(new File(args[1])),
            new javax.xml.transform.stream.StreamResult(new File(args[2])));
        return true;
      }
      default:
        throw new IllegalArgumentException("unknown program " + kind);
    }
  }
}
