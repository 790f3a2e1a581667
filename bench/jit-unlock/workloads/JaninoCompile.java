/*
 * Compiles one Java source file with Janino (Debian's janino 2.7) and writes its
 * class files, the way Spark compiles its generated code. Janino's own command
 * line (org.codehaus.janino.Compiler) looks for the JDK's classes on
 * sun.boot.class.path, which JDK 9 and later no longer set, so this resolves
 * them through the running JVM's class loader instead. Debug information: source
 * file and line numbers; local variable tables only with `--vars`.
 *
 *   javac -cp janino.jar:commons-compiler.jar -d tools JaninoCompile.java
 *   java -cp janino.jar:commons-compiler.jar:tools JaninoCompile <File.java> <out-dir> [--vars]
 */
import java.io.FileReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.codehaus.janino.ClassLoaderIClassLoader;
import org.codehaus.janino.Java;
import org.codehaus.janino.Parser;
import org.codehaus.janino.Scanner;
import org.codehaus.janino.UnitCompiler;
import org.codehaus.janino.util.ClassFile;

public final class JaninoCompile {
  public static void main(String[] args) throws Exception {
    boolean vars = args.length == 3 && args[2].equals("--vars");
    if (args.length != 2 && !vars) {
      System.err.println("usage: JaninoCompile <File.java> <out-dir> [--vars]");
      System.exit(2);
    }
    Java.CompilationUnit unit;
    try (Reader in = new FileReader(args[0])) {
      unit = new Parser(new Scanner(args[0], in)).parseCompilationUnit();
    }
    ClassFile[] classes = new UnitCompiler(unit, new ClassLoaderIClassLoader(JaninoCompile.class.getClassLoader()))
        .compileUnit(true, true, vars);
    for (ClassFile cf : classes) {
      Path out = Path.of(args[1], cf.getThisClassName().replace('.', '/') + ".class");
      Files.createDirectories(out.getParent());
      Files.write(out, cf.toByteArray());
    }
  }
}
