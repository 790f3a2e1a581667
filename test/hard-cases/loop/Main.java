/*
 * Hard case 1: a loop whose body is cut into several pieces runs 100 million
 * times under -Xss256k. Every iteration walks the cheap path through the blocks
 * of several pieces (the rare branches are big and taken once in 2^20 iterations),
 * so a transfer that grew the stack (a call instead of a return to the driver)
 * would overflow it long before the end. Prints a checksum every 2^24 iterations.
 */
package loop;

public final class Main {
  static long run(int n) {
    long sum = 0;
    int x = 1;
    int rare = 0;
    for (int i = 0; i < n; i++) {
      x = x * 1103515245 + 12345;
      if ((i & 0xFFFFF) == 0) {
        long s0 = sum + x;
          s0 = s0 * 31 + (i ^ 0) - (s0 >>> 1);
          s0 = s0 * 32 + (i ^ 7) - (s0 >>> 2);
          s0 = s0 * 33 + (i ^ 14) - (s0 >>> 3);
          s0 = s0 * 34 + (i ^ 21) - (s0 >>> 4);
          s0 = s0 * 35 + (i ^ 28) - (s0 >>> 5);
          s0 = s0 * 36 + (i ^ 35) - (s0 >>> 6);
          s0 = s0 * 37 + (i ^ 42) - (s0 >>> 7);
          s0 = s0 * 38 + (i ^ 49) - (s0 >>> 8);
          s0 = s0 * 39 + (i ^ 56) - (s0 >>> 9);
          s0 = s0 * 40 + (i ^ 63) - (s0 >>> 10);
          s0 = s0 * 41 + (i ^ 70) - (s0 >>> 11);
          s0 = s0 * 42 + (i ^ 77) - (s0 >>> 12);
          s0 = s0 * 43 + (i ^ 84) - (s0 >>> 13);
          s0 = s0 * 44 + (i ^ 91) - (s0 >>> 1);
          s0 = s0 * 45 + (i ^ 98) - (s0 >>> 2);
          s0 = s0 * 46 + (i ^ 105) - (s0 >>> 3);
          s0 = s0 * 47 + (i ^ 112) - (s0 >>> 4);
          s0 = s0 * 48 + (i ^ 119) - (s0 >>> 5);
          s0 = s0 * 49 + (i ^ 126) - (s0 >>> 6);
          s0 = s0 * 50 + (i ^ 133) - (s0 >>> 7);
          s0 = s0 * 51 + (i ^ 140) - (s0 >>> 8);
          s0 = s0 * 52 + (i ^ 147) - (s0 >>> 9);
          sum ^= s0;
          rare++;
      }
      sum += x >>> 28;
      x = x * 1103515245 + 12345;
      if ((i & 0xFFFFF) == 1) {
        long s1 = sum + x;
          s1 = s1 * 31 + (i ^ 1) - (s1 >>> 1);
          s1 = s1 * 32 + (i ^ 8) - (s1 >>> 2);
          s1 = s1 * 33 + (i ^ 15) - (s1 >>> 3);
          s1 = s1 * 34 + (i ^ 22) - (s1 >>> 4);
          s1 = s1 * 35 + (i ^ 29) - (s1 >>> 5);
          s1 = s1 * 36 + (i ^ 36) - (s1 >>> 6);
          s1 = s1 * 37 + (i ^ 43) - (s1 >>> 7);
          s1 = s1 * 38 + (i ^ 50) - (s1 >>> 8);
          s1 = s1 * 39 + (i ^ 57) - (s1 >>> 9);
          s1 = s1 * 40 + (i ^ 64) - (s1 >>> 10);
          s1 = s1 * 41 + (i ^ 71) - (s1 >>> 11);
          s1 = s1 * 42 + (i ^ 78) - (s1 >>> 12);
          s1 = s1 * 43 + (i ^ 85) - (s1 >>> 13);
          s1 = s1 * 44 + (i ^ 92) - (s1 >>> 1);
          s1 = s1 * 45 + (i ^ 99) - (s1 >>> 2);
          s1 = s1 * 46 + (i ^ 106) - (s1 >>> 3);
          s1 = s1 * 47 + (i ^ 113) - (s1 >>> 4);
          s1 = s1 * 48 + (i ^ 120) - (s1 >>> 5);
          s1 = s1 * 49 + (i ^ 127) - (s1 >>> 6);
          s1 = s1 * 50 + (i ^ 134) - (s1 >>> 7);
          s1 = s1 * 51 + (i ^ 141) - (s1 >>> 8);
          s1 = s1 * 52 + (i ^ 148) - (s1 >>> 9);
          sum ^= s1;
          rare++;
      }
      sum += x >>> 27;
      x = x * 1103515245 + 12345;
      if ((i & 0xFFFFF) == 2) {
        long s2 = sum + x;
          s2 = s2 * 31 + (i ^ 2) - (s2 >>> 1);
          s2 = s2 * 32 + (i ^ 9) - (s2 >>> 2);
          s2 = s2 * 33 + (i ^ 16) - (s2 >>> 3);
          s2 = s2 * 34 + (i ^ 23) - (s2 >>> 4);
          s2 = s2 * 35 + (i ^ 30) - (s2 >>> 5);
          s2 = s2 * 36 + (i ^ 37) - (s2 >>> 6);
          s2 = s2 * 37 + (i ^ 44) - (s2 >>> 7);
          s2 = s2 * 38 + (i ^ 51) - (s2 >>> 8);
          s2 = s2 * 39 + (i ^ 58) - (s2 >>> 9);
          s2 = s2 * 40 + (i ^ 65) - (s2 >>> 10);
          s2 = s2 * 41 + (i ^ 72) - (s2 >>> 11);
          s2 = s2 * 42 + (i ^ 79) - (s2 >>> 12);
          s2 = s2 * 43 + (i ^ 86) - (s2 >>> 13);
          s2 = s2 * 44 + (i ^ 93) - (s2 >>> 1);
          s2 = s2 * 45 + (i ^ 100) - (s2 >>> 2);
          s2 = s2 * 46 + (i ^ 107) - (s2 >>> 3);
          s2 = s2 * 47 + (i ^ 114) - (s2 >>> 4);
          s2 = s2 * 48 + (i ^ 121) - (s2 >>> 5);
          s2 = s2 * 49 + (i ^ 128) - (s2 >>> 6);
          s2 = s2 * 50 + (i ^ 135) - (s2 >>> 7);
          s2 = s2 * 51 + (i ^ 142) - (s2 >>> 8);
          s2 = s2 * 52 + (i ^ 149) - (s2 >>> 9);
          sum ^= s2;
          rare++;
      }
      sum += x >>> 26;
      x = x * 1103515245 + 12345;
      if ((i & 0xFFFFF) == 3) {
        long s3 = sum + x;
          s3 = s3 * 31 + (i ^ 3) - (s3 >>> 1);
          s3 = s3 * 32 + (i ^ 10) - (s3 >>> 2);
          s3 = s3 * 33 + (i ^ 17) - (s3 >>> 3);
          s3 = s3 * 34 + (i ^ 24) - (s3 >>> 4);
          s3 = s3 * 35 + (i ^ 31) - (s3 >>> 5);
          s3 = s3 * 36 + (i ^ 38) - (s3 >>> 6);
          s3 = s3 * 37 + (i ^ 45) - (s3 >>> 7);
          s3 = s3 * 38 + (i ^ 52) - (s3 >>> 8);
          s3 = s3 * 39 + (i ^ 59) - (s3 >>> 9);
          s3 = s3 * 40 + (i ^ 66) - (s3 >>> 10);
          s3 = s3 * 41 + (i ^ 73) - (s3 >>> 11);
          s3 = s3 * 42 + (i ^ 80) - (s3 >>> 12);
          s3 = s3 * 43 + (i ^ 87) - (s3 >>> 13);
          s3 = s3 * 44 + (i ^ 94) - (s3 >>> 1);
          s3 = s3 * 45 + (i ^ 101) - (s3 >>> 2);
          s3 = s3 * 46 + (i ^ 108) - (s3 >>> 3);
          s3 = s3 * 47 + (i ^ 115) - (s3 >>> 4);
          s3 = s3 * 48 + (i ^ 122) - (s3 >>> 5);
          s3 = s3 * 49 + (i ^ 129) - (s3 >>> 6);
          s3 = s3 * 50 + (i ^ 136) - (s3 >>> 7);
          s3 = s3 * 51 + (i ^ 143) - (s3 >>> 8);
          s3 = s3 * 52 + (i ^ 150) - (s3 >>> 9);
          sum ^= s3;
          rare++;
      }
      sum += x >>> 25;
      if ((i & 0xFFFFFF) == 0xFFFFFF) System.out.println("i=" + i + " sum=" + sum + " rare=" + rare);
    }
    return sum ^ rare;
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000_000;
    System.out.println("result " + run(n));
  }
}
