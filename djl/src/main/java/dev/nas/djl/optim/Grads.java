package dev.nas.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * Gradient bookkeeping. PyTorch accumulates gradients across backward passes and DJL's
 * collector does not clear them, so every update step clears the gradients it consumed.
 */
public final class Grads {
  private Grads() {}

  /** The gradient of {@code p} (a fresh handle the caller must close), or null before any backward. */
  public static NDArray of(NDArray p) {
    return JniUtils.getGradient((PtNDArray) p);
  }

  /**
   * {@code ∇p + weightDecay·p} (L2 decay folded into the gradient, as PyTorch's SGD and Adam do),
   * in {@code scope}; null when {@code p} has no gradient yet.
   */
  public static NDArray withWeightDecay(NDArray p, double weightDecay, ai.djl.ndarray.NDManager scope) {
    NDArray g = of(p);
    if (g == null) {
      return null;
    }
    g.attach(scope);
    if (weightDecay == 0) {
      return g;
    }
    NDArray wd = p.mul(weightDecay);
    wd.attach(scope); // an op's result joins its receiver's manager, here the long-lived one
    return g.add(wd);
  }

  public static void zero(Collection<NDArray> params) {
    for (NDArray p : params) {
      try (NDArray g = of(p)) {
        if (g != null) {
          JniUtils.zeroGrad((PtNDArray) p);
        }
      }
    }
  }

  /** Global L2 norm of the gradients (0 for parameters that have none). */
  public static double norm(Collection<NDArray> params) {
    double sum = 0;
    for (NDArray p : params) {
      try (NDArray g = of(p)) {
        if (g != null) {
          try (NDArray sq = g.square(); NDArray s = sq.sum()) {
            sum += dev.nas.djl.Tensors.scalar(s);
          }
        }
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * Scales gradients so their global norm is at most {@code maxNorm} (PyTorch's
   * {@code clip_grad_norm_}); returns the norm before clipping.
   */
  public static double clipNorm(Collection<NDArray> params, double maxNorm) {
    double total = norm(params);
    double coef = maxNorm / (total + 1e-6);
    if (coef < 1) {
      for (NDArray p : params) {
        try (NDArray g = of(p)) {
          if (g != null) {
            g.muli(coef);
          }
        }
      }
    }
    return total;
  }
}
