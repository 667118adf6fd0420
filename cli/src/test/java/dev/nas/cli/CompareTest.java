package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.cli.compare.WidthFit;
import dev.nas.core.cost.CostCounter;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.Preprocessing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nas compare end to end on a tiny synthetic task: two methods and the ResNet baseline over two seeds. */
class CompareTest {
  private static final long BUDGET = 400_000;

  /** The tiny comparison's command line; {@code extra} options replace the defaults (a repeated option is refused). */
  private static String[] args(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("compare"));
    a.addAll(List.of(extra));
    List<String> defaults = new ArrayList<>(List.of("--dataset", "synthetic", "--input", "3x8x8", "--classes", "3",
        "--train-samples", "64", "--test-samples", "32", "--methods", "random,darts", "--seeds", "2", "--max-macs",
        Long.toString(BUDGET), "--search-epochs", "1", "--search-layers", "3", "--search-channels", "4",
        "--search-batch", "16", "--layers", "3", "--resnet-blocks", "1", "--train-epochs", "1", "--train-batch", "16",
        "--cutout", "2", "--bench-warmup", "1", "--bench-iterations", "2", "--out", out.toString()));
    List<String> given = List.of(extra);
    for (int i = 0; i < defaults.size(); i += 2) {
      if (!given.contains(defaults.get(i))) {
        a.add(defaults.get(i));
        a.add(defaults.get(i + 1));
      }
    }
    return a.toArray(String[]::new);
  }

  @Test
  void comparesResumesAndRefusesChangedSettings(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("cmp");
    // progress goes to System.err, as every command's log does
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    CliRunner r;
    try {
      System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
      r = CliRunner.run(args(out));
    } finally {
      System.setErr(saved);
    }
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("6 run(s) done now, 0 already finished"), r.toString());
    String progress = log.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(progress.contains("== compare run 1/6: random, seed 0") && progress.contains("5 run(s) left, ETA ")
        && progress.contains("== compare run 6/6 done"), progress);

    JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    assertEquals(6, results.get("runs").size());
    List<String> methods = new ArrayList<>();
    results.get("summary").forEach(s -> {
      methods.add(s.get("method").asText());
      assertEquals(2, s.get("runs").asInt());
    });
    assertEquals(List.of("random", "darts", "resnet"), methods);
    for (JsonNode run : results.get("runs")) {
      String name = run.get("method").asText() + "-seed" + run.get("seed").asLong();
      Path dir = out.resolve(name);
      assertTrue(Files.isRegularFile(dir.resolve("result.json")), name);
      assertTrue(Files.isRegularFile(dir.resolve("net/history.json")), name);
      assertTrue(Files.isRegularFile(dir.resolve("model.onnx")), name);
      NetworkFolder net = NetworkFolder.read(dir.resolve("net"));
      long macs = run.get("macs").asLong();
      assertEquals(CostCounter.count(net.graph(), name).macs(), macs);
      assertTrue(macs <= BUDGET, name + " needs " + macs + " MACs");
      assertEquals(net.spec().macro().channels(), run.get("width").asInt());
      boolean resnet = run.get("method").asText().equals("resnet");
      assertEquals(resnet, run.get("genotype").isNull(), name);
      assertEquals(resnet ? "resnet" : "cifar", run.get("macro").asText());
      assertEquals(run.get("method").asText().equals("darts"), Files.isRegularFile(dir.resolve("search/config.json")));
      assertTrue(run.get("latencyMs").asDouble() > 0 && run.get("testTop1").asDouble() >= 0, name);
    }
    String md = Files.readString(out.resolve("results.md"));
    for (String m : List.of("random", "darts", "resnet")) {
      assertTrue(md.lines().anyMatch(l -> l.startsWith("| " + m + " | ") && l.contains(" | 2 | ")), m + ":\n" + md);
    }
    assertTrue(md.contains("Budget 400.0K MACs") && md.contains("largest whose MACs per sample fit"), md);
    assertTrue(md.contains("## Genotypes") && md.contains("- darts, seed 1: `Genotype(normal="), md);
    String svg = Files.readString(out.resolve("accuracy_vs_macs.svg"));
    assertEquals(6, svg.split("fill-opacity").length - 1 - 3, svg); // 6 run markers + 3 legend markers
    assertTrue(svg.contains("darts (2)") && svg.contains("resnet (2)"));

    // Unchanged rerun: nothing to do.
    FileTime searchTime = Files.getLastModifiedTime(out.resolve("darts-seed0/search/config.json"));
    FileTime before = FileTime.from(java.time.Instant.now());
    Thread.sleep(20);
    r = CliRunner.run(args(out));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("0 run(s) done now, 6 already finished"), r.toString());
    assertEquals(0, searchesSince(out, before));

    // An interrupted run (its .partial folder) and a lost one are redone; finished ones are not.
    Path lost = out.resolve("darts-seed1");
    try (Stream<Path> s = Files.walk(lost)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.createDirectories(out.resolve("darts-seed1.partial/search"));
    Files.writeString(out.resolve("darts-seed1.partial/search/config.json"), "{}");
    before = FileTime.from(java.time.Instant.now());
    Thread.sleep(20);
    r = CliRunner.run(args(out));
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("1 run(s) done now, 5 already finished"), r.toString());
    assertEquals(1, searchesSince(out, before));
    assertTrue(Files.isRegularFile(lost.resolve("result.json")));
    assertFalse(Files.exists(out.resolve("darts-seed1.partial")));
    assertEquals(searchTime, Files.getLastModifiedTime(out.resolve("darts-seed0/search/config.json")));

    // Different settings are refused, naming the difference.
    r = CliRunner.run(args(out, "--train-epochs", "2"));
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.err().contains("different settings") && r.err().contains("trainEpochs: 1 vs 2"), r.err());
  }

  /** Search runs started since {@code t}: their config.json is written when a search starts. */
  private static long searchesSince(Path out, FileTime t) throws java.io.IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(d -> d.resolve("search/config.json")).filter(Files::isRegularFile).filter(f -> {
        try {
          return Files.getLastModifiedTime(f).compareTo(t) > 0;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).count();
    }
  }

  @Test
  void unknownMethodIsAUsageError(@TempDir Path tmp) {
    CliRunner r = CliRunner.run("compare", "--methods", "random,nope", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("unknown method 'nope'") && r.err().contains("sdas-b"), r.err());
  }

  @Test
  void theSparkExecutorNeedsTheClusterModule(@TempDir Path tmp) {
    Path out = tmp.resolve("x");
    CliRunner r = CliRunner.run(args(out, "--executor", "spark"));
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("needs the cluster module") && r.err().contains("./nas-cluster"), r.err());
    assertFalse(Files.exists(out), "nothing is written before the executor starts");
    r = CliRunner.run(args(out, "--executor", "ray"));
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("unknown executor 'ray'"), r.err());
  }

  @Test
  void missingDataStoresNoSettings(@TempDir Path tmp) {
    Path out = tmp.resolve("x");
    CliRunner r = CliRunner.run("compare", "--dataset", "mnist", "--data-dir", tmp.resolve("nowhere").toString(),
        "--out", out.toString());
    assertEquals(1, r.status(), r.toString());
    assertFalse(Files.exists(out.resolve("compare.json")), "a corrected --data-dir must not be refused later");
  }

  @Test
  void comparesOnClipsWithTheThreeDimensionalResNet(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("clips");
    CliRunner r = CliRunner.run("compare", "--dataset", "synthetic-video", "--input", "3x4x16x16", "--classes", "3",
        "--train-samples", "32", "--test-samples", "16", "--methods", "random,sdas-c", "--seeds", "1", "--max-macs",
        "5M", "--search-epochs", "1", "--search-channels", "4", "--search-batch", "8", "--train-epochs", "1",
        "--train-batch", "8", "--resnet-blocks", "1", "--cutout", "0", "--bench-iterations", "2", "--bench-warmup", "1",
        "--out", out.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    assertEquals("o3d", results.get("settings").get("space").asText(), "clips default to SDAS' o3d space");
    for (JsonNode run : results.get("runs")) {
      String method = run.get("method").asText();
      assertEquals(method.equals("resnet") ? "resnet3d" : "video-sdas", run.get("macro").asText(), method);
      assertTrue(run.get("macs").asLong() <= 5_000_000, method);
      assertTrue(Files.isRegularFile(out.resolve(method + "-seed0/model.onnx")), method);
    }
    CliRunner mismatch = CliRunner.run("compare", "--dataset", "synthetic-video", "--space", "darts", "--out",
        tmp.resolve("m").toString());
    assertEquals(2, mismatch.status(), mismatch.toString());
    assertTrue(mismatch.err().contains("is an image space"), mismatch.err());
  }

  @Test
  void theNb201BaselineIsTheBenchmarksResNetCellInItsMacro(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("nb201");
    CliRunner r = CliRunner.run("compare", "--space", "nb201", "--input", "3x8x8", "--classes", "3", "--train-samples",
        "32", "--test-samples", "16", "--methods", "random", "--seeds", "1", "--max-macs", "2M", "--layers", "3",
        "--search-layers", "3", "--train-epochs", "1", "--train-batch", "8", "--cutout", "0", "--bench-iterations",
        "2", "--bench-warmup", "1", "--out", out.toString());
    assertEquals(0, r.status(), r.toString());
    JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    int baselines = 0;
    for (JsonNode run : results.get("runs")) {
      assertEquals("nb201", run.get("macro").asText(), run.get("method").asText());
      if (run.get("method").asText().equals("resnet")) {
        baselines++;
        assertEquals(dev.nas.core.genotype.Genotypes.named("nb201_resnet").describe(), run.get("genotype").asText());
      }
    }
    assertEquals(1, baselines);
    assertTrue(Files.readString(out.resolve("results.md")).contains("NAS-Bench-201 ResNet cell"));
  }

  @Test
  void widthFitIsTheLargestWithinBudget() {
    FeatureShape in = FeatureShape.of(1, 28, 28);
    var g = Genotypes.named("DARTS_V2");
    for (long budget : new long[] {2_000_000, 20_000_000}) {
      WidthFit.Fit cells = WidthFit.fit(g, cifar8(in), WidthFit.Budget.macs(budget));
      assertTrue(cells.macs() <= budget);
      assertTrue(macs(g, cells.macro().kind(), cells.macro().channels() + 2) > budget);
      WidthFit.Fit resnet = WidthFit.fit(null, w -> new MacroConfig(MacroConfig.Kind.RESNET, w, 3, 10, in,
          false), WidthFit.Budget.macs(budget));
      assertTrue(resnet.macs() <= budget);
      assertFalse(resnet.macro().auxiliary());
      assertTrue(macs(null, MacroConfig.Kind.RESNET, resnet.macro().channels() + 1) > budget);
    }
  }

  @Test
  void latencyFitIsTheLargestMeasuredWithinBudgetAndMeasuresNoAuxiliaryHead() {
    FeatureShape in = FeatureShape.of(1, 28, 28);
    var g = Genotypes.named("DARTS_V2");
    // a stand-in for ONNX Runtime: 1 ms per million MACs of the graph it is given
    List<Long> measured = new ArrayList<>();
    WidthFit.Latency fake = graph -> {
      long m = CostCounter.count(graph, "t").macs();
      measured.add(m);
      return m / 1e6;
    };
    WidthFit.Fit fit = WidthFit.fit(g, cifar8(in), new WidthFit.Budget(0, 5, fake));
    int c = fit.macro().channels();
    // macs() builds without the auxiliary head: the measured network is the exported one
    assertTrue(fit.latencyMs() <= 5 && fit.latencyMs() == macs(g, MacroConfig.Kind.CIFAR, c) / 1e6, fit.toString());
    assertTrue(macs(g, MacroConfig.Kind.CIFAR, c + 2) / 1e6 > 5, "the next width does not fit");
    assertTrue(fit.macro().auxiliary(), "the trained network keeps its head; only the measured one has none");
    // with a MACs budget as well, widths over it are never measured
    measured.clear();
    long maxMacs = macs(g, MacroConfig.Kind.CIFAR, c / 2);
    WidthFit.Fit both = WidthFit.fit(g, cifar8(in), new WidthFit.Budget(maxMacs, 5, fake));
    assertTrue(both.macs() <= maxMacs && both.macro().channels() < c);
    assertTrue(measured.stream().allMatch(m -> m <= maxMacs), measured.toString());
    WidthFit.Budget impossible = new WidthFit.Budget(0, 1e-6, fake);
    WidthFit.Fit over = WidthFit.fit(g, cifar8(in), impossible);
    assertFalse(over.withinBudget());
    assertEquals(2, over.macro().channels(), "no width fits: the narrowest, marked over the budget");
    assertFalse(WidthFit.fitsAtSomeWidth(g, cifar8(in), impossible));
    assertTrue(WidthFit.fitsAtSomeWidth(g, cifar8(in), new WidthFit.Budget(0, 5, fake)));
    String why = WidthFit.overBudget(over, impossible);
    assertTrue(why.contains("even the narrowest") && why.contains("ms"), why);
  }

  @Test
  void latencyBudgetComparesBudgetAwareAtItsOwnWidthAgainstWidthScaled(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("lat");
    CliRunner r = CliRunner.run(args(out, "--methods", "random,random+budget,darts+budget", "--baselines", "none",
        "--seeds", "1",
        "--max-macs", "1000000000", "--max-latency-ms", "50", "--budget-channels", "4", "--threads", "1"));
    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("lut.json")), "the comparison measured its own table");
    JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    JsonNode aware = null;
    JsonNode random = null;
    JsonNode randomAware = null;
    for (JsonNode run : results.get("runs")) {
      switch (run.get("method").asText()) {
        case "darts+budget" -> aware = run;
        case "random+budget" -> randomAware = run;
        default -> random = run;
      }
    }
    assertEquals(4, randomAware.get("width").asInt(), "random+budget keeps the budget width too");
    assertEquals(4, aware.get("width").asInt(), "a budget-aware network keeps the width it was searched for");
    assertTrue(aware.get("fittedLatencyMs").isNull(), aware.toString());
    assertTrue(random.get("fittedLatencyMs").asDouble() <= 50, random.toString());
    JsonNode history = Json.MAPPER.readTree(out.resolve("darts+budget-seed0/search/history.json").toFile());
    assertTrue(history.toString().contains("\"latency\""), "the budget-aware search logged its predicted latency");
    assertTrue(Files.isRegularFile(out.resolve("accuracy_vs_latency.svg")));
    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("keep the width C=4") && md.contains("darts+budget vs random (random genotypes, "
        + "width-scaled)") && md.contains("darts+budget vs random+budget (random genotypes that meet the budget at the "
        + "same width)"), md);
  }

  private static java.util.function.IntFunction<MacroConfig> cifar8(FeatureShape in) {
    return w -> new MacroConfig(MacroConfig.Kind.CIFAR, w, 8, 10, in, true);
  }

  private static long macs(dev.nas.core.genotype.Genotype g, MacroConfig.Kind kind, int width) {
    MacroConfig m = new MacroConfig(kind, width, kind == MacroConfig.Kind.RESNET ? 3 : 8, 10, FeatureShape.of(1, 28, 28),
        false);
    return CostCounter.count(NetworkBuilder.build(g, m, Preprocessing.identity(1)), "t").macs();
  }
}
