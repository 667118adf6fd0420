package dev.nas.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writers for tiny data-set files in the real on-disk formats. */
final class TestData {
  private TestData() {}

  /** Pixel value of sample {@code i} at flat position {@code k}: distinct and easy to predict. */
  static byte pattern(int i, int k) {
    return (byte) (i * 31 + k * 7);
  }

  static byte[] idxImages(int count, int rows, int cols) {
    ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
    b.putInt(0x803).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < rows * cols; k++) {
        b.put(pattern(i, k));
      }
    }
    return b.array();
  }

  static byte[] idxLabels(int... labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(0x801).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** Writes train (3 images) and t10k (2 images) IDX files of 4×5 pixels, optionally gzipped. */
  static void writeIdxSet(Path dir, boolean gz) throws IOException {
    Files.createDirectories(dir);
    write(dir, "train-images-idx3-ubyte", idxImages(3, 4, 5), gz);
    write(dir, "train-labels-idx1-ubyte", idxLabels(0, 9, 4), gz);
    write(dir, "t10k-images-idx3-ubyte", idxImages(2, 4, 5), gz);
    write(dir, "t10k-labels-idx1-ubyte", idxLabels(7, 1), gz);
  }

  private static void write(Path dir, String name, byte[] data, boolean gz) throws IOException {
    Files.write(dir.resolve(gz ? name + ".gz" : name), gz ? gzip(data) : data);
  }

  /** CIFAR records: {@code labelBytes} label bytes (given), then 3072 pattern pixels. */
  static byte[] cifarRecords(int firstSample, int[][] labelBytes) {
    int size = labelBytes[0].length + 3072;
    byte[] out = new byte[labelBytes.length * size];
    for (int r = 0; r < labelBytes.length; r++) {
      for (int j = 0; j < labelBytes[r].length; j++) {
        out[r * size + j] = (byte) labelBytes[r][j];
      }
      for (int k = 0; k < 3072; k++) {
        out[r * size + labelBytes[r].length + k] = pattern(firstSample + r, k);
      }
    }
    return out;
  }
}
