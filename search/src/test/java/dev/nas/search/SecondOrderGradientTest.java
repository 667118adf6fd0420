package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Tensor;
import dev.nas.core.ops.SearchSpace;
import dev.nas.djl.Batch;
import dev.nas.djl.ExecContext;
import dev.nas.djl.Losses;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.djl.optim.Grads;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The second-order architecture gradient against a central finite-difference estimate of the
 * derivative of the unrolled objective f(α) = L_val(w − ξ(μ·m + ∇w L_train(w, α) + λw), α),
 * in float64 on a tiny supernet.
 */
class SecondOrderGradientTest {
  private static final double XI = 0.05;

  @Test
  void unrolledGradientMatchesFiniteDifferences() {
    FeatureShape in = FeatureShape.of(3, 6, 6);
    try (Supernet net = new Supernet(SupernetTest.tiny(2, 3, in, 3), new SoftmaxMixing(SearchSpace.DARTS),
        Device.cpu(), DataType.FLOAT64, 7); NDManager m = NDManager.newBaseManager()) {
      Batch train = SupernetTest.batch(m, 6, in, 3, 1, DataType.FLOAT64);
      Batch val = SupernetTest.batch(m, 6, in, 3, 2, DataType.FLOAT64);
      // A small finite-difference radius: the test checks the unrolled gradient itself; DARTS' radius
      // of 0.01 trades accuracy for robustness and would dominate the error on a network this small.
      BilevelSettings settings = BilevelSettings.darts(true).withHvpRadius(1e-5);
      BilevelOptimizer opt = new BilevelOptimizer(net, settings);
      opt.weightStep(train, 0.1); // creates momentum buffers so the μ·m term is exercised
      // make α non-uniform so the softmax is not at its symmetric point
      NDArray alpha = net.params().get("alpha.normal");
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
      double[] shift = new double[(int) alpha.size()];
      for (int i = 0; i < shift.length; i++) {
        shift[i] = rnd.nextDouble(-0.5, 0.5);
      }
      alpha.addi(m.create(shift, alpha.getShape()));
      Map<String, Tensor> momentum = new HashMap<>();
      opt.state().forEach((k, v) -> {
        if (k.startsWith("opt.w.momentum.")) {
          momentum.put(k.substring("opt.w.momentum.".length()), v);
        }
      });

      try (NDManager scope = m.newSubManager()) {
        opt.archGradientsUnrolled(train, val, XI, scope);
      }
      double[] analytic;
      try (NDArray g = Grads.of(alpha)) {
        analytic = g.toType(DataType.FLOAT64, false).toDoubleArray();
      }
      Grads.zero(List.of(alpha));

      int ops = SearchSpace.DARTS.ops().size();
      int[][] coords = {{0, 4}, {1, 1}, {3, 3}, {5, 6}, {9, 2}, {13, 7}};
      double h = 1e-5;
      for (int[] c : coords) {
        int idx = c[0] * ops + c[1];
        double plus = unrolledLoss(net, train, val, alpha, idx, h, momentum, settings);
        double minus = unrolledLoss(net, train, val, alpha, idx, -h, momentum, settings);
        double fd = (plus - minus) / (2 * h);
        assertEquals(fd, analytic[idx], 1e-6 + 1e-4 * Math.abs(fd),
            "edge " + c[0] + " op " + SearchSpace.DARTS.ops().get(c[1]));
      }
    }
  }

  /** f(α + delta·e_idx), leaving weights, α and BN statistics as they were. */
  private static double unrolledLoss(Supernet net, Batch train, Batch val, NDArray alpha, int idx, double delta,
      Map<String, Tensor> momentum, BilevelSettings s) {
    Parameters p = net.params();
    // float64 snapshot: host tensors are float32 and would perturb the weights between evaluations
    NDManager keep = alpha.getManager().newSubManager();
    Map<String, NDArray> saved = new HashMap<>();
    java.util.stream.Stream.concat(p.learned().entrySet().stream(), p.buffers().entrySet().stream()).forEach(e -> {
      NDArray c = e.getValue().duplicate();
      c.attach(keep);
      saved.put(e.getKey(), c);
    });
    try (NDManager scope = alpha.getManager().newSubManager()) {
      double[] a = alpha.toType(DataType.FLOAT64, false).toDoubleArray();
      a[idx] += delta;
      alpha.set(alpha.getManager().create(a).toByteBuffer());
      p.track(net.isArch(), false);
      List<NDArray> w = p.learnedNames(net.isWeight()).stream().map(p::get).toList();
      Grads.zero(w);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Losses.crossEntropy(net.forward(train.x(), ExecContext.search()), train.y(), 0));
      }
      for (String name : p.learnedNames(net.isWeight())) {
        NDArray wi = p.get(name);
        try (NDArray g = Grads.of(wi)) {
          NDArray d = g.add(wi.mul(s.weights().weightDecay()));
          d.attach(scope);
          Tensor mom = momentum.get(name);
          if (mom != null) {
            NDArray mm = scope.create(mom.data(), wi.getShape()).toType(DataType.FLOAT64, false).mul(s.weights().momentum());
            d = d.add(mm);
          }
          wi.subi(d.mul(XI));
        }
      }
      Grads.zero(w);
      double loss = Tensors.scalar(Losses.crossEntropy(net.forward(val.x(), ExecContext.search()), val.y(), 0));
      p.track(net.isArch(), true);
      return loss;
    } finally {
      saved.forEach((k, v) -> p.get(k).muli(0).addi(v));
      keep.close();
    }
  }
}
