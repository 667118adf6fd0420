package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;

/**
 * Puts activations in channels-last memory order (NHWC, or NDHWC for clips) while they stay
 * indexed N×C×H×W. libtorch's oneDNN convolutions, batch norm and pooling have fast
 * channels-last kernels; in the default NCHW order every convolution is reordered to and from
 * oneDNN's blocked layout, and the many small depthwise convolutions of a supernet spend most
 * of their time there (BENCHMARKS.md, "Threads, channels-last and the search step"). Element-wise operations,
 * concatenation and padding keep the layout of their inputs, so converting a network's input once
 * lays out every activation after it. DJL has no memory-format API: a copy through a transposed
 * view gives the same strides as PyTorch's {@code contiguous(memory_format=channels_last)}.
 */
public final class ChannelsLast {
  /**
   * Below this width libtorch's channels-last batch norm is far slower than its NCHW one (10x at
   * 4 channels, on par at 16; BENCHMARKS.md), so narrower networks stay NCHW.
   */
  static final int MIN_CHANNELS = 16;

  private ChannelsLast() {}

  /**
   * Whether a network made of these graphs runs faster channels-last: images whose every batch
   * norm is at least {@link #MIN_CHANNELS} wide. Clips stay NCTHW: the channels-last gain was
   * measured for 2-D operations only.
   */
  public static boolean pays(java.util.Collection<Graph> graphs) {
    boolean any = false;
    for (Graph g : graphs) {
      if (g.node(0).shape().rank() != 2) {
        return false;
      }
      for (Node n : g.nodes()) {
        if (n.layer() instanceof Layer.BatchNorm bn) {
          if (bn.channels() < MIN_CHANNELS) {
            return false;
          }
          any = true;
        }
      }
    }
    return any;
  }

  /**
   * {@code x} with channels-last strides; the same values. A 4-D or 5-D array that is already
   * channels-last is returned as views of itself (no copy); other ranks are returned unchanged.
   */
  public static NDArray of(NDArray x) {
    int rank = (int) x.getShape().dimension();
    if (rank < 4) {
      return x;
    }
    int[] toLast = new int[rank];
    int[] back = new int[rank];
    toLast[0] = 0;
    back[0] = 0;
    for (int d = 1; d < rank - 1; d++) {
      toLast[d] = d + 1;
    }
    toLast[rank - 1] = 1;
    back[1] = rank - 1;
    for (int d = 2; d < rank; d++) {
      back[d] = d - 1;
    }
    NDArray moved = x.transpose(toLast);
    long channels = x.getShape().get(1);
    // merging N and the spatial axes cannot be a view unless the memory is already channels-last,
    // so this reshape copies exactly when a copy is needed
    NDArray packed = moved.reshape(-1, channels).reshape(moved.getShape());
    return packed.transpose(back);
  }
}
