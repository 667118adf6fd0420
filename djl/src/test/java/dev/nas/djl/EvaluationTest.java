package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import dev.nas.data.ImageDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Multi-clip test evaluation: per-clip top-1 and per-video top-1 from clip-averaged softmax scores. */
class EvaluationTest {
  /** Logits per clip, in dataset order: 2 videos × 3 clips, 3 classes. */
  private static final float[][] LOGITS = {
      // video 0, label 0: two clips lean weakly to class 1, one is sure of class 0
      {0, 0.1f, 0}, {5, 0, 0}, {0, 0.1f, 0},
      // video 1, label 2: two clips say 2, one leans weakly to 1
      {0, 0, 1}, {0, 0, 1}, {0, 0.5f, 0}};

  private static ImageDataset clips() {
    int[] labels = {0, 0, 0, 2, 2, 2};
    return ImageDataset.of(FeatureShape.of(1, 1, 1, 1), new byte[6], labels, List.of("a", "b", "c"));
  }

  private static Evaluation evaluate(int batch, int views) {
    int[] next = {0};
    try (NDManager m = NDManager.newBaseManager()) {
      return Evaluation.of(x -> {
        int n = (int) x.getShape().get(0);
        float[] flat = new float[n * 3];
        for (int i = 0; i < n; i++) {
          System.arraycopy(LOGITS[next[0]++], 0, flat, i * 3, 3);
        }
        return x.getManager().create(flat, new Shape(n, 3));
      }, clips(), batch, m, DataType.FLOAT32, views);
    }
  }

  @Test
  void videoTop1AveragesTheSoftmaxOfEachVideosClips() {
    for (int batch : new int[] {6, 4}) { // within one batch and across batches
      Evaluation e = evaluate(batch, 3);
      assertEquals(0.5, e.top1(), 1e-12, "per clip: 1 of 3 and 2 of 3");
      assertEquals(1.0, e.videoTop1(), 1e-12, "per video: both right after averaging");
      assertEquals(2, e.videos());
      assertEquals(6, e.samples());
    }
  }

  @Test
  void singleViewsReportThePerSampleAccuracyTwice() {
    Evaluation e = evaluate(6, 1);
    assertEquals(0.5, e.top1(), 1e-12);
    assertEquals(e.top1(), e.videoTop1());
    assertEquals(6, e.videos());
    assertThrows(IllegalArgumentException.class, () -> evaluate(6, 4));
  }
}
