package dev.nas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.Measurement;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.derive.NetworkFolder;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency of a static network in DJL eager mode (PyTorch engine), measured with the same
 * {@link Bencher} loop and reported in the same {@link BenchResult} form as ONNX Runtime, so the
 * two line up side by side. One iteration is one inference-mode forward pass of one batch,
 * including waiting for the result.
 */
public final class DjlBenchmark {
  public static final String RUNTIME = "djl";
  private final Bencher bencher;
  private final Device device;
  private final long seed;

  public DjlBenchmark(Bencher bencher, Device device, long seed) {
    this.bencher = bencher;
    this.device = device;
    this.seed = seed;
  }

  /** libtorch's intra-op thread count (fixed when the engine starts; {@link dev.nas.core.run.IntraOpThreads}). */
  public static int threads() {
    return dev.nas.core.run.IntraOpThreads.current();
  }

  public List<BenchResult> run(NetworkFolder net, List<Integer> batchSizes) {
    return run(net.graph(), net.weights(), batchSizes);
  }

  /** Measures any static graph with {@code weights}, which must hold every one of its tensors. */
  public List<BenchResult> run(Graph graph, Map<String, Tensor> weights, List<Integer> batchSizes) {
    GraphExecutor exec = new GraphExecutor(graph);
    List<BenchResult> out = new ArrayList<>();
    try (Parameters params = new Parameters(device, DataType.FLOAT32); NDManager m = NDManager.newBaseManager(device)) {
      params.init(graph.params(), 0);
      params.load(weights, true);
      for (int batch : batchSizes) {
        try (NDManager scope = m.newSubManager()) {
          scope.getEngine().setRandomSeed((int) seed);
          NDArray x = scope.randomUniform(0, 1, new Shape(graph.inputShape().withBatch(batch)));
          Measurement meas = bencher.measure(() -> {
            try (NDManager step = scope.newSubManager()) {
              x.tempAttach(step);
              NDArray y = exec.apply(params, x, ExecContext.inference());
              y.toFloatArray(); // forces completion, as reading ORT's output does
            }
          });
          Map<String, String> extra = new LinkedHashMap<>();
          extra.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
          extra.put("device", device.toString());
          extra.put("input", graph.inputShape().toString());
          out.add(BenchResult.of(RUNTIME, batch, threads(), meas, extra));
        }
      }
    }
    return out;
  }
}
