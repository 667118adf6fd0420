package dev.nas.runtime.lut;

import dev.nas.core.bench.LatencyStats;
import dev.nas.core.bench.MachineInfo;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Initializer;
import dev.nas.core.graph.Layer;
import dev.nas.core.run.Progress;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPart;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.LatencyTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Measures the latency table of a space's derived networks: every distinct part that computes
 * something, with seeded initial weights, on one {@link PartTimer}. The file is rewritten
 * atomically after every entry, so a run that is stopped loses at most the part it was timing;
 * run again on the same file, it keeps the entries there and measures only the missing ones.
 */
public final class LutMeasurement {
  private LutMeasurement() {}

  /**
   * What a measurement did.
   *
   * @param measured parts timed by this run
   * @param reused entries kept from the file
   * @param empty parts that compute nothing and cost 0 without measuring
   */
  public record Outcome(LatencyTable table, int measured, int reused, int empty) {}

  /** A measured table with the calibration it was given and the networks that calibration was fitted on. */
  public record Calibrated(LatencyTable table, LutCalibration.Result calibration) {}

  /**
   * Measures (or completes) the table in {@code out}, calibrates it on {@code calibrate} networks
   * drawn by {@link LutCalibration.Draw#SPREAD} and writes it with its calibration: the table
   * {@code nas pipeline} and {@code nas compare} measure for themselves before a latency-targeted
   * search ({@code nas lut} runs the same steps, reporting after each).
   */
  public static Calibrated measureCalibrated(CostPositions positions, Preprocessing pre, PartTimer timer,
      LatencyTable.Settings settings, int calibrate, long seed, Path out) throws IOException {
    LatencyTable table = measure(positions, timer, settings, seed, out).table();
    LutCalibration.Result c = LutCalibration.run(positions, pre, table, timer, calibrate, seed,
        LutCalibration.Draw.SPREAD);
    table = table.withCalibration(c.calibration());
    table.write(out);
    return new Calibrated(table, c);
  }

  /**
   * Measures into {@code out}, resuming the table there when it was measured for the same networks
   * with the same runtime, settings and machine.
   *
   * @param seed seed of each part's initial weights and of the random input
   * @throws IllegalArgumentException if {@code out} holds a table that does not fit, naming each
   *     mismatch
   */
  public static Outcome measure(CostPositions positions, PartTimer timer, LatencyTable.Settings settings, long seed,
      Path out) throws IOException {
    LatencyTable table = LatencyTable.empty(LatencyTable.Target.of(positions), timer.provenance(),
        MachineInfo.current(), now(), settings);
    List<CostPart> parts = positions.distinctParts();
    int reused = 0;
    if (Files.exists(out)) {
      LatencyTable old = LatencyTable.read(out);
      List<String> mismatches = old.resumeMismatches(table);
      if (!mismatches.isEmpty()) {
        throw new IllegalArgumentException("cannot add to latency table " + out + ": it was measured for "
            + String.join("; ", mismatches) + "; delete it or write to another file");
      }
      table = old.retaining(parts.stream().map(CostPart::key).toList());
      reused = (int) table.entries().keySet().stream().filter(k -> !k.equals(LatencyTable.CALL_OVERHEAD)).count();
    }
    List<CostPart> missing = table.missing(positions);
    if (!table.entries().containsKey(LatencyTable.CALL_OVERHEAD)) {
      // first, so that every later entry is read against it
      GraphBuilder b = new GraphBuilder(FeatureShape.of(1, 1, 1));
      Graph call = b.build(b.add("relu", new Layer.Relu(), b.input()));
      LatencyStats s = timer.time(call, Initializer.of(call, seed));
      table = table.withEntry(LatencyTable.CALL_OVERHEAD, new LatencyTable.Entry(s.p50Ms(), s.meanMs(), s.stddevMs(),
          s.count()), now());
      table.write(out);
    }
    Progress progress = Progress.console("lut", missing.size());
    for (CostPart part : missing) {
      LatencyStats s = timer.time(part.graph(), Initializer.of(part.graph(), seed));
      table = table.withEntry(part.key(), new LatencyTable.Entry(s.p50Ms(), s.meanMs(), s.stddevMs(), s.count()),
          now());
      // A small file against a part timed over many iterations: writing each entry costs nothing
      // and makes an interrupted run lose only the part it was on.
      table.write(out);
      progress.update(1, part.key());
    }
    Progress.clearLine(System.err);
    int empty = (int) parts.stream().filter(CostPart::empty).count();
    return new Outcome(table, missing.size(), reused, empty);
  }

  /** Now, ISO-8601 UTC to the second. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
