package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A built-in video classification task whose label is the direction of motion: in every clip one
 * or two shapes (disc, square, triangle, cross, ring, frame) glide over a textured background, all
 * in the class's direction (K directions evenly spread over the circle, 0° = rightwards,
 * counter-clockwise, so 90° is up), each at its own random speed, while rotating at a random rate
 * in a random sense.
 *
 * <p>No single frame says anything about the class: the scene lives on a torus (shapes leaving
 * one edge come back on the other) and starts at a uniformly random position, so the position
 * of a shape in any frame is uniform whatever its direction; shape kinds, sizes, colours,
 * rotations, background texture (random plane waves at a random phase, i.e. randomly shifted)
 * and noise are drawn independently of the class. Only how frames change over time tells the
 * classes apart, which a per-frame 2-D network cannot see.
 *
 * <p>Samples are {@code C×T×H×W} clips (any channel count, at least 2 frames). As with
 * {@link SyntheticShapes}, sample {@code i} of stream {@code s} depends only on (seed, s, i), is
 * bit-identical on every machine, and has label {@code i mod K}.
 */
public final class SyntheticMotion {
  public static final int DEFAULT_CLASSES = 4;
  public static final int MAX_CLASSES = 8;
  public static final int DEFAULT_TRAIN = 2_000;
  public static final int DEFAULT_TEST = 500;
  /** Default clip shape: 3 channels, 8 frames of 32×32. */
  public static final FeatureShape DEFAULT_SHAPE = FeatureShape.of(3, 8, 32, 32);

  private static final int SHAPE_KINDS = 6;
  private static final String[] COMPASS = {"right", "up-right", "up", "up-left", "left", "down-left", "down",
      "down-right"};

  private SyntheticMotion() {}

  /** Training set from stream 0 and test set from stream 1 of {@code seed}. */
  public static DatasetPair generatePair(FeatureShape shape, int numClasses, int trainCount, int testCount, long seed) {
    return new DatasetPair(generate(shape, numClasses, trainCount, seed, 0),
        generate(shape, numClasses, testCount, seed, 1));
  }

  /** {@code count} clips of stream {@code stream}. */
  public static ImageDataset generate(FeatureShape shape, int numClasses, int count, long seed, long stream) {
    if (shape.rank() != 3 || shape.spatial(0) < 2) {
      throw new DatasetException("synthetic video needs a C×T×H×W shape with at least 2 frames, got " + shape);
    }
    if (count < 0) {
      throw new DatasetException("sample count must not be negative, got " + count);
    }
    List<String> names = classNames(numClasses);
    ImageDataset.checkFits(count, shape);
    int size = (int) shape.numel();
    byte[] pixels = new byte[count * size];
    int[] labels = new int[count];
    long streamSeed = Seeds.mix(seed, stream);
    IntStream.range(0, count).parallel().forEach(i -> {
      labels[i] = i % numClasses;
      SplittableRandom rng = Seeds.random(streamSeed, i);
      render(Scene.draw(labels[i], numClasses, shape, rng), shape, rng, pixels, i * size);
    });
    return ImageDataset.of(shape, pixels, labels, names);
  }

  /** "moving right", "moving up", ... for multiples of 45°, otherwise "moving at N°". */
  public static List<String> classNames(int numClasses) {
    if (numClasses < 2 || numClasses > MAX_CLASSES) {
      throw new DatasetException("the synthetic video task has 2 to " + MAX_CLASSES + " classes (directions), not "
          + numClasses);
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < numClasses; k++) {
      // 360·k/K is a multiple of 45 exactly when 8·k is a multiple of K.
      names.add((8 * k) % numClasses == 0 ? "moving " + COMPASS[8 * k / numClasses]
          : "moving at " + Math.round(360.0 * k / numClasses) + "°");
    }
    return names;
  }

  /** The direction of class {@code label} as a unit vector in image coordinates (y down). */
  static double[] direction(int label, int numClasses) {
    double a = 2 * Math.PI * label / numClasses;
    return new double[] {StrictMath.cos(a), -StrictMath.sin(a)};
  }

  /** One moving shape: where it is at frame 0, how it moves and what it looks like. */
  private record Mover(int kind, double radius, double x0, double y0, double vx, double vy, double angle0,
      double spin, float[] colour) {}

  /** Everything random about one clip except its pixel noise. */
  private record Scene(Mover[] movers, float[] bg, SyntheticShapes.Wave[] waves, float[] waveAmp, double noise) {
    static Scene draw(int label, int numClasses, FeatureShape shape, SplittableRandom rng) {
      int channels = shape.channels();
      int h = shape.spatial(1);
      int w = shape.spatial(2);
      double m = Math.min(h, w);
      double[] dir = direction(label, numClasses);
      float[] bg = new float[channels];
      double bgLevel = Seeds.uniform(rng, 0.2, 0.8);
      for (int c = 0; c < channels; c++) {
        bg[c] = (float) SyntheticShapes.clamp01(bgLevel + Seeds.uniform(rng, -0.15, 0.15));
      }
      Mover[] movers = new Mover[1 + Seeds.below(rng, 2)];
      for (int k = 0; k < movers.length; k++) {
        // At least one pixel per frame, so even the smallest clips show the motion.
        double speed = Math.max(1.0, Seeds.uniform(rng, 0.03, 0.07) * m);
        float[] colour = new float[channels];
        // Clearly lighter or darker than the background, so the shape's edges are visible.
        double sign = rng.nextLong() < 0 ? -1 : 1;
        for (int c = 0; c < channels; c++) {
          colour[c] = (float) SyntheticShapes.clamp01(bg[c] + sign * Seeds.uniform(rng, 0.25, 0.5));
        }
        movers[k] = new Mover(Seeds.below(rng, SHAPE_KINDS), m * Seeds.uniform(rng, 0.12, 0.2),
            Seeds.uniform(rng, 0, w), Seeds.uniform(rng, 0, h), speed * dir[0], speed * dir[1],
            Seeds.uniform(rng, 0, 2 * Math.PI), Seeds.uniform(rng, -0.15, 0.15), colour);
      }
      SyntheticShapes.Wave[] waves = new SyntheticShapes.Wave[2];
      float[] amp = new float[2];
      for (int k = 0; k < 2; k++) {
        double period = Seeds.uniform(rng, 0.15, 0.6) * m;
        waves[k] = SyntheticShapes.Wave.of(h, w, period, Seeds.uniform(rng, 0, Math.PI),
            Seeds.uniform(rng, 0, 2 * Math.PI));
        amp[k] = (float) Seeds.uniform(rng, 0.03, 0.12);
      }
      return new Scene(movers, bg, waves, amp, Seeds.uniform(rng, 0.01, 0.04));
    }
  }

  private static void render(Scene s, FeatureShape shape, SplittableRandom rng, byte[] out, int offset) {
    int channels = shape.channels();
    int frames = shape.spatial(0);
    int h = shape.spatial(1);
    int w = shape.spatial(2);
    int plane = h * w;
    float noiseScale = (float) (s.noise() * Math.sqrt(6.0) / 65536.0);
    TriangularNoise noise = new TriangularNoise(rng);
    int movers = s.movers().length;
    double[] cx = new double[movers];
    double[] cy = new double[movers];
    double[] cos = new double[movers];
    double[] sin = new double[movers];
    for (int t = 0; t < frames; t++) {
      for (int k = 0; k < movers; k++) {
        Mover mv = s.movers()[k];
        cx[k] = mv.x0() + mv.vx() * t;
        cy[k] = mv.y0() + mv.vy() * t;
        double a = mv.angle0() + mv.spin() * t;
        cos[k] = StrictMath.cos(a);
        sin[k] = StrictMath.sin(a);
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float texture = s.waveAmp()[0] * s.waves()[0].at(y, x) + s.waveAmp()[1] * s.waves()[1].at(y, x);
          // Later shapes are drawn over earlier ones.
          int top = -1;
          float alpha = 0;
          for (int k = 0; k < movers; k++) {
            Mover mv = s.movers()[k];
            double px = wrap(x + 0.5 - cx[k], w);
            double py = wrap(y + 0.5 - cy[k], h);
            double u = (px * cos[k] + py * sin[k]) / mv.radius();
            double v = (py * cos[k] - px * sin[k]) / mv.radius();
            float a = (float) SyntheticShapes.clamp01(0.5 - SyntheticShapes.sdf(mv.kind(), u, v) * mv.radius());
            if (a > 0) {
              top = k;
              alpha = a;
            }
          }
          for (int c = 0; c < channels; c++) {
            float value = s.bg()[c] + texture;
            if (top >= 0) {
              value += alpha * (s.movers()[top].colour()[c] - value);
            }
            value += noise.next() * noiseScale;
            out[offset + (c * frames + t) * plane + y * w + x] =
                (byte) (int) (SyntheticShapes.clamp01f(value) * 255f + 0.5f);
          }
        }
      }
    }
  }

  /** {@code d} reduced to the torus coordinate in {@code [-size/2, size/2)}. */
  private static double wrap(double d, int size) {
    return d - size * Math.floor(d / size + 0.5);
  }
}
