package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrtBuildOptionsTest {
  @Test
  void profileMustBeOrderedAndPositive() {
    TrtBuildOptions ok = new TrtBuildOptions(256, true, 1, 1, 1, Path.of("cache.bin"));
    assertEquals(256L << 20, ok.workspaceBytes());
    assertEquals("fp16", ok.precision());
    TrtBuildOptions d = TrtBuildOptions.defaults();
    assertEquals(List.of(1, 8, 32), List.of(d.minBatch(), d.optBatch(), d.maxBatch()));
    assertEquals("fp32", d.precision());
    assertEquals(1024L << 20, d.workspaceBytes());

    for (int[] bad : new int[][] {{0, 1, 1}, {2, 1, 4}, {1, 8, 4}, {-1, -1, -1}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new TrtBuildOptions(1024, false, bad[0], bad[1], bad[2], null));
      assertTrue(e.getMessage().contains("1 <= min <= opt <= max"), e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrtBuildOptions(0, false, 1, 1, 1, null))
        .getMessage().contains("workspace"));
    assertThrows(IllegalArgumentException.class, () -> new TrtBuildOptions(1L << 40, false, 1, 1, 1, null));
  }

  @Test
  void defaultOptStaysInsideTheGivenRange() {
    assertEquals(8, TrtBuildOptions.defaultOpt(1, 32));
    assertEquals(4, TrtBuildOptions.defaultOpt(1, 4));
    assertEquals(16, TrtBuildOptions.defaultOpt(16, 64));
  }
}
