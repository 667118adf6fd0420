package dev.nas.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.nas.djl.optim.Grads;
import dev.nas.djl.optim.Optimizer;
import java.util.List;
import java.util.function.Function;

/**
 * The one training step of every learner in nas (the search's weight and architecture steps,
 * CDARTS' three networks, {@code nas train}): forward, loss, non-finite check, backward, and for
 * a descent step gradient clipping and the optimiser's update.
 */
public final class TrainingStep {
  private TrainingStep() {}

  /**
   * What a forward pass yields: the loss to minimise, the logits whose hits are counted, and the
   * loss to report (the same unless the minimised one has extra terms, e.g. auxiliary heads).
   */
  public record Forward(NDArray loss, NDArray logits, NDArray reported) {
    public Forward(NDArray loss, NDArray logits) {
      this(loss, logits, loss);
    }
  }

  /** A pass's reported mean loss, its correct top-1 predictions and the batch size. */
  public record Outcome(double loss, int correct, int count) {
    public double accuracy() {
      return (double) correct / count;
    }
  }

  /**
   * Forward and backward of {@code b}: gradients accumulate in every parameter that tracks them.
   * The pass's activations are freed when it returns (the batch is lent to a scope of its own).
   *
   * @param what which loss, for the {@link NonFiniteLossException} thrown (before any backward) when
   *     the loss is NaN or infinite
   */
  public static Outcome backward(String what, Batch b, Function<NDArray, Forward> pass) {
    // Results of an op join the manager of its receiver: lending the batch to a scope frees this
    // pass's activations when the scope closes, instead of at the end of the whole step.
    try (NDManager scope = b.x().getManager().newSubManager()) {
      b.x().tempAttach(scope);
      b.y().tempAttach(scope);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        Forward f = pass.apply(b.x());
        double loss = Tensors.scalar(f.loss());
        if (!Double.isFinite(loss)) {
          throw new NonFiniteLossException(what, loss);
        }
        double reported = f.reported() == f.loss() ? loss : Tensors.scalar(f.reported());
        gc.backward(f.loss());
        return new Outcome(reported, Losses.correctTopK(f.logits(), b.labels(), 1), b.size());
      }
    }
  }

  /**
   * A descent step of {@code names}: their gradients zeroed, {@link #backward}, the gradient norm
   * clipped to {@code clip}, then {@code optimizer}'s update with learning rate {@code lr}.
   */
  public static Outcome descend(String what, Batch b, Function<NDArray, Forward> pass, Parameters params,
      List<String> names, double clip, Optimizer optimizer, double lr) {
    List<NDArray> w = names.stream().map(params::get).toList();
    Grads.zero(w);
    Outcome o = backward(what, b, pass);
    Grads.clipNorm(w, clip);
    optimizer.step(params, names, lr);
    return o;
  }
}
