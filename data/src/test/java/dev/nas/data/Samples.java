package dev.nas.data;

/** Reads samples back out of an {@link ImageDataset} for comparisons in tests. */
final class Samples {
  private Samples() {}

  /**
   * A copy of one sample's {@code C×H×W} or {@code C×T×H×W} bytes (0..255), read pixel by pixel
   * so that tests see the data set only through its public API.
   */
  static byte[] bytes(ImageDataset d, int sample) {
    byte[] out = new byte[(int) d.shape().numel()];
    int k = 0;
    for (int c = 0; c < d.channels(); c++) {
      for (int t = 0; t < d.frames(); t++) {
        for (int y = 0; y < d.height(); y++) {
          for (int x = 0; x < d.width(); x++) {
            out[k++] = (byte) d.pixel(sample, c, t, y, x);
          }
        }
      }
    }
    return out;
  }
}
