/*
 * Hard case 3: constructors that must split around what the JVM does not let
 * move. The argument expressions of super(...) and this(...) hold ternaries (the
 * code before the super call, with an uninitialized this, stays in the original
 * method); the long body after it creates objects whose constructor arguments
 * hold ternaries and nested "new" (an uninitialized object must reach its <init>
 * in the same piece), and assigns final fields along the way. Prints the fields
 * of objects built with several argument combinations.
 */
package ctor;

import java.util.ArrayList;
import java.util.List;

class Base {
  final int base;
  final String sign;

  Base(int base, String sign) {
    this.base = base;
    this.sign = sign;
  }
}

final class Pair {
  final int n;
  final Object o;

  Pair(int n, Object o) {
    this.n = n;
    this.o = o;
  }

  @Override
  public String toString() {
    return "(" + n + "," + o + ")";
  }

  @Override
  public int hashCode() {
    return n * 31 + (o == null ? 0 : o.toString().length());
  }
}

public final class Main extends Base {
  final long acc;
  final int h;
  final Pair middle;
  final List<Pair> parts = new ArrayList<>();
  final StringBuilder text = new StringBuilder();

  Main(boolean a, int b, int c, int x) {
    super(a ? b : c, x > 0 ? "p" : x < 0 ? "n" : "z");
    long acc = base;
    int h = sign.hashCode();
    h = h * 31 + (a ? b : c) - (x > 0 ? 0 : -0);
    parts.add(new Pair(a ? b + 0 : c - 0, x > 0 ? new Pair(h & 0xff, "in" + 0) : null));
    acc = acc * 7 + Math.floorMod(h, 97) + (parts.size() > 0 ? parts.get(0).hashCode() : 0);
    text.append(x > 0 ? "+" : "-").append(new Pair(a ? 0 : -0, b > c ? "gt" : "le").toString().length());
    h = h * 32 + (a ? b : c) - (x > 1 ? 3 : -1);
    parts.add(new Pair(a ? b + 1 : c - 1, x > 1 ? new Pair(h & 0xff, "in" + 1) : null));
    acc = acc * 7 + Math.floorMod(h, 98) + (parts.size() > 1 ? parts.get(1).hashCode() : 0);
    text.append(x > 1 ? "+" : "-").append(new Pair(a ? 1 : -1, b > c ? "gt" : "le").toString().length());
    h = h * 33 + (a ? b : c) - (x > 2 ? 6 : -2);
    parts.add(new Pair(a ? b + 2 : c - 2, x > 2 ? new Pair(h & 0xff, "in" + 2) : null));
    acc = acc * 7 + Math.floorMod(h, 99) + (parts.size() > 2 ? parts.get(2).hashCode() : 0);
    text.append(x > 2 ? "+" : "-").append(new Pair(a ? 2 : -2, b > c ? "gt" : "le").toString().length());
    h = h * 34 + (a ? b : c) - (x > 3 ? 9 : -3);
    parts.add(new Pair(a ? b + 3 : c - 3, x > 3 ? new Pair(h & 0xff, "in" + 3) : null));
    acc = acc * 7 + Math.floorMod(h, 100) + (parts.size() > 3 ? parts.get(3).hashCode() : 0);
    text.append(x > 3 ? "+" : "-").append(new Pair(a ? 3 : -3, b > c ? "gt" : "le").toString().length());
    h = h * 35 + (a ? b : c) - (x > 4 ? 12 : -4);
    parts.add(new Pair(a ? b + 4 : c - 4, x > 4 ? new Pair(h & 0xff, "in" + 4) : null));
    acc = acc * 7 + Math.floorMod(h, 101) + (parts.size() > 4 ? parts.get(4).hashCode() : 0);
    text.append(x > 4 ? "+" : "-").append(new Pair(a ? 4 : -4, b > c ? "gt" : "le").toString().length());
    h = h * 36 + (a ? b : c) - (x > 5 ? 15 : -5);
    parts.add(new Pair(a ? b + 5 : c - 5, x > 5 ? new Pair(h & 0xff, "in" + 5) : null));
    acc = acc * 7 + Math.floorMod(h, 102) + (parts.size() > 5 ? parts.get(5).hashCode() : 0);
    text.append(x > 5 ? "+" : "-").append(new Pair(a ? 5 : -5, b > c ? "gt" : "le").toString().length());
    h = h * 37 + (a ? b : c) - (x > 6 ? 18 : -6);
    parts.add(new Pair(a ? b + 6 : c - 6, x > 6 ? new Pair(h & 0xff, "in" + 6) : null));
    acc = acc * 7 + Math.floorMod(h, 103) + (parts.size() > 6 ? parts.get(6).hashCode() : 0);
    text.append(x > 6 ? "+" : "-").append(new Pair(a ? 6 : -6, b > c ? "gt" : "le").toString().length());
    h = h * 38 + (a ? b : c) - (x > 7 ? 21 : -7);
    parts.add(new Pair(a ? b + 7 : c - 7, x > 7 ? new Pair(h & 0xff, "in" + 7) : null));
    acc = acc * 7 + Math.floorMod(h, 104) + (parts.size() > 7 ? parts.get(7).hashCode() : 0);
    text.append(x > 7 ? "+" : "-").append(new Pair(a ? 7 : -7, b > c ? "gt" : "le").toString().length());
    this.middle = new Pair(x > 0 ? h : -h, a ? "mid-a" : "mid-b");
    h = h * 39 + (a ? b : c) - (x > 8 ? 24 : -8);
    parts.add(new Pair(a ? b + 8 : c - 8, x > 8 ? new Pair(h & 0xff, "in" + 8) : null));
    acc = acc * 7 + Math.floorMod(h, 105) + (parts.size() > 8 ? parts.get(8).hashCode() : 0);
    text.append(x > 8 ? "+" : "-").append(new Pair(a ? 8 : -8, b > c ? "gt" : "le").toString().length());
    h = h * 40 + (a ? b : c) - (x > 9 ? 27 : -9);
    parts.add(new Pair(a ? b + 9 : c - 9, x > 9 ? new Pair(h & 0xff, "in" + 9) : null));
    acc = acc * 7 + Math.floorMod(h, 106) + (parts.size() > 9 ? parts.get(9).hashCode() : 0);
    text.append(x > 9 ? "+" : "-").append(new Pair(a ? 9 : -9, b > c ? "gt" : "le").toString().length());
    h = h * 41 + (a ? b : c) - (x > 10 ? 30 : -10);
    parts.add(new Pair(a ? b + 10 : c - 10, x > 10 ? new Pair(h & 0xff, "in" + 10) : null));
    acc = acc * 7 + Math.floorMod(h, 107) + (parts.size() > 10 ? parts.get(10).hashCode() : 0);
    text.append(x > 10 ? "+" : "-").append(new Pair(a ? 10 : -10, b > c ? "gt" : "le").toString().length());
    h = h * 42 + (a ? b : c) - (x > 11 ? 33 : -11);
    parts.add(new Pair(a ? b + 11 : c - 11, x > 11 ? new Pair(h & 0xff, "in" + 11) : null));
    acc = acc * 7 + Math.floorMod(h, 108) + (parts.size() > 11 ? parts.get(11).hashCode() : 0);
    text.append(x > 11 ? "+" : "-").append(new Pair(a ? 11 : -11, b > c ? "gt" : "le").toString().length());
    h = h * 43 + (a ? b : c) - (x > 12 ? 36 : -12);
    parts.add(new Pair(a ? b + 12 : c - 12, x > 12 ? new Pair(h & 0xff, "in" + 12) : null));
    acc = acc * 7 + Math.floorMod(h, 109) + (parts.size() > 12 ? parts.get(12).hashCode() : 0);
    text.append(x > 12 ? "+" : "-").append(new Pair(a ? 12 : -12, b > c ? "gt" : "le").toString().length());
    h = h * 44 + (a ? b : c) - (x > 13 ? 39 : -13);
    parts.add(new Pair(a ? b + 13 : c - 13, x > 13 ? new Pair(h & 0xff, "in" + 13) : null));
    acc = acc * 7 + Math.floorMod(h, 110) + (parts.size() > 13 ? parts.get(13).hashCode() : 0);
    text.append(x > 13 ? "+" : "-").append(new Pair(a ? 13 : -13, b > c ? "gt" : "le").toString().length());
    h = h * 45 + (a ? b : c) - (x > 14 ? 42 : -14);
    parts.add(new Pair(a ? b + 14 : c - 14, x > 14 ? new Pair(h & 0xff, "in" + 14) : null));
    acc = acc * 7 + Math.floorMod(h, 111) + (parts.size() > 14 ? parts.get(14).hashCode() : 0);
    text.append(x > 14 ? "+" : "-").append(new Pair(a ? 14 : -14, b > c ? "gt" : "le").toString().length());
    h = h * 46 + (a ? b : c) - (x > 15 ? 45 : -15);
    parts.add(new Pair(a ? b + 15 : c - 15, x > 15 ? new Pair(h & 0xff, "in" + 15) : null));
    acc = acc * 7 + Math.floorMod(h, 112) + (parts.size() > 15 ? parts.get(15).hashCode() : 0);
    text.append(x > 15 ? "+" : "-").append(new Pair(a ? 15 : -15, b > c ? "gt" : "le").toString().length());
    this.acc = acc;
    this.h = h;
  }

  Main(int x) {
    this(x % 2 == 0, x > 5 ? x * 3 : x - 3, x < 2 ? -x : x + 11, x > 3 ? x - 4 : x);
    text.append(" via this(").append(x).append(")");
  }

  @Override
  public String toString() {
    return "base=" + base + " sign=" + sign + " acc=" + acc + " h=" + h + " middle=" + middle + " parts=" + parts + " text=" + text;
  }

  public static void main(String[] args) {
    for (int x = -2; x <= 17; x += 3) {
      System.out.println(new Main(x % 2 != 0, x * 5, 100 - x, x));
      System.out.println(new Main(x));
    }
  }
}
