// Part of the Java program test/split-ecj.test.ts compiles: lines that draw ECJ's
// warnings on purpose (an unused import, an unused private field and local, raw
// types and an unchecked conversion, a constructor deprecated for removal, a
// resource leak, null pointer access in and after a loop, dead code, a missing
// serialVersionUID, a static method called through an instance, a Javadoc @param
// naming no parameter), so that the compiler's messages are compared too. (One more
// comes from Main.java: ECJ 3.16 calls the cast of a lambda to an intersection
// type unchecked.) Never run.
package features;

import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * Warnings on purpose.
 *
 * @see Main#main(String[])
 */
public class Warnings extends Exception {
    private int neverRead;

    /**
     * Says how many there are.
     *
     * @param count how many
     * @param missing not a parameter
     * @return {@link #count(int) itself}
     */
    public static int count(int count) {
        return count;
    }

    @Deprecated
    static int old() { return 1; }

    static int use() throws java.io.IOException {
        int unused = 3;
        List raw = new ArrayList();
        raw.add("x");
        List<String> strings = raw;
        java.io.FileInputStream in = new java.io.FileInputStream("/dev/null");
        int first = in.read();
        Integer boxed = new Integer(first);
        String s = null;
        for (int i = 0; i < 3; i++) {
            if (i == 5) s.length();
        }
        Integer i = null;
        if (i == null) {
            System.out.println(s.length());
        }
        if (false) {
            return 0;
        }
        Main m = new Main();
        return old() + boxed + strings.size() + m.count();
    }
}
