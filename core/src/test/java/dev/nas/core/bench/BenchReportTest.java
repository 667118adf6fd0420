package dev.nas.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nas.core.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  private static final MachineInfo MACHINE =
      new MachineInfo("Linux 6.1", "amd64", "Test CPU @ 1.00GHz", 2, "17.0.15+6", "OpenJDK 64-Bit Server VM");

  /** A result whose iterations all took {@code ms} milliseconds. */
  private static BenchResult result(String runtime, int batch, double ms) {
    long ns = Math.round(ms * 1e6);
    long[] times = {ns, ns, ns, ns};
    return BenchResult.of(runtime, batch, 2, new Measurement(1, 4 * ns, times), Map.of("ep", "cpu"));
  }

  private static BenchReport report() {
    return new BenchReport("2025-01-01T00:00:00Z", MACHINE, List.of(
        result("ort", 1, 2.0), result("ort", 8, 10.0), result("djl", 1, 4.0), result("djl", 8, 8.0),
        result("djl", 32, 30.0)));
  }

  @Test
  void throughputIsSamplesPerSecondOfTheTimedPhase() {
    BenchResult r = result("ort", 8, 10.0);
    assertEquals(800.0, r.throughput(), 1e-9);
    assertEquals(40.0, r.wallTimeMs(), 1e-9);
  }

  @Test
  void jsonRoundTripKeepsEveryField() throws Exception {
    BenchReport report = report();
    String json = report.toJson();
    assertEquals(report, BenchReport.fromJson(json));
    // The derived fields must not break readers that reject unknown properties.
    assertEquals(report, new ObjectMapper().readValue(json, BenchReport.class));

    JsonNode tree = Json.MAPPER.valueToTree(report);
    assertEquals(BenchReport.METHOD, tree.get("method").asText());
    JsonNode first = tree.get("results").get(0);
    assertEquals(500.0, first.get("throughputSamplesPerSec").asDouble(), 1e-9);
    assertEquals(2.0, first.get("latency").get("p50Ms").asDouble(), 1e-9);
    assertEquals("cpu", first.get("extra").get("ep").asText());
    assertEquals("Test CPU @ 1.00GHz", tree.get("machine").get("cpuModel").asText());
  }

  @Test
  void jsonFileRoundTrip(@TempDir Path dir) {
    Path file = dir.resolve("bench/report.json");
    report().writeJson(file);
    assertEquals(report(), BenchReport.readJson(file));
    assertThrows(IllegalArgumentException.class, () -> BenchReport.fromJson("{\"results\": 3}"));
  }

  @Test
  void textTableHasAlignedColumns() {
    String text = report().toText();
    List<String> lines = text.lines().toList();
    assertTrue(lines.get(0).contains("Test CPU @ 1.00GHz") && lines.get(0).contains("2 cores"), lines.get(0));
    String header = lines.get(2);
    assertTrue(header.startsWith("runtime") && header.contains("p50 ms") && header.endsWith("samples/s"), header);
    List<String> rows = lines.subList(3, 8);
    for (String row : rows) {
      assertEquals(header.length(), row.length(), "row '" + row + "' aligns with '" + header + "'");
    }
    assertTrue(rows.get(1).matches("ort\\s+8\\s+2\\s+1\\s+4\\s+0\\.040\\s+10\\.000 .*\\s800\\.0"), rows.get(1));
    assertTrue(lines.get(8).startsWith("method: "));
  }

  @Test
  void comparesRuntimesAtMatchingBatchSizes() {
    List<BenchComparison> pairs = report().compare("ort", "djl");
    assertEquals(2, pairs.size(), "batch 32 has no ort result");
    assertEquals(1, pairs.get(0).batchSize());
    assertEquals(0.5, pairs.get(0).p50Ratio(), 1e-9);
    assertEquals(2.0, pairs.get(0).throughputRatio(), 1e-9);
    assertEquals(1.25, pairs.get(1).p50Ratio(), 1e-9);

    String text = report().compareText("ort", "djl");
    assertTrue(text.startsWith("ort vs djl (ratio = ort / djl"), text);
    List<String> lines = text.lines().toList();
    assertTrue(lines.get(1).contains("ort p50 ms") && lines.get(1).contains("p50 ratio"), lines.get(1));
    assertTrue(lines.get(2).matches("\\s+1\\s+2\\s+2\\.000\\s+4\\.000\\s+0\\.500 .*"), lines.get(2));
    assertTrue(report().compareText("ort", "tvm").contains("no batch size"));
  }

  @Test
  void stageTimingsRoundTripAndAreListedUnderTheTable() throws Exception {
    LatencyStats compute = LatencyStats.fromNanos(1_500_000L, 1_500_000L);
    LatencyStats copy = LatencyStats.fromNanos(250_000L, 250_000L);
    BenchResult gpu = result("tensorrt", 8, 2.0).withStages(Map.of());
    assertTrue(gpu.stages().isEmpty());
    Map<String, LatencyStats> stages = new LinkedHashMap<>();
    stages.put("h2d", copy);
    stages.put("gpuCompute", compute);
    gpu = gpu.withStages(stages);
    BenchReport report = new BenchReport("2025-01-01T00:00:00Z", MACHINE, List.of(result("ort", 8, 3.0), gpu));

    String json = report.toJson();
    assertEquals(report, BenchReport.fromJson(json));
    assertEquals(report, new ObjectMapper().readValue(json, BenchReport.class));
    JsonNode results = Json.MAPPER.readTree(json).get("results");
    assertTrue(results.get(0).get("stages") == null, "results without stages keep the old JSON form");
    assertEquals(1.5, results.get(1).get("stages").get("gpuCompute").get("p50Ms").asDouble(), 1e-9);
    assertEquals(List.of("h2d", "gpuCompute"), List.copyOf(BenchReport.fromJson(json).results().get(1).stages()
        .keySet()), "stages keep their order within the iteration");

    List<String> lines = report.toText().lines().toList();
    int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("stages")).findFirst().orElseThrow());
    assertTrue(lines.get(at + 1).startsWith("runtime") && lines.get(at + 1).endsWith("end-to-end p50"),
        lines.get(at + 1));
    assertTrue(lines.get(at + 2).matches("tensorrt\\s+8\\s+h2d\\s+0\\.250\\s+0\\.250 .*\\s2\\.000"),
        lines.get(at + 2));
    assertTrue(lines.get(at + 3).matches("tensorrt\\s+8\\s+gpuCompute\\s+1\\.500 .*"), lines.get(at + 3));
    assertTrue(lines.get(at + 4).startsWith("method: "));
    assertTrue(report().toText().lines().noneMatch(l -> l.startsWith("stages")));
  }

  @Test
  void resultsRejectMeaninglessValues() {
    LatencyStats l = LatencyStats.fromNanos(1L);
    assertThrows(IllegalArgumentException.class, () -> new BenchResult(" ", 1, 1, 0, 1, 1, l, null));
    assertThrows(IllegalArgumentException.class, () -> new BenchResult("ort", 0, 1, 0, 1, 1, l, null));
    assertThrows(IllegalArgumentException.class, () -> new BenchResult("ort", 1, 0, 0, 1, 1, l, null));
    assertEquals(Map.of(), new BenchResult("ort", 1, 1, 0, 1, 1, l, null).extra());
  }

  @Test
  void cpuModelComesFromProcCpuinfo() {
    assertEquals("Intel(R) Xeon(R) CPU @ 2.20GHz", MachineInfo.cpuModel(List.of(
        "processor\t: 0", "vendor_id\t: GenuineIntel", "model name\t: Intel(R) Xeon(R)  CPU @ 2.20GHz")));
    assertEquals("ARMv7 Processor rev 4 (v7l)", MachineInfo.cpuModel(List.of(
        "processor\t: 0", "Processor\t: ARMv7 Processor rev 4 (v7l)")));
    assertEquals(MachineInfo.UNKNOWN, MachineInfo.cpuModel(List.of("processor\t: 0", "BogoMIPS\t: 50.00")));
    MachineInfo here = MachineInfo.current();
    assertTrue(here.cores() >= 1);
    assertTrue(!here.cpuModel().isBlank() && !here.javaVersion().isBlank());
  }
}
