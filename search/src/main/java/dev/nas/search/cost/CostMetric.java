package dev.nas.search.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a cost target or budget counts. */
public enum CostMetric {
  /** Multiply-accumulates per sample, by the project's counter ({@code nas flops}' convention). */
  MACS("MACs", 1),
  /** Learned parameters, by the project's counter. */
  PARAMS("params", 1),
  /** Milliseconds per batch on the runtime a latency table ({@code nas lut}) was measured with. */
  LATENCY("ms", 1000);

  private final String unit;
  private final double logUnit;

  CostMetric(String unit, double logUnit) {
    this.unit = unit;
    this.logUnit = logUnit;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static CostMetric parse(String id) {
    for (CostMetric m : values()) {
      if (m.id().equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("cost metric must be macs, params or latency, not '" + id + "'");
  }

  public String unit() {
    return unit;
  }

  /**
   * How many of the unit the log-ratio penalty counts in: the log form needs costs above 1, so
   * latency enters it in microseconds (a 0.5 ms target would have a negative logarithm in ms).
   */
  public double logUnit() {
    return logUnit;
  }

  /** A value of this metric for people: 4.72M MACs, 1.23 ms. */
  public String format(double v) {
    return this == LATENCY ? String.format(Locale.ROOT, "%.3f ms", v)
        : dev.nas.core.cost.CostReport.human(Math.round(v)) + " " + unit;
  }
}
