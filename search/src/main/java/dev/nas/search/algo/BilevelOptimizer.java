package dev.nas.search.algo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.nas.core.io.Tensor;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Batch;
import dev.nas.djl.BatchNormSnapshot;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Losses;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.TrainingStep;
import dev.nas.djl.optim.Adam;
import dev.nas.djl.optim.Grads;
import dev.nas.djl.optim.Sgd;
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
  private static final String W_STATE = TensorNames.optimizerState("w", "");
  private static final String A_STATE = TensorNames.optimizerState("a", "");
  private final Supernet net;
  private final BilevelSettings settings;
  private final Sgd weightOpt;
  private final Adam archOpt;
  private final List<String> arch;
  private final ArchObjective objective;

  public BilevelOptimizer(Supernet net, BilevelSettings settings) {
    this(net, settings, ArchObjective.ACCURACY);
  }

  /** @param objective what the architecture step minimises on the validation batch */
  public BilevelOptimizer(Supernet net, BilevelSettings settings, ArchObjective objective) {
    this.net = net;
    this.objective = objective;
    this.settings = settings;
    this.weightOpt = new Sgd(settings.weights().momentum(), settings.weights().weightDecay());
    this.archOpt = new Adam(settings.arch().beta1(), settings.arch().beta2(), 1e-8, settings.arch().weightDecay());
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
    TrainingStep.Outcome valResult = archStep(train, val, lr);
    return new StepStats(weightStep(train, lr), valResult);
  }

  /** Updates α (and β) from {@code val} (and {@code train}, second order); returns the pass on val. */
  public TrainingStep.Outcome archStep(Batch train, Batch val, double lr) {
    Parameters p = net.params();
    try (NDManager scope = p.manager().newSubManager()) {
      BatchNormSnapshot bn = new BatchNormSnapshot(p, scope);
      TrainingStep.Outcome result = settings.secondOrder() ? archGradientsUnrolled(train, val, lr, scope)
          : archGradients(val);
      bn.restore();
      archOpt.step(p, arch, settings.arch().lr());
      return result;
    }
  }

  /** First-order α gradient: ∇α L_val(w, α). Leaves it in α's gradient. */
  public TrainingStep.Outcome archGradients(Batch val) {
    Parameters p = net.params();
    p.track(net.isWeight(), false);
    p.track(net.isArch(), true);
    Grads.zero(archParams());
    TrainingStep.Outcome r = archBackward(val);
    p.track(net.isWeight(), true);
    return r;
  }

  /**
   * Second-order α gradient (DARTS eq. 7–8): with w' = w − ξ(μ·m + ∇w L_train + λw),
   * ∇α L_val(w', α) − ξ · [∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)] / 2ε, w± = w ± ε ∇w' L_val(w', α),
   * ε = r / ‖∇w' L_val‖ (r = 0.01 in DARTS). Leaves it in α's gradient; weights are restored.
   */
  public TrainingStep.Outcome archGradientsUnrolled(Batch train, Batch val, double xi, NDManager scope) {
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
        NDArray d = Grads.withWeightDecay(wi, settings.weights().weightDecay(), s);
        NDArray buf = weightOpt.buffer(weights.get(i));
        if (buf != null) {
          d = d.add(attach(buf.mul(settings.weights().momentum()), s));
        }
        wi.subi(d.muli(xi));
      }
    }
    Grads.zero(w);
    // 2. at w': ∇α L_val (direct term) and ∇w' L_val (the vector v)
    p.track(net.isArch(), true);
    TrainingStep.Outcome valResult = archBackward(val);
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
   * Weight step on {@code train}: forward, backward, clip, SGD. Only the weights the mixing still
   * uses take part (see {@link Supernet#usedWeights()}).
   */
  @Override
  public TrainingStep.Outcome weightStep(Batch train, double lr) {
    Parameters p = net.params();
    p.track(net.isArch(), false);
    TrainingStep.Outcome r = TrainingStep.descend("search", train, x -> pass(x, train), p, net.usedWeights(),
        settings.weights().gradClip(), weightOpt, lr);
    p.track(net.isArch(), true);
    return r;
  }

  /** Forward in training mode and backward of the mean cross-entropy. */
  private TrainingStep.Outcome backward(Batch b) {
    return TrainingStep.backward("search", b, x -> pass(x, b));
  }

  /** Forward and backward of the architecture objective on {@code b} (the cross-entropy reported). */
  private TrainingStep.Outcome archBackward(Batch b) {
    return TrainingStep.backward("search", b, x -> {
      TrainingStep.Forward f = pass(x, b);
      return objective.loss(f.loss(), f.logits());
    });
  }

  private TrainingStep.Forward pass(NDArray x, Batch b) {
    NDArray logits = net.forward(x, ExecContext.search());
    return new TrainingStep.Forward(Losses.crossEntropy(logits, b.y(), 0), logits);
  }

  private List<NDArray> archParams() {
    return arch.stream().map(net.params()::get).toList();
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    weightOpt.state().forEach((k, v) -> out.put(TensorNames.optimizerState("w", k), v));
    archOpt.state().forEach((k, v) -> out.put(TensorNames.optimizerState("a", k), v));
    return out;
  }

  @Override
  public void load(Map<String, Tensor> state) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    Map<String, Tensor> a = new LinkedHashMap<>();
    state.forEach((k, v) -> {
      if (k.startsWith(W_STATE)) {
        w.put(k.substring(W_STATE.length()), v);
      } else if (k.startsWith(A_STATE)) {
        a.put(k.substring(A_STATE.length()), v);
      }
    });
    weightOpt.load(net.params(), w);
    archOpt.load(net.params(), a);
  }
}
