package dev.nas.derive.cost;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.macro.CellPlan;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroLayout;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkLayout;
import dev.nas.derive.Preprocessing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Every position of the derived networks of one space in one macro at which a cost arises, as
 * {@link CostPart}s: the fixed parts, which every genotype has, and per cell and edge the part each
 * candidate operation would be. A derived network's cost is the sum of its fixed parts and of the
 * parts its genotype chooses; MACs and parameters are exactly additive so (the cost counter sums
 * layers), latency only approximately (see {@code nas lut --calibrate}).
 *
 * <p>Keys (stable: latency tables store them): {@code op:<name>|in:<C×spatial>|stride:<s×s>} for an
 * operation; {@code stem:<macro>|in:<input>|out:<shape>}, {@code pre0:<factorized_reduce or
 * relu_conv_bn>|in:<shape>|out:<shape>}, {@code pre1:relu_conv_bn|in:..|out:..},
 * {@code sum:<terms>|in:<shape>}, {@code concat:<terms>|in:<shape>}, {@code classifier|in:<shape>|classes:<K>}
 * for the fixed parts; the nb201 macro adds {@code residual_block|in:..|out:..} and has
 * {@code lastact_classifier|in:..|classes:<K>} (BN–ReLU before the classifier) and no preprocessing
 * or concatenation. Shapes are per sample, {@code 16x32x32} (C×H×W) or {@code 16x8x28x28} (C×T×H×W).
 */
public final class CostPositions {
  /** An edge of a derived cell: where each candidate operation would sit. */
  public record EdgeSlot(int cell, String cellType, int edge, FeatureShape input, List<Integer> stride) {
    public EdgeSlot {
      stride = List.copyOf(stride);
    }
  }

  /** A fixed part and how often it occurs in the network. */
  public record Fixed(CostPart part, int count) {}

  private final SearchSpace space;
  private final MacroConfig macro;
  private final List<Fixed> fixed;
  private final List<EdgeSlot> slots;
  private final Map<String, CostPart> opParts = new LinkedHashMap<>();

  private CostPositions(SearchSpace space, MacroConfig macro, List<Fixed> fixed, List<EdgeSlot> slots) {
    this.space = space;
    this.macro = macro;
    this.fixed = List.copyOf(fixed);
    this.slots = List.copyOf(slots);
  }

  /** The positions of {@code macro}'s derived networks for genotypes of {@code space}. */
  public static CostPositions of(SearchSpace space, MacroConfig macro, Preprocessing pre) {
    if (!macro.hasCells()) {
      throw new IllegalArgumentException("the " + macro.kind().id() + " macro has no cells, so nothing to search");
    }
    NetworkBuilder.requireFits(space, macro);
    NetworkLayout layout = NetworkBuilder.layout(space, macro, pre);
    List<Fixed> fixed = new ArrayList<>();
    fixed.add(new Fixed(stem(macro, pre, layout), 1));
    List<EdgeSlot> slots = new ArrayList<>();
    for (NetworkLayout.CellShapes c : layout.cells()) {
      CellPlan plan = c.plan();
      if (plan.residualBlock()) {
        fixed.add(new Fixed(residualBlock(plan, c.in1(), c.out()), 1));
        continue;
      }
      if (space.preprocessesInputs()) {
        fixed.add(new Fixed(preprocess(plan, c.in0(), true), 1));
        fixed.add(new Fixed(preprocess(plan, c.in1(), false), 1));
      }
      for (int node = 0; node < space.intermediateNodes(); node++) {
        // every kept edge of a node is one term (MAC- and parameter-free; dense cells skip their none terms)
        fixed.add(new Fixed(merge("sum", new Layer.Sum(), space.inputsOf(node), c.node()), 1));
      }
      if (!space.keepsEveryEdge()) {
        fixed.add(new Fixed(merge("concat", new Layer.Concat(), c.concat(), c.node()), 1));
      }
      List<Integer> one = Collections.nCopies(plan.stride().size(), 1);
      for (int node = 0; node < space.intermediateNodes(); node++) {
        for (int from = 0; from < space.inputStates() + node; from++) {
          boolean input = from < space.inputStates();
          slots.add(new EdgeSlot(plan.index(), plan.type(), space.edgeIndex(node, from), input ? c.state() : c.node(),
              input ? plan.stride() : one));
        }
      }
    }
    fixed.add(new Fixed(classifier(macro, layout.classifierIn()), 1));
    return new CostPositions(space, macro, merged(fixed), slots);
  }

  public SearchSpace space() {
    return space;
  }

  public MacroConfig macro() {
    return macro;
  }

  /** The fixed parts, each with its number of occurrences. */
  public List<Fixed> fixed() {
    return fixed;
  }

  /** Every edge of every derived cell. */
  public List<EdgeSlot> slots() {
    return slots;
  }

  /** The part operation {@code op} is at {@code slot}. */
  public CostPart opPart(EdgeSlot slot, String op) {
    String key = "op:" + op + "|in:" + shapeKey(slot.input()) + "|stride:" + join(slot.stride());
    return opParts.computeIfAbsent(key, k -> {
      if (op.equals(SearchSpace.NONE)) {
        return new CostPart(k, null);
      }
      GraphBuilder b = new GraphBuilder(slot.input());
      int out = OpCatalog.build(b, op, "op", b.input(), new OpContext(slot.input().channels(), slot.stride(), true));
      return new CostPart(k, out == b.input() ? null : b.build(out));
    });
  }

  /** Every distinct part (fixed ones first, then operations), each once: what a latency table measures. */
  public List<CostPart> distinctParts() {
    Map<String, CostPart> out = new LinkedHashMap<>();
    fixed.forEach(f -> out.putIfAbsent(f.part().key(), f.part()));
    for (EdgeSlot s : slots) {
      for (String op : space.ops(s.cellType())) {
        CostPart p = opPart(s, op);
        out.putIfAbsent(p.key(), p);
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * The table of one cost: {@code cost} of every part, summed into the fixed cost and, per cell
   * type, into one (edges × ops) matrix over the cells of that type (all of them share the type's
   * architecture parameters).
   */
  public CostTable table(String metric, ToDoubleFunction<CostPart> cost) {
    ToDoubleFunction<CostPart> c = p -> p.empty() ? 0 : cost.applyAsDouble(p);
    double fixedCost = 0;
    for (Fixed f : fixed) {
      fixedCost += f.count() * c.applyAsDouble(f.part());
    }
    Map<String, double[]> perType = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      perType.put(t.name(), new double[space.edgesPerCell() * t.ops().size()]);
    }
    for (EdgeSlot s : slots) {
      List<String> ops = space.ops(s.cellType());
      double[] m = perType.get(s.cellType());
      for (int o = 0; o < ops.size(); o++) {
        m[s.edge() * ops.size() + o] += c.applyAsDouble(opPart(s, ops.get(o)));
      }
    }
    return new CostTable(metric, space, fixedCost, perType);
  }

  /** The parts a network of genotype {@code g} consists of, fixed ones included, with repetition. */
  public List<CostPart> partsOf(Genotype g) {
    List<CostPart> out = new ArrayList<>();
    for (Fixed f : fixed) {
      out.addAll(Collections.nCopies(f.count(), f.part()));
    }
    Map<String, EdgeSlot> byCellEdge = new LinkedHashMap<>();
    slots.forEach(s -> byCellEdge.put(s.cell() + "/" + s.edge(), s));
    // the cells with edges (the nb201 macro's residual blocks between them have none)
    for (int cell : slots.stream().mapToInt(EdgeSlot::cell).distinct().toArray()) {
      String type = byCellEdge.get(cell + "/0").cellType();
      CellGenotype cg = g.cell(type);
      java.util.Set<Integer> live = cg.liveStates(space.inputStates());
      for (int node = 0; node < cg.nodes().size(); node++) {
        if (!live.contains(space.inputStates() + node)) {
          continue; // a dead NAS-Bench-201 node: not in the network
        }
        for (GenotypeEdge e : cg.nodes().get(node)) {
          out.add(opPart(byCellEdge.get(cell + "/" + space.edgeIndex(node, e.input())), e.op()));
        }
      }
    }
    return out;
  }

  private static CostPart stem(MacroConfig m, Preprocessing pre, NetworkLayout layout) {
    GraphBuilder b = new GraphBuilder(m.input());
    int x = b.add("normalize", new Layer.Normalize(pre.mean(), pre.std()), b.input());
    MacroBlocks.StemOutputs stem = MacroLayout.stem(b, m.kind(), x, m.channels(), m.stemChannels());
    return new CostPart("stem:" + m.kind().id() + "|in:" + shapeKey(m.input()) + "|out:" + shapeKey(layout.stemOut()),
        b.build(stem.prev()));
  }

  private static CostPart preprocess(CellPlan plan, FeatureShape in, boolean first) {
    GraphBuilder b = new GraphBuilder(in);
    int out = first ? MacroBlocks.preprocessFirst(b, "pre", plan, b.input(), true)
        : MacroBlocks.preprocessSecond(b, "pre", plan, b.input(), true);
    String kind = first && plan.reductionPrev() ? "factorized_reduce" : "relu_conv_bn";
    return new CostPart((first ? "pre0:" : "pre1:") + kind + "|in:" + shapeKey(in) + "|out:" + shapeKey(b.shape(out)),
        b.build(out));
  }

  private static CostPart residualBlock(CellPlan plan, FeatureShape in, FeatureShape out) {
    GraphBuilder b = new GraphBuilder(in);
    int o = MacroBlocks.residualBlock(b, "block", plan, b.input());
    return new CostPart("residual_block|in:" + shapeKey(in) + "|out:" + shapeKey(out), b.build(o));
  }

  private static CostPart merge(String kind, Layer layer, int terms, FeatureShape in) {
    GraphBuilder b = new GraphBuilder(in);
    int[] inputs = new int[terms];
    java.util.Arrays.fill(inputs, b.input());
    int out = b.add(kind, layer, inputs);
    return new CostPart(kind + ":" + terms + "|in:" + shapeKey(in), b.build(out));
  }

  private static CostPart classifier(MacroConfig m, FeatureShape in) {
    GraphBuilder b = new GraphBuilder(in);
    int out = MacroBlocks.head(b, m.kind(), b.input(), m.classes(), 0);
    return new CostPart((m.kind() == MacroConfig.Kind.NB201 ? "lastact_classifier" : "classifier") + "|in:" + shapeKey(in) + "|classes:" + m.classes(), b.build(out));
  }

  /** Fixed parts with the same key folded into one entry with the summed count, in first-seen order. */
  private static List<Fixed> merged(List<Fixed> parts) {
    Map<String, Fixed> out = new LinkedHashMap<>();
    for (Fixed f : parts) {
      out.merge(f.part().key(), f, (a, b) -> new Fixed(a.part(), a.count() + b.count()));
    }
    return List.copyOf(out.values());
  }

  /** {@code 16x32x32}: channels then spatial sizes. */
  public static String shapeKey(FeatureShape s) {
    return s.channels() + "x" + join(s.spatial());
  }

  private static String join(List<Integer> v) {
    return v.stream().map(String::valueOf).collect(Collectors.joining("x"));
  }
}
