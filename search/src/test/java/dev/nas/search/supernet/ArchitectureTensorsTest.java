package dev.nas.search.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.Batch;
import dev.nas.djl.Parameters;
import dev.nas.djl.Tensors;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which tensors are architecture parameters comes from the mixing that declares them, not from a
 * naming convention: a mixing whose tensors are called {@code gamma.*} is optimised as
 * architecture (Adam on the validation batch), never as weights by SGD.
 */
class ArchitectureTensorsTest {
  /** DARTS' softmax mixing under other tensor names. */
  private static final class GammaMixing implements Mixing {
    private final SoftmaxMixing softmax = new SoftmaxMixing(SearchSpace.DARTS);

    @Override
    public Map<String, int[]> parameterShapes(SearchSpace s) {
      Map<String, int[]> out = new LinkedHashMap<>();
      softmax.parameterShapes(s).forEach((k, v) -> out.put(k.replace("alpha.", "gamma."), v));
      return out;
    }

    @Override
    public NDArray weights(String cellType, Parameters params, NDArray like) {
      NDArray w = params.get("gamma." + cellType).softmax(1);
      w.attach(like.getManager());
      return w;
    }

    @Override
    public int[] activeOps(String cellType, int edge) {
      return softmax.activeOps(cellType, edge);
    }
  }

  private static Batch batch(NDManager m, FeatureShape in, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) (4 * in.numel())];
    long[] y = new long[4];
    int[] labels = new int[4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    for (int i = 0; i < 4; i++) {
      labels[i] = r.nextInt(3);
      y[i] = labels[i];
    }
    return new Batch(m.create(x, new Shape(in.withBatch(4))), m.create(y), labels);
  }

  @Test
  void tensorsTheMixingDeclaresAreArchitectureWhateverTheirNames() {
    FeatureShape in = FeatureShape.of(3, 8, 8);
    SupernetConfig c = new SupernetConfig(SearchSpace.DARTS, 4, 3, 3, in, Preprocessing.identity(3));
    try (Supernet net = new Supernet(c, new GammaMixing(), Device.cpu(), DataType.FLOAT32, 3);
        NDManager m = NDManager.newBaseManager()) {
      assertTrue(net.isArch().test("gamma.normal") && net.isArch().test("gamma.reduce"));
      assertFalse(net.isArch().test("alpha.normal"), "no tensor of that name was declared");
      assertFalse(net.isWeight().test("gamma.normal"));
      assertEquals(net.params().learnedNames(n -> !n.startsWith("gamma.")).stream()
          .mapToLong(n -> net.params().get(n).size()).sum(), net.weightCount());
      float[] before = Tensors.toHost(net.params().get("gamma.normal")).data();
      BilevelOptimizer opt = new BilevelOptimizer(net, BilevelSettings.darts(false));
      opt.weightStep(batch(m, in, 1), 0.025);
      assertTrue(Arrays.equals(before, Tensors.toHost(net.params().get("gamma.normal")).data()),
          "the weight step (SGD) leaves the architecture alone");
      opt.step(batch(m, in, 1), batch(m, in, 2), 0.025);
      float[] after = Tensors.toHost(net.params().get("gamma.normal")).data();
      assertFalse(Arrays.equals(before, after), "the architecture step moved gamma");
    }
  }
}
