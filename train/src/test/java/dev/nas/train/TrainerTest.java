package dev.nas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Initializer;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.djl.DjlBenchmark;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  private static NetworkFolder tinyNet(Path dir) throws Exception {
    NetworkSpec spec = NetworkSpec.of(Genotypes.named("PC_DARTS"),
        new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 4, FeatureShape.of(3, 8, 8), true));
    Graph g = NetworkBuilder.build(spec);
    NetworkFolder.write(dir, spec, Initializer.of(g, 1));
    return NetworkFolder.read(dir);
  }

  private static TrainConfig config(int epochs, double lr) {
    return new TrainConfig("synthetic", null, null, 128, 32, epochs, 16, lr, 0, 0.9, 3e-4, 5.0, 2, 0.4, 0.2, 0.1, true,
        3);
  }

  @Test
  void trainingUpdatesWeightsAndRecordsTheDataset(@TempDir Path tmp) throws Exception {
    NetworkFolder net = tinyNet(tmp.resolve("net"));
    TrainResult r = new Trainer(config(2, 0.05), Device.cpu(), QUIET).train(net, tmp.resolve("out"));
    assertTrue(r.top1() >= 0 && r.top1() <= 1 && r.top5() >= r.top1(), r.toString());
    NetworkFolder trained = NetworkFolder.read(tmp.resolve("out"));
    assertEquals(Boolean.TRUE, trained.spec().info().get("trained"));
    assertEquals(4, trained.spec().classNames().size());
    assertNotEquals(List.of(0f, 0f, 0f), trained.spec().preprocessing().mean(), "dataset statistics are stored");
    assertFalse(java.util.Arrays.equals(net.weights().get("classifier.weight").data(),
        trained.weights().get("classifier.weight").data()));
    assertFalse(java.util.Arrays.equals(net.weights().get("aux.classifier.weight").data(),
        trained.weights().get("aux.classifier.weight").data()), "the auxiliary head is trained too");
    assertTrue(Files.isRegularFile(tmp.resolve("out/history.json")));
    assertTrue(Files.readString(tmp.resolve("out/train_log.txt")).contains("test top-1"));
  }

  @Test
  void divergingTrainingStopsWithoutSavingAnything(@TempDir Path tmp) throws Exception {
    NetworkFolder net = tinyNet(tmp.resolve("net"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(config(3, 1e12), Device.cpu(), QUIET).train(net, tmp.resolve("out")));
    assertTrue(e.getMessage().contains("training loss became"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out/" + NetworkFolder.SPEC)));
  }

  @Test
  void djlBenchmarkReportsEveryBatchSize(@TempDir Path tmp) throws Exception {
    NetworkFolder net = tinyNet(tmp.resolve("net"));
    List<BenchResult> r = new DjlBenchmark(Bencher.iterations(1, 3), Device.cpu(), 0).run(net, List.of(1, 4));
    assertEquals(2, r.size());
    assertEquals(List.of(1, 4), r.stream().map(BenchResult::batchSize).toList());
    assertTrue(r.stream().allMatch(x -> x.latency().p50Ms() > 0 && x.iterations() == 3));
    assertEquals("djl", r.get(0).runtime());
  }
}
