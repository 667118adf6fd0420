package dev.nas.search.sdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final int M = 18; // 14 edges + 4 nodes of a DARTS-style cell

  @Test
  void countsAtTheStartTheMiddleAndTheEnd() {
    long t = 1000;
    assertEquals(0, Schedule.A.decisions(M, 0, t));
    assertEquals(9, Schedule.A.decisions(M, t / 2, t)); // 18·0.5
    assertEquals(M, Schedule.A.decisions(M, t, t));
    assertEquals(0, Schedule.B.decisions(M, 0, t));
    assertEquals(1, Schedule.B.decisions(M, t / 2, t)); // floor(18·0.0625) = floor(1.125)
    assertEquals(M, Schedule.B.decisions(M, t, t));
    assertEquals(0, Schedule.C.decisions(M, 0, t));
    assertEquals(16, Schedule.C.decisions(M, t / 2, t)); // floor(18·0.9375) = floor(16.875)
    assertEquals(M, Schedule.C.decisions(M, t, t));
  }

  @Test
  void followsTheFormulasAndNeverGoesBack() {
    long total = 97;
    for (Schedule s : Schedule.values()) {
      int prev = 0;
      for (long t = 0; t <= total; t++) {
        int n = s.decisions(M, t, total);
        double r = (double) t / total;
        double exact = switch (s) {
          case A -> M * r;
          case B -> M * Math.pow(r, 4);
          case C -> M * (1 - Math.pow(1 - r, 4));
        };
        if (Math.abs(exact - Math.rint(exact)) > 1e-9) { // away from integers floating point is exact enough
          assertEquals((int) Math.floor(exact), n, s + " at t=" + t);
        }
        assertTrue(n >= prev, s + " decreases at t=" + t);
        prev = n;
      }
      assertEquals(M, prev);
    }
    // B is the latest and C the earliest schedule
    assertTrue(Schedule.B.decisions(M, 60, 100) < Schedule.A.decisions(M, 60, 100));
    assertTrue(Schedule.C.decisions(M, 30, 100) > Schedule.A.decisions(M, 30, 100));
  }

  @Test
  void exactForLongSearchesAndClampedOutsideTheRange() {
    long total = 50L * 390 * 1000; // far more iterations than a double-based t^4 could hold exactly
    for (Schedule s : Schedule.values()) {
      assertEquals(M, s.decisions(M, total, total));
      assertEquals(M, s.decisions(M, total + 5, total));
      assertEquals(0, s.decisions(M, -3, total));
      assertTrue(s.decisions(M, total - 1, total) <= M);
    }
    assertEquals(M - 1, Schedule.A.decisions(M, total - 1, total));
    assertThrows(IllegalArgumentException.class, () -> Schedule.A.decisions(M, 0, 0));
  }

  @Test
  void algorithmNames() {
    // each schedule is registered as one algorithm, named after it
    assertEquals(Schedule.A, ((Sdas) dev.nas.search.algo.SearchAlgorithms.named("sdas-a")).decisionSchedule()
        .orElseThrow());
    assertEquals(Schedule.C, ((Sdas) dev.nas.search.algo.SearchAlgorithms.named("sdas-c")).decisionSchedule()
        .orElseThrow());
    assertTrue(((dev.nas.search.algo.SupernetAlgorithm) dev.nas.search.algo.SearchAlgorithms.named("das"))
        .decisionSchedule().isEmpty());
  }
}
