package dev.nas.derive.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.bench.MachineInfo;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyTableTest {
  private static final MacroConfig TINY = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 3, FeatureShape.of(3, 8, 8),
      false);
  private static final CostPositions POSITIONS = CostPositions.of(SearchSpace.DARTS, TINY, Preprocessing.identity(3));
  private static final MachineInfo MACHINE = new MachineInfo("Linux 6.1", "amd64", "Some CPU", 2, "17.0.1", "VM");

  @TempDir
  Path dir;

  /** Every part measured as its key's length in µs: distinct, deterministic numbers. */
  private static LatencyTable complete(String runtime) {
    LatencyTable t = LatencyTable.empty(LatencyTable.Target.of(POSITIONS), new LatencyTable.Provenance(runtime,
        "1.23.2", "CPU", "fp32", 1, 1), MACHINE, "2025-01-01T00:00:00Z", new LatencyTable.Settings(3, 10));
    for (CostPart p : t.missing(POSITIONS)) {
      double ms = p.key().length() / 1000.0;
      t = t.withEntry(p.key(), new LatencyTable.Entry(ms, ms * 1.1, ms / 10, 10), "2025-01-01T00:00:01Z");
    }
    return t;
  }

  @Test
  void roundTripsThroughJson() throws IOException {
    LatencyTable t = complete("ort").withCalibration(LatencyTable.Calibration.fit(new double[] {1, 2, 3},
        new double[] {1.5, 2.8, 4.1}));
    Path f = dir.resolve("lut.json");
    t.write(f);
    LatencyTable back = LatencyTable.read(f);
    assertEquals(t.target(), back.target());
    assertEquals(t.provenance(), back.provenance());
    assertEquals(t.machine(), back.machine());
    assertEquals(t.measuredAt(), back.measuredAt());
    assertEquals(t.settings(), back.settings());
    assertEquals(t.entries(), back.entries());
    assertEquals(t.calibration(), back.calibration());
    assertEquals(f, back.source());
    assertTrue(Files.readString(f).contains("\"format\" : \"nas-latency-table\""));
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 3);
    assertEquals(t.table(POSITIONS).of(g), back.table(POSITIONS).of(g), 1e-12);
  }

  @Test
  void readingNamesTheBadField() throws IOException {
    Path f = dir.resolve("bad.json");
    complete("ort").write(f);
    String json = Files.readString(f);
    Files.writeString(f, json.replace("\"batch\" : 1", "\"batch\" : \"one\""));
    IOException e = assertThrows(IOException.class, () -> LatencyTable.read(f));
    assertTrue(e.getMessage().contains("runtime.batch"), e.getMessage());
    Files.writeString(f, json.replace("\"format\" : \"nas-latency-table\"", "\"format\" : \"nas-network\""));
    e = assertThrows(IOException.class, () -> LatencyTable.read(f));
    assertTrue(e.getMessage().contains("format is 'nas-network'"), e.getMessage());
    Files.writeString(f, json.replaceFirst("\"p50Ms\" : [0-9.]+", "\"p50Ms\" : -1"));
    e = assertThrows(IOException.class, () -> LatencyTable.read(f));
    assertTrue(e.getMessage().contains("entries.stem:cifar|in:3x8x8|out:12x8x8.p50Ms must not be negative"),
        e.getMessage());
  }

  @Test
  void refusesAnotherRuntimeInputOrMacroByName() throws IOException {
    Path f = dir.resolve("lut.json");
    complete("ort").write(f);
    LatencyTable t = LatencyTable.read(f);
    t.requireFits(POSITIONS, "ort", 1);
    MacroConfig other = new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 3, FeatureShape.of(3, 16, 16), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.requireFits(
        CostPositions.of(SearchSpace.DARTS, other, Preprocessing.identity(3)), "djl", 1));
    assertEquals("latency table lut.json was measured for runtime ort, not djl; input 3x8x8, not 3x16x16",
        e.getMessage());
    MacroConfig imagenet = new MacroConfig(MacroConfig.Kind.IMAGENET, 4, 3, 3, FeatureShape.of(3, 32, 32), false);
    e = assertThrows(IllegalArgumentException.class, () -> t.requireFits(
        CostPositions.of(SearchSpace.DARTS, imagenet, Preprocessing.identity(3)), "ort", 8));
    assertEquals("latency table lut.json was measured for macro cifar, not imagenet; input 3x8x8, not 3x32x32; "
        + "batch 1, not 8", e.getMessage());
  }

  @Test
  void tableFailsNamingAMissingKeyAndSumsTheParts() {
    LatencyTable t = complete("ort");
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 5);
    double sum = POSITIONS.partsOf(g).stream().filter(p -> !p.empty()).mapToDouble(p -> t.entries().get(p.key())
        .p50Ms()).sum();
    assertEquals(sum, t.table(POSITIONS).of(g), 1e-9);
    String key = "op:sep_conv_5x5|in:4x8x8|stride:1x1";
    assertTrue(t.entries().containsKey(key));
    LatencyTable lacking = t.retaining(t.entries().keySet().stream().filter(k -> !k.equals(key)).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lacking.table(POSITIONS));
    assertTrue(e.getMessage().contains("no entry for 1 part of these networks: " + key), e.getMessage());
  }

  @Test
  void theCallOverheadIsTakenOffEveryPartAndCountedOnceForTheNetwork() {
    double call = 0.004;
    LatencyTable t = complete("ort").withEntry(LatencyTable.CALL_OVERHEAD, new LatencyTable.Entry(call, call, 0, 10),
        "2025-01-01T00:00:02Z");
    assertEquals(call, t.callOverheadMs());
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 5);
    double sum = POSITIONS.partsOf(g).stream().filter(p -> !p.empty()).mapToDouble(p -> Math.max(0,
        t.entries().get(p.key()).p50Ms() - call)).sum();
    assertEquals(sum + call, t.table(POSITIONS).of(g), 1e-9);
    assertTrue(t.retaining(java.util.List.of()).entries().containsKey(LatencyTable.CALL_OVERHEAD),
        "the overhead is no part, and stays");
  }

  @Test
  void calibrationIsAppliedToTheTable() {
    LatencyTable.Calibration c = new LatencyTable.Calibration(0.5, 0.1, 3, 0, 0, 0, 0, "in-sample");
    LatencyTable t = complete("ort");
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 2);
    double raw = t.table(POSITIONS).of(g);
    assertEquals(0.5 * raw + 0.1, t.withCalibration(c).table(POSITIONS).of(g), 1e-12);
    assertEquals(raw, t.withCalibration(c).uncalibrated(POSITIONS).of(g), 1e-12);
    assertNull(t.withCalibration(c).withEntry("x", new LatencyTable.Entry(1, 1, 0, 1), "now").calibration(),
        "a new entry voids the calibration");
  }

  @Test
  void fitRecoversAKnownScaleAndOffset() {
    double[] p = {0.8, 1.7, 2.4, 3.9, 5.2};
    double[] m = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      m[i] = 1.3 * p[i] + 0.2;
    }
    LatencyTable.Calibration c = LatencyTable.Calibration.fit(p, m);
    assertEquals(1.3, c.scale(), 1e-9);
    assertEquals(0.2, c.offset(), 1e-9);
    assertEquals(5, c.networks());
    assertTrue(c.mapeBefore() > 20, "the uncorrected sum is off by over 20%: " + c.mapeBefore());
    assertEquals(0, c.mapeAfter(), 1e-9);
    assertEquals(0, c.maxErrorAfter(), 1e-9);
    assertEquals(LatencyTable.Calibration.error(0.8, 1.24), c.maxErrorBefore(), 1e-9);
  }

  @Test
  void fewNetworksFitAScaleAloneAndEqualPredictionsAnOffset() {
    LatencyTable.Calibration one = LatencyTable.Calibration.fit(new double[] {2}, new double[] {3});
    assertEquals(1.5, one.scale(), 1e-12);
    assertEquals(0, one.offset());
    assertEquals(0, one.mapeAfter(), 1e-9);
    LatencyTable.Calibration two = LatencyTable.Calibration.fit(new double[] {1, 2}, new double[] {2, 4});
    assertEquals(2, two.scale(), 1e-12);
    assertEquals(0, two.offset());
    LatencyTable.Calibration flat = LatencyTable.Calibration.fit(new double[] {2, 2, 2}, new double[] {2.5, 2.4, 2.6});
    assertEquals(1, flat.scale());
    // relative least squares: each network weighs 1/measured²
    double wSum = 0;
    double wDiff = 0;
    for (double m : new double[] {2.5, 2.4, 2.6}) {
      wSum += 1 / (m * m);
      wDiff += (m - 2) / (m * m);
    }
    assertEquals(wDiff / wSum, flat.offset(), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> LatencyTable.Calibration.fit(new double[] {1}, new double[0]));
    assertThrows(IllegalArgumentException.class, () -> LatencyTable.Calibration.fit(new double[] {0}, new double[] {1}));
  }
}
