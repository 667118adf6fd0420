package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static int[] labels(int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = (i * 7) % classes;
    }
    return l;
  }

  @Test
  void splitIsStratifiedDisjointAndComplete() {
    int[] labels = labels(1000, 10);
    IndexSplit s = Splits.byFraction(labels, 10, 0.25, 5);
    assertEquals(250, s.heldOut().length);
    assertEquals(750, s.kept().length);
    int[] heldPerClass = new int[10];
    for (int i : s.heldOut()) {
      heldPerClass[labels[i]]++;
    }
    for (int c : heldPerClass) {
      assertEquals(25, c);
    }
    int[] all = new int[1000];
    System.arraycopy(s.kept(), 0, all, 0, 750);
    System.arraycopy(s.heldOut(), 0, all, 750, 250);
    Arrays.sort(all);
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, all[i]);
    }
    assertTrue(isAscending(s.kept()) && isAscending(s.heldOut()));
  }

  @Test
  void roundingGoesToLargestRemaindersAndSeedDecides() {
    int[] labels = {0, 0, 0, 1, 1, 1, 1, 1, 1, 2};
    IndexSplit s = Splits.byCount(labels, 3, 3, 1);
    int[] perClass = new int[3];
    for (int i : s.heldOut()) {
      perClass[labels[i]]++;
    }
    // Exact shares 0.9, 1.8, 0.3: floors 0, 1, 0, then the two largest remainders get one each.
    assertArrayEquals(new int[] {1, 2, 0}, perClass);
    assertArrayEquals(s.heldOut(), Splits.byCount(labels, 3, 3, 1).heldOut());
    int[] many = labels(400, 4);
    assertFalse(Arrays.equals(Splits.byCount(many, 4, 100, 1).heldOut(), Splits.byCount(many, 4, 100, 2).heldOut()));
  }

  @Test
  void trainValidationSplitsTheDataset() {
    ImageDataset data = ImageDataset.of(FeatureShape.of(1, 1, 2), new byte[40], labels(20, 2), List.of("a", "b"));
    TrainValidation tv = Splits.trainValidation(data, 0.5, 0);
    assertEquals(10, tv.train().size());
    assertArrayEquals(new int[] {5, 5}, tv.validation().classCounts());
    assertEquals(0, Splits.trainValidation(data, 0, 0).validation().size());
    assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(data, 1.5, 0));
  }

  private static boolean isAscending(int[] a) {
    for (int i = 1; i < a.length; i++) {
      if (a[i] <= a[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
