package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.gpu.Gpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas lut} on a tiny network (cifar macro, C=4, 3 cells, 3x8x8, 3 classes) with few iterations. */
class LutCommandTest {
  private static final CostPositions TINY = CostPositions.of(SearchSpace.DARTS, new MacroConfig(MacroConfig.Kind.CIFAR,
      4, 3, 3, FeatureShape.of(3, 8, 8), false), Preprocessing.identity(3));

  @TempDir
  Path dir;

  private static String[] lut(Path out, String... more) {
    return Stream.concat(Stream.of("lut", "--macro", "cifar", "--channels", "4", "--layers", "3", "--input", "3x8x8",
        "--classes", "3", "--warmup", "1", "--iterations", "3", "--out", out.toString()), Stream.of(more))
        .toArray(String[]::new);
  }

  private static CliRunner ok(String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static void fails(int status, String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(status, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
  }

  @Test
  void measuresEveryPartOnOrtThenResumesOnlyTheMissingOnes() throws Exception {
    Path out = dir.resolve("lut.json");
    CliRunner first = ok(lut(out));
    LatencyTable t = LatencyTable.read(out);
    int parts = TINY.distinctParts().size();
    int empty = (int) TINY.distinctParts().stream().filter(p -> p.empty()).count();
    assertTrue(first.out().contains("parts: " + parts + " distinct, " + (parts - empty) + " measured now, 0 reused "
        + "from the file, " + empty + " compute nothing"), first.out());
    // every part that computes something, and the runtime's cost of one call
    assertEquals(parts - empty + 1, t.entries().size());
    assertTrue(t.callOverheadMs() > 0);
    assertEquals("ort", t.provenance().runtime());
    assertEquals(new LatencyTable.Settings(1, 3), t.settings());
    t.requireFits(TINY, "ort", 1);
    assertTrue(t.table(TINY).fixed() > 0);
    assertTrue(t.entries().values().stream().allMatch(e -> e.iterations() == 3 && e.p50Ms() > 0));

    // an interrupted run: three entries never written
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(out.toFile());
    List<String> dropped = new ArrayList<>(t.entries().keySet()).subList(2, 5);
    dropped.forEach(((ObjectNode) json.get("entries"))::remove);
    Files.writeString(out, Json.write(json));
    CliRunner second = ok(lut(out));
    assertTrue(second.out().contains("3 measured now, " + (parts - empty - 3) + " reused from the file"),
        second.out());
    LatencyTable resumed = LatencyTable.read(out);
    assertEquals(t.entries().keySet(), resumed.entries().keySet());
    t.entries().forEach((k, e) -> {
      if (!dropped.contains(k)) {
        assertEquals(e, resumed.entries().get(k), "kept as measured: " + k);
      }
    });

    // complete: nothing to measure, and the file is left as it is
    String before = Files.readString(out);
    CliRunner third = ok(lut(out));
    assertTrue(third.out().contains("0 measured now, " + (parts - empty) + " reused"), third.out());
    assertEquals(before, Files.readString(out));

    fails(1, "cannot add to latency table " + out + ": it was measured for iterations 3, not 4",
        with(lut(out), "--iterations", "4"));
    fails(1, "it was measured for input 3x8x8, not 3x16x16", with(lut(out), "--input", "3x16x16"));
  }

  /** {@code args} with the value of option {@code opt} set to {@code value}. */
  private static String[] with(String[] args, String opt, String value) {
    String[] a = args.clone();
    a[List.of(a).indexOf(opt) + 1] = value;
    return a;
  }

  @Test
  void calibratesAgainstWholeNetworks() throws Exception {
    Path out = dir.resolve("cal.json");
    CliRunner r = ok(lut(out, "--calibrate", "3", "--seed", "4"));
    LatencyTable t = LatencyTable.read(out);
    LatencyTable.Calibration c = t.calibration();
    assertNotNull(c, r.out());
    assertEquals(3, c.networks());
    assertEquals("in-sample", c.errorMethod());
    assertTrue(c.scale() > 0, r.out());
    assertTrue(c.mapeAfter() <= c.mapeBefore() + 1e-9, r.out());
    assertTrue(r.out().contains("calibration over 3 random networks"), r.out());
    assertTrue(r.out().contains("seed 4: predicted ") && r.out().contains("seed 6: predicted "), r.out());
    assertTrue(r.out().contains("(in-sample)"), r.out());
    // the correction is part of the table the search reads
    assertEquals(c.scale() * t.uncalibrated(TINY).fixed() + c.offset(), t.table(TINY).fixed(), 1e-12);
    // a later run that measures nothing keeps it
    ok(lut(out));
    assertEquals(c, LatencyTable.read(out).calibration());
  }

  @Test
  void measuresOnDjl() throws Exception {
    Path out = dir.resolve("djl.json");
    ok(lut(out, "--runtime", "djl"));
    LatencyTable t = LatencyTable.read(out);
    assertEquals("djl", t.provenance().runtime());
    assertTrue(t.provenance().runtimeVersion().startsWith("PyTorch"), t.provenance().toString());
    assertNull(t.calibration());
    t.requireFits(TINY, "djl", 1);
  }

  @Test
  void gpuRuntimesWithoutAGpuAreRefusedWithTheProbesReason() {
    assumeFalse(Gpu.probe().ok(), "a GPU is present: the refusal cannot be seen here");
    Path out = dir.resolve("gpu.json");
    fails(1, "runtime ort-cuda needs a CUDA GPU: " + Gpu.probe().reason(), lut(out, "--runtime", "ort-cuda"));
    fails(1, "runtime ort-trt needs a CUDA GPU", lut(out, "--runtime", "ort-trt"));
    fails(1, "runtime tensorrt needs a CUDA GPU and TensorRT", lut(out, "--runtime", "tensorrt"));
    assertFalse(Files.exists(out));
  }

  @Test
  void badInputIsOneClearMessage() {
    Path out = dir.resolve("bad.json");
    fails(2, "unknown --runtime 'cuda'", lut(out, "--runtime", "cuda"));
    fails(2, "--calibrate must be positive", lut(out, "--calibrate", "0"));
    fails(2, "--batch must be positive", lut(out, "--batch", "0"));
    fails(2, "unknown search space 'dart'", lut(out, "--space", "dart"));
    fails(2, "has no cells", "lut", "--macro", "resnet", "--out", out.toString());
    fails(2, "--out is required", "lut", "--channels", "4");
    fails(2, "--repeat and --stem-channels are for the video macros", lut(out, "--repeat", "2"));
    assertFalse(Files.exists(out));
  }
}
