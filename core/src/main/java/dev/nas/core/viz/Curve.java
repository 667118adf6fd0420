package dev.nas.core.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of cubic Bézier segments, the shape of one drawn edge. Geometry questions (collisions,
 * label positions) are answered on a fixed sampling, which keeps them simple and deterministic.
 */
final class Curve {
  private static final int SAMPLES_PER_SEGMENT = 24;

  /** One cubic segment from {@code p0} to {@code p3} with control points {@code c1}, {@code c2}. */
  record Cubic(Point p0, Point c1, Point c2, Point p3) {
    /** A straight segment, written as a cubic so all segments share one form. */
    static Cubic line(Point from, Point to) {
      return new Cubic(from, from.towards(to, 1.0 / 3), from.towards(to, 2.0 / 3), to);
    }

    /** An S-shaped segment leaving and arriving horizontally, as edges of a left-to-right layout do. */
    static Cubic horizontalS(Point from, Point to) {
      double dx = (to.x() - from.x()) / 2;
      return new Cubic(from, from.plus(dx, 0), to.plus(-dx, 0), to);
    }

    Point at(double t) {
      double u = 1 - t;
      double a = u * u * u;
      double b = 3 * u * u * t;
      double c = 3 * u * t * t;
      double d = t * t * t;
      return new Point(a * p0.x() + b * c1.x() + c * c2.x() + d * p3.x(),
          a * p0.y() + b * c1.y() + c * c2.y() + d * p3.y());
    }
  }

  private final List<Cubic> segments;
  private final List<Point> samples;
  private final double[] lengthUpTo;

  Curve(List<Cubic> segments) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a curve needs at least one segment");
    }
    this.segments = List.copyOf(segments);
    this.samples = new ArrayList<>();
    samples.add(segments.get(0).p0());
    for (Cubic c : segments) {
      for (int i = 1; i <= SAMPLES_PER_SEGMENT; i++) {
        samples.add(c.at((double) i / SAMPLES_PER_SEGMENT));
      }
    }
    lengthUpTo = new double[samples.size()];
    for (int i = 1; i < samples.size(); i++) {
      lengthUpTo[i] = lengthUpTo[i - 1] + samples.get(i - 1).distance(samples.get(i));
    }
  }

  List<Cubic> segments() {
    return segments;
  }

  Point start() {
    return samples.get(0);
  }

  /** The point a fraction of the curve's length from its start. */
  Point atFraction(double fraction) {
    double target = lengthUpTo[lengthUpTo.length - 1] * Math.max(0, Math.min(1, fraction));
    for (int i = 1; i < samples.size(); i++) {
      if (lengthUpTo[i] >= target) {
        double span = lengthUpTo[i] - lengthUpTo[i - 1];
        double t = span == 0 ? 0 : (target - lengthUpTo[i - 1]) / span;
        return samples.get(i - 1).towards(samples.get(i), t);
      }
    }
    return samples.get(samples.size() - 1);
  }

  /** Whether any sample lies inside {@code r}. */
  boolean crosses(Rect r) {
    return samplesInside(r) > 0;
  }

  /** How many samples lie inside {@code r}, a measure of how much of the curve it covers. */
  int samplesInside(Rect r) {
    int n = 0;
    for (Point p : samples) {
      if (r.contains(p)) {
        n++;
      }
    }
    return n;
  }

  /** The bounding box of the samples. */
  Rect bounds() {
    Rect b = new Rect(start().x(), start().y(), 0, 0);
    for (Point p : samples) {
      b = b.union(new Rect(p.x(), p.y(), 0, 0));
    }
    return b;
  }
}
