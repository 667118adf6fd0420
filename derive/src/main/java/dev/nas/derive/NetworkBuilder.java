package dev.nas.derive;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.macro.CellPlan;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.macro.MacroLayout;
import dev.nas.core.ops.OpCatalog;
import dev.nas.core.ops.OpContext;
import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Freezes a genotype into a static network graph: stem, cells with only the chosen operations,
 * classifier, and (for training) the auxiliary head and drop-path points. Node names match the
 * supernet's ({@code cells.<i>.edges.<e>.<op>...}) so weights carry over by name.
 */
public final class NetworkBuilder {
  private NetworkBuilder() {}

  public static Graph build(NetworkSpec spec) {
    return build(spec.genotype(), spec.macro(), spec.preprocessing());
  }

  /** A network and, per place of its macro (cells and residual blocks, in order), the node holding its output. */
  public record WithCellOutputs(Graph graph, List<Integer> cellOutputs) {
    public WithCellOutputs {
      cellOutputs = List.copyOf(cellOutputs);
    }
  }

  /** The network of {@code spec} with the node ids of its cells' outputs (for heads on intermediate features). */
  public static WithCellOutputs buildWithCellOutputs(NetworkSpec spec) {
    List<Integer> outs = new ArrayList<>();
    Graph g = build(spec.genotype(), spec.macro(), spec.preprocessing(), null, outs);
    return new WithCellOutputs(g, outs);
  }

  /** The network of genotype {@code g} in macro {@code m}; for the cell-free resnet macro {@code g} is null. */
  public static Graph build(Genotype g, MacroConfig m, Preprocessing pre) {
    return build(g, m, pre, null, null);
  }

  /**
   * The feature shapes around every cell of {@code m}'s derived networks for genotypes of
   * {@code space}: the same for every genotype, as all of them concatenate every intermediate node.
   */
  public static NetworkLayout layout(SearchSpace space, MacroConfig m, Preprocessing pre) {
    List<NetworkLayout.CellShapes> cells = new ArrayList<>();
    Graph g = build(RandomGenotypes.sample(space, 0), m, pre, cells, null);
    FeatureShape stemPrev = cells.isEmpty() ? g.node(g.output()).shape() : cells.get(0).in1();
    FeatureShape classifierIn = cells.get(cells.size() - 1).out();
    return new NetworkLayout(m.input(), stemPrev, cells, classifierIn);
  }

  private static Graph build(Genotype g, MacroConfig m, Preprocessing pre, List<NetworkLayout.CellShapes> layout,
      List<Integer> cellOutputs) {
    if (!m.hasCells()) {
      return ResNetBuilder.build(m, pre);
    }
    if (g == null) {
      throw new IllegalArgumentException("the " + m.kind().id() + " macro stacks genotype cells; a genotype is needed");
    }
    SearchSpace space = SearchSpace.named(g.space());
    requireFits(space, m);
    GraphBuilder b = new GraphBuilder(m.input());
    int x = b.add("normalize", new Layer.Normalize(pre.mean(), pre.std()), b.input());
    MacroBlocks.StemOutputs stem = MacroLayout.stem(b, m.kind(), x, m.channels(), m.stemChannels());
    List<CellPlan> plan = MacroLayout.plan(m, stem, type -> g.cell(type).concat().size(), g.cells().keySet());
    int auxCell = m.auxiliary() ? MacroLayout.auxiliaryCell(plan) : -1;
    int s0 = stem.prevPrev();
    int s1 = stem.prev();
    int aux = -1;
    for (CellPlan cell : plan) {
      int out;
      if (cell.residualBlock()) {
        out = MacroBlocks.residualBlock(b, TensorNames.cell(cell.index()), cell, s1);
        if (layout != null) {
          layout.add(new NetworkLayout.CellShapes(cell, b.shape(s0), b.shape(s1), b.shape(s1), b.shape(out), 1,
              b.shape(out)));
        }
      } else {
        out = cell(b, space, g.cell(cell.type()), cell, s0, s1, layout);
      }
      if (cellOutputs != null) {
        cellOutputs.add(out);
      }
      s0 = s1;
      s1 = out;
      if (cell.index() == auxCell) {
        aux = MacroBlocks.auxiliaryHead(b, m.kind(), out, m.classes());
      }
    }
    int logits = MacroBlocks.head(b, m.kind(), s1, m.classes(), m.dropout());
    return aux >= 0 ? b.build(logits, aux) : b.build(logits);
  }

  /**
   * Fails with one message when a genotype's space does not suit the macro: clips vs images, or
   * cell types the macro stacks but the genotype lacks.
   */
  public static void requireFits(SearchSpace space, MacroConfig m) {
    if (m.input().rank() != space.spatialRank()) {
      throw new IllegalArgumentException("genotype of " + (space.video() ? "video" : "image") + " space "
          + space.name() + " needs " + (space.video() ? "clip input CxTxHxW" : "image input CxHxW")
          + ", the " + m.kind().id() + " macro's input is " + m.input());
    }
    List<String> stacked = m.cellTypes(space.cellTypeNames());
    List<String> missing = stacked.stream().filter(t -> !space.cellTypeNames().contains(t)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the " + m.kind().id() + " macro stacks cell types " + stacked
          + ", but genotypes of space " + space.name() + " have " + space.cellTypeNames() + " (use --macro "
          + space.macro() + ")");
    }
  }

  private static int cell(GraphBuilder b, SearchSpace space, CellGenotype genotype, CellPlan cell, int s0, int s1,
      List<NetworkLayout.CellShapes> layout) {
    String prefix = TensorNames.cell(cell.index());
    // a dense (NAS-Bench-201) cell takes the previous cell's output as it is
    int[] pre = space.preprocessesInputs() ? MacroBlocks.preprocess(b, prefix, cell, s0, s1, true) : new int[] {s1};
    List<Integer> states = new ArrayList<>();
    for (int p : pre) {
      states.add(p);
    }
    int rank = b.shape(pre[0]).rank();
    for (int i = 0; i < genotype.nodes().size(); i++) {
      List<Integer> terms = new ArrayList<>();
      for (GenotypeEdge e : genotype.nodes().get(i)) {
        if (e.op().equals(SearchSpace.NONE)) {
          continue; // a kept zero edge (dense cells) adds nothing
        }
        List<Integer> stride = e.input() < space.inputStates() ? cell.stride() : Collections.nCopies(rank, 1);
        String name = TensorNames.edgeOp(cell.index(), space.edgeIndex(i, e.input()), e.op());
        int in = states.get(e.input());
        int out = OpCatalog.build(b, e.op(), name, in, new OpContext(cell.channels(), stride, true));
        if (out != in) {
          out = b.add(name + ".drop_path", new Layer.DropPath(), out);
        }
        terms.add(out);
      }
      String node = prefix + ".nodes." + i;
      if (terms.isEmpty()) { // every edge into the node is a kept zero
        states.add(b.add(node, new Layer.Zero(Collections.nCopies(rank, 1)), states.get(0)));
      } else if (terms.size() == 1 && space.keepsEveryEdge()) {
        states.add(terms.get(0));
      } else {
        states.add(b.add(node, new Layer.Sum(), terms.stream().mapToInt(Integer::intValue).toArray()));
      }
    }
    int[] concat = genotype.concat().stream().mapToInt(states::get).toArray();
    int out = space.keepsEveryEdge() ? concat[0] : b.add(prefix + ".concat", new Layer.Concat(), concat);
    if (layout != null) {
      layout.add(new NetworkLayout.CellShapes(cell, b.shape(s0), b.shape(s1), b.shape(pre[0]),
          b.shape(states.get(states.size() - 1)), genotype.concat().size(), b.shape(out)));
    }
    return out;
  }
}
