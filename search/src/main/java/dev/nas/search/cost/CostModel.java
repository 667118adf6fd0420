package dev.nas.search.cost;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.CountedCost;
import dev.nas.derive.cost.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The cost tables a search with {@link CostSettings} needs, built once at its start: MACs and
 * parameters counted on the derived network's positions, latency from the table file.
 */
public final class CostModel {
  private final CostSettings settings;
  private final MacroConfig net;
  private final Map<CostMetric, CostTable> tables;
  private final String latencySource;
  private final double latencyError;

  private CostModel(CostSettings settings, MacroConfig net, Map<CostMetric, CostTable> tables, String latencySource,
      double latencyError) {
    this.settings = settings;
    this.net = net;
    this.tables = tables;
    this.latencySource = latencySource;
    this.latencyError = latencyError;
  }

  /**
   * The tables for {@code settings}' target and budgets on the networks derived from {@code space}
   * in {@code supernetMacro}'s evaluation shape (or the settings' own) at {@code input}.
   */
  public static CostModel of(CostSettings settings, SearchSpace space, MacroConfig.Kind supernetMacro,
      FeatureShape input, int classes) throws IOException {
    MacroConfig net = settings.net().macro(supernetMacro, input, classes);
    CostPositions positions = CostPositions.of(space, net, Preprocessing.identity(input.channels()));
    Map<CostMetric, CostTable> tables = new EnumMap<>(CostMetric.class);
    String source = null;
    double error = 0;
    for (CostMetric m : CostMetric.values()) {
      boolean needed = m == settings.metric() || settings.budget(m) > 0;
      if (!needed) {
        continue;
      }
      tables.put(m, switch (m) {
        case MACS -> CountedCost.MACS.table(positions);
        case PARAMS -> CountedCost.PARAMS.table(positions);
        case LATENCY -> {
          LatencyTable lut = LatencyTable.read(Path.of(settings.lut()));
          LatencyTable.Provenance p = lut.provenance();
          // any runtime's table serves; it must be of this network
          lut.requireFits(positions, p.runtime(), p.batch());
          source = settings.lut() + ": " + lut.describe();
          error = lut.calibration() == null ? 0 : lut.calibration().maxErrorAfter();
          yield lut.table(positions);
        }
      });
    }
    return new CostModel(settings, net, tables, source, error);
  }

  public CostSettings settings() {
    return settings;
  }

  /** The derived network the costs are of. */
  public MacroConfig net() {
    return net;
  }

  public CostTable table(CostMetric m) {
    CostTable t = tables.get(m);
    if (t == null) {
      throw new IllegalStateException("no " + m.id() + " table was built");
    }
    return t;
  }

  public Map<CostMetric, CostTable> tables() {
    return tables;
  }

  /** What the latency table was measured with, for the log; null without one. */
  public String latencySource() {
    return latencySource;
  }

  /**
   * The margin (percent) a latency budget keeps between the table's prediction and the limit: the
   * settings', else the table's largest calibration error.
   */
  public double latencyMargin() {
    return settings.latencyMargin() != null ? settings.latencyMargin() : latencyError;
  }

  /** The predicted cost of {@code g}'s network in {@code m}. */
  public double cost(CostMetric m, Genotype g) {
    return table(m).of(g);
  }
}
