package dev.nas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.djl.optim.LrSchedule;
import org.junit.jupiter.api.Test;

/** The training recipes' learning-rate schedules: warm-up, cosine, exponential decay. */
class LrPolicyTest {
  @Test
  void exponentialDecayMultipliesEveryEpochAfterALinearWarmup() {
    LrSchedule s = new LrPolicy(LrPolicy.Kind.EXPONENTIAL, 2, 0.97).schedule(0.1, 0, 10);
    assertEquals(0.05, s.lr(0), 1e-12, "warm-up epoch 1 of 2");
    assertEquals(0.1, s.lr(1), 1e-12, "warm-up ends at the learning rate");
    assertEquals(0.1, s.lr(2), 1e-12, "the decay starts where the warm-up ends");
    assertEquals(0.1 * 0.97, s.lr(3), 1e-12);
    assertEquals(0.1 * Math.pow(0.97, 7), s.lr(9), 1e-12);
  }

  @Test
  void cosineAfterWarmupSpansTheRemainingEpochs() {
    LrSchedule s = new LrPolicy(LrPolicy.Kind.COSINE, 5, 0.97).schedule(0.5, 0, 25);
    assertEquals(0.1, s.lr(0), 1e-12);
    assertEquals(0.5, s.lr(5), 1e-12);
    assertEquals(0.25, s.lr(15), 1e-12, "half-way through the 20 cosine epochs");
    assertTrue(s.lr(24) < 0.01);
    assertEquals(new LrPolicy(LrPolicy.Kind.COSINE, 0, 0.97).schedule(0.5, 0, 25).lr(3),
        new dev.nas.djl.optim.CosineSchedule(0.5, 0, 25).lr(3), 0, "no warm-up: DARTS' cosine exactly");
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrPolicy(LrPolicy.Kind.COSINE, 10, 0.97)
        .schedule(0.1, 0, 10)).getMessage().contains("--warmup-epochs (10) must be below --epochs (10)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LrPolicy(LrPolicy.Kind.EXPONENTIAL, 0, 1.5))
        .getMessage().contains("--lr-decay must be in (0, 1]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LrPolicy.Kind.parse("step")).getMessage()
        .contains("--lr-schedule must be cosine or exponential"));
  }
}
