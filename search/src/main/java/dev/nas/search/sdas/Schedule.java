package dev.nas.search.sdas;

import java.math.BigInteger;

/**
 * How many one-step discretizations SDAS has made after iteration {@code t} of {@code T}, out of
 * {@code M}: A linearly, {@code floor(M·t/T)}; B late, {@code floor(M·(t/T)^4)}; C early,
 * {@code floor(M·(1−(1−t/T)^4))}. Computed in exact integer arithmetic, so that {@code t = T}
 * gives exactly {@code M} however large {@code T} is.
 */
public enum Schedule {
  A, B, C;

  /** In a word: how the decisions are spread over the search (linear, late, early). */
  public String describe() {
    return switch (this) {
      case A -> "linear";
      case B -> "late";
      case C -> "early";
    };
  }

  /** Decisions to have made after {@code t} of {@code total} iterations ({@code t} is clamped to [0, total]). */
  public int decisions(int m, long t, long total) {
    if (m < 0 || total <= 0) {
      throw new IllegalArgumentException("a schedule needs M >= 0 and T > 0 (got M=" + m + ", T=" + total + ")");
    }
    long tc = Math.max(0, Math.min(t, total));
    BigInteger bm = BigInteger.valueOf(m);
    BigInteger bt = BigInteger.valueOf(tc);
    BigInteger bT = BigInteger.valueOf(total);
    return switch (this) {
      case A -> bm.multiply(bt).divide(bT).intValueExact();
      case B -> bm.multiply(bt.pow(4)).divide(bT.pow(4)).intValueExact();
      // floor(M − M·r) = M − ceil(M·r) with r = ((T−t)/T)^4
      case C -> m - ceilDiv(bm.multiply(bT.subtract(bt).pow(4)), bT.pow(4)).intValueExact();
    };
  }

  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }
}
