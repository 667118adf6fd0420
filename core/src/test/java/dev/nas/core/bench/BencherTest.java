package dev.nas.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BencherTest {
  @Test
  void countedRunWarmsUpThenTimesEachIteration() {
    AtomicInteger calls = new AtomicInteger();
    Measurement m = Bencher.iterations(3, 20).measure(calls::incrementAndGet);

    assertEquals(23, calls.get());
    assertEquals(3, m.warmupIterations());
    assertEquals(20, m.iterations());
    long sum = 0;
    for (long t : m.iterationNanos()) {
      assertTrue(t >= 0);
      sum += t;
    }
    assertTrue(m.wallNanos() >= sum, "wall time covers every timed iteration");
  }

  @Test
  void timedRunLastsAtLeastTheDuration() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    Measurement m = Bencher.duration(2, Duration.ofMillis(40)).measure(() -> {
      calls.incrementAndGet();
      Thread.sleep(1);
    });

    assertTrue(m.wallNanos() >= 40_000_000L, "ran " + m.wallNanos() + " ns");
    assertTrue(m.iterations() >= 1 && m.iterations() <= 40, m.iterations() + " iterations of >= 1 ms in ~40 ms");
    assertEquals(2 + m.iterations(), calls.get());
    assertTrue(m.stats().minMs() >= 1.0, "each iteration slept 1 ms, min was " + m.stats().minMs());
  }

  @Test
  void stepExceptionsPropagateWithTheirOwnType() {
    Bencher b = Bencher.iterations(0, 5);
    IOException e = assertThrows(IOException.class, () -> b.measure(() -> {
      throw new IOException("device lost");
    }));
    assertEquals("device lost", e.getMessage());
  }

  @Test
  void describesItsModeAndRejectsNonsense() {
    assertEquals(100, Bencher.iterations(5, 100).iterations().getAsInt());
    assertTrue(Bencher.iterations(5, 100).duration().isEmpty());
    assertEquals(Duration.ofSeconds(2), Bencher.duration(0, Duration.ofSeconds(2)).duration().orElseThrow());
    assertTrue(Bencher.duration(0, Duration.ofSeconds(2)).iterations().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Bencher.iterations(0, 0));
    assertThrows(IllegalArgumentException.class, () -> Bencher.iterations(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> Bencher.duration(0, Duration.ZERO));
  }

  @Test
  void measurementTimingsCannotBeChangedFromOutside() {
    long[] raw = {1, 2, 3};
    Measurement m = new Measurement(0, 10, raw);
    raw[0] = 99;
    m.iterationNanos()[1] = 99;
    assertEquals(new Measurement(0, 10, new long[] {1, 2, 3}), m);
  }
}
