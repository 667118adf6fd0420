package dev.nas.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  private static final double EPS = 1e-9;

  @Test
  void oneToHundredMillisecondsGiveInterpolatedPercentiles() {
    List<Long> nanos = new ArrayList<>();
    for (long ms = 1; ms <= 100; ms++) {
      nanos.add(ms * 1_000_000L);
    }
    // Order must not matter.
    Collections.shuffle(nanos, new Random(7));
    LatencyStats s = LatencyStats.fromNanos(nanos);

    assertEquals(100, s.count());
    assertEquals(50.5, s.meanMs(), EPS);
    assertEquals(1.0, s.minMs(), EPS);
    assertEquals(100.0, s.maxMs(), EPS);
    // h = 99 * p: p50 -> 49.5 (between 50 and 51 ms), p90 -> 89.1, p99 -> 98.01; numpy gives the same.
    assertEquals(50.5, s.p50Ms(), EPS);
    assertEquals(90.1, s.p90Ms(), EPS);
    assertEquals(99.01, s.p99Ms(), EPS);
    // Sample standard deviation of 1..100 is sqrt(100 * 101 / 12).
    assertEquals(Math.sqrt(100 * 101 / 12.0), s.stddevMs(), EPS);
  }

  @Test
  void singleTimingHasZeroSpread() {
    LatencyStats s = LatencyStats.fromNanos(2_500_000L);
    assertEquals(1, s.count());
    assertEquals(2.5, s.p50Ms(), EPS);
    assertEquals(2.5, s.p99Ms(), EPS);
    assertEquals(0.0, s.stddevMs(), EPS);
  }

  @Test
  void percentileEndpointsAreMinAndMax() {
    double[] sorted = {1, 2, 4};
    assertEquals(1, LatencyStats.percentile(sorted, 0), EPS);
    assertEquals(4, LatencyStats.percentile(sorted, 100), EPS);
    assertEquals(3, LatencyStats.percentile(sorted, 75), EPS);
  }

  @Test
  void rejectsEmptyAndNegativeTimings() {
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.fromNanos());
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.fromNanos(List.of()));
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.fromNanos(5L, -1L));
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new double[] {1}, 101));
  }
}
