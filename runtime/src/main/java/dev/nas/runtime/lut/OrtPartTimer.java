package dev.nas.runtime.lut;

import ai.onnxruntime.OrtEnvironment;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.bench.OrtBenchmark;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuUnavailableException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Times graphs in ONNX Runtime through {@link OrtBenchmark}: each graph is exported by the
 * project's exporter and run in its own session (all optimisations, one inter-op thread, the given
 * intra-op threads) on the given execution provider.
 */
public final class OrtPartTimer implements PartTimer {
  private final OrtBenchmark benchmark;
  private final LatencyTable.Provenance provenance;
  private final int batch;
  private final OnnxFiles files;

  private OrtPartTimer(OrtBenchmark benchmark, LatencyTable.Provenance provenance, int batch) throws IOException {
    this.benchmark = benchmark;
    this.provenance = provenance;
    this.batch = batch;
    this.files = new OnnxFiles();
  }

  /**
   * A timer on {@code provider}.
   *
   * @throws GpuUnavailableException for a GPU provider on a machine or build without one, with the
   *     GPU probe's reason
   */
  public static OrtPartTimer open(ExecutionProvider provider, int threads, int batch, Bencher bencher, long seed)
      throws IOException {
    if (provider.isGpu()) {
      Gpu.Probe probe = Gpu.probe();
      if (!probe.ok()) {
        throw new GpuUnavailableException("runtime " + provider.runtime() + " needs a CUDA GPU: " + probe.reason());
      }
      provider.requireInBuild();
    }
    String version = OrtEnvironment.getEnvironment().getVersion();
    return new OrtPartTimer(new OrtBenchmark(threads, bencher, seed, provider),
        new LatencyTable.Provenance(provider.runtime(), version, provider.label(), "fp32", threads, batch), batch);
  }

  @Override
  public LatencyTable.Provenance provenance() {
    return provenance;
  }

  @Override
  public LatencyStats time(Graph graph, Map<String, Tensor> weights) throws IOException {
    return benchmark.run(files.export(graph, weights, "part"), List.of(batch)).get(0).latency();
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
