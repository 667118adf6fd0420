package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.runtime.onnx.OnnxModelInfo;
import dev.nas.runtime.triton.ModelConfigs;
import dev.nas.runtime.triton.ModelRepository;
import dev.nas.runtime.triton.TritonRepository;
import dev.nas.runtime.triton.proto.ModelConfig;
import dev.nas.serve.metrics.ServerMetrics;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.ConfiguredModel;
import dev.nas.serve.model.ModelRegistry;
import dev.nas.serve.model.ModelSettings;
import dev.nas.serve.model.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository written by {@code nas export --format triton} is served with its config.pbtxt's settings. */
class ConfigPbtxtTest {
  @TempDir
  Path dir;

  @Test
  void configDecidesBatchingQueueWorkersAndVersions() throws Exception {
    Path onnx = TestModels.tinyDarts(dir.resolve("m.onnx"), 1);
    ModelConfig c = ModelConfigs.forModel("fm", ModelConfigs.ONNX_PLATFORM, OnnxModelInfo.read(onnx), 4, 1500, 16);
    Path repo = dir.resolve("repo");
    TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c);
    TritonRepository.add(repo, "fm", 0, Map.of("model.onnx", onnx), c);
    // other models: a config naming another model, a config that does not parse, no batching
    TritonRepository.add(repo, "renamed", 0, Map.of("model.onnx", onnx), c.toBuilder().setName("").build());
    Files.writeString(repo.resolve("renamed/config.pbtxt"), "name: \"other\"\n");
    TritonRepository.add(repo, "bad", 0, Map.of("model.onnx", onnx), c.toBuilder().setName("").build());
    Files.writeString(repo.resolve("bad/config.pbtxt"), "max_batch_size: 4\ndynamic_batching {\n");
    Files.writeString(Files.createDirectories(repo.resolve("plain")).resolve("config.pbtxt"),
        "platform: \"onnxruntime_onnx\"\nmax_batch_size: 8\ninstance_group [ { count: 3 } ]\n"
            + "version_policy: { all { } }\n");
    Files.copy(onnx, Files.createDirectories(repo.resolve("plain/1")).resolve("model.onnx"));
    Files.copy(onnx, Files.createDirectories(repo.resolve("plain/7")).resolve("model.onnx"));
    Files.writeString(Files.createDirectories(repo.resolve("wrongkind")).resolve("config.pbtxt"),
        "platform: \"tensorrt_plan\"\n");
    Files.copy(onnx, Files.createDirectories(repo.resolve("wrongkind/1")).resolve("model.onnx"));

    ModelSettings base = new ModelSettings(8, Duration.ofMillis(2), 128, 2, 1);
    ModelConfigs.Parsed fm = ModelConfigs.read(repo.resolve("fm/config.pbtxt"));
    assertEquals(new ModelSettings(4, Duration.ofNanos(1_500_000), 16, 2, 1), ConfiguredModel.settings(fm, base));
    ModelConfigs.Parsed plain = ModelConfigs.read(repo.resolve("plain/config.pbtxt"));
    assertEquals(new ModelSettings(8, Duration.ZERO, 128, 3, 1, false), ConfiguredModel.settings(plain, base),
        "no dynamic_batching: every request alone, of up to max_batch_size samples, as in Triton");

    try (ModelRegistry reg = ModelRegistry.load(ModelRepository.scan(repo), n -> base, Backends.defaults(),
        new ServerMetrics())) {
      ServedModel served = reg.model("fm");
      assertEquals(List.of(2L), List.copyOf(served.versions().keySet()), "default policy: the latest version");
      assertTrue(served.ready());
      assertEquals(List.of(1L, 7L), List.copyOf(reg.model("plain").versions().keySet()), "version_policy all");
      assertFalse(reg.model("renamed").ready());
      assertTrue(reg.model("renamed").problem().contains("names the model 'other'"), reg.model("renamed").problem());
      assertFalse(reg.model("bad").ready());
      assertTrue(reg.model("bad").problem().contains("config.pbtxt:"), reg.model("bad").problem());
      assertFalse(reg.model("wrongkind").ready());
      assertTrue(reg.model("wrongkind").problems().get(0).contains("platform is tensorrt_plan"),
          reg.model("wrongkind").problems().toString());
    }
  }
}
