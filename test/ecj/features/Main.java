// A Java program for test/split-ecj.test.ts, compiled by the split and the unsplit
// Eclipse compiler (ECJ 3.16, -source 11): generics (bounded and recursive type
// parameters, wildcards, generic methods, inference through streams and
// collectors), lambdas and every kind of method reference, serializable and
// intersection-typed lambdas, inner, anonymous and local classes (a qualified
// `outer.new Inner()`), enums with bodies and switches on them, switches on
// strings, try-with-resources with suppressed exceptions, multi-catch,
// finally, varargs, annotations read by reflection, interfaces with default,
// static and private methods, labeled break and continue, ternaries, boxing,
// `var`, arrays, bit operations, Unicode escapes, hexadecimal floating-point
// literals and folded constants. Deterministic output.
package features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import features.Shapes.Kind;
import features.Shapes.Shape;

public class Main {
    private final StringBuilder log = new StringBuilder();
    private int counter;

    // ---- generics ----------------------------------------------------------------
    static <T extends Comparable<? super T>> T max(Collection<? extends T> items) {
        T best = null;
        for (T t : items) if (best == null || t.compareTo(best) > 0) best = t;
        return best;
    }

    static double sum(Collection<? extends Number> xs) {
        double s = 0;
        for (Number n : xs) s += n.doubleValue();
        return s;
    }

    static void fill(List<? super Integer> sink, int n) {
        for (int i = 0; i < n; i++) sink.add(i * i);
    }

    /**
     * A recursive bound: a tree whose nodes know their own type.
     *
     * @param <N> the type of the nodes
     */
    abstract static class TreeNode<N extends TreeNode<N>> {
        final List<N> children = new ArrayList<>();

        @SuppressWarnings("unchecked")
        N add(N child) {
            children.add(child);
            return (N) this;
        }

        abstract String label();

        int size() {
            int n = 1;
            for (N c : children) n += c.size();
            return n;
        }

        String render() {
            return children.isEmpty() ? label() : label() + children.stream().map(TreeNode::render).collect(Collectors.joining(",", "(", ")"));
        }
    }

    static final class Named extends TreeNode<Named> {
        final String name;
        Named(String name) { this.name = name; }
        @Override String label() { return name; }
    }

    static final class Pair<A, B extends Comparable<B>> implements Comparable<Pair<A, B>> {
        final A first;
        final B second;

        Pair(A first, B second) { this.first = first; this.second = second; }

        static <X, Y extends Comparable<Y>> Pair<X, Y> of(X x, Y y) { return new Pair<>(x, y); }

        <C> Pair<C, B> mapFirst(Function<? super A, ? extends C> f) { return new Pair<>(f.apply(first), second); }

        @Override public int compareTo(Pair<A, B> o) { return second.compareTo(o.second); }

        @Override public String toString() { return "<" + first + "," + second + ">"; }
    }

    // ---- inner classes ----------------------------------------------------------
    final class Counter {
        private final int step;

        Counter(int step) { this.step = step; }

        int tick() {
            counter += step;
            log.append('t').append(counter);
            return counter;
        }
    }

    // ---- resources --------------------------------------------------------------
    static final class Res implements AutoCloseable {
        static final List<String> events = new ArrayList<>();
        private final String name;
        private final boolean failOnClose;

        Res(String name, boolean failOnClose) {
            this.name = name;
            this.failOnClose = failOnClose;
            events.add("open " + name);
        }

        void use(int x) throws IOException {
            if (x < 0) throw new IOException("negative " + x + " in " + name);
            events.add(name + " uses " + x);
        }

        @Override
        public void close() throws IOException {
            events.add("close " + name);
            if (failOnClose) throw new IOException("close failed: " + name);
        }
    }

    static String resources(int x) {
        try (Res a = new Res("a", false); Res b = new Res("b", x == 2)) {
            a.use(x);
            b.use(-x);
            return "ok";
        } catch (IOException e) {
            String suppressed = Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).collect(Collectors.joining(";"));
            return e.getMessage() + (suppressed.isEmpty() ? "" : " +suppressed[" + suppressed + "]");
        } finally {
            Res.events.add("finally " + x);
        }
    }

    // ---- varargs, boxing, ternaries ---------------------------------------------
    @SafeVarargs
    static <T> List<T> listOf(T... xs) { return new ArrayList<>(Arrays.asList(xs)); }

    static int count(Object... xs) { return xs == null ? -1 : xs.length; }

    static String classify(int n) {
        return n < 0 ? "negative" : n == 0 ? "zero" : (n & 1) == 0 ? "even" : "odd";
    }

    static String boxing() {
        Integer a = 127, b = 127, c = 1000, d = 1000;
        Long big = 5L;
        Character ch = 'x';
        int sum = a + b + c + d + ch;
        List<Integer> xs = listOf(3, 1, 2);
        xs.remove(Integer.valueOf(1));
        Object o = sum > 0 ? sum : "none";
        return (a == b) + " " + c.equals(d) + " " + sum + " " + (big + 1) + " " + xs + " " + o.getClass().getSimpleName();
    }

    // ---- labeled loops, bits, arrays --------------------------------------------
    static List<Integer> primes(int limit) {
        List<Integer> out = new ArrayList<>();
        outer:
        for (int n = 2; out.size() < limit; n++) {
            for (int p : out) {
                if (p * p > n) break;
                if (n % p == 0) continue outer;
            }
            out.add(n);
        }
        return out;
    }

    static int[][] pascal(int rows) {
        int[][] t = new int[rows][];
        for (int i = 0; i < rows; i++) {
            t[i] = new int[i + 1];
            t[i][0] = t[i][i] = 1;
            for (int j = 1; j < i; j++) t[i][j] = t[i - 1][j - 1] + t[i - 1][j];
        }
        return t;
    }

    static String bits(long x) {
        int pop = Long.bitCount(x);
        long rotated = (x << 7) | (x >>> 57);
        int shifted = (int) (x >> 3) ^ 0x5a5a;
        byte by = (byte) 0xff;
        short sh = (short) (by & 0x7f);
        char c = (char) ('a' + pop % 26);
        x ^= rotated;
        x += ~shifted;
        return pop + " " + Long.toHexString(rotated) + " " + shifted + " " + by + " " + sh + " " + c + " " + Long.toHexString(x);
    }

    static int search(int[][] grid, int target) {
        int found = -1;
        rows:
        for (int r = 0; r < grid.length; r++) {
            int c = 0;
            while (true) {
                if (c >= grid[r].length) continue rows;
                if (grid[r][c] == target) {
                    found = r * 100 + c;
                    break rows;
                }
                c++;
            }
        }
        return found;
    }

    // ---- enums and switches -----------------------------------------------------
    static String kinds() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Shape s : Shapes.some()) counts.merge(s.kind(), 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Kind, Integer> e : counts.entrySet()) {
            String word;
            switch (e.getKey()) {
                case ROUND: word = "round"; break;
                case ANGULAR: word = "angular"; break;
                case MIXED:
                default: word = String.valueOf(e.getKey());
            }
            sb.append(word).append('=').append(e.getValue()).append(' ').append(Shapes.Shape.format(e.getKey().scale(1))).append("; ");
        }
        return sb.toString().trim();
    }

    static int weekday(String day) {
        switch (day.length() == 2 ? day : day.toLowerCase(java.util.Locale.ROOT)) {
            case "mon": return 1;
            case "tue": return 2;
            case "wed": return 3;
            case "thu": return 4;
            case "fri": return 5;
            case "sat":
            case "sun":
                return 0;
            case "Aa": // "Aa" and "BB" have the same hash code
            case "BB":
                return 99;
            default:
                return -1;
        }
    }

    // ---- lambdas and method references ------------------------------------------
    interface Transformer<T> extends Function<T, T> {
        default Transformer<T> twice() { return t -> apply(apply(t)); }

        static <T> Transformer<T> of(Function<T, T> f) { return f::apply; }
    }

    static String lambdas() {
        Supplier<List<String>> make = ArrayList::new;
        List<String> words = make.get();
        words.addAll(Arrays.asList("delta", "alpha", "charlie", "bravo", "echo", "alpha"));
        Function<String, Integer> len = String::length;
        String prefix = "w:";
        Function<String, String> tag = prefix::concat;
        IntFunction<String[]> arrays = String[]::new;
        String[] arr = words.stream().distinct().sorted(Comparator.comparing(len).thenComparing(Comparator.reverseOrder())).toArray(arrays);
        Transformer<Integer> inc = x -> x + 1;
        Map<Integer, List<String>> byLength = words.stream().collect(Collectors.groupingBy(String::length, TreeMap::new, Collectors.toList()));
        Optional<String> longest = words.stream().max(Comparator.comparingInt(String::length));
        int total = IntStream.rangeClosed(1, 10).filter(i -> i % 3 != 0).map(i -> i * i).sum();
        String joined = Stream.of(arr).map(tag).collect(Collectors.joining(" "));
        var mapped = Pair.of("k", 3).mapFirst(s -> s + s);
        List<Pair<String, Integer>> pairs = listOf(Pair.of("c", 3), Pair.of("a", 1), Pair.of("b", 2));
        Collections.sort(pairs);
        java.util.function.BiFunction<Integer, Integer, Integer> add = (var a, var b) -> a + b;
        return Arrays.toString(arr) + " " + inc.twice().apply(5) + " " + byLength + " " + longest.orElse("?") + " " + total + " " + joined + " " + mapped + " " + pairs + " " + add.apply(20, 22);
    }

    static String serializableLambda() throws IOException, ClassNotFoundException {
        int base = 40;
        Supplier<Integer> s = (Supplier<Integer> & Serializable) () -> base + 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            Supplier<Integer> back = (Supplier<Integer>) in.readObject();
            return "deserialized lambda gives " + back.get();
        }
    }

    // ---- local and anonymous classes, synchronized -------------------------------
    String locals(int seed) {
        final int[] state = { seed };
        class Lcg {
            int next() {
                synchronized (state) {
                    state[0] = (state[0] * 1103515245 + 12345) & 0x7fffffff;
                    return state[0] % 100;
                }
            }
        }
        Lcg g = new Lcg();
        Runnable r = new Runnable() {
            int runs;
            @Override
            public void run() {
                runs++;
                log.append("r").append(runs).append(':').append(g.next()).append(' ');
            }
        };
        for (int i = 0; i < 4; i++) r.run();
        Main.Counter c1 = this.new Counter(3);
        Main other = new Main();
        Main.Counter c2 = other.new Counter(5);
        c1.tick();
        c2.tick();
        c1.tick();
        return log.toString().trim() + " | " + counter + "/" + other.counter + " " + other.log;
    }

    static String annotations() {
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : Arrays.asList(Shapes.Circle.class, Shapes.Rect.class, Shapes.Square.class, Main.class)) {
            Shapes.Info info = c.getAnnotation(Shapes.Info.class);
            if (info == null) {
                sb.append(c.getSimpleName()).append(":none ");
                continue;
            }
            sb.append(info.name()).append(':').append(info.sides()).append(':').append(info.kind()).append(':').append(String.join("+", info.tags())).append(' ');
        }
        return sb.toString().trim();
    }

    static String exceptions(Object o) {
        StringBuilder sb = new StringBuilder();
        try {
            try {
                String s = (String) o;
                sb.append("len ").append(s.length());
                if (s.isEmpty()) throw new IllegalStateException("empty");
                int[] small = new int[2];
                small[s.length()] = 1;
            } catch (ClassCastException | NullPointerException e) {
                sb.append(e.getClass().getSimpleName());
                return sb.toString();
            } finally {
                sb.append(" finally1");
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            sb.append(" AIOOBE");
        } catch (RuntimeException e) {
            sb.append(" ").append(e.getMessage());
        } finally {
            sb.append(" finally2");
        }
        return sb.toString();
    }

    // Unicode escapes, which the scanner translates before it tokenizes (also in an identifier and a keyword).
    static final String UNICODE = "caf\u00e9 \u03bb\t\u0041";
    static final char \u0064elta = '\u0394';

    static String codePoints(String s) {
        \u0072eturn s.codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining(" "));
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Calc.GREETING);
        System.out.println("hex " + Calc.HEX + " ch " + Calc.CH + " quiet " + Calc.QUIET + " K " + Calc.K);
        System.out.println("unicode " + codePoints(UNICODE + delta));
        System.out.println("max " + max(Arrays.asList(3, 9, 4)) + " " + max(Arrays.asList("pear", "apple", "zucchini")));
        List<Number> sink = new ArrayList<>();
        fill(sink, 5);
        sink.add(0.5);
        System.out.println("sum " + sum(sink) + " " + sink);
        Named root = new Named("root").add(new Named("a").add(new Named("a1")).add(new Named("a2"))).add(new Named("b"));
        System.out.println("tree " + root.render() + " size " + root.size());
        for (Shape s : Shapes.some()) System.out.println("shape " + s);
        List<Shape> sorted = Shapes.some();
        Collections.sort(sorted);
        System.out.println("largest " + sorted.get(sorted.size() - 1).describe() + ", created " + Shapes.Base.created());
        System.out.println("kinds " + kinds());
        Shapes.Polygon poly = new Shapes.Polygon().add(0, 0).add(4, 0).add(4, 3).add(0, 3);
        StringBuilder vs = new StringBuilder();
        for (double[] v : poly) vs.append(Arrays.toString(v));
        System.out.println("polygon " + poly.area() + " " + vs);
        for (int x : new int[] { 1, 2, -3 }) System.out.println("resources " + x + ": " + resources(x));
        System.out.println("events " + Res.events);
        System.out.println("varargs " + count() + " " + count(1, "two", 3.0) + " " + count((Object[]) null) + " " + listOf('a', 'b'));
        StringBuilder cls = new StringBuilder();
        for (int n = -1; n <= 3; n++) cls.append(classify(n)).append(' ');
        System.out.println("classify " + cls.toString().trim());
        System.out.println("boxing " + boxing());
        System.out.println("primes " + primes(15));
        int[][] tri = pascal(8);
        System.out.println("pascal " + Arrays.toString(tri[7]) + " search " + search(tri, 35) + " " + search(tri, 1000));
        System.out.println("bits " + bits(0xdeadbeefcafeL));
        System.out.println("weekday " + weekday("Wed") + " " + weekday("SUN") + " " + weekday("Aa") + " " + weekday("BB") + " " + weekday("xyz"));
        System.out.println("lambdas " + lambdas());
        System.out.println(serializableLambda());
        System.out.println("locals " + new Main().locals(7));
        System.out.println("annotations " + annotations());
        for (Object o : new Object[] { "abc", "", "x", 42, null }) System.out.println("exceptions " + exceptions(o));
        Map<String, Double> vars = new TreeMap<>();
        vars.put("x", 3.0);
        vars.put("y", 4.0);
        for (String line : Calc.run(vars, "sqrt(sq(x) + sq(y))", "2 ^ 3 ^ 2", "-(x - y) * 10 % 7", "max(1, x, y, 2) / min(y, 8)", "neg(abs(-2.5))", "1 + ", "z * 2", "3 $ 4", "unknown(1)"))
            System.out.println("calc " + line);
        System.out.println("objects " + Objects.hash(1, "a", 2.0) + " " + Objects.requireNonNullElse(null, "default"));
        assert args.length == 0 : "no arguments expected";
    }
}
