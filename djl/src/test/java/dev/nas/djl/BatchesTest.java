package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import dev.nas.data.Augmentation;
import dev.nas.data.ImageDataset;
import dev.nas.data.SyntheticMotion;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchesTest {
  @Test
  void clipsComeOutAsFiveDimensionalBatches() {
    ImageDataset clips = SyntheticMotion.generate(FeatureShape.of(3, 4, 16, 16), 4, 6, 1, 0);
    Batches batches = new Batches(clips, 4, DataType.FLOAT32);
    try (NDManager m = NDManager.newBaseManager()) {
      Batch b = batches.get(m, new int[] {5, 2, 0}, 1, 2, new Augmentation(2, true, 0), new SplittableRandom(3));
      assertEquals(new Shape(2, 3, 4, 16, 16), b.x().getShape());
      assertArrayEquals(new int[] {2, 0}, b.labels());
      Batch plain = batches.get(m, new int[] {5}, 0, 1, null, null);
      float[] x = plain.x().toFloatArray();
      // Channel 1, frame 2, row 3, column 4 of sample 5.
      assertEquals(clips.pixel(5, 1, 2, 3, 4) / 255f, x[((1 * 4 + 2) * 16 + 3) * 16 + 4], 1e-7);
    }
  }
}
