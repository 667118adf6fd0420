package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A built-in image classification task that needs no download: each class is a combination of a
 * shape (disc, square, triangle, cross, ring, frame, semicircle, bar) and a fill pattern (stripes
 * of four orientations, solid, checker), and for many classes also a polarity (light on dark or
 * dark on light) and a size (large or small). The default ten classes are five shapes × two stripe
 * orientations, so neither the shape nor the stripes alone give the class.
 *
 * <p>Every sample is drawn at a random position, size, rotation and stripe phase/period, with
 * random colours, a random low-frequency background texture, pixel noise and contrast jitter.
 * Whatever a class does not fix (pattern, polarity, size) varies at random. Because nothing
 * sits at a fixed pixel, class means of the raw pixels are nearly identical and linear models do
 * poorly, while local, translation-invariant features (edges, stripe orientation) separate the
 * classes, which is what a small convnet learns.
 *
 * <p>Sample {@code i} of stream {@code s} depends only on (seed, s, i) and is computed with
 * integer-seeded {@link SplittableRandom}s and {@link StrictMath}, so sets are bit-identical on
 * every machine and however many threads render them. Label of sample {@code i} is
 * {@code i mod numClasses}, so classes are balanced in every prefix.
 */
public final class SyntheticShapes {
  public static final int DEFAULT_CLASSES = 10;

  private static final String[] SHAPES = {"disc", "square", "triangle", "cross", "ring", "frame", "semicircle", "bar"};
  private static final String[] PATTERNS = {"horizontal stripes", "vertical stripes", "solid", "checker",
      "diagonal stripes", "antidiagonal stripes"};
  private static final String[] POLARITIES = {"light on dark", "dark on light"};
  private static final String[] SIZES = {"large", "small"};
  private static final String[][] FACTORS = {SHAPES, PATTERNS, POLARITIES, SIZES};

  /** Largest supported number of classes: all combinations of the four factors. */
  public static final int MAX_CLASSES = SHAPES.length * PATTERNS.length * POLARITIES.length * SIZES.length;

  private static final int SOLID = 2;
  private static final int CHECKER = 3;
  private static final double[] STRIPE_ANGLE = {Math.PI / 2, 0, 0, 0, Math.PI / 4, 3 * Math.PI / 4};
  private static final double SQRT3_2 = 0.8660254037844386;

  private SyntheticShapes() {}

  /** Training set from stream 0 and test set from stream 1 of {@code seed}. */
  public static DatasetPair generatePair(FeatureShape shape, int numClasses, int trainCount, int testCount, long seed) {
    return new DatasetPair(generate(shape, numClasses, trainCount, seed, 0),
        generate(shape, numClasses, testCount, seed, 1));
  }

  /**
   * {@code count} samples of stream {@code stream}; different streams of one seed are independent
   * sets of the same task.
   */
  public static ImageDataset generate(FeatureShape shape, int numClasses, int count, long seed, long stream) {
    if (shape.rank() != 2) {
      throw new DatasetException("synthetic images need a C×H×W shape, got " + shape);
    }
    if (count < 0) {
      throw new DatasetException("sample count must not be negative, got " + count);
    }
    ClassGrid grid = ClassGrid.of(numClasses);
    ImageDataset.checkFits(count, shape);
    int size = (int) shape.numel();
    byte[] pixels = new byte[count * size];
    int[] labels = new int[count];
    long streamSeed = Seeds.mix(seed, stream);
    IntStream.range(0, count).parallel().forEach(i -> {
      labels[i] = i % numClasses;
      SplittableRandom rng = Seeds.random(streamSeed, i);
      render(Params.draw(grid, labels[i], shape, rng), shape, rng, pixels, i * size);
    });
    return ImageDataset.of(shape, pixels, labels, grid.names());
  }

  /** Class names for {@code numClasses}, e.g. "disc + horizontal stripes". */
  public static List<String> classNames(int numClasses) {
    return ClassGrid.of(numClasses).names();
  }

  /**
   * How many values of each factor (shape, pattern, polarity, size) the classes use. Factors are
   * added in that order only as needed, and the used counts are balanced so that e.g. ten classes
   * are 5 shapes × 2 patterns rather than 8 shapes plus 2 odd ones.
   */
  private record ClassGrid(int numClasses, int[] used) {
    static ClassGrid of(int numClasses) {
      if (numClasses < 2 || numClasses > MAX_CLASSES) {
        throw new DatasetException("the synthetic task has 2 to " + MAX_CLASSES + " classes, not " + numClasses);
      }
      int factors = 1;
      long capacity = FACTORS[0].length;
      while (capacity < numClasses) {
        capacity *= FACTORS[factors++].length;
      }
      int[] used = {1, 1, 1, 1};
      int remaining = numClasses;
      for (int f = factors - 1; f >= 0; f--) {
        int below = 1;
        for (int g = 0; g < f; g++) {
          below *= FACTORS[g].length;
        }
        used[f] = ceilDiv(remaining, below);
        remaining = ceilDiv(remaining, used[f]);
      }
      return new ClassGrid(numClasses, used);
    }

    /** Factor values of {@code label}; -1 where the factor is not used by the classes. */
    int[] factors(int label) {
      int[] v = new int[used.length];
      int rest = label;
      for (int f = 0; f < used.length; f++) {
        v[f] = used[f] == 1 ? -1 : rest % used[f];
        rest /= used[f];
      }
      return v;
    }

    /** One name per class; the grid may have a few more cells than there are classes. */
    List<String> names() {
      List<String> names = new ArrayList<>();
      for (int label = 0; label < numClasses; label++) {
        int[] v = factors(label);
        List<String> parts = new ArrayList<>();
        parts.add(SHAPES[Math.max(0, v[0])]);
        for (int f = 1; f < v.length; f++) {
          if (v[f] >= 0) {
            parts.add(FACTORS[f][v[f]]);
          }
        }
        names.add(String.join(" + ", parts));
      }
      return names;
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Everything random about one sample except its pixel noise. */
  private record Params(int shape, int pattern, double radius, double cx, double cy, double cos, double sin,
      float[] fg, float[] fg2, float[] bg, double period, double patternAngle, double patternPhase,
      double[] waveAngle, double[] wavePeriod, double[] wavePhase, double[] waveAmp,
      double noise, double contrast, double brightness) {

    static Params draw(ClassGrid grid, int label, FeatureShape shape, SplittableRandom rng) {
      int[] f = grid.factors(label);
      int channels = shape.channels();
      int h = shape.spatial(0);
      int w = shape.spatial(1);
      double m = Math.min(h, w);
      int shapeKind = f[0];
      int pattern = f[1] >= 0 ? f[1] : Seeds.below(rng, PATTERNS.length);
      int polarity = f[2] >= 0 ? f[2] : Seeds.below(rng, 2);
      double sizeDraw = Seeds.unit(rng);
      double radius = m * (f[3] == 0 ? 0.30 + 0.12 * sizeDraw
          : f[3] == 1 ? 0.17 + 0.09 * sizeDraw
          : 0.19 + 0.23 * sizeDraw);
      double margin = 0.85 * radius;
      double cx = w > 2 * margin ? Seeds.uniform(rng, margin, w - margin) : w / 2.0;
      double cy = h > 2 * margin ? Seeds.uniform(rng, margin, h - margin) : h / 2.0;
      double theta = Seeds.uniform(rng, 0, 2 * Math.PI);

      double lo = Seeds.uniform(rng, 0.05, 0.45);
      double hi = Math.min(0.98, lo + Seeds.uniform(rng, 0.3, 0.55));
      double fgLevel = polarity == 0 ? hi : lo;
      double bgLevel = polarity == 0 ? lo : hi;
      double mixToBg = Seeds.uniform(rng, 0.55, 0.8);
      float[] fg = new float[channels];
      float[] fg2 = new float[channels];
      float[] bg = new float[channels];
      for (int c = 0; c < channels; c++) {
        fg[c] = (float) clamp01(fgLevel + Seeds.uniform(rng, -0.15, 0.15));
        bg[c] = (float) clamp01(bgLevel + Seeds.uniform(rng, -0.15, 0.15));
        fg2[c] = (float) (fg[c] + (bg[c] - fg[c]) * mixToBg);
      }

      double period = Seeds.uniform(rng, 3.0, 4.5) * Math.max(1.0, m / 32.0);
      double angle = pattern == CHECKER ? Seeds.uniform(rng, 0, Math.PI / 2)
          : STRIPE_ANGLE[pattern] + Seeds.uniform(rng, -0.2, 0.2);
      double phase = Seeds.uniform(rng, 0, 2 * Math.PI);

      double[] waveAngle = new double[2];
      double[] wavePeriod = new double[2];
      double[] wavePhase = new double[2];
      double[] waveAmp = new double[2];
      for (int k = 0; k < 2; k++) {
        waveAngle[k] = Seeds.uniform(rng, 0, Math.PI);
        wavePeriod[k] = Seeds.uniform(rng, 0.5, 1.5) * m;
        wavePhase[k] = Seeds.uniform(rng, 0, 2 * Math.PI);
        waveAmp[k] = Seeds.uniform(rng, 0, 0.1);
      }
      double noise = Seeds.uniform(rng, 0.02, 0.07);
      double contrast = Seeds.uniform(rng, 0.75, 1.15);
      double brightness = Seeds.uniform(rng, -0.08, 0.08);
      return new Params(shapeKind, pattern, radius, cx, cy, StrictMath.cos(theta), StrictMath.sin(theta),
          fg, fg2, bg, period, angle, phase, waveAngle, wavePeriod, wavePhase, waveAmp,
          noise, contrast, brightness);
    }
  }

  /**
   * A plane wave {@code sin(2π/period · (x cos a + y sin a) + phase)} at pixel centres, stored as
   * per-column and per-row sines and cosines so each pixel costs two multiplies instead of a
   * {@code sin}: sin(A + B) = sin A cos B + cos A sin B.
   */
  record Wave(float[] sinX, float[] cosX, float[] sinY, float[] cosY) {
    static Wave of(int h, int w, double period, double angle, double phase) {
      double k = 2 * Math.PI / period;
      double kx = k * StrictMath.cos(angle);
      double ky = k * StrictMath.sin(angle);
      float[] sinX = new float[w];
      float[] cosX = new float[w];
      float[] sinY = new float[h];
      float[] cosY = new float[h];
      for (int x = 0; x < w; x++) {
        double a = kx * (x + 0.5) + phase;
        sinX[x] = (float) StrictMath.sin(a);
        cosX[x] = (float) StrictMath.cos(a);
      }
      for (int y = 0; y < h; y++) {
        double b = ky * (y + 0.5);
        sinY[y] = (float) StrictMath.sin(b);
        cosY[y] = (float) StrictMath.cos(b);
      }
      return new Wave(sinX, cosX, sinY, cosY);
    }

    float at(int y, int x) {
      return sinX[x] * cosY[y] + cosX[x] * sinY[y];
    }
  }

  private static void render(Params p, FeatureShape shape, SplittableRandom rng, byte[] out, int offset) {
    int channels = shape.channels();
    int h = shape.spatial(0);
    int w = shape.spatial(1);
    Wave stripes = Wave.of(h, w, p.period(), p.patternAngle(), p.patternPhase());
    Wave across = Wave.of(h, w, p.period(), p.patternAngle() + Math.PI / 2, p.patternPhase());
    Wave bg1 = Wave.of(h, w, p.wavePeriod()[0], p.waveAngle()[0], p.wavePhase()[0]);
    Wave bg2 = Wave.of(h, w, p.wavePeriod()[1], p.waveAngle()[1], p.wavePhase()[1]);
    float amp1 = (float) p.waveAmp()[0];
    float amp2 = (float) p.waveAmp()[1];
    double invR = 1.0 / p.radius();
    float noiseScale = (float) (p.noise() * Math.sqrt(6.0) / 65536.0);
    float contrast = (float) p.contrast();
    float shift = (float) (0.5 - 0.5 * p.contrast() + p.brightness());
    int plane = h * w;
    TriangularNoise noise = new TriangularNoise(rng);
    for (int y = 0; y < h; y++) {
      double py = y + 0.5 - p.cy();
      for (int x = 0; x < w; x++) {
        double px = x + 0.5 - p.cx();
        double u = (px * p.cos() + py * p.sin()) * invR;
        double v = (py * p.cos() - px * p.sin()) * invR;
        float alpha = (float) clamp01(0.5 - sdf(p.shape(), u, v) * p.radius());
        float t = 1f;
        if (alpha > 0 && p.pattern() != SOLID) {
          float s = stripes.at(y, x);
          t = p.pattern() == CHECKER
              ? clamp01f(0.5f + 2.5f * s * across.at(y, x))
              : clamp01f(0.5f + 1.5f * s);
        }
        float texture = amp1 * bg1.at(y, x) + amp2 * bg2.at(y, x);
        for (int c = 0; c < channels; c++) {
          float value = p.bg()[c] + texture;
          if (alpha > 0) {
            float fill = p.fg2()[c] + (p.fg()[c] - p.fg2()[c]) * t;
            value += alpha * (fill - value);
          }
          value += noise.next() * noiseScale;
          value = value * contrast + shift;
          out[offset + c * plane + y * w + x] = (byte) (int) (clamp01f(value) * 255f + 0.5f);
        }
      }
    }
  }

  /** Signed distance (in units of the radius, negative inside) to the outline of shape {@code kind}. */
  static double sdf(int kind, double u, double v) {
    double au = Math.abs(u);
    double av = Math.abs(v);
    switch (kind) {
      case 0: // disc
        return Math.sqrt(u * u + v * v) - 1.0;
      case 1: // square
        return Math.max(au, av) - 0.8;
      case 2: { // equilateral triangle, circumradius 1.15: the furthest of its three edge lines
        double d = Math.max(-v, Math.max(SQRT3_2 * u + 0.5 * v, -SQRT3_2 * u + 0.5 * v));
        return d - 0.575;
      }
      case 3: // cross
        return Math.min(Math.max(au - 0.95, av - 0.3), Math.max(au - 0.3, av - 0.95));
      case 4: // ring
        return Math.abs(Math.sqrt(u * u + v * v) - 0.7) - 0.3;
      case 5: // frame: a hollow square
        return Math.abs(Math.max(au, av) - 0.62) - 0.2;
      case 6: { // semicircle, centred on its area rather than its chord
        double vv = v + 0.4;
        return Math.max(Math.sqrt(u * u + vv * vv) - 1.05, -vv);
      }
      default: // bar
        return Math.max(au - 1.0, av - 0.32);
    }
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }

  static float clamp01f(float v) {
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
