package dev.nas.cli;

import dev.nas.core.bench.Bencher;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.LatencyTable;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.lut.LutCalibration;
import dev.nas.runtime.lut.LutMeasurement;
import dev.nas.runtime.lut.OrtPartTimer;
import dev.nas.runtime.lut.PartTimer;
import dev.nas.runtime.lut.TrtPartTimer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.Options;

/** {@code nas lut}: the latency table of a space's derived networks, measured part by part on this machine. */
final class LutCommand extends Command {
  String name() {
    return "lut";
  }

  String summary() {
    return "measure a latency table: every part of a space's derived networks timed alone on one runtime";
  }

  String examples() {
    return "nas lut --space darts --runtime ort --threads 1 --calibrate 5 --out lut.json\n"
        + "nas lut --space darts --macro cifar --channels 16 --layers 8 --input 1x28x28 --runtime djl --out fm.json\n"
        + "nas lut --space o3d --macro video-sdas --repeat 2 --stem-channels 32 --channels 32 --input 3x16x112x112 "
        + "--classes 101 --runtime ort-cuda --batch 8 --out video-cuda.json";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("space", "S", "search space whose derived networks are measured (default darts; known: "
        + String.join(", ", SearchSpace.names()) + ")"));
    o.addOption(opt("macro", "M", "cifar, imagenet, video-sdas or video-pvnas (default: the space's)"));
    o.addOption(opt("channels", "C", "initial node width (default 36 cifar / 48 imagenet / 32 video-sdas / 64 "
        + "video-pvnas)"));
    o.addOption(opt("layers", "L", "cells of the image macros (default 20 cifar / 14 imagenet)"));
    o.addOption(opt("repeat", "K", "video macros: normal cells per stage (default 2 video-sdas / 1 video-pvnas)"));
    o.addOption(opt("stem-channels", "C1", "video macros: width of the first stem convolution (default 32)"));
    o.addOption(opt("classes", "N", "classes (default 10 cifar / 1000 imagenet / 400 video)"));
    o.addOption(opt("input", "SHAPE", "input size CxHxW (images) or CxTxHxW (clips) (default 3x32x32 cifar / "
        + "3x224x224 imagenet / 3x16x112x112 video)"));
    o.addOption(opt("runtime", "R", "ort (default), ort-cuda, ort-trt, tensorrt or djl"));
    o.addOption(opt("batch", "B", "samples per timed call (default 1)"));
    o.addOption(opt("warmup", "N", "untimed warm-up calls per part (default 10)"));
    o.addOption(opt("iterations", "N", "timed calls per part (default 50)"));
    o.addOption(opt("calibrate", "N", "also time N random whole networks, from uniform random to the cheapest "
        + "operation on every edge, and fit measured = scale * predicted + offset to them (stored in the table)"));
    o.addOption(opt("check", "N", "then time N other, uniform random whole networks (seeds from --check-seed) and "
        + "report the error of the table's prediction on them, uncorrected and with its calibration; the table is not "
        + "changed"));
    o.addOption(opt("check-seed", "S", "first genotype seed of --check (default 1000000, apart from --calibrate's)"));
    o.addOption(opt("seed", "S", "seed of the weights, the input and the calibration genotypes (default 0)"));
    o.addOption(opt("out", "FILE", "latency table to write (required); an existing one for the same networks, "
        + "runtime, settings and machine is completed, keeping its entries"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    String runtime = a.str("runtime", "ort").trim().toLowerCase(Locale.ROOT);
    if (!BenchCommand.RUNTIMES.contains(runtime)) {
      throw new UsageException("unknown --runtime '" + runtime + "' (this build has: "
          + String.join(", ", BenchCommand.RUNTIMES) + ")");
    }
    Path file = a.path("out");
    SearchSpace space;
    MacroConfig macro;
    CostPositions positions;
    try {
      space = SearchSpace.named(a.str("space", "darts").trim());
      macro = DeriveCommand.macro(a, MacroConfig.Kind.parse(a.str("macro", space.macro()))).withAuxiliary(false);
      positions = CostPositions.of(space, macro, pre(macro));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    int batch = a.integer("batch", 1);
    LatencyTable.Settings settings = new LatencyTable.Settings(a.integer("warmup", 10), a.integer("iterations", 50));
    Bencher bencher = Bencher.iterations(settings.warmup(), settings.iterations());
    long seed = a.longValue("seed", 0);
    int calibrate = a.integer("calibrate", 0);
    if (calibrate > 0) {
      // whole networks get weights too: refuse one too large for the heap before measuring anything
      DeriveCommand.checkMemory(NetworkBuilder.build(RandomGenotypes.sample(space, seed), macro, pre(macro)));
    }

    try (PartTimer timer = timer(runtime, batch, bencher, seed)) {
      LutMeasurement.Outcome m = LutMeasurement.measure(positions, timer, settings, seed, file);
      LatencyTable table = m.table();
      LatencyTable.Provenance p = table.provenance();
      out.printf(Locale.ROOT, "latency table %s: %s in %s (C=%d, %d cells%s, input %s, %d classes) on %s %s (%s, %s,"
          + " %d thread%s, batch %d)%n", file, space.name(), macro.kind().id(), macro.channels(), macro.layers(),
          macro.kind().video() ? String.format(" (K=%d, C1=%d)", macro.repeat(), macro.stemChannels()) : "",
          macro.input(), macro.classes(), p.runtime(), p.runtimeVersion(), p.executionProvider(), p.precision(),
          p.threads(), p.threads() == 1 ? "" : "s", p.batch());
      int distinct = m.measured() + m.reused() + m.empty();
      out.printf("parts: %d distinct, %d measured now, %d reused from the file, %d compute nothing (0 ms)%n",
          distinct, m.measured(), m.reused(), m.empty());
      CostTable raw = table.uncalibrated(positions);
      out.printf(Locale.ROOT, "sum of parts' p50, ms per batch: fixed parts %.4f, cheapest network %.4f%n", raw.fixed(),
          raw.cheapest());
      if (calibrate > 0) {
        LutCalibration.Result c = LutCalibration.run(positions, pre(macro), table, timer, calibrate, seed,
            LutCalibration.Draw.SPREAD);
        table = table.withCalibration(c.calibration());
        table.write(file);
        report(out, c);
      } else if (table.calibration() != null) {
        LatencyTable.Calibration c = table.calibration();
        out.printf(Locale.ROOT, "calibration kept from the file: measured = %.4f * predicted %+.4f ms (%d networks)%n",
            c.scale(), c.offset(), c.networks());
      } else {
        out.println("not calibrated: --calibrate N checks the sum of parts against N whole networks");
      }
      int check = a.integer("check", 0);
      if (check > 0) {
        LutCalibration.Result held = LutCalibration.run(positions, pre(macro), table, timer, check,
            a.longValue("check-seed", 1_000_000), LutCalibration.Draw.UNIFORM);
        reportCheck(out, held, table.calibration());
      }
    }
    return 0;
  }

  /** The table's errors on networks it was not calibrated on: uncorrected, and with its stored correction. */
  private static void reportCheck(PrintStream out, LutCalibration.Result r, LatencyTable.Calibration c) {
    int n = r.networks().size();
    double[] p = r.networks().stream().mapToDouble(LutCalibration.Network::predictedMs).toArray();
    double[] m = r.networks().stream().mapToDouble(LutCalibration.Network::measuredMs).toArray();
    double[] corrected = p.clone();
    if (c != null) {
      for (int i = 0; i < n; i++) {
        corrected[i] = c.apply(p[i]);
      }
    }
    out.printf("check on %d held-out random network%s (seeds %d..%d):%n", n, n == 1 ? "" : "s",
        r.networks().get(0).seed(), r.networks().get(n - 1).seed());
    for (int i = 0; i < n; i++) {
      out.printf(Locale.ROOT, "  seed %d: measured %.4f ms, predicted %.4f ms uncorrected (%+.1f%%), %.4f ms "
          + "corrected (%+.1f%%)%n", r.networks().get(i).seed(), m[i], p[i], 100 * (p[i] - m[i]) / m[i], corrected[i],
          100 * (corrected[i] - m[i]) / m[i]);
    }
    out.printf(Locale.ROOT, "  held-out error: mean %.1f%%, max %.1f%% uncorrected; mean %.1f%%, max %.1f%% %s%n",
        LatencyTable.Calibration.mape(p, m), LatencyTable.Calibration.maxError(p, m),
        LatencyTable.Calibration.mape(corrected, m), LatencyTable.Calibration.maxError(corrected, m),
        c == null ? "(no calibration stored: the same)" : "with the stored calibration");
  }

  /** The preprocessing of measured networks: none, so the stem's normalisation is an identity of the right size. */
  private static Preprocessing pre(MacroConfig macro) {
    return Preprocessing.identity(macro.input().channels());
  }

  /** The timer of {@code runtime}; GPU runtimes without a GPU stop here with the probe's reason. */
  private static PartTimer timer(String runtime, int batch, Bencher bencher, long seed) throws java.io.IOException {
    return switch (runtime) {
      case "ort", "ort-cuda", "ort-trt" -> OrtPartTimer.open(ExecutionProvider.ofRuntime(runtime).orElseThrow(),
          Nas.threads(), batch, bencher, seed);
      case "tensorrt" -> TrtPartTimer.open(batch, bencher, seed);
      case "djl" -> new DjlPartTimer(batch, bencher, seed);
      default -> throw new IllegalStateException("runtime " + runtime + " was accepted but has no timer");
    };
  }

  private static void report(PrintStream out, LutCalibration.Result r) {
    LatencyTable.Calibration c = r.calibration();
    out.printf("calibration over %d random network%s (whole networks timed on the same runtime):%n", c.networks(),
        c.networks() == 1 ? "" : "s");
    for (LutCalibration.Network n : r.networks()) {
      out.printf(Locale.ROOT, "  seed %d: predicted %.4f ms, measured %.4f ms, error %.1f%% -> %.1f%%%n", n.seed(),
          n.predictedMs(), n.measuredMs(), LatencyTable.Calibration.error(n.predictedMs(), n.measuredMs()),
          LatencyTable.Calibration.error(c.apply(n.predictedMs()), n.measuredMs()));
    }
    double measured = r.networks().stream().mapToDouble(LutCalibration.Network::measuredMs).sum();
    out.printf(Locale.ROOT, "  total: predicted %.4f ms, measured %.4f ms%n", r.predictedMs(), measured);
    out.printf(Locale.ROOT, "  fit: measured = %.4f * predicted %+.4f ms; mean error %.1f%% -> %.1f%%, max %.1f%% -> "
        + "%.1f%% (%s)%n", c.scale(), c.offset(), c.mapeBefore(), c.mapeAfter(), c.maxErrorBefore(),
        c.maxErrorAfter(), c.errorMethod());
  }
}
