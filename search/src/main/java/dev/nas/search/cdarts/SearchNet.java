package dev.nas.search.cdarts;

import ai.djl.ndarray.NDArray;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Parameters;
import dev.nas.search.supernet.Supernet;
import java.util.ArrayList;
import java.util.List;

/**
 * CDARTS' search network (S-Net): a supernet with α and one embedding head per stage. The heads'
 * tensors live in the supernet's parameters (named {@code snet_head.<k>...}), so they are weights
 * (w_S) like the cells'.
 */
public final class SearchNet {
  /** Name prefix of the S-Net's stage heads. */
  public static final String HEAD_PREFIX = "snet_head";

  private final Supernet net;
  private final StageHeads heads;
  private final List<String> headWeights;

  public SearchNet(Supernet net, long seed) {
    this.net = net;
    this.heads = new StageHeads(HEAD_PREFIX, net.cellOutputShapes(), net.config().classes());
    net.params().init(heads.params(), seed);
    this.headWeights = net.params().learnedNames(n -> n.startsWith(HEAD_PREFIX + "."));
  }

  public Supernet supernet() {
    return net;
  }

  public StageHeads heads() {
    return heads;
  }

  public Parameters params() {
    return net.params();
  }

  /** Multi-level logits of a batch: the stage heads', then the classifier's. */
  public List<NDArray> forward(NDArray x, ExecContext ctx) {
    Supernet.CellOutputs out = net.forwardCells(x, ctx);
    List<NDArray> stages = new ArrayList<>();
    for (int c : heads.cells()) {
      stages.add(out.cells().get(c));
    }
    return heads.levels(net.params(), stages, out.logits(), ctx);
  }

  /** The weights w_S the current mixing uses, stage heads included. */
  public List<String> weights() {
    List<String> out = new ArrayList<>(net.usedWeights());
    out.addAll(headWeights);
    return out;
  }
}
