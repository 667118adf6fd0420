package dev.nas.data;

/**
 * Separable resizing of float planes. Per axis: when shrinking, each output pixel is the area
 * average of the source pixels its footprint covers (partial pixels weighted by overlap), which
 * does not alias the way plain bilinear sampling does at large reductions; when enlarging,
 * bilinear interpolation with pixel centres aligned (PyTorch's {@code align_corners=False});
 * when the size is unchanged, an exact copy.
 */
final class Resampler {
  private final Axis rows;
  private final Axis cols;
  private final int srcH;
  private final int srcW;
  private final int dstH;
  private final int dstW;

  Resampler(int srcH, int srcW, int dstH, int dstW) {
    this.srcH = srcH;
    this.srcW = srcW;
    this.dstH = dstH;
    this.dstW = dstW;
    this.rows = Axis.of(srcH, dstH);
    this.cols = Axis.of(srcW, dstW);
  }

  int sourceHeight() {
    return srcH;
  }

  int sourceWidth() {
    return srcW;
  }

  int targetHeight() {
    return dstH;
  }

  int targetWidth() {
    return dstW;
  }

  /** Resizes one {@code srcH×srcW} plane into a new {@code dstH×dstW} plane. */
  float[] resize(float[] src) {
    float[] across = new float[srcH * dstW];
    for (int y = 0; y < srcH; y++) {
      for (int x = 0; x < dstW; x++) {
        across[y * dstW + x] = cols.sample(src, y * srcW, 1, x);
      }
    }
    float[] out = new float[dstH * dstW];
    for (int y = 0; y < dstH; y++) {
      for (int x = 0; x < dstW; x++) {
        out[y * dstW + x] = rows.sample(across, x, dstW, y);
      }
    }
    return out;
  }

  /** For each output index, a run of source indices starting at {@code first} with weights. */
  private record Axis(int[] first, float[][] weights) {
    static Axis of(int src, int dst) {
      int[] first = new int[dst];
      float[][] weights = new float[dst][];
      double scale = (double) src / dst;
      for (int o = 0; o < dst; o++) {
        if (src == dst) {
          first[o] = o;
          weights[o] = new float[] {1f};
        } else if (src > dst) {
          double lo = o * scale;
          double hi = (o + 1) * scale;
          int k0 = (int) Math.floor(lo);
          int k1 = Math.min(src, (int) Math.ceil(hi));
          first[o] = k0;
          weights[o] = new float[k1 - k0];
          for (int k = k0; k < k1; k++) {
            double overlap = Math.min(hi, k + 1) - Math.max(lo, k);
            weights[o][k - k0] = (float) (overlap / scale);
          }
        } else {
          double pos = Math.max(0, Math.min(src - 1, (o + 0.5) * scale - 0.5));
          int k0 = Math.min((int) Math.floor(pos), Math.max(0, src - 2));
          double t = pos - k0;
          first[o] = k0;
          weights[o] = src == 1 ? new float[] {1f} : new float[] {(float) (1 - t), (float) t};
        }
      }
      return new Axis(first, weights);
    }

    float sample(float[] data, int base, int stride, int o) {
      float[] w = weights[o];
      int at = base + first[o] * stride;
      float sum = 0;
      for (int k = 0; k < w.length; k++) {
        sum += w[k] * data[at + k * stride];
      }
      return sum;
    }
  }
}
