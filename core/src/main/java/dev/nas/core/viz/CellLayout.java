package dev.nas.core.viz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A layered left-to-right layout of one cell: inputs in the first column, every intermediate node
 * in the column of its depth, the output in the last column. Edges are horizontal S-curves; an
 * edge that would run through a node of a column it skips detours along a horizontal lane, through
 * a gap between that column's nodes or around them. Operation labels sit near the edge middle and
 * slide along the edge when they would cover another label, a node or another edge.
 */
final class CellLayout {
  static final double NODE_HEIGHT = 30;
  static final double ARROW_LENGTH = 9;
  static final double ARROW_HALF_WIDTH = 4.5;
  static final double LABEL_FONT_SIZE = 11;
  static final double LABEL_HEIGHT = 15;
  /** Labels use a monospaced font, so their width can be known without measuring text. */
  private static final double LABEL_CHAR_WIDTH = 0.61 * LABEL_FONT_SIZE;
  private static final double LABEL_PADDING = 8;
  private static final double INPUT_WIDTH = 64;
  private static final double NODE_WIDTH = 38;
  private static final double OUTPUT_WIDTH = 54;
  private static final double ROW_PITCH = 76;
  /** Free space kept between two boxes of a column when tall boxes push the row pitch up. */
  private static final double MIN_ROW_GAP = 40;
  private static final double MAX_ANCHOR_STEP = 8;
  private static final double MIN_ANCHOR_STEP = 6;
  /** Anchors keep clear of a box's rounded corners. */
  private static final double ANCHOR_INSET = 6;
  private static final double INPUT_SPREAD = 1.5 * ROW_PITCH;
  private static final double MIN_COLUMN_PITCH = 170;
  private static final double WIDTH_PER_BUSY_LINK = 14;
  private static final int QUIET_GAP_LINKS = 4;
  private static final double LANE_GAP = 24;
  private static final double OBSTACLE_MARGIN = 6;
  /** The narrowest gap between two nodes' margins that a detouring edge may run through. */
  private static final double MIN_CHANNEL = 20;
  private static final double[] LABEL_POSITIONS = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82};
  /** Cost units are square user units: a sample of a foreign edge weighs like a 5x6 patch of overlap. */
  private static final double HIDDEN_SAMPLE_COST = 30;
  private static final double MIDDLE_PULL = 60;
  /** Labels keep this far from boxes, clear of the arrowheads that end at them. */
  private static final double NODE_CLEARANCE = 8;

  /** The box drawn for a state (or for the output). */
  record NodeBox(int state, NodeKind kind, String name, Rect rect) {}

  /** A drawn edge ending in an arrowhead at {@code tip}; {@code op} is null for edges into the output. */
  record Wire(int from, int to, String op, Curve curve, Point tip) {
    OpFamily family() {
      return op == null ? null : OpFamily.of(op);
    }
  }

  /** The operation label of the wire with the same index. */
  record Label(String text, OpFamily family, Rect box) {}

  private final CellGraph graph;
  private final List<NodeBox> boxes;
  private final List<Wire> wires;
  private final List<Label> labels;
  private final Rect bounds;

  private CellLayout(CellGraph graph, List<NodeBox> boxes, List<Wire> wires, List<Label> labels, Rect bounds) {
    this.graph = graph;
    this.boxes = boxes;
    this.wires = wires;
    this.labels = labels;
    this.bounds = bounds;
  }

  CellGraph graph() {
    return graph;
  }

  /** One box per state, indexed by state, then the output box. */
  List<NodeBox> boxes() {
    return boxes;
  }

  /** The operation edges in genotype order, then the edges into the output. */
  List<Wire> wires() {
    return wires;
  }

  /** One label per operation edge, in the order of {@link #wires()}. */
  List<Label> labels() {
    return labels;
  }

  /** Everything drawn; coordinates may be negative, renderers translate by the top-left corner. */
  Rect bounds() {
    return bounds;
  }

  /** The label box of an operation name. */
  static Rect labelBox(Point centre, String text) {
    return Rect.centred(centre, text.length() * LABEL_CHAR_WIDTH + LABEL_PADDING, LABEL_HEIGHT);
  }

  static CellLayout of(CellGraph graph) {
    int[] depth = graph.depths();
    int output = graph.outputState();

    List<int[]> links = new ArrayList<>();
    List<String> ops = new ArrayList<>();
    for (CellGraph.Edge e : graph.edges()) {
      links.add(new int[] {e.from(), e.to()});
      ops.add(e.op());
    }
    for (int s : graph.concat()) {
      links.add(new int[] {s, output});
      ops.add(null);
    }

    double[] x = columnPositions(graph, depth, links);
    double[] height = boxHeights(graph, links);
    double[] y = rowPositions(graph, depth, links, height);
    List<NodeBox> boxes = new ArrayList<>();
    for (int s = 0; s <= output; s++) {
      NodeKind kind = NodeKind.of(graph, s);
      double width = switch (kind) {
        case INPUT -> INPUT_WIDTH;
        case NODE -> NODE_WIDTH;
        case OUTPUT -> OUTPUT_WIDTH;
      };
      boxes.add(new NodeBox(s, kind, graph.stateName(s),
          Rect.centred(new Point(x[depth[s]], y[s]), width, height[s])));
    }

    double[] startY = new double[links.size()];
    double[] endY = new double[links.size()];
    spreadAnchors(links, y, boxes, startY, endY);

    // Short links are routed first so that they take the lanes nearest the nodes and longer
    // detours wrap around them instead of crossing them.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingInt(i -> depth[links.get(i)[1]] - depth[links.get(i)[0]])
        .thenComparingInt(i -> i));
    Wire[] routed = new Wire[links.size()];
    List<Rect> lanes = new ArrayList<>();
    for (int i : order) {
      int from = links.get(i)[0];
      int to = links.get(i)[1];
      Point start = new Point(boxes.get(from).rect().right(), startY[i]);
      Point tip = new Point(boxes.get(to).rect().x(), endY[i]);
      Curve curve = route(start, tip.plus(-ARROW_LENGTH, 0), depth[from], depth[to], depth, boxes, lanes);
      routed[i] = new Wire(from, to, ops.get(i), curve, tip);
    }
    List<Wire> wires = List.of(routed);

    List<Label> labels = placeLabels(wires, boxes);
    Rect bounds = boxes.get(0).rect();
    for (NodeBox b : boxes) {
      bounds = bounds.union(b.rect());
    }
    for (Wire w : wires) {
      bounds = bounds.union(w.curve().bounds());
    }
    for (Label l : labels) {
      bounds = bounds.union(l.box());
    }
    return new CellLayout(graph, List.copyOf(boxes), List.copyOf(wires), List.copyOf(labels), bounds);
  }

  /**
   * The centre of every column. Each gap fits the widest label of the cell between two boxes, and
   * gaps that many links pass through get wider, giving their labels room to stagger.
   */
  private static double[] columnPositions(CellGraph graph, int[] depth, List<int[]> links) {
    double widest = 0;
    for (CellGraph.Edge e : graph.edges()) {
      widest = Math.max(widest, labelBox(new Point(0, 0), e.op()).width());
    }
    double base = Math.max(MIN_COLUMN_PITCH, widest + INPUT_WIDTH + 48);
    int columns = depth[graph.outputState()] + 1;
    double[] x = new double[columns];
    for (int d = 1; d < columns; d++) {
      int through = 0;
      for (int[] link : links) {
        if (depth[link[0]] < d && depth[link[1]] >= d) {
          through++;
        }
      }
      x[d] = x[d - 1] + base + WIDTH_PER_BUSY_LINK * Math.max(0, through - QUIET_GAP_LINKS);
    }
    return x;
  }

  /**
   * Vertical positions: inputs straddle the axis; every later column is ordered by the mean height
   * of each node's predecessors (which keeps crossings down), then each node is pulled towards that
   * mean as far as the row spacing allows.
   */
  private static double[] rowPositions(CellGraph graph, int[] depth, List<int[]> links, double[] height) {
    int states = graph.outputState() + 1;
    double[] y = new double[states];
    int deepest = depth[graph.outputState()];
    for (int s = 0; s < graph.inputs(); s++) {
      y[s] = (s - (graph.inputs() - 1) / 2.0) * INPUT_SPREAD;
    }
    for (int d = 1; d <= deepest; d++) {
      List<Integer> column = new ArrayList<>();
      for (int s = graph.inputs(); s < states; s++) {
        if (depth[s] == d) {
          column.add(s);
        }
      }
      double[] target = new double[states];
      for (int s : column) {
        double sum = 0;
        int n = 0;
        for (int[] link : links) {
          if (link[1] == s) {
            sum += y[link[0]];
            n++;
          }
        }
        target[s] = n == 0 ? 0 : sum / n;
      }
      column.sort(Comparator.<Integer>comparingDouble(s -> target[s]).thenComparingInt(s -> s));
      double shift = 0;
      int previous = -1;
      for (int s : column) {
        y[s] = previous < 0 ? target[s]
            : Math.max(target[s], y[previous] + Math.max(ROW_PITCH, (height[previous] + height[s]) / 2 + MIN_ROW_GAP));
        previous = s;
        shift += target[s] - y[s];
      }
      // Pushing nodes apart only moves them down; recentre the column on its targets.
      for (int s : column) {
        y[s] += shift / column.size();
      }
    }
    return y;
  }

  /**
   * Where each link leaves and enters its boxes: links sharing a side are spread over it in the
   * order of the box at their other end, so arrowheads do not pile up and links do not cross there.
   */
  private static void spreadAnchors(List<int[]> links, double[] y, List<NodeBox> boxes, double[] startY,
      double[] endY) {
    for (int s = 0; s < boxes.size(); s++) {
      List<Integer> out = new ArrayList<>();
      List<Integer> in = new ArrayList<>();
      for (int i = 0; i < links.size(); i++) {
        if (links.get(i)[0] == s) {
          out.add(i);
        }
        if (links.get(i)[1] == s) {
          in.add(i);
        }
      }
      out.sort(Comparator.<Integer>comparingDouble(i -> y[links.get(i)[1]]).thenComparingInt(i -> i));
      in.sort(Comparator.<Integer>comparingDouble(i -> y[links.get(i)[0]]).thenComparingInt(i -> i));
      for (int k = 0; k < out.size(); k++) {
        startY[out.get(k)] = y[s] + slotOffset(k, out.size(), boxes.get(s).rect().height());
      }
      for (int k = 0; k < in.size(); k++) {
        endY[in.get(k)] = y[s] + slotOffset(k, in.size(), boxes.get(s).rect().height());
      }
    }
  }

  private static double slotOffset(int k, int n, double boxHeight) {
    if (n < 2) {
      return 0;
    }
    double step = Math.min(MAX_ANCHOR_STEP, (boxHeight - 2 * ANCHOR_INSET) / (n - 1));
    return (k - (n - 1) / 2.0) * step;
  }

  /** Boxes with many links on one side grow taller, so their anchors stay apart (the output, mostly). */
  private static double[] boxHeights(CellGraph graph, List<int[]> links) {
    double[] height = new double[graph.outputState() + 1];
    for (int s = 0; s < height.length; s++) {
      int out = 0;
      int in = 0;
      for (int[] link : links) {
        out += link[0] == s ? 1 : 0;
        in += link[1] == s ? 1 : 0;
      }
      int busiest = Math.max(out, in);
      height[s] = Math.max(NODE_HEIGHT, (busiest - 1) * MIN_ANCHOR_STEP + 2 * ANCHOR_INSET);
    }
    return height;
  }

  /**
   * An S-curve, or, when that would cut through a node of a column the link skips, a detour along a
   * horizontal lane: through a gap between the skipped columns' nodes or around all of them,
   * whichever bends the link least.
   */
  private static Curve route(Point start, Point end, int fromDepth, int toDepth, int[] depth, List<NodeBox> boxes,
      List<Rect> lanes) {
    Curve direct = new Curve(List.of(Curve.Cubic.horizontalS(start, end)));
    List<Rect> obstacles = new ArrayList<>();
    boolean blocked = false;
    for (NodeBox b : boxes) {
      int d = depth[b.state()];
      if (d > fromDepth && d < toDepth) {
        Rect obstacle = b.rect().inflate(OBSTACLE_MARGIN);
        obstacles.add(obstacle);
        blocked |= direct.crosses(obstacle);
      }
    }
    if (!blocked) {
      return direct;
    }
    Rect span = obstacles.get(0);
    for (Rect r : obstacles) {
      span = span.union(r);
    }
    double enterX = span.x();
    double leaveX = span.right();
    double lane = Double.NaN;
    double bestCost = Double.POSITIVE_INFINITY;
    for (double y : laneCandidates(obstacles, span, lanes)) {
      double cost = Math.abs(start.y() - y) + Math.abs(end.y() - y);
      if (cost < bestCost) {
        lane = y;
        bestCost = cost;
      }
    }
    lanes.add(new Rect(enterX, lane, leaveX - enterX, 0));
    Point enter = new Point(enterX, lane);
    Point leave = new Point(leaveX, lane);
    return new Curve(List.of(Curve.Cubic.horizontalS(start, enter), Curve.Cubic.line(enter, leave),
        Curve.Cubic.horizontalS(leave, end)));
  }

  /**
   * Heights for a lane across {@code span}: the first free lane above and below all obstacles, and
   * the middle of every gap between obstacles that is wide enough and not already taken.
   */
  private static List<Double> laneCandidates(List<Rect> obstacles, Rect span, List<Rect> lanes) {
    List<Double> candidates = new ArrayList<>();
    candidates.add(freeLane(span.y() - LANE_GAP, -LANE_GAP, span.x(), span.right(), lanes));
    candidates.add(freeLane(span.bottom() + LANE_GAP, LANE_GAP, span.x(), span.right(), lanes));
    List<Rect> byTop = new ArrayList<>(obstacles);
    byTop.sort(Comparator.comparingDouble(Rect::y));
    double blockedTo = byTop.get(0).bottom();
    for (Rect r : byTop) {
      if (r.y() - blockedTo >= MIN_CHANNEL) {
        double middle = (blockedTo + r.y()) / 2;
        boolean taken = false;
        for (Rect lane : lanes) {
          taken |= lane.x() <= span.right() && lane.right() >= span.x() && Math.abs(lane.y() - middle) < MIN_CHANNEL / 2;
        }
        if (!taken) {
          candidates.add(middle);
        }
      }
      blockedTo = Math.max(blockedTo, r.bottom());
    }
    return candidates;
  }

  /**
   * The first height from {@code y}, stepping by {@code step}, that keeps a lane spanning
   * {@code x0..x1} a full step away from every lane already taken over an overlapping stretch.
   */
  private static double freeLane(double y, double step, double x0, double x1, List<Rect> lanes) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Rect lane : lanes) {
        boolean sideBySide = lane.x() <= x1 + LANE_GAP && lane.right() >= x0 - LANE_GAP;
        if (sideBySide && Math.abs(lane.y() - y) < Math.abs(step)) {
          y = lane.y() + step;
          moved = true;
        }
      }
    }
    return y;
  }

  /**
   * Puts each label at one of a few positions along its edge. A position costs the area it shares
   * with earlier labels and with nodes, plus a charge for every stretch of another edge it hides
   * (a label lying across a foreign edge reads as if it belonged to it), plus a small pull towards
   * the middle of the edge. The cheapest position wins; ties go to the earlier candidate.
   */
  private static List<Label> placeLabels(List<Wire> wires, List<NodeBox> boxes) {
    List<Label> placed = new ArrayList<>();
    for (Wire w : wires) {
      if (w.op() == null) {
        continue;
      }
      Rect best = null;
      double bestCost = Double.POSITIVE_INFINITY;
      for (double f : LABEL_POSITIONS) {
        Rect box = labelBox(w.curve().atFraction(f), w.op());
        double cost = Math.abs(f - 0.5) * MIDDLE_PULL;
        for (Label l : placed) {
          cost += box.overlap(l.box().inflate(2));
        }
        for (NodeBox b : boxes) {
          cost += box.overlap(b.rect().inflate(NODE_CLEARANCE));
        }
        for (Wire other : wires) {
          if (other != w) {
            cost += HIDDEN_SAMPLE_COST * other.curve().samplesInside(box);
          }
        }
        if (cost < bestCost) {
          best = box;
          bestCost = cost;
        }
      }
      placed.add(new Label(w.op(), w.family(), best));
    }
    return placed;
  }
}
