package dev.nas.core.genotype;

/**
 * One incoming edge of an intermediate node in a derived cell: the operation applied to a
 * predecessor state. States 0 and 1 are the cell's two inputs; state {@code 2 + i} is
 * intermediate node {@code i}.
 */
public record GenotypeEdge(String op, int input) {
  @Override
  public String toString() {
    return "('" + op + "', " + input + ")";
  }
}
