package dev.nas.runtime.lut;

import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.graph.Graph;
import dev.nas.core.io.Tensor;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuUnavailableException;
import dev.nas.runtime.trt.PlanInfo;
import dev.nas.runtime.trt.TrtBenchmark;
import dev.nas.runtime.trt.TrtBuildOptions;
import dev.nas.runtime.trt.TrtBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Times graphs as TensorRT engines: each graph is exported, built into an FP32 plan whose profile
 * is exactly the table's batch (one timing cache shared by all builds, so repeated layers are
 * tuned once) and measured end to end by {@link TrtBenchmark}.
 */
public final class TrtPartTimer implements PartTimer {
  private final TrtBenchmark benchmark;
  private final LatencyTable.Provenance provenance;
  private final int batch;
  private final OnnxFiles files;

  private TrtPartTimer(TrtBenchmark benchmark, LatencyTable.Provenance provenance, int batch) throws IOException {
    this.benchmark = benchmark;
    this.provenance = provenance;
    this.batch = batch;
    this.files = new OnnxFiles();
  }

  /** @throws GpuUnavailableException without a GPU and TensorRT, with the GPU probe's reason */
  public static TrtPartTimer open(int batch, Bencher bencher, long seed) throws IOException {
    Gpu.Probe probe = Gpu.probeTensorRt();
    if (!probe.ok()) {
      throw new GpuUnavailableException("runtime " + TrtBenchmark.RUNTIME + " needs a CUDA GPU and TensorRT: "
          + probe.reason());
    }
    // one host thread drives the CUDA stream, as TrtBenchmark reports
    return new TrtPartTimer(new TrtBenchmark(bencher, seed), new LatencyTable.Provenance(TrtBenchmark.RUNTIME,
        probe.tensorRtVersion(), "TensorRT", PlanInfo.FP32, 1, batch), batch);
  }

  @Override
  public LatencyTable.Provenance provenance() {
    return provenance;
  }

  @Override
  public LatencyStats time(Graph graph, Map<String, Tensor> weights) throws IOException {
    Path onnx = files.export(graph, weights, "part");
    Path plan = files.resolve("part.plan");
    TrtBuildOptions options = new TrtBuildOptions(TrtBuildOptions.DEFAULT_WORKSPACE_MB, false, batch, batch, batch,
        files.resolve("timing.cache"));
    TrtBuilder.build(onnx, plan, options);
    return benchmark.run(plan, List.of(batch)).get(0).latency();
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
