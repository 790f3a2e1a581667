/*
 * Harness of test/retrace-exact.test.ts ("Real code"): evaluates small scripts
 * whose errors Rhino raises from inside methods that megasplit splits at 1,024
 * bytes (the lexer TokenStream.getToken, the regexp compiler
 * NativeRegExp.parseTerm, IRFactory.transform, the execIdCall of NativeString,
 * NativeObject and NativeDate), interpreted (-1) and compiled (9), and prints
 * each Java stack trace in full.
 */
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;

public class RhinoTrace {
  public static void main(String[] args) {
    String[] scripts = {
      "var s = 'abc", "var x = 1 # 2", "var n = 0x;", "/(/.test('a')", "new RegExp('[b-a]')",
      "'abc'.repeat(-1)", "String.prototype.charAt.call(null)", "Object.defineProperty(1, 'a', {})",
      "new Date(NaN).toISOString()", "Object.create(5)", "[].reduce(function(a, b) { return a; })",
      "(1).toFixed(200)", "'x'.normalize('bad')", "1 = 2", "var a; a.b.c = 1"
    };
    for (int opt : new int[] {-1, 9}) {
      for (String s : scripts) {
        System.out.println("== opt " + opt + ": " + s);
        Context cx = Context.enter();
        try {
          cx.setOptimizationLevel(opt);
          cx.setLanguageVersion(Context.VERSION_ES6);
          Scriptable scope = cx.initStandardObjects();
          cx.evaluateString(scope, s, "bad.js", 1, null);
          System.out.println("no exception");
        } catch (Throwable t) {
          t.printStackTrace(System.out);
        } finally {
          Context.exit();
        }
      }
    }
  }
}
