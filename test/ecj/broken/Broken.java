// The deliberate compile errors test/split-ecj.test.ts feeds the split and the
// unsplit Eclipse compiler (with -proceedOnError, so both write problem class
// files too): syntax errors the parser must diagnose and recover from, and type
// errors (an undefined method, a constructor with the wrong arguments,
// incompatible types, a missing return, unreachable code, an undefined name).
package broken;

import java.util.List;

public class Broken {
    Broken(int x) {}

    int missingSemicolon() {
        int a = 1
        return a;
    }

    void unbalanced(List<String> xs) {
        if (xs.isEmpty() {
            xs.add("x");
        }
        for (String s : xs) System.out.println(s;
    }

    int types() {
        String s = 42;
        int n = "forty-two";
        s.noSuchMethod(1, "two");
        Broken b = new Broken("wrong", 2);
        return undefinedName + n;
    }

    int noReturn(boolean f) {
        if (f) return 1;
    }

    void unreachable() {
        return;
        System.out.println("never");
    }

    public static void main(String[] args) {
        System.out.println("broken main runs: " + new Broken(1).types());
    }
}
