package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
  @Test
  void eachEpochIsAPermutation() {
    EpochOrder order = new EpochOrder(1000, 17);
    for (int e = 0; e < 5; e++) {
      int[] p = order.order(e);
      int[] sorted = p.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        assertEquals(i, sorted[i]);
      }
    }
    assertEquals(0, new EpochOrder(0, 1).order(3).length);
  }

  @Test
  void anEpochsOrderDoesNotDependOnHistory() {
    int[] direct = new EpochOrder(500, 3).order(7);
    EpochOrder resumed = new EpochOrder(500, 3);
    int[] buffer = new int[500];
    for (int e = 0; e <= 7; e++) {
      resumed.fill(e, buffer);
    }
    assertArrayEquals(direct, buffer);
  }

  @Test
  void epochsAndSeedsDiffer() {
    EpochOrder order = new EpochOrder(500, 3);
    assertFalse(Arrays.equals(order.order(0), order.order(1)));
    assertFalse(Arrays.equals(order.order(0), new EpochOrder(500, 4).order(0)));
  }

  @Test
  void pinnedOrderAndBatchCounts() {
    // The permutation is part of the resume contract: changing it breaks bit-exact resumes of
    // runs started before the change.
    assertArrayEquals(PINNED, new EpochOrder(10, 1).order(2));
    EpochOrder order = new EpochOrder(10, 0);
    assertEquals(4, order.batches(3, false));
    assertEquals(3, order.batches(3, true));
    assertThrows(IllegalArgumentException.class, () -> order.fill(0, new int[9]));
  }

  private static final int[] PINNED = {8, 0, 1, 6, 4, 3, 7, 5, 9, 2};
}
