package dev.nas.core.viz;

/** A point in SVG user units (y grows downwards). */
record Point(double x, double y) {
  Point plus(double dx, double dy) {
    return new Point(x + dx, y + dy);
  }

  /** The point a fraction {@code t} of the way from this point to {@code to}. */
  Point towards(Point to, double t) {
    return new Point(x + (to.x - x) * t, y + (to.y - y) * t);
  }

  double distance(Point p) {
    return Math.hypot(p.x - x, p.y - y);
  }
}
