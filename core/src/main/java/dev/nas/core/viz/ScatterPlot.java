package dev.nas.core.viz;

import dev.nas.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scatter plot as a standalone SVG document: one marker per point, one colour (and marker
 * shape) per series, a legend, and both axes with "nice" ticks (steps of 1, 2 or 5 × 10^k).
 * Deterministic: equal inputs give byte-equal files.
 */
public final class ScatterPlot {
  /** A named group of points drawn in one colour. */
  public record Series(String name, List<double[]> points) {
    public Series {
      points = List.copyOf(points);
      for (double[] p : points) {
        if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
          throw new IllegalArgumentException("series " + name + ": points are finite (x, y) pairs");
        }
      }
    }
  }

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  private static final double WIDTH = 640;
  private static final double HEIGHT = 420;
  private static final double LEFT = 70;
  private static final double RIGHT = 180;
  private static final double TOP = 40;
  private static final double BOTTOM = 55;

  private ScatterPlot() {}

  /** Writes the plot to {@code file} atomically. */
  public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    AtomicFiles.writeString(file, svg(title, xLabel, yLabel, series));
  }

  /** The SVG document. */
  public static String svg(String title, String xLabel, String yLabel, List<Series> series) {
    double[] xr = range(series, 0);
    double[] yr = range(series, 1);
    double[] xt = ticks(xr[0], xr[1]);
    double[] yt = ticks(yr[0], yr[1]);
    double x0 = xt[0];
    double x1 = xt[xt.length - 1];
    double y0 = yt[0];
    double y1 = yt[yt.length - 1];
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    SvgWriter w = new SvgWriter().declaration();
    w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", WIDTH, "height", HEIGHT, "viewBox",
        "0 0 " + SvgWriter.num(WIDTH) + " " + SvgWriter.num(HEIGHT), "font-family", "sans-serif", "font-size", 12.0);
    w.empty("rect", "x", 0.0, "y", 0.0, "width", WIDTH, "height", HEIGHT, "fill", "white");
    w.text("text", title, "x", LEFT + plotW / 2, "y", 22.0, "text-anchor", "middle", "font-size", 14.0);
    w.empty("rect", "x", LEFT, "y", TOP, "width", plotW, "height", plotH, "fill", "none", "stroke", "#444");
    for (double t : xt) {
      double px = LEFT + (t - x0) / (x1 - x0) * plotW;
      w.empty("line", "x1", px, "y1", TOP + plotH, "x2", px, "y2", TOP + plotH + 5, "stroke", "#444");
      w.empty("line", "x1", px, "y1", TOP, "x2", px, "y2", TOP + plotH, "stroke", "#ddd");
      w.text("text", label(t, xt), "x", px, "y", TOP + plotH + 18, "text-anchor", "middle");
    }
    for (double t : yt) {
      double py = TOP + plotH - (t - y0) / (y1 - y0) * plotH;
      w.empty("line", "x1", LEFT - 5, "y1", py, "x2", LEFT, "y2", py, "stroke", "#444");
      w.empty("line", "x1", LEFT, "y1", py, "x2", LEFT + plotW, "y2", py, "stroke", "#ddd");
      w.text("text", label(t, yt), "x", LEFT - 8, "y", py + 4, "text-anchor", "end");
    }
    w.text("text", xLabel, "x", LEFT + plotW / 2, "y", HEIGHT - 12, "text-anchor", "middle");
    w.text("text", yLabel, "x", 16.0, "y", TOP + plotH / 2, "text-anchor", "middle", "transform",
        "rotate(-90 16 " + SvgWriter.num(TOP + plotH / 2) + ")");
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      w.open("g", "class", "series", "fill", colour, "stroke", colour);
      w.text("title", ser.name());
      for (double[] p : ser.points()) {
        marker(w, s, LEFT + (p[0] - x0) / (x1 - x0) * plotW, TOP + plotH - (p[1] - y0) / (y1 - y0) * plotH);
      }
      w.close("g");
      double ly = TOP + 10 + 20 * s;
      double lx = LEFT + plotW + 18;
      w.open("g", "class", "legend", "fill", colour, "stroke", colour);
      marker(w, s, lx, ly);
      w.close("g");
      w.text("text", ser.name() + " (" + ser.points().size() + ")", "x", lx + 12, "y", ly + 4);
    }
    w.close("svg");
    return w.toString();
  }

  /** Circle, square, diamond, triangle by series index, so series differ without colour too. */
  private static void marker(SvgWriter w, int series, double x, double y) {
    double r = 5;
    switch (series % 4) {
      case 0 -> w.empty("circle", "cx", x, "cy", y, "r", r, "fill-opacity", 0.8);
      case 1 -> w.empty("rect", "x", x - r, "y", y - r, "width", 2 * r, "height", 2 * r, "fill-opacity", 0.8);
      case 2 -> w.empty("polygon", "points", pts(x, y - r - 1, x + r + 1, y, x, y + r + 1, x - r - 1, y),
          "fill-opacity", 0.8);
      default -> w.empty("polygon", "points", pts(x, y - r - 1, x + r + 1, y + r, x - r - 1, y + r), "fill-opacity",
          0.8);
    }
  }

  private static String pts(double... v) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.length; i += 2) {
      out.add(SvgWriter.num(v[i]) + "," + SvgWriter.num(v[i + 1]));
    }
    return String.join(" ", out);
  }

  private static double[] range(List<Series> series, int axis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points()) {
        lo = Math.min(lo, p[axis]);
        hi = Math.max(hi, p[axis]);
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { // one value: widen so it sits mid-axis
      double pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
      return new double[] {lo - pad, hi + pad};
    }
    double pad = (hi - lo) * 0.05;
    return new double[] {lo - pad, hi + pad};
  }

  /** Tick values from a multiple of the step at or below {@code lo} to one at or above {@code hi}, 3 to 11 of them. */
  static double[] ticks(double lo, double hi) {
    double raw = (hi - lo) / 6;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = first + i * step;
    }
    return out;
  }

  private static String label(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0.0 : v);
  }
}
