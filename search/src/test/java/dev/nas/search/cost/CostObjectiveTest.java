package dev.nas.search.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.TensorNames;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.CountedCost;
import dev.nas.djl.optim.Grads;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The penalty taken at the derived genotype's cost: its value is that genotype's, its gradient the expected cost's. */
class CostObjectiveTest {
  private static final MacroConfig CIFAR = new MacroConfig(MacroConfig.Kind.CIFAR, 6, 5, 4, FeatureShape.of(3, 16, 16),
      false);
  private static final CostTable TABLE = CountedCost.MACS.table(CostPositions.of(SearchSpace.DARTS, CIFAR,
      Preprocessing.identity(3)));
  private static final double CE = 2.0;

  private static Supernet supernet() {
    SupernetConfig c = SupernetConfig.of(SearchSpace.DARTS, 4, 3, 1, 4, 4, FeatureShape.of(3, 8, 8),
        Preprocessing.identity(3));
    Supernet net = new Supernet(c, new SoftmaxMixing(SearchSpace.DARTS), Device.cpu(), DataType.FLOAT32, 3);
    SplittableRandom r = new SplittableRandom(7);
    for (SearchSpace.CellType t : SearchSpace.DARTS.cellTypes()) {
      float[] a = new float[SearchSpace.DARTS.edgesPerCell() * t.ops().size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
      NDArray p = net.params().get(TensorNames.alpha(t.name()));
      p.set(a);
    }
    return net;
  }

  private static CostSettings settings(double target, PenaltyCost at) {
    return new CostSettings(CostMetric.MACS, target, CostPenalty.ADD_LINEAR, 3, new DerivedShape("cifar", 4, 5, 0, 0),
        null, 0, 0, 0, null, at);
  }

  /** The penalised loss and the gradient it gives α of the normal cell. */
  private record Step(double loss, float[] gradient) {}

  private static Step step(Supernet net, CostSettings s) {
    Supplier<Genotype> derived = () -> GenotypeDeriver.derive(SearchSpace.DARTS, net.mixingWeights());
    CostObjective objective = new CostObjective(net, new ExpectedCost(TABLE, EdgeSelection.STRONGEST_OP), s, derived);
    NDArray alpha = net.params().get(TensorNames.alpha("normal"));
    Grads.zero(java.util.List.of(alpha));
    try (NDManager scope = net.params().manager().newSubManager()) {
      NDArray ce = scope.create((float) CE);
      double loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l = objective.loss(ce, null).loss();
        loss = l.toType(DataType.FLOAT64, false).getDouble();
        gc.backward(l);
      }
      return new Step(loss, Grads.of(alpha).toType(DataType.FLOAT32, false).toFloatArray());
    }
  }

  @Test
  void valueIsTheDerivedGenotypesCostAndGradientTheExpectedCosts() {
    try (Supernet net = supernet()) {
      double e = new ExpectedCost(TABLE, EdgeSelection.STRONGEST_OP).value(net);
      double d = TABLE.of(GenotypeDeriver.derive(SearchSpace.DARTS, net.mixingWeights()));
      assertTrue(Math.abs(e - d) > 0.02 * d, "the test needs α whose expectation differs from its genotype: " + e
          + " vs " + d);
      // below both costs the hinge is active in either form, with the same slope λ/T
      double target = 0.5 * Math.min(e, d);
      Step atExpected = step(net, settings(target, PenaltyCost.EXPECTED));
      Step atDerived = step(net, settings(target, PenaltyCost.DERIVED));
      assertEquals(CE + 3 * (e / target - 1), atExpected.loss(), 1e-4 * atExpected.loss());
      assertEquals(CE + 3 * (d / target - 1), atDerived.loss(), 1e-4 * atDerived.loss());
      assertArrayEquals(atExpected.gradient(), atDerived.gradient(), 1e-6f);
      assertTrue(norm(atDerived.gradient()) > 0, "the derived form's gradient reaches α");
    }
  }

  @Test
  void theDerivedFormFallsSilentOnceTheGenotypeFits() {
    try (Supernet net = supernet()) {
      double e = new ExpectedCost(TABLE, EdgeSelection.STRONGEST_OP).value(net);
      double d = TABLE.of(GenotypeDeriver.derive(SearchSpace.DARTS, net.mixingWeights()));
      double low = Math.min(e, d);
      double high = Math.max(e, d);
      // between the two costs: one form's hinge is active, the other's is not
      double target = Math.sqrt(low * high);
      Step atExpected = step(net, settings(target, PenaltyCost.EXPECTED));
      Step atDerived = step(net, settings(target, PenaltyCost.DERIVED));
      boolean derivedFits = d < e;
      assertEquals(derivedFits, norm(atDerived.gradient()) == 0, "derived " + d + " expected " + e);
      assertEquals(!derivedFits, norm(atExpected.gradient()) == 0, "derived " + d + " expected " + e);
      assertEquals(derivedFits ? CE : CE + 3 * (d / target - 1), atDerived.loss(), 1e-4 * atDerived.loss());
    }
  }

  private static double norm(float[] g) {
    double s = 0;
    for (float v : g) {
      s += Math.abs(v);
    }
    return s;
  }

  @Test
  void theSettingReadsBackAndDefaultsToTheExpectedCost() {
    assertEquals(PenaltyCost.EXPECTED, settings(1e6, null).penaltyCost());
    assertEquals(PenaltyCost.DERIVED, PenaltyCost.parse("derived"));
    IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PenaltyCost.parse("argmax"));
    assertTrue(bad.getMessage().contains("--penalty-cost"), bad.getMessage());
  }
}
