package dev.nas.djl.optim;

import dev.nas.core.io.Tensor;
import dev.nas.djl.Parameters;
import java.util.List;
import java.util.Map;

/**
 * A first-order optimiser over named tensors of a {@link Parameters} store. Unlike DJL's
 * optimisers, its state (momentum, moments, step count) can be saved and restored, which an
 * exactly-resumable search needs.
 */
public interface Optimizer {
  /** Applies one update with learning rate {@code lr} from the current gradients, then clears them. */
  void step(Parameters params, List<String> names, double lr);

  /** The optimiser state as host tensors (for checkpoints). */
  Map<String, Tensor> state();

  /** Restores a state saved by {@link #state()}. */
  void load(Parameters params, Map<String, Tensor> state);
}
