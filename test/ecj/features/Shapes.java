// Part of the Java program test/split-ecj.test.ts compiles with the split and the
// unsplit Eclipse compiler: interfaces with default, static and private methods,
// enums with constant bodies, abstract classes, constructor chaining, nested,
// inner and local classes, a custom annotation read back by reflection.
package features;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Shapes, their kinds and a polygon one can iterate over. */
public final class Shapes {
    private Shapes() {}

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface Info {
        String name();
        int sides() default 0;
        Kind kind() default Kind.ROUND;
        String[] tags() default {};
    }

    /** What a shape is made of; each constant has its own body. */
    public enum Kind {
        ROUND("r") {
            @Override
            double scale(double x) { return x * Math.PI; }
        },
        ANGULAR("a") {
            @Override
            double scale(double x) { return x * 2; }
        },
        MIXED("m") {
            @Override
            double scale(double x) { return ROUND.scale(x) / 2 + ANGULAR.scale(x) / 2; }
            @Override
            public String toString() { return "mixed!"; }
        };

        private final String code;

        Kind(String code) { this.code = code; }

        abstract double scale(double x);

        String code() { return code; }
    }

    public interface Shape extends Comparable<Shape> {
        double area();

        Kind kind();

        default String describe() {
            return name() + "[" + kind().code() + "] area=" + format(area());
        }

        default String name() {
            Info info = getClass().getAnnotation(Info.class);
            return info == null ? getClass().getSimpleName() : info.name();
        }

        @Override
        default int compareTo(Shape o) {
            return Double.compare(area(), o.area());
        }

        static String format(double d) {
            return String.format(java.util.Locale.ROOT, "%.3f", d);
        }

        static Shape unit(Kind k) {
            switch (k) {
                case ROUND: return new Circle(1);
                case ANGULAR: return new Rect(1, 1);
                default: return twice(new Circle(0.5));
            }
        }

        private static Shape twice(Shape s) {
            return new Shape() {
                @Override public double area() { return 2 * s.area(); }
                @Override public Kind kind() { return Kind.MIXED; }
                @Override public String name() { return "Twice(" + s.name() + ")"; }
                @Override public String toString() { return describe(); }
            };
        }
    }

    abstract static class Base implements Shape {
        private static int created;
        protected final int id;

        { created++; }

        Base() { this.id = created; }

        static int created() { return created; }

        @Override
        public String toString() { return "#" + id + " " + describe(); }
    }

    @Info(name = "Circle", kind = Kind.ROUND, tags = { "smooth", "curved" })
    static final class Circle extends Base {
        final double r;

        Circle(double r) { super(); this.r = r; }

        @Override public double area() { return Math.PI * r * r; }
        @Override public Kind kind() { return Kind.ROUND; }
    }

    @Info(name = "Rect", sides = 4, kind = Kind.ANGULAR)
    static class Rect extends Base {
        final double w, h;

        Rect(double w, double h) { this.w = w; this.h = h; }

        Rect(double side) { this(side, side); }

        @Override public double area() { return w * h; }
        @Override public Kind kind() { return Kind.ANGULAR; }
    }

    @Info(name = "Square", sides = 4, kind = Kind.ANGULAR, tags = "regular")
    static final class Square extends Rect {
        Square(double side) { super(side); }

        @Override public String describe() { return "square " + super.describe(); }
    }

    /** A polygon whose vertices an inner class iterates over. */
    public static final class Polygon implements Iterable<double[]> {
        private final List<double[]> points = new ArrayList<>();

        public Polygon add(double x, double y) {
            points.add(new double[] { x, y });
            return this;
        }

        /**
         * Shoelace formula.
         *
         * @return the area the vertices enclose, in the order {@link #add(double, double)} added them
         */
        public double area() {
            double sum = 0;
            int n = points.size();
            for (int i = 0; i < n; i++) {
                double[] a = points.get(i), b = points.get((i + 1) % n);
                sum += a[0] * b[1] - b[0] * a[1];
            }
            return Math.abs(sum) / 2;
        }

        public final class Vertices implements Iterator<double[]> {
            private int next;

            @Override public boolean hasNext() { return next < points.size(); }

            @Override
            public double[] next() {
                if (!hasNext()) throw new NoSuchElementException("vertex " + next);
                return points.get(next++);
            }
        }

        @Override
        public Iterator<double[]> iterator() { return this.new Vertices(); }
    }

    static List<Shape> some() {
        List<Shape> all = new ArrayList<>();
        class Ring extends Base {
            final double outer, inner;
            Ring(double outer, double inner) { this.outer = outer; this.inner = inner; }
            @Override public double area() { return new Circle(outer).area() - new Circle(inner).area(); }
            @Override public Kind kind() { return Kind.MIXED; }
        }
        all.add(new Circle(2));
        all.add(new Rect(3, 4));
        all.add(new Square(2.5));
        all.add(new Ring(3, 1));
        for (Kind k : Kind.values()) all.add(Shape.unit(k));
        return all;
    }
}
