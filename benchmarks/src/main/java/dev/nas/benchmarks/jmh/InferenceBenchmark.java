package dev.nas.benchmarks.jmh;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.djl.ExecContext;
import dev.nas.djl.GraphExecutor;
import dev.nas.djl.NativeRuntime;
import dev.nas.djl.Parameters;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.bench.OrtModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inference latency of DARTS_V2 (CIFAR macro, C=36, 20 cells, 3×32×32) on ONNX Runtime and on
 * DJL eager, same weights, same input, same thread count, in one JMH run so the two compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InferenceBenchmark {
  @Param({"1", "32"})
  public int batch;

  @Param({"2"})
  public int threads;

  private Path dir;
  private OrtModel ort;
  private Parameters params;
  private GraphExecutor exec;
  private NDManager manager;
  private NDArray input;
  private float[] hostInput;
  private long[] shape;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    NativeRuntime.init();
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"), MacroConfig.cifarDefault());
    Graph graph = NetworkBuilder.build(spec);
    Map<String, Tensor> weights = Initializer.of(graph, 1);
    dir = Files.createTempDirectory("nas-jmh");
    Path onnx = dir.resolve("dartsv2.onnx");
    OnnxFiles.write(onnx, OnnxExporter.export(spec, graph, weights));
    ort = OrtModel.open(onnx, threads);
    params = new Parameters(Device.cpu(), DataType.FLOAT32);
    params.init(graph.params(), 1);
    params.load(weights, true);
    exec = new GraphExecutor(graph);
    shape = graph.inputShape().withBatch(batch);
    hostInput = new float[(int) (batch * graph.inputShape().numel())];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < hostInput.length; i++) {
      hostInput[i] = (float) r.nextDouble();
    }
    manager = NDManager.newBaseManager();
    input = manager.create(hostInput, new Shape(shape));
  }

  @Benchmark
  public float[] ort() {
    return ort.run(hostInput, shape).values();
  }

  @Benchmark
  public float[] djl() {
    try (NDManager step = manager.newSubManager()) {
      input.tempAttach(step);
      return exec.apply(params, input, ExecContext.inference()).toFloatArray();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    ort.close();
    params.close();
    manager.close();
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
