package dev.nas.derive.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.bench.MachineInfo;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.core.macro.MacroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measured latencies of the parts of one space's derived networks in one macro ({@link CostPositions}),
 * on one runtime of one machine: what {@code nas lut} writes and a latency-aware search reads. A
 * file {@code {"format": "nas-latency-table", "version": 1, ...}} holding the target networks, the
 * runtime's provenance, the machine, the date, the measuring settings, one entry per
 * {@link CostPart} key and an optional calibration against whole networks.
 *
 * <p>Keys are those of {@link CostPositions}: {@code op:<name>|in:<CxHxW>|stride:<sxs>} for a
 * candidate operation at a position, {@code stem:..}, {@code pre0:..}, {@code pre1:..},
 * {@code sum:..}, {@code concat:..}, {@code classifier|..} for the fixed parts. Parts that compute
 * nothing (identities, {@code none}) have no entry: they cost 0.
 *
 * <p>Latencies are milliseconds per batch of {@link Provenance#batch()} samples; {@link #table}
 * uses each part's median (p50), which one slow iteration does not move.
 *
 * @param source the file the table was read from, for messages; null for a table made in memory
 * @param entries per part key, in measuring order
 * @param calibration the fit of whole networks' latency to the sum of their parts, or null
 */
public record LatencyTable(Target target, Provenance provenance, MachineInfo machine, String measuredAt,
    Settings settings, Map<String, Entry> entries, Calibration calibration, Path source) {
  public static final String FORMAT = "nas-latency-table";
  public static final int VERSION = 1;
  /** The {@link CostTable#metric()} of latency tables. */
  public static final String METRIC = "latency_ms";
  /**
   * The entry of the runtime's cost of one call: a ReLU of one value, timed like the parts. Every
   * part timed alone carries it once, a whole network once in all, so {@link #uncalibrated} takes it
   * off each part and adds it back once; without it a network of many cheap parts would be
   * predicted dearer than one of a few costly parts of the same work.
   */
  public static final String CALL_OVERHEAD = "call:relu|in:1x1x1";

  public LatencyTable {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /**
   * The networks a table was measured for.
   *
   * @param repeat video macros' normal cells per stage, 0 for image macros
   * @param stemChannels video macros' first stem width, 0 for image macros
   * @param input per-sample input shape, e.g. {@code 3x32x32}
   */
  public record Target(String space, String macro, int channels, int layers, int repeat, int stemChannels,
      int classes, String input) {
    /** The networks of {@code positions}. */
    public static Target of(CostPositions positions) {
      MacroConfig m = positions.macro();
      return new Target(positions.space().name(), m.kind().id(), m.channels(), m.layers(), m.repeat(),
          m.stemChannels(), m.classes(), CostPositions.shapeKey(m.input()));
    }
  }

  /**
   * What measured the table.
   *
   * @param runtime {@code ort}, {@code ort-cuda}, {@code ort-trt}, {@code tensorrt} or {@code djl}
   * @param runtimeVersion the version of the library that ran the parts
   * @param executionProvider where it ran them, e.g. {@code CPU}, {@code CUDA}, {@code TensorRT}
   * @param precision arithmetic of the kernels, e.g. {@code fp32}
   * @param threads intra-op threads
   * @param batch samples per timed call
   */
  public record Provenance(String runtime, String runtimeVersion, String executionProvider, String precision,
      int threads, int batch) {}

  /** How each part was timed: untimed warm-up calls, then timed ones. */
  public record Settings(int warmup, int iterations) {}

  /** One part's latency over its timed iterations, ms per batch. */
  public record Entry(double p50Ms, double meanMs, double stdMs, int iterations) {}

  /**
   * Whole networks' latency against the sum of their parts' p50: measured ≈ {@code scale} ·
   * predicted + {@code offset}. Errors are absolute percentages of the measured latency.
   *
   * @param networks how many random networks were measured
   * @param errorMethod how the errors after the correction were computed ({@code in-sample})
   */
  public record Calibration(double scale, double offset, int networks, double mapeBefore, double mapeAfter,
      double maxErrorBefore, double maxErrorAfter, String errorMethod) {
    /** Errors after the fit are those of the networks it was fitted to. */
    public static final String IN_SAMPLE = "in-sample";

    /**
     * The least-squares fit of {@code measured} to {@code predicted} (ms) in relative terms (each
     * network's residual divided by its measured latency, so that small and large networks count
     * alike, as the percentage errors reported do), with its in-sample errors. Three or more
     * networks fit scale and offset; one or two fit a scale alone (one network: the ratio), as two
     * free parameters would fit any two points exactly and say nothing. When every prediction is the
     * same there is no slope to fit, only an offset; a fitted scale that is not positive would rank
     * networks backwards, so the scale-only fit is used instead. A fit that would make the in-sample
     * mean error worse than no correction is not kept (scale 1, offset 0).
     */
    public static Calibration fit(double[] predicted, double[] measured) {
      int n = predicted.length;
      if (n == 0 || measured.length != n) {
        throw new IllegalArgumentException("a calibration needs as many measured as predicted networks, at least "
            + "one; got " + n + " and " + measured.length);
      }
      for (int i = 0; i < n; i++) {
        if (!(predicted[i] > 0 && measured[i] > 0)) {
          throw new IllegalArgumentException("network " + i + ": latencies must be positive, got predicted "
              + predicted[i] + " ms, measured " + measured[i] + " ms");
        }
      }
      double[] w = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        w[i] = 1 / (measured[i] * measured[i]);
        total += w[i];
      }
      double mp = 0;
      double mm = 0;
      for (int i = 0; i < n; i++) {
        mp += w[i] * predicted[i] / total;
        mm += w[i] * measured[i] / total;
      }
      double spp = 0;
      double spm = 0;
      double pp = 0;
      double pm = 0;
      for (int i = 0; i < n; i++) {
        spp += w[i] * (predicted[i] - mp) * (predicted[i] - mp);
        spm += w[i] * (predicted[i] - mp) * (measured[i] - mm);
        pp += w[i] * predicted[i] * predicted[i];
        pm += w[i] * predicted[i] * measured[i];
      }
      double scale = pm / pp;
      double offset = 0;
      if (n >= 3) {
        if (spp <= 1e-12 * mp * mp * total) {
          scale = 1;
          offset = mm - mp;
        } else if (spm / spp > 0) {
          scale = spm / spp;
          offset = mm - scale * mp;
        }
      }
      double[] after = new double[n];
      for (int i = 0; i < n; i++) {
        after[i] = scale * predicted[i] + offset;
      }
      if (mape(after, measured) > mape(predicted, measured)) {
        scale = 1;
        offset = 0;
        after = predicted.clone();
      }
      return new Calibration(scale, offset, n, mape(predicted, measured), mape(after, measured),
          maxError(predicted, measured), maxError(after, measured), IN_SAMPLE);
    }

    /** Mean absolute percentage error of {@code predicted} against {@code measured}. */
    public static double mape(double[] predicted, double[] measured) {
      double sum = 0;
      for (int i = 0; i < predicted.length; i++) {
        sum += error(predicted[i], measured[i]);
      }
      return sum / predicted.length;
    }

    /** Largest absolute percentage error of {@code predicted} against {@code measured}. */
    public static double maxError(double[] predicted, double[] measured) {
      double max = 0;
      for (int i = 0; i < predicted.length; i++) {
        max = Math.max(max, error(predicted[i], measured[i]));
      }
      return max;
    }

    /** {@code |predicted - measured| / measured}, in percent. */
    public static double error(double predicted, double measured) {
      return 100 * Math.abs(predicted - measured) / measured;
    }

    /** {@code ms} corrected by this calibration. */
    public double apply(double ms) {
      return scale * ms + offset;
    }

    private static double mean(double[] v) {
      double s = 0;
      for (double x : v) {
        s += x;
      }
      return s / v.length;
    }
  }

  /** A table without entries, to be measured into. */
  public static LatencyTable empty(Target target, Provenance provenance, MachineInfo machine, String measuredAt,
      Settings settings) {
    return new LatencyTable(target, provenance, machine, measuredAt, settings, Map.of(), null, null);
  }

  /** This table with {@code key} measured as {@code e}, dated {@code at}; a calibration no longer holds. */
  public LatencyTable withEntry(String key, Entry e, String at) {
    Map<String, Entry> m = new LinkedHashMap<>(entries);
    m.put(key, e);
    return new LatencyTable(target, provenance, machine, at, settings, m, null, source);
  }

  /** This table with only the entries whose keys are in {@code keep} (and the call overhead). */
  public LatencyTable retaining(java.util.Collection<String> keep) {
    Map<String, Entry> m = new LinkedHashMap<>(entries);
    m.keySet().removeIf(k -> !k.equals(CALL_OVERHEAD) && !keep.contains(k));
    return new LatencyTable(target, provenance, machine, measuredAt, settings, m,
        m.size() == entries.size() ? calibration : null, source);
  }

  public LatencyTable withCalibration(Calibration c) {
    return new LatencyTable(target, provenance, machine, measuredAt, settings, entries, c, source);
  }

  /** The parts of {@code positions} that compute something and have no entry yet. */
  public List<CostPart> missing(CostPositions positions) {
    return positions.distinctParts().stream().filter(p -> !p.empty() && !entries.containsKey(p.key())).toList();
  }

  /**
   * The predicted latency table: per-part p50 less the call overhead, summed, plus one call
   * overhead; the calibration applied when there is one.
   */
  public CostTable table(CostPositions positions) {
    CostTable raw = uncalibrated(positions);
    return calibration == null ? raw : raw.corrected(calibration.scale(), calibration.offset());
  }

  /**
   * The sum of the parts' p50 without the calibration: what the calibration is fitted to.
   *
   * @throws IllegalArgumentException naming the keys of {@code positions} the table lacks
   */
  public CostTable uncalibrated(CostPositions positions) {
    List<String> lacking = missing(positions).stream().map(CostPart::key).toList();
    if (!lacking.isEmpty()) {
      throw new IllegalArgumentException(name() + " has no entry for " + lacking.size() + " part"
          + (lacking.size() == 1 ? "" : "s") + " of these networks: " + String.join(", ", lacking.subList(0,
          Math.min(5, lacking.size()))) + (lacking.size() > 5 ? ", ..." : "") + " (measure them with nas lut --out "
          + (source == null ? "FILE" : source) + ", which keeps the entries it has)");
    }
    double call = callOverheadMs();
    return positions.table(METRIC, p -> Math.max(0, entries.get(p.key()).p50Ms() - call)).corrected(1, call);
  }

  /** The p50 of {@link #CALL_OVERHEAD}, 0 when the table has not measured it. */
  public double callOverheadMs() {
    Entry e = entries.get(CALL_OVERHEAD);
    return e == null ? 0 : e.p50Ms();
  }

  /**
   * Refuses a table measured for other networks or another runtime or batch than those of the
   * search: one message naming every mismatch.
   *
   * @throws IllegalArgumentException e.g. "latency table lut.json was measured for runtime ort,
   *     not djl; input 3x32x32, not 3x16x16"
   */
  public void requireFits(CostPositions positions, String runtime, int batch) {
    List<String> diffs = new ArrayList<>();
    differ(diffs, "runtime", provenance.runtime(), runtime);
    diffs.addAll(targetMismatches(Target.of(positions)));
    differ(diffs, "batch", provenance.batch(), batch);
    if (!diffs.isEmpty()) {
      throw new IllegalArgumentException(name() + " was measured for " + String.join("; ", diffs));
    }
  }

  /**
   * Why entries of this table cannot be kept by a measurement {@code other} would make (empty
   * when they can): resumed and new entries must come from the same networks, runtime, settings
   * and machine to be comparable.
   */
  public List<String> resumeMismatches(LatencyTable other) {
    List<String> diffs = targetMismatches(other.target);
    Provenance p = other.provenance;
    differ(diffs, "runtime", provenance.runtime(), p.runtime());
    differ(diffs, "runtime version", provenance.runtimeVersion(), p.runtimeVersion());
    differ(diffs, "execution provider", provenance.executionProvider(), p.executionProvider());
    differ(diffs, "precision", provenance.precision(), p.precision());
    differ(diffs, "threads", provenance.threads(), p.threads());
    differ(diffs, "batch", provenance.batch(), p.batch());
    differ(diffs, "warm-up", settings.warmup(), other.settings.warmup());
    differ(diffs, "iterations", settings.iterations(), other.settings.iterations());
    differ(diffs, "machine", machine.describe(), other.machine.describe());
    return diffs;
  }

  private List<String> targetMismatches(Target want) {
    List<String> diffs = new ArrayList<>();
    differ(diffs, "space", target.space(), want.space());
    differ(diffs, "macro", target.macro(), want.macro());
    differ(diffs, "channels", target.channels(), want.channels());
    differ(diffs, "layers", target.layers(), want.layers());
    differ(diffs, "repeat", target.repeat(), want.repeat());
    differ(diffs, "stem channels", target.stemChannels(), want.stemChannels());
    differ(diffs, "classes", target.classes(), want.classes());
    differ(diffs, "input", target.input(), want.input());
    return diffs;
  }

  private static void differ(List<String> diffs, String what, Object have, Object want) {
    if (!have.equals(want)) {
      diffs.add(what + " " + have + ", not " + want);
    }
  }

  /**
   * What the table was measured with, for logs: runtime, version, provider, precision, threads,
   * batch, date, machine and calibration.
   */
  public String describe() {
    Provenance p = provenance;
    return String.format(java.util.Locale.ROOT, "%s %s (%s, %s), %d thread%s, batch %d, measured %s on %s%s",
        p.runtime(), p.runtimeVersion(), p.executionProvider(), p.precision(), p.threads(), p.threads() == 1 ? "" : "s",
        p.batch(), measuredAt, machine.describe(), calibration == null ? ", not calibrated"
            : String.format(java.util.Locale.ROOT, ", calibrated on %d networks (mean error %.1f%% before, %.1f%% "
                + "after)", calibration.networks(), calibration.mapeBefore(), calibration.mapeAfter()));
  }

  /** {@code latency table lut.json}, or {@code latency table} for one made in memory. */
  String name() {
    return "latency table" + (source == null ? "" : " " + source.getFileName());
  }

  public ObjectNode toTree() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode t = root.putObject("target");
    t.put("space", target.space());
    t.put("macro", target.macro());
    t.put("channels", target.channels());
    t.put("layers", target.layers());
    t.put("repeat", target.repeat());
    t.put("stemChannels", target.stemChannels());
    t.put("classes", target.classes());
    t.put("input", target.input());
    ObjectNode p = root.putObject("runtime");
    p.put("name", provenance.runtime());
    p.put("version", provenance.runtimeVersion());
    p.put("executionProvider", provenance.executionProvider());
    p.put("precision", provenance.precision());
    p.put("threads", provenance.threads());
    p.put("batch", provenance.batch());
    root.set("machine", Json.MAPPER.valueToTree(machine));
    root.put("measuredAt", measuredAt);
    ObjectNode s = root.putObject("settings");
    s.put("warmup", settings.warmup());
    s.put("iterations", settings.iterations());
    s.put("statistic", "p50");
    s.put("unit", "ms per batch");
    ObjectNode e = root.putObject("entries");
    entries.forEach((k, v) -> {
      ObjectNode n = e.putObject(k);
      n.put("p50Ms", v.p50Ms());
      n.put("meanMs", v.meanMs());
      n.put("stdMs", v.stdMs());
      n.put("iterations", v.iterations());
    });
    if (calibration != null) {
      ObjectNode c = root.putObject("calibration");
      c.put("scale", calibration.scale());
      c.put("offset", calibration.offset());
      c.put("networks", calibration.networks());
      c.put("mapeBefore", calibration.mapeBefore());
      c.put("mapeAfter", calibration.mapeAfter());
      c.put("maxErrorBefore", calibration.maxErrorBefore());
      c.put("maxErrorAfter", calibration.maxErrorAfter());
      c.put("errorMethod", calibration.errorMethod());
    }
    return root;
  }

  /** Writes the table to {@code file} atomically: a reader never sees half of it. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, Json.write(toTree()));
  }

  /**
   * Reads a table written by {@link #write}.
   *
   * @throws NoSuchFileException when there is no file
   * @throws IOException when it is not a latency table of this version, naming the bad field
   */
  public static LatencyTable read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "latency table not found");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("latency table " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return fromTree(root, file);
    } catch (IllegalArgumentException e) {
      throw new IOException("latency table " + file + ": " + e.getMessage(), e);
    }
  }

  static LatencyTable fromTree(JsonNode root, Path source) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("format is '" + root.path("format").asText() + "', expected '" + FORMAT
          + "'");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("version " + root.path("version") + " is not supported (this build reads "
          + VERSION + ")");
    }
    Fields r = new Fields(root, "");
    Fields t = r.object("target");
    Target target = new Target(t.text("space"), t.text("macro"), t.positive("channels"), t.positive("layers"),
        t.count("repeat"), t.count("stemChannels"), t.positive("classes"), t.text("input"));
    Fields p = r.object("runtime");
    Provenance provenance = new Provenance(p.text("name"), p.text("version"), p.text("executionProvider"),
        p.text("precision"), p.positive("threads"), p.positive("batch"));
    Fields m = r.object("machine");
    MachineInfo machine = new MachineInfo(m.text("os"), m.text("arch"), m.text("cpuModel"), m.positive("cores"),
        m.text("javaVersion"), m.text("javaVm"));
    Fields s = r.object("settings");
    Settings settings = new Settings(s.count("warmup"), s.positive("iterations"));
    Map<String, Entry> entries = new LinkedHashMap<>();
    Fields e = r.object("entries");
    for (Iterator<String> it = e.node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      Fields n = e.object(key);
      entries.put(key, new Entry(n.ms("p50Ms"), n.ms("meanMs"), n.ms("stdMs"), n.positive("iterations")));
    }
    Calibration calibration = null;
    if (root.has("calibration")) {
      Fields c = r.object("calibration");
      calibration = new Calibration(c.finite("scale"), c.finite("offset"), c.positive("networks"),
          c.finite("mapeBefore"), c.finite("mapeAfter"), c.finite("maxErrorBefore"), c.finite("maxErrorAfter"),
          c.text("errorMethod"));
    }
    return new LatencyTable(target, provenance, machine, r.text("measuredAt"), settings, entries, calibration,
        source);
  }

  /** Typed reads of one JSON object whose errors name the field by its path, e.g. {@code runtime.batch}. */
  private record Fields(JsonNode node, String path) {
    private JsonNode get(String f) {
      JsonNode v = node.get(f);
      if (v == null || v.isNull()) {
        throw new IllegalArgumentException("lacks " + path + f);
      }
      return v;
    }

    Fields object(String f) {
      JsonNode v = get(f);
      if (!v.isObject()) {
        throw new IllegalArgumentException(path + f + " must be an object, got " + v);
      }
      return new Fields(v, path + f + ".");
    }

    String text(String f) {
      JsonNode v = get(f);
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new IllegalArgumentException(path + f + " must be a non-empty string, got " + v);
      }
      return v.asText();
    }

    double finite(String f) {
      JsonNode v = get(f);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new IllegalArgumentException(path + f + " must be a finite number, got " + v);
      }
      return v.asDouble();
    }

    double ms(String f) {
      double v = finite(f);
      if (v < 0) {
        throw new IllegalArgumentException(path + f + " must not be negative, got " + v);
      }
      return v;
    }

    int count(String f) {
      JsonNode v = get(f);
      if (!v.isInt() || v.asInt() < 0) {
        throw new IllegalArgumentException(path + f + " must be a whole number >= 0, got " + v);
      }
      return v.asInt();
    }

    int positive(String f) {
      int v = count(f);
      if (v == 0) {
        throw new IllegalArgumentException(path + f + " must be positive, got 0");
      }
      return v;
    }
  }
}
