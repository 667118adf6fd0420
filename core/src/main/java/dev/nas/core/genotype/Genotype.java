package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A found architecture: one {@link CellGenotype} per cell type of a search space (for the DARTS
 * space {@code normal} and {@code reduce}), plus the name of the space whose operations it uses.
 */
public record Genotype(String space, Map<String, CellGenotype> cells) {
  public static final String NORMAL = "normal";
  public static final String REDUCE = "reduce";

  public Genotype {
    cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
  }

  /** A genotype of the DARTS cell space with a normal and a reduction cell. */
  public static Genotype darts(CellGenotype normal, CellGenotype reduce) {
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    cells.put(NORMAL, normal);
    cells.put(REDUCE, reduce);
    return new Genotype("darts", cells);
  }

  /** The cell of the given type; fails with the list of types present when it is missing. */
  public CellGenotype cell(String type) {
    CellGenotype cell = cells.get(type);
    if (cell == null) {
      throw new GenotypeException("genotype has no '" + type + "' cell (has " + cells.keySet() + ")");
    }
    return cell;
  }

  /** The DARTS Python form, {@code Genotype(normal=[...], normal_concat=[...], ...)}. */
  public String toPythonString() {
    return cells.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().flatEdges() + ", "
            + e.getKey() + "_concat=" + e.getValue().concat())
        .collect(Collectors.joining(", ", "Genotype(", ")"));
  }

  /**
   * The form users read and paste: NAS-Bench-201's architecture string for genotypes of space
   * {@code nb201} ({@link Nb201Strings}), else the DARTS Python form.
   */
  public String describe() {
    return space.equals(SearchSpace.NB201.name()) ? Nb201Strings.write(this) : toPythonString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
