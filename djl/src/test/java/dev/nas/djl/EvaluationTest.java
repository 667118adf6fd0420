package dev.nas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import ai.djl.ndarray.NDArray;
import dev.nas.data.ImageDataset;
import dev.nas.data.MultiCrop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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

  /** Three 1×8×8 images of 3 classes; pixel bytes vary so that every crop differs. */
  private static ImageDataset images() {
    byte[] px = new byte[3 * 64];
    for (int k = 0; k < px.length; k++) {
      px[k] = (byte) ((k * 37 + 11) % 251);
    }
    return ImageDataset.of(FeatureShape.of(1, 8, 8), px, new int[] {0, 1, 2}, List.of("a", "b", "c"));
  }

  /** Fixed weights of a linear classifier of 8×8 images into 3 classes. */
  private static float weight(int c, int k) {
    return (float) Math.sin(1.7 * c + 0.31 * k) * 4;
  }

  /** Logits of that classifier; {@code seen} collects every batch it was given. */
  private static Function<NDArray, NDArray> linear(List<float[]> seen) {
    return x -> {
      float[] in = x.toFloatArray();
      seen.add(in);
      int n = in.length / 64;
      float[] out = new float[n * 3];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
          for (int k = 0; k < 64; k++) {
            out[i * 3 + c] += weight(c, k) * in[i * 64 + k];
          }
        }
      }
      return x.getManager().create(out, new Shape(n, 3));
    };
  }

  /** Image {@code i} padded by {@code p} with zeros, cropped 8×8 at (oy, ox) of the padded image, mirrored or not. */
  private static double[] crop(ImageDataset d, int i, int p, int oy, int ox, boolean flip) {
    double[] out = new double[64];
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int sx = flip ? 7 - x : x;
        int iy = y + oy - p;
        int ix = sx + ox - p;
        out[y * 8 + x] = iy < 0 || iy >= 8 || ix < 0 || ix >= 8 ? 0 : d.pixel(i, 0, iy, ix) / 255.0;
      }
    }
    return out;
  }

  @Test
  void oneCropIsTheSingleViewEvaluationExactly() {
    ImageDataset data = images();
    try (NDManager m = NDManager.newBaseManager()) {
      List<float[]> plain = new ArrayList<>();
      List<float[]> one = new ArrayList<>();
      Evaluation a = Evaluation.of(linear(plain), data, 2, m, DataType.FLOAT32);
      Evaluation b = Evaluation.of(linear(one), data, 2, m, DataType.FLOAT32, 1, MultiCrop.of(1, data));
      assertEquals(a, b);
      assertEquals(1, b.crops());
      assertEquals(2, one.size(), "one forward pass per batch");
      for (int i = 0; i < 2; i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.get(i), one.get(i));
      }
      float[] first = one.get(0);
      for (int k = 0; k < 64; k++) {
        assertEquals((float) crop(data, 0, 0, 0, 0, false)[k], first[k], 1e-7, "the image as is");
      }
    }
  }

  @Test
  void tenCropsAverageTheSoftmaxOfTenViews() {
    ImageDataset data = images();
    int p = 1; // 8 / 8
    int[][] at = {{p, p}, {0, 0}, {0, 2 * p}, {2 * p, 0}, {2 * p, 2 * p}};
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < 3; i++) {
      double[] mean = new double[3];
      for (int v = 0; v < 10; v++) {
        double[] px = crop(data, i, p, at[v % 5][0], at[v % 5][1], v >= 5);
        double[] z = new double[3];
        double norm = 0;
        for (int c = 0; c < 3; c++) {
          for (int k = 0; k < 64; k++) {
            z[c] += weight(c, k) * px[k];
          }
          norm += Math.exp(z[c]);
        }
        for (int c = 0; c < 3; c++) {
          mean[c] += Math.exp(z[c]) / norm / 10;
        }
      }
      loss -= Math.log(mean[data.label(i)]) / 3;
      int best = mean[0] >= mean[1] && mean[0] >= mean[2] ? 0 : mean[1] >= mean[2] ? 1 : 2;
      correct += best == data.label(i) ? 1 : 0;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      List<float[]> seen = new ArrayList<>();
      Evaluation e = Evaluation.of(linear(seen), data, 2, m, DataType.FLOAT32, 1, MultiCrop.of(10, data));
      assertEquals(20, seen.size(), "10 views of each of the 2 batches");
      assertEquals(10, e.crops());
      assertEquals(loss, e.loss(), 1e-5, "cross-entropy of the view-averaged softmax");
      assertEquals(correct / 3.0, e.top1(), 1e-12);
      Evaluation single = Evaluation.of(linear(new ArrayList<>()), data, 2, m, DataType.FLOAT32);
      assertTrue(Math.abs(single.loss() - e.loss()) > 1e-3, "the views change the score");
    }
  }
}
