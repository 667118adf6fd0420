package dev.nas.runtime.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.export.onnx.RandomWeights;
import dev.nas.runtime.onnx.OnnxModelInfo;
import dev.nas.runtime.triton.proto.DataType;
import dev.nas.runtime.triton.proto.ModelConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonRepositoryTest {
  @TempDir
  Path dir;

  private Path exported() throws IOException {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("DARTS_V2"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 4, 2, 10, FeatureShape.of(3, 16, 16), true));
    Graph g = NetworkBuilder.build(spec);
    Path file = dir.resolve("net.onnx");
    OnnxFiles.write(file, OnnxExporter.export(spec, g, RandomWeights.of(g, 1)));
    return file;
  }

  @Test
  void exportedModelGetsTritonsBatchingConfig() throws IOException {
    ModelConfig c = ModelConfigs.forModel("fm", ModelConfigs.ONNX_PLATFORM, OnnxModelInfo.read(exported()), 32,
        100, 64);
    assertEquals(32, c.getMaxBatchSize());
    assertEquals(List.of(3L, 16L, 16L), c.getInput(0).getDimsList(), "batch dimension left out");
    assertEquals(DataType.TYPE_FP32, c.getInput(0).getDataType());
    assertEquals(List.of(10L), c.getOutput(0).getDimsList());
    assertEquals(100, c.getDynamicBatching().getMaxQueueDelayMicroseconds());
    assertEquals(64, c.getDynamicBatching().getDefaultQueuePolicy().getMaxQueueSize());

    String text = ModelConfigs.toText(c);
    assertTrue(text.contains("platform: \"onnxruntime_onnx\""), text);
    assertTrue(text.contains("data_type: TYPE_FP32"), text);
    assertTrue(text.contains("max_batch_size: 32"), text);
    assertEquals(c, ModelConfigs.parse(text, "x").config(), "text round trip");
  }

  @Test
  void readsTritonWrittenConfigsSkippingFieldsOutsideTheSubset() throws IOException {
    String triton = """
        name: "resnet"
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "input" data_type: TYPE_FP32 format: FORMAT_NCHW dims: [ 3, 224, 224 ] } ]
        output [ { name: "logits" data_type: TYPE_FP32 dims: [ 1000 ] } ]
        instance_group [ { count: 2 kind: KIND_CPU } ]
        dynamic_batching { preferred_batch_size: [ 4, 8 ] max_queue_delay_microseconds: 500 }
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt" } ] } }
        model_warmup [ { name: "w" batch_size: 1 } ]
        """;
    ModelConfigs.Parsed p = ModelConfigs.parse(triton, "config.pbtxt");
    assertEquals(8, p.config().getMaxBatchSize());
    assertEquals(2, p.config().getInstanceGroup(0).getCount());
    assertEquals(500, p.config().getDynamicBatching().getMaxQueueDelayMicroseconds());
    assertEquals(2, p.ignoredFields().size(), p.ignoredFields().toString());
    assertTrue(p.ignoredFields().get(0).contains("optimization"), p.ignoredFields().toString());
    assertTrue(p.ignoredFields().get(0).startsWith("8:"), "line of the skipped field: " + p.ignoredFields());
  }

  @Test
  void badConfigsFailNamingFileAndLine() {
    IOException syntax = assertThrows(IOException.class,
        () -> ModelConfigs.parse("name: \"a\"\nmax_batch_size: eight\n", "m/config.pbtxt"));
    assertTrue(syntax.getMessage().startsWith("m/config.pbtxt:2:"), syntax.getMessage());
    assertTrue(assertThrows(IOException.class, () -> ModelConfigs.parse("max_batch_size: -1", "c"))
        .getMessage().contains("max_batch_size"));
    assertTrue(assertThrows(IOException.class, () -> ModelConfigs.parse("dynamic_batching { }", "c"))
        .getMessage().contains("dynamic_batching needs max_batch_size"));
    assertTrue(assertThrows(IOException.class,
        () -> ModelConfigs.parse("max_batch_size: 4 input [ { name: \"x\" dims: [ 0 ] } ]", "c"))
        .getMessage().contains("input 'x' has dimension 0"));
    assertTrue(assertThrows(IOException.class, () -> ModelConfigs.parse("input [ { dims: [ 3 ] } ]", "c"))
        .getMessage().contains("has no name"));
    assertThrows(IOException.class, () -> ModelConfigs.read(dir.resolve("missing.pbtxt")));
  }

  @Test
  void addsVersionsAtomicallyAndNeverOverwrites() throws IOException {
    Path onnx = exported();
    ModelConfig c = ModelConfigs.forModel("fm", ModelConfigs.ONNX_PLATFORM, OnnxModelInfo.read(onnx), 8, -1, 0);
    Path repo = dir.resolve("repo");
    TritonRepository.Added first = TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c);
    assertEquals(repo.resolve("fm/1"), first.versionDir());
    assertEquals(Files.size(onnx), Files.size(repo.resolve("fm/1/model.onnx")));
    assertFalse(c.hasDynamicBatching());
    assertEquals(c, ModelConfigs.read(first.config()).config());

    assertEquals(repo.resolve("fm/2"), TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c)
        .versionDir());
    assertThrows(FileAlreadyExistsException.class,
        () -> TritonRepository.add(repo, "fm", 2, Map.of("model.onnx", onnx), c));
    assertThrows(IllegalArgumentException.class,
        () -> TritonRepository.add(repo, "../x", 0, Map.of("model.onnx", onnx), c));
    assertThrows(IllegalArgumentException.class,
        () -> TritonRepository.add(repo, "other", 0, Map.of("model.onnx", onnx), c), "config names fm");
    assertThrows(IOException.class,
        () -> TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", dir.resolve("nope.onnx")), c));
    try (Stream<Path> s = Files.list(repo.resolve("fm"))) {
      assertEquals(List.of("1", "2", "config.pbtxt"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging folders left behind");
    }
  }

  @Test
  void aNewModelAppearsWithItsConfigAndKilledWritersLeaveNothingBehind() throws IOException {
    Path onnx = exported();
    ModelConfig c = ModelConfigs.forModel("fm", ModelConfigs.ONNX_PLATFORM, OnnxModelInfo.read(onnx), 8, -1, 0);
    Path repo = dir.resolve("repo2");
    // staging folders of writers killed mid-export (a pid above Linux' pid_max cannot be running)
    Path deadModel = Files.createDirectories(repo.resolve(".staging-4194305-fm-x/1"));
    Files.writeString(deadModel.resolve("model.onnx"), "half a model");
    TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c);
    Path deadVersion = Files.createDirectories(repo.resolve("fm/.staging-4194305-2-y"));
    Files.writeString(deadVersion.resolve("model.onnx"), "half a version");
    Path live = Files.createDirectories(repo.resolve(".staging-" + ProcessHandle.current().pid() + "-other-z"));
    TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c);
    try (Stream<Path> s = Files.list(repo)) {
      assertEquals(List.of(live.getFileName().toString(), "fm"),
          s.map(p -> p.getFileName().toString()).sorted().toList(), "a running writer's staging folder stays");
    }
    try (Stream<Path> s = Files.list(repo.resolve("fm"))) {
      assertEquals(List.of("1", "2", "config.pbtxt"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
