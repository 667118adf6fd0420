package dev.nas.search.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.nas.djl.Batch;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Losses;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.Adam;
import dev.nas.djl.optim.Grads;
import dev.nas.djl.optim.Sgd;
import dev.nas.io.Tensor;
import dev.nas.search.supernet.Supernet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DARTS' alternating optimisation: an architecture step on a validation batch (first order: the
 * gradient at the current weights; second order: through one unrolled weight step, with the
 * Hessian–vector product by finite differences), then a weight step on a training batch.
 * Architecture parameters are every tensor {@link Supernet#isArch} selects (α, and β for DAS and
 * SDAS). BN running statistics follow the training batches only: the architecture step restores them.
 */
public final class BilevelOptimizer implements SearchOptimizer {
  private final Supernet net;
  private final BilevelSettings settings;
  private final Sgd weightOpt;
  private final Adam archOpt;
  private final List<String> arch;

  public BilevelOptimizer(Supernet net, BilevelSettings settings) {
    this.net = net;
    this.settings = settings;
    this.weightOpt = new Sgd(settings.momentum(), settings.weightDecay());
    this.archOpt = new Adam(settings.archBeta1(), settings.archBeta2(), 1e-8, settings.archWeightDecay());
    this.arch = net.params().learnedNames(net.isArch());
  }

  public BilevelSettings settings() {
    return settings;
  }

  @Override
  public boolean usesValidation() {
    return true;
  }

  /** One search iteration: architecture step on {@code val}, then weight step on {@code train}. */
  @Override
  public StepStats step(Batch train, Batch val, double lr) {
    double[] valResult = archStep(train, val, lr);
    double[] trainResult = weightStep(train, lr);
    return new StepStats(trainResult[0], (int) trainResult[1], train.size(), valResult[0], (int) valResult[1],
        val.size());
  }

  /** Updates α (and β) from {@code val} (and {@code train}, second order); returns {loss, correct} on val. */
  public double[] archStep(Batch train, Batch val, double lr) {
    Parameters p = net.params();
    try (NDManager scope = p.manager().newSubManager()) {
      Map<String, NDArray> bn = snapshot(p.buffers(), scope);
      double[] result = settings.secondOrder() ? archGradientsUnrolled(train, val, lr, scope) : archGradients(val);
      restore(p.buffers(), bn);
      archOpt.step(p, arch, settings.archLr());
      return result;
    }
  }

  /** First-order α gradient: ∇α L_val(w, α). Leaves it in α's gradient. */
  public double[] archGradients(Batch val) {
    Parameters p = net.params();
    p.track(net.isWeight(), false);
    p.track(net.isArch(), true);
    Grads.zero(archParams());
    double[] r = backward(val);
    p.track(net.isWeight(), true);
    return r;
  }

  /**
   * Second-order α gradient (DARTS eq. 7–8): with w' = w − ξ(μ·m + ∇w L_train + λw),
   * ∇α L_val(w', α) − ξ · [∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)] / 2ε, w± = w ± ε ∇w' L_val(w', α),
   * ε = r / ‖∇w' L_val‖ (r = 0.01 in DARTS). Leaves it in α's gradient; weights are restored.
   */
  public double[] archGradientsUnrolled(Batch train, Batch val, double xi, NDManager scope) {
    Parameters p = net.params();
    List<String> weights = net.usedWeights();
    List<NDArray> w = weights.stream().map(p::get).toList();
    List<NDArray> a = archParams();
    // 1. ∇w L_train at (w, α), then the unrolled weights w'
    p.track(net.isArch(), false);
    Grads.zero(w);
    backward(train);
    List<NDArray> original = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      NDArray wi = w.get(i);
      NDArray copy = wi.duplicate();
      copy.attach(scope);
      original.add(copy);
      try (NDManager s = scope.newSubManager()) {
        NDArray d = Grads.withWeightDecay(wi, settings.weightDecay(), s);
        NDArray buf = weightOpt.buffer(weights.get(i));
        if (buf != null) {
          d = d.add(attach(buf.mul(settings.momentum()), s));
        }
        wi.subi(d.muli(xi));
      }
    }
    Grads.zero(w);
    // 2. at w': ∇α L_val (direct term) and ∇w' L_val (the vector v)
    p.track(net.isArch(), true);
    double[] valResult = backward(val);
    List<NDArray> direct = gradCopies(a, scope);
    List<NDArray> v = gradCopies(w, scope);
    Grads.zero(a);
    Grads.zero(w);
    double norm = 0;
    for (NDArray vi : v) {
      norm += Tensors.scalar(vi.square().sum());
    }
    double eps = settings.hvpRadius() / Math.sqrt(norm);
    // 3. finite-difference Hessian–vector product around the original weights
    p.track(net.isWeight(), false);
    setWeights(w, original, v, eps);
    backward(train);
    List<NDArray> gPlus = gradCopies(a, scope);
    Grads.zero(a);
    setWeights(w, original, v, -eps);
    backward(train);
    List<NDArray> gMinus = gradCopies(a, scope);
    Grads.zero(a);
    setWeights(w, original, v, 0);
    p.track(net.isWeight(), true);
    // 4. combine into α's gradient
    for (int i = 0; i < a.size(); i++) {
      NDArray hvp = gPlus.get(i).sub(gMinus.get(i)).div(2 * eps);
      NDArray total = direct.get(i).sub(hvp.mul(xi));
      backward(a.get(i), total);
    }
    return valResult;
  }

  private static NDArray attach(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /** Writes {@code value} into {@code param}'s gradient (an identity backward pass). */
  private static void backward(NDArray param, NDArray value) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray l = value.mul(param).sum();
      gc.backward(l);
    }
  }

  private static void setWeights(List<NDArray> w, List<NDArray> base, List<NDArray> dir, double scale) {
    for (int i = 0; i < w.size(); i++) {
      NDArray wi = w.get(i);
      wi.muli(0).addi(base.get(i));
      if (scale != 0) {
        try (NDArray step = dir.get(i).mul(scale)) {
          wi.addi(step);
        }
      }
    }
  }

  private static List<NDArray> gradCopies(List<NDArray> params, NDManager scope) {
    List<NDArray> out = new ArrayList<>();
    for (NDArray p : params) {
      try (NDArray g = Grads.of(p)) {
        NDArray c = g == null ? p.zerosLike() : g.duplicate();
        c.attach(scope);
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Weight step on {@code train}: forward, backward, clip, SGD. Returns {loss, correct}. Only the
   * weights the mixing still uses take part (see {@link Supernet#usedWeights()}).
   */
  @Override
  public double[] weightStep(Batch train, double lr) {
    Parameters p = net.params();
    p.track(net.isArch(), false);
    List<String> weights = net.usedWeights();
    List<NDArray> w = weights.stream().map(p::get).toList();
    Grads.zero(w);
    double[] r = backward(train);
    Grads.clipNorm(w, settings.gradClip());
    weightOpt.step(p, weights, lr);
    p.track(net.isArch(), true);
    return r;
  }

  /** Forward in training mode and backward of the mean cross-entropy; returns {loss, correct}. */
  private double[] backward(Batch b) {
    // Results of an op join the manager of its receiver: lending the batch to a scope frees this
    // pass's activations when the scope closes, instead of at the end of the whole step.
    try (NDManager scope = b.x().getManager().newSubManager()) {
      b.x().tempAttach(scope);
      b.y().tempAttach(scope);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = net.forward(b.x(), ExecContext.search());
        NDArray l = Losses.crossEntropy(logits, b.y(), 0);
        double loss = Tensors.scalar(l);
        if (!Double.isFinite(loss)) {
          throw new NonFiniteLossException("search", loss);
        }
        gc.backward(l);
        return new double[] {loss, Losses.correctTopK(logits, b.labels(), 1)};
      }
    }
  }

  private List<NDArray> archParams() {
    return arch.stream().map(net.params()::get).toList();
  }

  private static Map<String, NDArray> snapshot(Map<String, NDArray> buffers, NDManager scope) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    buffers.forEach((k, v) -> {
      NDArray c = v.duplicate();
      c.attach(scope);
      out.put(k, c);
    });
    return out;
  }

  private static void restore(Map<String, NDArray> buffers, Map<String, NDArray> snapshot) {
    buffers.forEach((k, v) -> v.muli(0).addi(snapshot.get(k)));
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    weightOpt.state().forEach((k, v) -> out.put("opt.w." + k, v));
    archOpt.state().forEach((k, v) -> out.put("opt.a." + k, v));
    return out;
  }

  @Override
  public void load(Map<String, Tensor> state) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    Map<String, Tensor> a = new LinkedHashMap<>();
    state.forEach((k, v) -> {
      if (k.startsWith("opt.w.")) {
        w.put(k.substring(6), v);
      } else if (k.startsWith("opt.a.")) {
        a.put(k.substring(6), v);
      }
    });
    weightOpt.load(net.params(), w);
    archOpt.load(net.params(), a);
  }
}
