package dev.nas.search.sdas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the genotype is read from a β-mixing supernet's architecture weights (the das algorithm). */
public enum GenotypeRule {
  /**
   * The SDAS paper's rule for DAS (Section 3.1): each node keeps its top-k predecessors by edge
   * strength β, each kept edge with its arg-max α operation ({@code none} excluded, as a genotype
   * edge needs an operation).
   */
  DAS,
  /**
   * DARTS' rule on the mixing weights σ(β)·softmax(α): each node keeps the k inputs whose strongest
   * non-{@code none} weight is largest.
   */
  DARTS;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static GenotypeRule parse(String id) {
    for (GenotypeRule r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("--genotype-rule must be das (the SDAS paper's) or darts, not '" + id + "'");
  }
}
