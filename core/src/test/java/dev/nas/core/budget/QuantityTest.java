package dev.nas.core.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import org.junit.jupiter.api.Test;

class QuantityTest {
  @Test
  void parsesSiSuffixes() {
    assertEquals(600_000_000L, Quantity.parse("600M"));
    assertEquals(6_000_000L, Quantity.parse("6m"));
    assertEquals(1_500_000_000L, Quantity.parse("1.5G"));
    assertEquals(250_000L, Quantity.parse("250K"));
    assertEquals(12L, Quantity.parse("12"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("lots"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("-3M"));
  }

  @Test
  void verdictsCompareAgainstLimits() {
    assertTrue(new Verdict("macs", 600e6, 574e6, "MACs").passed());
    Verdict over = new Verdict("params", 6e6, 7e6, "params");
    assertFalse(over.passed());
    assertTrue(over.describe().contains("OVER"), over.describe());
  }

  @Test
  void inputShapesWithoutAKnownRankAcceptOnlyUnambiguousForms() {
    assertEquals(FeatureShape.of(3, 32, 32), FeatureShape.parse("3x32x32"));
    assertEquals(FeatureShape.of(3, 16, 112, 112), FeatureShape.parse("1x3x16x112x112"));
    IllegalArgumentException four = assertThrows(IllegalArgumentException.class,
        () -> FeatureShape.parse("1x3x224x224"));
    assertTrue(four.getMessage().contains("ambiguous"), four.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("2x3x16x112x112"));
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("3xAx32"));
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("32x32"));
  }

  @Test
  void fourNumbersAreReadByTheModelsRank() {
    // images: CxHxW or 1xCxHxW
    assertEquals(FeatureShape.of(3, 224, 224), FeatureShape.parse("3x224x224", FeatureShape.IMAGE));
    assertEquals(FeatureShape.of(3, 224, 224), FeatureShape.parse("1x3x224x224", FeatureShape.IMAGE));
    // clips: CxTxHxW or 1xCxTxHxW; a one-channel clip is not mistaken for a batched image
    assertEquals(FeatureShape.of(3, 16, 112, 112), FeatureShape.parse("3x16x112x112", FeatureShape.CLIP));
    assertEquals(FeatureShape.of(1, 16, 112, 112), FeatureShape.parse("1x16x112x112", FeatureShape.CLIP));
    assertEquals(FeatureShape.of(3, 16, 112, 112), FeatureShape.parse("1x3x16x112x112", FeatureShape.CLIP));
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> FeatureShape.parse("8x3x32x32", FeatureShape.IMAGE));
    assertTrue(batch.getMessage().contains("batch of 8"), batch.getMessage());
    IllegalArgumentException clipForImage = assertThrows(IllegalArgumentException.class,
        () -> FeatureShape.parse("1x3x16x32x32", FeatureShape.IMAGE));
    assertTrue(clipForImage.getMessage().contains("takes images"), clipForImage.getMessage());
    IllegalArgumentException imageForClip = assertThrows(IllegalArgumentException.class,
        () -> FeatureShape.parse("3x32x32", FeatureShape.CLIP));
    assertTrue(imageForClip.getMessage().contains("takes clips"), imageForClip.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("3x32x32", 4));
  }

  @Test
  void storedSampleShapesRoundTrip() {
    for (FeatureShape s : new FeatureShape[] {FeatureShape.of(3, 32, 32), FeatureShape.of(3, 8, 32, 32),
        FeatureShape.of(1, 8, 32, 32), FeatureShape.of(10)}) {
      assertEquals(s, FeatureShape.parseSample(s.toString()));
    }
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parseSample("1x3x16x32x32"));
    assertThrows(IllegalArgumentException.class, () -> FeatureShape.parseSample("32x32"));
  }
}
