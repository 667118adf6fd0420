package dev.nas.runtime.onnx;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Small helpers on shapes held as {@code long[]}. */
final class Shapes {
  private Shapes() {}

  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  static long product(long[] shape, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** An axis attribute in [-rank, rank) (or [-rank, rank] when {@code inclusive}) as a non-negative index. */
  static int axis(long axis, int rank, boolean inclusive, NodeContext ctx) {
    int limit = inclusive ? rank + 1 : rank;
    long a = axis < 0 ? axis + limit : axis;
    if (a < 0 || a >= limit) {
      throw ctx.error("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }

  /** NumPy-style broadcast of all given shapes. */
  static long[] broadcast(long[][] shapes, NodeContext ctx) {
    int rank = 0;
    for (long[] s : shapes) {
      rank = Math.max(rank, s.length);
    }
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    for (long[] s : shapes) {
      for (int i = 0; i < s.length; i++) {
        int o = rank - s.length + i;
        if (s[i] != 1) {
          if (out[o] != 1 && out[o] != s[i]) {
            throw ctx.error("input shapes do not broadcast: " + ctx.describeInputs());
          }
          out[o] = s[i];
        }
      }
    }
    return out;
  }

  /** The per-sample text of a batch-first shape, e.g. {@code 36x32x32} for [1, 36, 32, 32]. */
  static String sampleText(long[] shape) {
    if (shape.length == 0) {
      return "scalar";
    }
    long[] shown = shape.length >= 2 ? Arrays.copyOfRange(shape, 1, shape.length) : shape;
    return Arrays.stream(shown).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }
}
