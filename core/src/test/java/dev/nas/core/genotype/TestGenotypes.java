package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Genotypes for tests, shared with the other modules' tests through core's test jar. */
public final class TestGenotypes {
  private TestGenotypes() {}

  /**
   * A valid genotype of {@code space} whose edges cycle through every keepable operation of each
   * cell type (node i takes inputs i and i+1), so a test of it touches every operation.
   */
  public static Genotype cycling(SearchSpace space) {
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      List<String> ops = t.ops().stream().filter(o -> !o.equals(SearchSpace.NONE)).toList();
      List<List<GenotypeEdge>> nodes = new ArrayList<>();
      for (int i = 0; i < space.intermediateNodes(); i++) {
        nodes.add(List.of(new GenotypeEdge(ops.get((2 * i) % ops.size()), i),
            new GenotypeEdge(ops.get((2 * i + 1) % ops.size()), i + 1)));
      }
      List<Integer> concat = new ArrayList<>();
      for (int i = 0; i < space.intermediateNodes(); i++) {
        concat.add(space.inputStates() + i);
      }
      cells.put(t.name(), new CellGenotype(nodes, concat));
    }
    return GenotypeValidator.validate(new Genotype(space.name(), cells));
  }
}
