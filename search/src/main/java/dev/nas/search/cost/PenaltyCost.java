package dev.nas.search.cost;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which cost the penalty ({@link CostPenalty}) is evaluated at. Both differentiate through the
 * expected cost E of {@link ExpectedCost}; they differ in the value the penalty sees.
 */
public enum PenaltyCost {
  /** The penalty's value and gradient are those of E, the cost expected under the mixing weights. */
  EXPECTED,
  /**
   * The value is the cost D of the genotype the current architecture parameters derive (the
   * algorithm's own rule, the one the search writes), the gradient that of E: the penalty sees
   * {@code E − stopgrad(E) + D} (a straight-through estimate, as in ProxylessNAS' binarised paths).
   * While α is still near uniform E stays far above D, and a hinge on E keeps pushing after the
   * genotype already fits; on D the hinge falls silent as soon as the genotype is within the target
   * and pushes again only if accuracy moves it back over.
   */
  DERIVED;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PenaltyCost parse(String id) {
    for (PenaltyCost p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("--penalty-cost must be expected or derived, not '" + id + "'");
  }
}
