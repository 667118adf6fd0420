package dev.nas.core.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nas.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Benchmark results of one or more runtimes together with the machine they ran on; written as
 * JSON for tools and as a fixed-width table for people.
 *
 * @param createdAt when the report was made, ISO-8601 UTC
 * @param machine where the results were measured
 * @param results results in the order they were measured
 */
@JsonIgnoreProperties(value = "method", allowGetters = true)
public record BenchReport(String createdAt, MachineInfo machine, List<BenchResult> results) {
  /** How every number in a report is defined; written into the JSON and under the table. */
  public static final String METHOD = "latency = wall time of one iteration (one call over one batch) by "
      + "System.nanoTime, warm-up excluded; " + LatencyStats.METHOD
      + "; throughput = batch size x iterations / wall time of the timed phase";

  public BenchReport {
    results = List.copyOf(results);
  }

  /** A report stamped now, for the current machine. */
  public static BenchReport of(List<BenchResult> results) {
    return new BenchReport(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), MachineInfo.current(), results);
  }

  /** This report with {@code more} results appended, e.g. to merge two runtimes' runs. */
  public BenchReport with(List<BenchResult> more) {
    List<BenchResult> all = new ArrayList<>(results);
    all.addAll(more);
    return new BenchReport(createdAt, machine, all);
  }

  /** The definitions of the reported numbers ({@link #METHOD}), so a JSON file explains itself. */
  @JsonProperty("method")
  public String method() {
    return METHOD;
  }

  public String toJson() {
    return Json.write(this);
  }

  public static BenchReport fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, BenchReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a benchmark report: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes the JSON form atomically. */
  public void writeJson(Path file) {
    Json.writeFile(file, this);
  }

  public static BenchReport readJson(Path file) {
    try {
      return fromJson(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read benchmark report " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** A header with the machine, one table row per result (latencies in ms), and the method. */
  public String toText() {
    int w = Math.max("runtime".length(), results.stream().mapToInt(r -> r.runtime().length()).max().orElse(0));
    String head = "%-" + w + "s %6s %7s %6s %7s %9s %9s %9s %9s %9s %9s %9s %9s %12s%n";
    String row = "%-" + w + "s %6d %7d %6d %7d %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %12.1f%n";
    StringBuilder sb = new StringBuilder();
    sb.append("machine: ").append(machine.describe()).append(System.lineSeparator());
    sb.append("created: ").append(createdAt).append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, head, "runtime", "batch", "threads", "warmup", "iters", "wall s",
        "mean ms", "std ms", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "samples/s"));
    for (BenchResult r : results) {
      LatencyStats l = r.latency();
      sb.append(String.format(Locale.ROOT, row, r.runtime(), r.batchSize(), r.threads(), r.warmupIterations(),
          r.iterations(), r.wallTimeMs() / 1e3, l.meanMs(), l.stddevMs(), l.minMs(), l.p50Ms(), l.p90Ms(), l.p99Ms(),
          l.maxMs(), r.throughput()));
    }
    appendStages(sb);
    sb.append("method: ").append(METHOD).append(System.lineSeparator());
    return sb.toString();
  }

  /**
   * The stage timings of the results that have any (e.g. TensorRT's GPU compute time next to its
   * end-to-end latency, as trtexec reports them), one row per stage; nothing for other results.
   */
  private void appendStages(StringBuilder sb) {
    List<BenchResult> staged = results.stream().filter(r -> !r.stages().isEmpty()).toList();
    if (staged.isEmpty()) {
      return;
    }
    int w = Math.max("runtime".length(), staged.stream().mapToInt(r -> r.runtime().length()).max().orElse(0));
    int sw = Math.max("stage".length(),
        staged.stream().flatMap(r -> r.stages().keySet().stream()).mapToInt(String::length).max().orElse(0));
    String head = "%-" + w + "s %6s %-" + sw + "s %9s %9s %9s %9s %14s%n";
    String row = "%-" + w + "s %6d %-" + sw + "s %9.3f %9.3f %9.3f %9.3f %14.3f%n";
    sb.append("stages (timed by the runtime within each iteration; end-to-end p50 for comparison):")
        .append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, head, "runtime", "batch", "stage", "mean ms", "p50 ms", "p90 ms", "p99 ms",
        "end-to-end p50"));
    for (BenchResult r : staged) {
      r.stages().forEach((name, l) -> sb.append(String.format(Locale.ROOT, row, r.runtime(), r.batchSize(), name,
          l.meanMs(), l.p50Ms(), l.p90Ms(), l.p99Ms(), r.latency().p50Ms())));
    }
  }

  /**
   * Pairs runtime {@code a}'s results with runtime {@code b}'s at the same batch size and thread
   * count, in {@code a}'s order. Where a runtime has several results for one configuration, the
   * first of each is used; configurations only one runtime measured are left out.
   */
  public List<BenchComparison> compare(String a, String b) {
    List<BenchComparison> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (BenchResult ra : results) {
      String key = ra.batchSize() + "/" + ra.threads();
      if (!ra.runtime().equals(a) || seen.contains(key)) {
        continue;
      }
      results.stream()
          .filter(rb -> rb.runtime().equals(b) && rb.batchSize() == ra.batchSize() && rb.threads() == ra.threads())
          .findFirst()
          .ifPresent(rb -> {
            out.add(new BenchComparison(ra, rb));
            seen.add(key);
          });
    }
    return out;
  }

  /** {@link #compare} as a table of {@code a / b} ratios, e.g. "ort vs djl" p50 ratio per batch size. */
  public String compareText(String a, String b) {
    List<BenchComparison> pairs = compare(a, b);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s vs %s (ratio = %s / %s; latency ratio < 1 or throughput ratio > 1 "
        + "means %s is faster)%n", a, b, a, b, a));
    if (pairs.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "  no batch size and thread count was measured for both %s and %s%n", a, b));
      return sb.toString();
    }
    // Columns widen to fit the runtime names, so long names do not push the table out of line.
    int w = Math.max(10, Math.max(a.length(), b.length()) + " p50 ms".length());
    String head = "%6s %7s %" + w + "s %" + w + "s %10s %10s %10s %10s %11s%n";
    String row = "%6d %7d %" + w + ".3f %" + w + ".3f %10.3f %10.3f %10.3f %10.3f %11.3f%n";
    sb.append(String.format(Locale.ROOT, head, "batch", "threads", a + " p50 ms", b + " p50 ms", "p50 ratio", "p90 ratio",
        "p99 ratio", "mean ratio", "tput ratio"));
    for (BenchComparison c : pairs) {
      sb.append(String.format(Locale.ROOT, row, c.batchSize(), c.threads(), c.a().latency().p50Ms(),
          c.b().latency().p50Ms(), c.p50Ratio(), c.p90Ratio(), c.p99Ratio(), c.meanRatio(), c.throughputRatio()));
    }
    return sb.toString();
  }
}
