/*
 * Hard case 2: try/catch/finally whose protected range, handlers and finally
 * blocks are cut into several pieces. An exception is raised at one of 18 points
 * spread over the try body (explicit throws, division by zero, an index out of
 * bounds, a failed parse, a failed cast, and an exception no handler of the
 * method catches), and also from inside a handler and from inside the finally
 * block. Prints where each one was caught, the locals seen there, and the
 * finally block's effects.
 */
package trycatch;

public final class Main {
  static final class Escape extends RuntimeException {
    Escape(String m) {
      super(m);
    }
  }

  static final StringBuilder log = new StringBuilder();
  static int finallies;

  static int work(int where, int seed) {
    int acc = seed;
    int[] small = new int[3];
    long trail = 7;
    try {
      acc = acc * 17 + 0 ^ (acc >>> 1);
      acc = acc * 18 + 1 ^ (acc >>> 2);
      acc = acc * 19 + 2 ^ (acc >>> 3);
      acc = acc * 20 + 3 ^ (acc >>> 4);
      acc = acc * 21 + 4 ^ (acc >>> 5);
      acc = acc * 22 + 5 ^ (acc >>> 6);
      if (where == 0) throw new IllegalStateException("ise at point 0");
      acc = acc * 17 + 100 ^ (acc >>> 1);
      acc = acc * 18 + 101 ^ (acc >>> 2);
      acc = acc * 19 + 102 ^ (acc >>> 3);
      acc = acc * 20 + 103 ^ (acc >>> 4);
      acc = acc * 21 + 104 ^ (acc >>> 5);
      acc = acc * 22 + 105 ^ (acc >>> 6);
      if (where == 1) acc /= (where - 1);
      acc = acc * 17 + 200 ^ (acc >>> 1);
      acc = acc * 18 + 201 ^ (acc >>> 2);
      acc = acc * 19 + 202 ^ (acc >>> 3);
      acc = acc * 20 + 203 ^ (acc >>> 4);
      acc = acc * 21 + 204 ^ (acc >>> 5);
      acc = acc * 22 + 205 ^ (acc >>> 6);
      if (where == 2) acc += small[where - 2 + 3];
      acc = acc * 17 + 300 ^ (acc >>> 1);
      acc = acc * 18 + 301 ^ (acc >>> 2);
      acc = acc * 19 + 302 ^ (acc >>> 3);
      acc = acc * 20 + 303 ^ (acc >>> 4);
      acc = acc * 21 + 304 ^ (acc >>> 5);
      acc = acc * 22 + 305 ^ (acc >>> 6);
      if (where == 3) acc += Integer.parseInt("point" + where);
      acc = acc * 17 + 400 ^ (acc >>> 1);
      acc = acc * 18 + 401 ^ (acc >>> 2);
      acc = acc * 19 + 402 ^ (acc >>> 3);
      acc = acc * 20 + 403 ^ (acc >>> 4);
      acc = acc * 21 + 404 ^ (acc >>> 5);
      acc = acc * 22 + 405 ^ (acc >>> 6);
      if (where == 4) throw new Escape("escape at point 4");
      acc = acc * 17 + 500 ^ (acc >>> 1);
      acc = acc * 18 + 501 ^ (acc >>> 2);
      acc = acc * 19 + 502 ^ (acc >>> 3);
      acc = acc * 20 + 503 ^ (acc >>> 4);
      acc = acc * 21 + 504 ^ (acc >>> 5);
      acc = acc * 22 + 505 ^ (acc >>> 6);
      if (where == 5) acc += ((String) (Object) Integer.valueOf(acc)).length();
      acc = acc * 17 + 600 ^ (acc >>> 1);
      acc = acc * 18 + 601 ^ (acc >>> 2);
      acc = acc * 19 + 602 ^ (acc >>> 3);
      acc = acc * 20 + 603 ^ (acc >>> 4);
      acc = acc * 21 + 604 ^ (acc >>> 5);
      acc = acc * 22 + 605 ^ (acc >>> 6);
      if (where == 6) throw new IllegalStateException("ise at point 6");
      acc = acc * 17 + 700 ^ (acc >>> 1);
      acc = acc * 18 + 701 ^ (acc >>> 2);
      acc = acc * 19 + 702 ^ (acc >>> 3);
      acc = acc * 20 + 703 ^ (acc >>> 4);
      acc = acc * 21 + 704 ^ (acc >>> 5);
      acc = acc * 22 + 705 ^ (acc >>> 6);
      if (where == 7) acc /= (where - 7);
      acc = acc * 17 + 800 ^ (acc >>> 1);
      acc = acc * 18 + 801 ^ (acc >>> 2);
      acc = acc * 19 + 802 ^ (acc >>> 3);
      acc = acc * 20 + 803 ^ (acc >>> 4);
      acc = acc * 21 + 804 ^ (acc >>> 5);
      acc = acc * 22 + 805 ^ (acc >>> 6);
      if (where == 8) acc += small[where - 8 + 3];
      acc = acc * 17 + 900 ^ (acc >>> 1);
      acc = acc * 18 + 901 ^ (acc >>> 2);
      acc = acc * 19 + 902 ^ (acc >>> 3);
      acc = acc * 20 + 903 ^ (acc >>> 4);
      acc = acc * 21 + 904 ^ (acc >>> 5);
      acc = acc * 22 + 905 ^ (acc >>> 6);
      if (where == 9) acc += Integer.parseInt("point" + where);
      acc = acc * 17 + 1000 ^ (acc >>> 1);
      acc = acc * 18 + 1001 ^ (acc >>> 2);
      acc = acc * 19 + 1002 ^ (acc >>> 3);
      acc = acc * 20 + 1003 ^ (acc >>> 4);
      acc = acc * 21 + 1004 ^ (acc >>> 5);
      acc = acc * 22 + 1005 ^ (acc >>> 6);
      if (where == 10) throw new Escape("escape at point 10");
      acc = acc * 17 + 1100 ^ (acc >>> 1);
      acc = acc * 18 + 1101 ^ (acc >>> 2);
      acc = acc * 19 + 1102 ^ (acc >>> 3);
      acc = acc * 20 + 1103 ^ (acc >>> 4);
      acc = acc * 21 + 1104 ^ (acc >>> 5);
      acc = acc * 22 + 1105 ^ (acc >>> 6);
      if (where == 11) acc += ((String) (Object) Integer.valueOf(acc)).length();
      acc = acc * 17 + 1200 ^ (acc >>> 1);
      acc = acc * 18 + 1201 ^ (acc >>> 2);
      acc = acc * 19 + 1202 ^ (acc >>> 3);
      acc = acc * 20 + 1203 ^ (acc >>> 4);
      acc = acc * 21 + 1204 ^ (acc >>> 5);
      acc = acc * 22 + 1205 ^ (acc >>> 6);
      if (where == 12) throw new IllegalStateException("ise at point 12");
      acc = acc * 17 + 1300 ^ (acc >>> 1);
      acc = acc * 18 + 1301 ^ (acc >>> 2);
      acc = acc * 19 + 1302 ^ (acc >>> 3);
      acc = acc * 20 + 1303 ^ (acc >>> 4);
      acc = acc * 21 + 1304 ^ (acc >>> 5);
      acc = acc * 22 + 1305 ^ (acc >>> 6);
      if (where == 13) acc /= (where - 13);
      acc = acc * 17 + 1400 ^ (acc >>> 1);
      acc = acc * 18 + 1401 ^ (acc >>> 2);
      acc = acc * 19 + 1402 ^ (acc >>> 3);
      acc = acc * 20 + 1403 ^ (acc >>> 4);
      acc = acc * 21 + 1404 ^ (acc >>> 5);
      acc = acc * 22 + 1405 ^ (acc >>> 6);
      if (where == 14) acc += small[where - 14 + 3];
      acc = acc * 17 + 1500 ^ (acc >>> 1);
      acc = acc * 18 + 1501 ^ (acc >>> 2);
      acc = acc * 19 + 1502 ^ (acc >>> 3);
      acc = acc * 20 + 1503 ^ (acc >>> 4);
      acc = acc * 21 + 1504 ^ (acc >>> 5);
      acc = acc * 22 + 1505 ^ (acc >>> 6);
      if (where == 15) acc += Integer.parseInt("point" + where);
      acc = acc * 17 + 1600 ^ (acc >>> 1);
      acc = acc * 18 + 1601 ^ (acc >>> 2);
      acc = acc * 19 + 1602 ^ (acc >>> 3);
      acc = acc * 20 + 1603 ^ (acc >>> 4);
      acc = acc * 21 + 1604 ^ (acc >>> 5);
      acc = acc * 22 + 1605 ^ (acc >>> 6);
      if (where == 16) throw new Escape("escape at point 16");
      acc = acc * 17 + 1700 ^ (acc >>> 1);
      acc = acc * 18 + 1701 ^ (acc >>> 2);
      acc = acc * 19 + 1702 ^ (acc >>> 3);
      acc = acc * 20 + 1703 ^ (acc >>> 4);
      acc = acc * 21 + 1704 ^ (acc >>> 5);
      acc = acc * 22 + 1705 ^ (acc >>> 6);
      if (where == 17) acc += ((String) (Object) Integer.valueOf(acc)).length();
      trail += acc;
      if (where == 100) throw new UnsupportedOperationException("from the end of the try");
    } catch (IllegalStateException | ArithmeticException e) {
      log.append(" caught1 ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append(" acc=").append(acc);
      trail = trail * 17 + 5000 ^ (trail >>> 1);
      trail = trail * 18 + 5001 ^ (trail >>> 2);
      trail = trail * 19 + 5002 ^ (trail >>> 3);
      trail = trail * 20 + 5003 ^ (trail >>> 4);
      trail = trail * 21 + 5004 ^ (trail >>> 5);
      trail = trail * 22 + 5005 ^ (trail >>> 6);
      trail = trail * 23 + 5006 ^ (trail >>> 7);
      trail = trail * 24 + 5007 ^ (trail >>> 1);
      trail = trail * 25 + 5008 ^ (trail >>> 2);
      trail = trail * 26 + 5009 ^ (trail >>> 3);
      trail = trail * 27 + 5010 ^ (trail >>> 4);
      trail = trail * 28 + 5011 ^ (trail >>> 5);
      trail = trail * 29 + 5012 ^ (trail >>> 6);
      trail = trail * 30 + 5013 ^ (trail >>> 7);
      trail = trail * 31 + 5014 ^ (trail >>> 1);
      trail = trail * 32 + 5015 ^ (trail >>> 2);
      trail = trail * 33 + 5016 ^ (trail >>> 3);
      trail = trail * 34 + 5017 ^ (trail >>> 4);
      trail = trail * 35 + 5018 ^ (trail >>> 5);
      trail = trail * 36 + 5019 ^ (trail >>> 6);
      if (where > 11) throw new IllegalStateException("from handler 1, trail=" + trail);
      log.append(" trail=").append(trail);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      log.append(" caught2 ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append(" acc=").append(acc);
      trail = trail * 17 + 6000 ^ (trail >>> 1);
      trail = trail * 18 + 6001 ^ (trail >>> 2);
      trail = trail * 19 + 6002 ^ (trail >>> 3);
      trail = trail * 20 + 6003 ^ (trail >>> 4);
      trail = trail * 21 + 6004 ^ (trail >>> 5);
      trail = trail * 22 + 6005 ^ (trail >>> 6);
      trail = trail * 23 + 6006 ^ (trail >>> 7);
      trail = trail * 24 + 6007 ^ (trail >>> 1);
      trail = trail * 25 + 6008 ^ (trail >>> 2);
      trail = trail * 26 + 6009 ^ (trail >>> 3);
      trail = trail * 27 + 6010 ^ (trail >>> 4);
      trail = trail * 28 + 6011 ^ (trail >>> 5);
      trail = trail * 29 + 6012 ^ (trail >>> 6);
      trail = trail * 30 + 6013 ^ (trail >>> 7);
      trail = trail * 31 + 6014 ^ (trail >>> 1);
      trail = trail * 32 + 6015 ^ (trail >>> 2);
      trail = trail * 33 + 6016 ^ (trail >>> 3);
      trail = trail * 34 + 6017 ^ (trail >>> 4);
      trail = trail * 35 + 6018 ^ (trail >>> 5);
      trail = trail * 36 + 6019 ^ (trail >>> 6);
      log.append(" trail=").append(trail);
    } catch (ClassCastException e) {
      log.append(" caught3 ").append(e.getClass().getSimpleName()).append(" acc=").append(acc);
    } finally {
      finallies++;
      log.append(" finally acc=").append(acc);
      trail = trail * 17 + 7000 ^ (trail >>> 1);
      trail = trail * 18 + 7001 ^ (trail >>> 2);
      trail = trail * 19 + 7002 ^ (trail >>> 3);
      trail = trail * 20 + 7003 ^ (trail >>> 4);
      trail = trail * 21 + 7004 ^ (trail >>> 5);
      trail = trail * 22 + 7005 ^ (trail >>> 6);
      trail = trail * 23 + 7006 ^ (trail >>> 7);
      trail = trail * 24 + 7007 ^ (trail >>> 1);
      trail = trail * 25 + 7008 ^ (trail >>> 2);
      trail = trail * 26 + 7009 ^ (trail >>> 3);
      trail = trail * 27 + 7010 ^ (trail >>> 4);
      trail = trail * 28 + 7011 ^ (trail >>> 5);
      trail = trail * 29 + 7012 ^ (trail >>> 6);
      trail = trail * 30 + 7013 ^ (trail >>> 7);
      trail = trail * 31 + 7014 ^ (trail >>> 1);
      trail = trail * 32 + 7015 ^ (trail >>> 2);
      trail = trail * 33 + 7016 ^ (trail >>> 3);
      trail = trail * 34 + 7017 ^ (trail >>> 4);
      trail = trail * 35 + 7018 ^ (trail >>> 5);
      trail = trail * 36 + 7019 ^ (trail >>> 6);
      log.append(" ftrail=").append(trail);
      if (where == 300 || where == 16) throw new IllegalStateException("from finally, trail=" + trail);
    }
    int nested = 0;
    for (int k = 0; k < 3; k++) {
      try {
        try {
          acc = acc * 17 + 8000 ^ (acc >>> 1);
          acc = acc * 18 + 8001 ^ (acc >>> 2);
          acc = acc * 19 + 8002 ^ (acc >>> 3);
          acc = acc * 20 + 8003 ^ (acc >>> 4);
          acc = acc * 21 + 8004 ^ (acc >>> 5);
          acc = acc * 22 + 8005 ^ (acc >>> 6);
          acc = acc * 23 + 8006 ^ (acc >>> 7);
          acc = acc * 24 + 8007 ^ (acc >>> 1);
          acc = acc * 25 + 8008 ^ (acc >>> 2);
          acc = acc * 26 + 8009 ^ (acc >>> 3);
          acc = acc * 27 + 8010 ^ (acc >>> 4);
          acc = acc * 28 + 8011 ^ (acc >>> 5);
              if (where == 400 + k) throw new Escape("nested " + k);
          nested += acc & 0xff;
        } finally {
          nested += 1000;
          acc = acc * 17 + 9000 ^ (acc >>> 1);
          acc = acc * 18 + 9001 ^ (acc >>> 2);
          acc = acc * 19 + 9002 ^ (acc >>> 3);
          acc = acc * 20 + 9003 ^ (acc >>> 4);
          acc = acc * 21 + 9004 ^ (acc >>> 5);
          acc = acc * 22 + 9005 ^ (acc >>> 6);
          acc = acc * 23 + 9006 ^ (acc >>> 7);
          acc = acc * 24 + 9007 ^ (acc >>> 1);
          acc = acc * 25 + 9008 ^ (acc >>> 2);
          acc = acc * 26 + 9009 ^ (acc >>> 3);
          acc = acc * 27 + 9010 ^ (acc >>> 4);
          acc = acc * 28 + 9011 ^ (acc >>> 5);
            }
      } catch (Escape e) {
        log.append(" nested-caught ").append(e.getMessage()).append(" nested=").append(nested);
      }
    }
    return acc ^ (int) trail ^ nested;
  }

  public static void main(String[] args) {
    int[] points = new int[18 + 9];
    for (int p = 0; p < 18; p++) points[p] = p;
    int[] extra = {-1, 100, 200, 300, 400, 401, 402, 1000, 2};
    System.arraycopy(extra, 0, points, 18, extra.length);
    for (int where : points) {
      log.setLength(0);
      String outcome;
      try {
        outcome = "returned " + work(where, 12345 + where);
      } catch (RuntimeException e) {
        outcome = "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      System.out.println("where=" + where + log + " | " + outcome);
    }
    System.out.println("finally blocks run: " + finallies);
  }
}
