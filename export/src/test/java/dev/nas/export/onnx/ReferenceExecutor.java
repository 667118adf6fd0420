package dev.nas.export.onnx;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import dev.nas.core.io.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain float64 interpreter of image graphs (C×H×W samples, vectors after global
 * pooling; the elementwise, per-channel and global-pooling layers also take clips), written from the
 * layers' definitions, against which ONNX Runtime's results are checked.
 */
final class ReferenceExecutor {
  private final Graph graph;
  private final Map<String, Tensor> weights;

  ReferenceExecutor(Graph graph, Map<String, Tensor> weights) {
    this.graph = graph;
    this.weights = weights;
  }

  /**
   * Asserts that {@code actual} (a batch's logits, {@code classes} per sample) equals this graph's
   * output for each sample of the batch {@code input} within {@code tolerance}.
   */
  void assertMatchesEverySample(float[] input, float[] actual, int classes, double tolerance, String label) {
    int per = input.length / (actual.length / classes);
    for (int s = 0; s < actual.length / classes; s++) {
      float[] sample = new float[per];
      System.arraycopy(input, s * per, sample, 0, per);
      double[] expected = run(sample);
      for (int i = 0; i < classes; i++) {
        org.junit.jupiter.api.Assertions.assertEquals(expected[i], actual[s * classes + i], tolerance,
            label + " sample " + s + " logit " + i);
      }
    }
  }

  /** The graph's output for one sample given in row-major C×H×W order. */
  double[] run(float[] sample) {
    Map<Integer, double[]> values = new HashMap<>();
    double[] x = new double[sample.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = sample[i];
    }
    values.put(0, x);
    for (Node n : graph.inferenceNodes()) {
      if (n.id() == 0) {
        continue;
      }
      List<double[]> in = new ArrayList<>();
      n.inputs().forEach(i -> in.add(values.get(i)));
      values.put(n.id(), apply(n, graph.inputShapes(n), in));
    }
    return values.get(graph.output());
  }

  private double[] apply(Node n, List<FeatureShape> shapes, List<double[]> in) {
    Layer layer = n.layer();
    FeatureShape s = shapes.get(0);
    double[] x = in.get(0);
    if (layer instanceof Layer.Normalize l) {
      double[] y = new double[x.length];
      int hw = (int) (s.numel() / s.channels());
      for (int i = 0; i < y.length; i++) {
        int c = i / hw;
        y[i] = (x[i] - l.mean().get(c)) / l.std().get(c);
      }
      return y;
    } else if (layer instanceof Layer.Conv l) {
      return conv(n, l, s, x);
    } else if (layer instanceof Layer.BatchNorm l) {
      float[] mean = w(n, "running_mean");
      float[] var = w(n, "running_var");
      float[] scale = l.affine() ? w(n, "weight") : null;
      float[] shift = l.affine() ? w(n, "bias") : null;
      int hw = (int) (s.numel() / s.channels());
      double[] y = new double[x.length];
      for (int i = 0; i < y.length; i++) {
        int c = i / hw;
        double v = (x[i] - mean[c]) / Math.sqrt(var[c] + Layer.BatchNorm.EPS);
        y[i] = l.affine() ? v * scale[c] + shift[c] : v;
      }
      return y;
    } else if (layer instanceof Layer.Relu) {
      double[] y = new double[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = Math.max(0, x[i]);
      }
      return y;
    } else if (layer instanceof Layer.Sigmoid) {
      double[] y = new double[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = 1 / (1 + Math.exp(-x[i]));
      }
      return y;
    } else if (layer instanceof Layer.ChannelMul || layer instanceof Layer.ChannelAdd) {
      boolean mul = layer instanceof Layer.ChannelMul;
      double[] v = in.get(1);
      int per = (int) (s.numel() / s.channels());
      double[] y = new double[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = mul ? x[i] * v[i / per] : x[i] + v[i / per];
      }
      return y;
    } else if (layer instanceof Layer.Pool l) {
      return pool(l, s, n.shape(), x);
    } else if (layer instanceof Layer.GlobalAvgPool) {
      int hw = (int) (s.numel() / s.channels());
      double[] y = new double[s.channels()];
      for (int i = 0; i < x.length; i++) {
        y[i / hw] += x[i] / hw;
      }
      return y;
    } else if (layer instanceof Layer.Linear l) {
      float[] weight = w(n, "weight");
      double[] y = new double[l.out()];
      for (int o = 0; o < l.out(); o++) {
        double acc = l.bias() ? w(n, "bias")[o] : 0;
        for (int i = 0; i < l.in(); i++) {
          acc += weight[o * l.in() + i] * x[i];
        }
        y[o] = acc;
      }
      return y;
    } else if (layer instanceof Layer.Zero) {
      return new double[(int) n.shape().numel()];
    } else if (layer instanceof Layer.Sum) {
      double[] y = new double[x.length];
      for (double[] term : in) {
        for (int i = 0; i < y.length; i++) {
          y[i] += term[i];
        }
      }
      return y;
    } else if (layer instanceof Layer.Concat) {
      double[] y = new double[(int) n.shape().numel()];
      int at = 0;
      for (double[] part : in) {
        System.arraycopy(part, 0, y, at, part.length);
        at += part.length;
      }
      return y;
    } else if (layer instanceof Layer.Shift) {
      int h = s.spatial(0);
      int wd = s.spatial(1);
      double[] y = new double[x.length];
      for (int c = 0; c < s.channels(); c++) {
        for (int i = 0; i + 1 < h; i++) {
          for (int j = 0; j + 1 < wd; j++) {
            y[(c * h + i) * wd + j] = x[(c * h + i + 1) * wd + j + 1];
          }
        }
      }
      return y;
    } else if (layer instanceof Layer.DropPath) {
      return x;
    }
    throw new IllegalArgumentException("reference has no " + layer.kind());
  }

  private double[] conv(Node n, Layer.Conv l, FeatureShape s, double[] x) {
    float[] weight = w(n, "weight");
    float[] bias = l.bias() ? w(n, "bias") : null;
    FeatureShape o = n.shape();
    int h = s.spatial(0);
    int wd = s.spatial(1);
    int oh = o.spatial(0);
    int ow = o.spatial(1);
    int kh = l.kernel().get(0);
    int kw = l.kernel().get(1);
    int inPerGroup = l.in() / l.groups();
    int outPerGroup = l.out() / l.groups();
    double[] y = new double[(int) o.numel()];
    for (int oc = 0; oc < l.out(); oc++) {
      int g = oc / outPerGroup;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double acc = bias == null ? 0 : bias[oc];
          for (int ic = 0; ic < inPerGroup; ic++) {
            int c = g * inPerGroup + ic;
            for (int a = 0; a < kh; a++) {
              int yy = i * l.stride().get(0) - l.padding().get(0) + a * l.dilation().get(0);
              for (int b = 0; b < kw; b++) {
                int xx = j * l.stride().get(1) - l.padding().get(1) + b * l.dilation().get(1);
                if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                  acc += weight[((oc * inPerGroup + ic) * kh + a) * kw + b] * x[(c * h + yy) * wd + xx];
                }
              }
            }
          }
          y[(oc * oh + i) * ow + j] = acc;
        }
      }
    }
    return y;
  }

  private static double[] pool(Layer.Pool l, FeatureShape s, FeatureShape o, double[] x) {
    int h = s.spatial(0);
    int wd = s.spatial(1);
    int oh = o.spatial(0);
    int ow = o.spatial(1);
    double[] y = new double[(int) o.numel()];
    for (int c = 0; c < s.channels(); c++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          int count = 0;
          for (int a = 0; a < l.kernel().get(0); a++) {
            int yy = i * l.stride().get(0) - l.padding().get(0) + a;
            for (int b = 0; b < l.kernel().get(1); b++) {
              int xx = j * l.stride().get(1) - l.padding().get(1) + b;
              if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                double v = x[(c * h + yy) * wd + xx];
                max = Math.max(max, v);
                sum += v;
                count++;
              }
            }
          }
          y[(c * oh + i) * ow + j] = l.type() == Layer.Pool.Kind.MAX ? max : sum / count;
        }
      }
    }
    return y;
  }

  private float[] w(Node n, String tensor) {
    return weights.get(n.name() + "." + tensor).data();
  }
}
