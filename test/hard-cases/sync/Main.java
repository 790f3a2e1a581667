/*
 * Hard case 6: monitors across a split. inc() is a synchronized method whose long
 * body is cut into pieces: the driver keeps ACC_SYNCHRONIZED, so every piece runs
 * holding the monitor. Its body also holds a synchronized block (a monitor region
 * stays in one piece) and writes the shared counter non-atomically (read early,
 * written pieces later), so two threads calling it concurrently lose updates unless
 * the monitor is held throughout. Thread.holdsLock is checked in every part, and
 * after an exception thrown inside the block the lock must be released.
 */
package sync;

public final class Main {
  final Object lock = new Object();
  int count;
  int inBlock;
  boolean held = true;
  boolean blockHeld = true;

  synchronized long inc(long seed, boolean fail) {
    long acc = seed;
    int before = count;
    held &= Thread.holdsLock(this);
    acc = acc * 17 + 0 ^ (acc >>> 1);
    acc = acc * 18 + 1 ^ (acc >>> 2);
    acc = acc * 19 + 2 ^ (acc >>> 3);
    acc = acc * 20 + 3 ^ (acc >>> 4);
    acc = acc * 21 + 4 ^ (acc >>> 5);
    acc = acc * 22 + 5 ^ (acc >>> 6);
    acc = acc * 23 + 6 ^ (acc >>> 7);
    acc = acc * 24 + 7 ^ (acc >>> 1);
    acc = acc * 25 + 8 ^ (acc >>> 2);
    acc = acc * 26 + 9 ^ (acc >>> 3);
    acc = acc * 27 + 10 ^ (acc >>> 4);
    acc = acc * 28 + 11 ^ (acc >>> 5);
    acc = acc * 29 + 12 ^ (acc >>> 6);
    acc = acc * 30 + 13 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    acc = acc * 17 + 100 ^ (acc >>> 1);
    acc = acc * 18 + 101 ^ (acc >>> 2);
    acc = acc * 19 + 102 ^ (acc >>> 3);
    acc = acc * 20 + 103 ^ (acc >>> 4);
    acc = acc * 21 + 104 ^ (acc >>> 5);
    acc = acc * 22 + 105 ^ (acc >>> 6);
    acc = acc * 23 + 106 ^ (acc >>> 7);
    acc = acc * 24 + 107 ^ (acc >>> 1);
    acc = acc * 25 + 108 ^ (acc >>> 2);
    acc = acc * 26 + 109 ^ (acc >>> 3);
    acc = acc * 27 + 110 ^ (acc >>> 4);
    acc = acc * 28 + 111 ^ (acc >>> 5);
    acc = acc * 29 + 112 ^ (acc >>> 6);
    acc = acc * 30 + 113 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    acc = acc * 17 + 200 ^ (acc >>> 1);
    acc = acc * 18 + 201 ^ (acc >>> 2);
    acc = acc * 19 + 202 ^ (acc >>> 3);
    acc = acc * 20 + 203 ^ (acc >>> 4);
    acc = acc * 21 + 204 ^ (acc >>> 5);
    acc = acc * 22 + 205 ^ (acc >>> 6);
    acc = acc * 23 + 206 ^ (acc >>> 7);
    acc = acc * 24 + 207 ^ (acc >>> 1);
    acc = acc * 25 + 208 ^ (acc >>> 2);
    acc = acc * 26 + 209 ^ (acc >>> 3);
    acc = acc * 27 + 210 ^ (acc >>> 4);
    acc = acc * 28 + 211 ^ (acc >>> 5);
    acc = acc * 29 + 212 ^ (acc >>> 6);
    acc = acc * 30 + 213 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    acc = acc * 17 + 300 ^ (acc >>> 1);
    acc = acc * 18 + 301 ^ (acc >>> 2);
    acc = acc * 19 + 302 ^ (acc >>> 3);
    acc = acc * 20 + 303 ^ (acc >>> 4);
    acc = acc * 21 + 304 ^ (acc >>> 5);
    acc = acc * 22 + 305 ^ (acc >>> 6);
    acc = acc * 23 + 306 ^ (acc >>> 7);
    acc = acc * 24 + 307 ^ (acc >>> 1);
    acc = acc * 25 + 308 ^ (acc >>> 2);
    acc = acc * 26 + 309 ^ (acc >>> 3);
    acc = acc * 27 + 310 ^ (acc >>> 4);
    acc = acc * 28 + 311 ^ (acc >>> 5);
    acc = acc * 29 + 312 ^ (acc >>> 6);
    acc = acc * 30 + 313 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    acc = acc * 17 + 400 ^ (acc >>> 1);
    acc = acc * 18 + 401 ^ (acc >>> 2);
    acc = acc * 19 + 402 ^ (acc >>> 3);
    acc = acc * 20 + 403 ^ (acc >>> 4);
    acc = acc * 21 + 404 ^ (acc >>> 5);
    acc = acc * 22 + 405 ^ (acc >>> 6);
    acc = acc * 23 + 406 ^ (acc >>> 7);
    acc = acc * 24 + 407 ^ (acc >>> 1);
    acc = acc * 25 + 408 ^ (acc >>> 2);
    acc = acc * 26 + 409 ^ (acc >>> 3);
    acc = acc * 27 + 410 ^ (acc >>> 4);
    acc = acc * 28 + 411 ^ (acc >>> 5);
    acc = acc * 29 + 412 ^ (acc >>> 6);
    acc = acc * 30 + 413 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    acc = acc * 17 + 500 ^ (acc >>> 1);
    acc = acc * 18 + 501 ^ (acc >>> 2);
    acc = acc * 19 + 502 ^ (acc >>> 3);
    acc = acc * 20 + 503 ^ (acc >>> 4);
    acc = acc * 21 + 504 ^ (acc >>> 5);
    acc = acc * 22 + 505 ^ (acc >>> 6);
    acc = acc * 23 + 506 ^ (acc >>> 7);
    acc = acc * 24 + 507 ^ (acc >>> 1);
    acc = acc * 25 + 508 ^ (acc >>> 2);
    acc = acc * 26 + 509 ^ (acc >>> 3);
    acc = acc * 27 + 510 ^ (acc >>> 4);
    acc = acc * 28 + 511 ^ (acc >>> 5);
    acc = acc * 29 + 512 ^ (acc >>> 6);
    acc = acc * 30 + 513 ^ (acc >>> 7);
    held &= Thread.holdsLock(this) && !Thread.holdsLock(lock);
    count = count + (int) (acc & 1) + 1;
    synchronized (lock) {
      blockHeld &= Thread.holdsLock(lock) && Thread.holdsLock(this);
      int b = inBlock;
      acc = acc * 17 + 900 ^ (acc >>> 1);
      acc = acc * 18 + 901 ^ (acc >>> 2);
      acc = acc * 19 + 902 ^ (acc >>> 3);
      acc = acc * 20 + 903 ^ (acc >>> 4);
      acc = acc * 21 + 904 ^ (acc >>> 5);
      acc = acc * 22 + 905 ^ (acc >>> 6);
      acc = acc * 23 + 906 ^ (acc >>> 7);
      acc = acc * 24 + 907 ^ (acc >>> 1);
      acc = acc * 25 + 908 ^ (acc >>> 2);
      acc = acc * 26 + 909 ^ (acc >>> 3);
      acc = acc * 27 + 910 ^ (acc >>> 4);
      acc = acc * 28 + 911 ^ (acc >>> 5);
      acc = acc * 29 + 912 ^ (acc >>> 6);
      acc = acc * 30 + 913 ^ (acc >>> 7);
      acc = acc * 31 + 914 ^ (acc >>> 1);
      acc = acc * 32 + 915 ^ (acc >>> 2);
      if (fail && (acc & 3) != 7) throw new IllegalStateException("inside the block");
      inBlock = b + 1;
    }
    held &= !Thread.holdsLock(lock);
    acc = acc * 17 + 1100 ^ (acc >>> 1);
    acc = acc * 18 + 1101 ^ (acc >>> 2);
    acc = acc * 19 + 1102 ^ (acc >>> 3);
    acc = acc * 20 + 1103 ^ (acc >>> 4);
    acc = acc * 21 + 1104 ^ (acc >>> 5);
    acc = acc * 22 + 1105 ^ (acc >>> 6);
    acc = acc * 23 + 1106 ^ (acc >>> 7);
    acc = acc * 24 + 1107 ^ (acc >>> 1);
    acc = acc * 25 + 1108 ^ (acc >>> 2);
    acc = acc * 26 + 1109 ^ (acc >>> 3);
    acc = acc * 27 + 1110 ^ (acc >>> 4);
    acc = acc * 28 + 1111 ^ (acc >>> 5);
    acc = acc * 29 + 1112 ^ (acc >>> 6);
    acc = acc * 30 + 1113 ^ (acc >>> 7);
    held &= Thread.holdsLock(this);
    count = before + 1;
    return acc;
  }

  public static void main(String[] args) throws InterruptedException {
    Main m = new Main();
    long[] sums = new long[2];
    Thread[] threads = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        long s = 0;
        for (int i = 0; i < 20000; i++) s += m.inc(i, false);
        sums[id] = s;
      });
      threads[t].start();
    }
    for (Thread t : threads) t.join();
    System.out.println("count=" + m.count + " inBlock=" + m.inBlock + " held=" + m.held + " blockHeld=" + m.blockHeld + " sums=" + sums[0] + "," + sums[1]);
    try {
      m.inc(5, true);
    } catch (IllegalStateException e) {
      System.out.println("caught " + e.getMessage() + " holds this=" + Thread.holdsLock(m) + " holds lock=" + Thread.holdsLock(m.lock));
    }
    Thread other = new Thread(() -> {
      synchronized (m.lock) {
        synchronized (m) {
          System.out.println("other thread took both monitors, count=" + m.count);
        }
      }
    });
    other.start();
    other.join();
    System.out.println("after: count=" + m.count + " inBlock=" + m.inBlock + " held=" + m.held + " blockHeld=" + m.blockHeld + " " + m.inc(7, false));
  }
}
