package dev.nas.search.cdarts;

import ai.djl.ndarray.NDArray;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.ops.Blocks;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CDARTS' embedding modules: one small head per stage (the cells between two reductions) except
 * the last, whose logits are the network's own classifier's. A head maps the stage's last feature
 * map to class logits: ReLU, 1×1 conv to {@code min(128, channels)} (no bias), BN, ReLU, global
 * average pooling, linear. Each head is a static graph of the core layers, run by the same
 * executor as the networks; heads exist for training only and are never exported.
 */
public final class StageHeads {
  /** Most channels of a head's projection (the DARTS auxiliary head's first width). */
  public static final int MAX_WIDTH = 128;

  private final List<Integer> cells;
  private final List<GraphExecutor> heads = new ArrayList<>();

  /**
   * @param prefix name prefix of the heads' tensors, e.g. {@code "head"}
   * @param cellShapes per cell, the shape of its output
   */
  public StageHeads(String prefix, List<FeatureShape> cellShapes, int classes) {
    this.cells = stageEnds(cellShapes);
    for (int k = 0; k < cells.size(); k++) {
      FeatureShape in = cellShapes.get(cells.get(k));
      heads.add(new GraphExecutor(head(prefix + "." + k, in, classes)));
    }
  }

  /**
   * Indices of the cells that end a stage other than the last: those whose output has another
   * spatial size than the next cell's (the next cell reduces).
   */
  public static List<Integer> stageEnds(List<FeatureShape> cellShapes) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i + 1 < cellShapes.size(); i++) {
      if (!cellShapes.get(i).spatial().equals(cellShapes.get(i + 1).spatial())) {
        out.add(i);
      }
    }
    return out;
  }

  private static Graph head(String name, FeatureShape in, int classes) {
    int rank = in.rank();
    int width = Math.min(MAX_WIDTH, in.channels());
    GraphBuilder b = new GraphBuilder(in);
    List<Integer> one = Collections.nCopies(rank, 1);
    List<Integer> zero = Collections.nCopies(rank, 0);
    int h = Blocks.reluConvBn(b, name + ".proj", b.input(), in.channels(), width, one, one, zero, true);
    h = b.add(name + ".relu", new Layer.Relu(), h);
    int gap = b.add(name + ".pool", new Layer.GlobalAvgPool(), h);
    return b.build(b.add(name + ".linear", new Layer.Linear(width, classes, true), gap));
  }

  /** The cells whose outputs the heads read, in order. */
  public List<Integer> cells() {
    return Collections.unmodifiableList(cells);
  }

  /** Every tensor of every head. */
  public List<NamedParam> params() {
    List<NamedParam> out = new ArrayList<>();
    heads.forEach(h -> out.addAll(h.graph().params()));
    return out;
  }

  /** Multi-level logits: each head on its stage's feature map (one per head, in order), then {@code logits}. */
  public List<NDArray> levels(Parameters params, List<NDArray> stageFeatures, NDArray logits, ExecContext ctx) {
    if (stageFeatures.size() != heads.size()) {
      throw new IllegalArgumentException(heads.size() + " heads but " + stageFeatures.size() + " stage features");
    }
    List<NDArray> out = new ArrayList<>();
    for (int k = 0; k < heads.size(); k++) {
      out.add(heads.get(k).applyFragment(params, stageFeatures.get(k), ctx));
    }
    out.add(logits);
    return out;
  }

  public int size() {
    return heads.size();
  }
}
