/*
 * LinkAll: makes HotSpot load, link and therefore verify (JVMS 5.4.1) every class
 * of a jar, a directory, or a patched JDK module, without initialising any of them
 * (no static initialiser runs), and reports each failure on one line:
 *
 *   FAIL <class> <error>
 *   linked N classes, F failures
 *
 * Exit status 1 when F > 0. Run it with -Xverify:all so that every loader's
 * classes are verified (the default skips classes of the boot loader).
 *
 *   java -Xverify:all LinkAll [--cp <path>] [--only <names>] <jar-or-dir>
 *   java -Xverify:all -Xshare:off --patch-module M=<dir> --add-modules M LinkAll --module M <dir>
 *
 * --only <names> (binary names, comma-separated) links just those classes of the
 * jar or directory; all its classes are still defined by the same loader, so each
 * is linked among exactly the classes it will run with.
 *
 * Linking without initialising: Class.forName(name, false, loader) only loads.
 * Resolving a member through a Lookup links the class first (the verifier runs,
 * and a VerifyError comes back as the cause of the lookup's exception) but does
 * not initialise it, and looking up a field name that cannot exist touches no
 * other member signature, so a class whose unused signatures mention absent
 * libraries still links. When no private lookup can be had (a JDK package not
 * opened to us), reflection's getDeclaredFields(), which also links first, is the
 * fallback. test/jvm-harness.test.ts proves both halves: a hand-made class with a
 * bad method is reported as a VerifyError, and a good class whose <clinit> throws
 * passes. HotSpot itself never verifies a few core classes (Object, String,
 * Class, Throwable) and classes from a CDS archive; hence -Xshare:off for modules.
 *
 * Jar classes are defined by a child-first loader reading the jar itself (the
 * multi-release view for the running Java version); its parent is a loader over
 * --cp (dependencies) whose parent is the platform loader. A class stored under
 * a path that is not its name is linked under its declared name in a loader of
 * its own. Cost: one JVM, every
 * class loaded once.
 */
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

public final class LinkAll {
  /** A field name no compiler produces, so the lookup always fails after linking. */
  private static final String NO_SUCH_FIELD = "$megasplit$link$probe$";

  public static void main(String[] args) throws Exception {
    String module = null;
    String classpath = "";
    String input = null;
    java.util.Set<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--module" -> module = args[++i];
        case "--cp" -> classpath = args[++i];
        case "--only" -> only = new java.util.HashSet<>(List.of(args[++i].split(",")));
        default -> input = args[i];
      }
    }
    if (input == null) {
      System.err.println("usage: LinkAll [--cp <path>] [--only <names>] [--module <name>] <jar-or-dir>");
      System.exit(2);
    }
    Path path = Path.of(input);
    List<String> names = classNames(path);
    List<String> toLink = names;
    if (only != null) {
      toLink = names.stream().filter(only::contains).toList();
      if (toLink.size() != only.size()) {
        System.err.println("--only names a class that is not in " + path);
        System.exit(2);
      }
    }
    int failures = 0;
    int linked = 0;
    if (module != null) {
      Module m = ModuleLayer.boot().findModule(module).orElseThrow(() -> new IllegalArgumentException("module not in the boot layer"));
      for (String name : toLink) {
        if (name.equals("module-info")) continue;
        String error = link(() -> {
          Class<?> c = Class.forName(m, name);
          if (c == null) throw new ClassNotFoundException(name);
          return c;
        });
        if (error == null) linked++;
        else { failures++; System.out.println("FAIL " + name + " " + error); }
      }
    } else {
      ClassLoader deps = new URLClassLoader(urls(classpath), ClassLoader.getPlatformClassLoader());
      try (BundleLoader loader = new BundleLoader(path, names, deps)) {
        for (String name : toLink) {
          if (name.equals("module-info") || name.endsWith(".module-info")) continue;
          String error = link(() -> Class.forName(name, false, loader));
          // A class stored under a path that is not its name (Jython keeps compiled
          // modules as Lib/x$py.class, read by its own importer): link it under the
          // name it declares, in a loader of its own so such names cannot clash.
          if (error != null && error.startsWith("java.lang.NoClassDefFoundError") && error.contains("(wrong name: ")) {
            error = link(() -> new StrayLoader(loader).define(loader.bytesOf(name)));
          }
          if (error == null) linked++;
          else { failures++; System.out.println("FAIL " + name + " " + error); }
        }
      }
    }
    System.out.println("linked " + linked + " classes, " + failures + " failures");
    System.exit(failures == 0 ? 0 : 1);
  }

  interface Loader { Class<?> load() throws Exception; }

  /** Loads and links one class; null when it linked, else a one-line description of the error. */
  static String link(Loader load) {
    try {
      Class<?> c = load.load();
      MethodHandles.Lookup lookup;
      try {
        lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
      } catch (IllegalAccessException notOpen) {
        c.getDeclaredFields();
        return null;
      }
      try {
        lookup.findStaticGetter(c, NO_SUCH_FIELD, int.class);
        return "probe field unexpectedly exists";
      } catch (NoSuchFieldException expected) {
        return null;
      } catch (IllegalAccessException e) {
        // The linkage error that stopped resolution is the cause.
        Throwable cause = e.getCause();
        if (cause instanceof NoSuchFieldError) return null;
        return describe(cause != null ? cause : e);
      }
    } catch (Throwable t) {
      return describe(t);
    }
  }

  static String describe(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    int frame = message.indexOf("Current Frame:");
    if (frame >= 0) message = message.substring(0, frame);
    message = message.replaceAll("\\s+", " ").trim();
    return t.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
  }

  static URL[] urls(String classpath) throws IOException {
    List<URL> out = new ArrayList<>();
    for (String p : classpath.split(File.pathSeparator)) if (!p.isEmpty()) out.add(new File(p).toURI().toURL());
    return out.toArray(new URL[0]);
  }

  /** Binary names of the classes in a directory or jar (multi-release view), sorted. */
  static List<String> classNames(Path path) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.walk(path)) {
        files.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).forEach(p -> {
          String rel = path.relativize(p).toString().replace(File.separatorChar, '/');
          if (!rel.startsWith("META-INF/")) names.add(binaryName(rel));
        });
      }
    } else {
      try (JarFile jar = new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
        jar.versionedStream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/")).forEach(n -> names.add(binaryName(n)));
      }
    }
    Collections.sort(names);
    return names;
  }

  static String binaryName(String entry) {
    return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
  }

  /** Defines one class under the name its bytes declare. */
  static final class StrayLoader extends ClassLoader {
    StrayLoader(ClassLoader parent) { super("megasplit-linkall-stray", parent); }
    Class<?> define(byte[] bytes) { return defineClass(null, bytes, 0, bytes.length); }
  }

  /** Defines the bundle's own classes itself (child first); everything else goes to the parent. */
  static final class BundleLoader extends ClassLoader implements AutoCloseable {
    private final Path dir;
    private final JarFile jar;
    private final java.util.Set<String> own;

    BundleLoader(Path path, List<String> names, ClassLoader parent) throws IOException {
      super("megasplit-linkall", parent);
      this.own = new java.util.HashSet<>(names);
      if (Files.isDirectory(path)) { dir = path; jar = null; }
      else { dir = null; jar = new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version()); }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) c = own.contains(name) ? findClass(name) : super.loadClass(name, false);
        if (resolve) resolveClass(c);
        return c;
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      try {
        byte[] bytes = bytesOf(name);
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }

    /** The class file stored for a name derived from its path. */
    byte[] bytesOf(String name) throws IOException {
      String entry = name.replace('.', '/') + ".class";
      if (dir != null) return Files.readAllBytes(dir.resolve(entry));
      JarEntry e = jar.getJarEntry(entry);
      if (e == null) throw new IOException("no entry " + entry);
      try (InputStream in = jar.getInputStream(e)) { return in.readAllBytes(); }
    }

    @Override
    public void close() throws IOException {
      if (jar != null) jar.close();
    }
  }
}
