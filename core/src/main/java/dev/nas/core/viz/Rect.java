package dev.nas.core.viz;

/** An axis-aligned rectangle in SVG user units; {@code (x, y)} is the top-left corner. */
record Rect(double x, double y, double width, double height) {
  static Rect centred(Point centre, double width, double height) {
    return new Rect(centre.x() - width / 2, centre.y() - height / 2, width, height);
  }

  double right() {
    return x + width;
  }

  double bottom() {
    return y + height;
  }

  Point centre() {
    return new Point(x + width / 2, y + height / 2);
  }

  Rect inflate(double by) {
    return new Rect(x - by, y - by, width + 2 * by, height + 2 * by);
  }

  boolean contains(Point p) {
    return p.x() >= x && p.x() <= right() && p.y() >= y && p.y() <= bottom();
  }

  /** The area shared with {@code other}; zero when they do not overlap. */
  double overlap(Rect other) {
    double w = Math.min(right(), other.right()) - Math.max(x, other.x);
    double h = Math.min(bottom(), other.bottom()) - Math.max(y, other.y);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /** The smallest rectangle holding both. */
  Rect union(Rect other) {
    double left = Math.min(x, other.x);
    double top = Math.min(y, other.y);
    return new Rect(left, top, Math.max(right(), other.right()) - left, Math.max(bottom(), other.bottom()) - top);
  }
}
