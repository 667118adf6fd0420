package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks that a genotype describes valid cells of its search space; errors name the entry. */
public final class GenotypeValidator {
  private GenotypeValidator() {}

  /** Returns the genotype if valid, else throws {@link GenotypeException} naming the first problem. */
  public static Genotype validate(Genotype g) {
    SearchSpace space;
    try {
      space = SearchSpace.named(g.space());
    } catch (IllegalArgumentException e) {
      throw new GenotypeException(e.getMessage());
    }
    Set<String> expected = new HashSet<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      expected.add(t.name());
      if (!g.cells().containsKey(t.name())) {
        throw new GenotypeException("genotype has no '" + t.name() + "' cell; space " + space.name()
            + " needs " + space.cellTypes().stream().map(SearchSpace.CellType::name).toList());
      }
    }
    for (String type : g.cells().keySet()) {
      if (!expected.contains(type)) {
        throw new GenotypeException("genotype has a '" + type + "' cell, which space " + space.name()
            + " does not have (cell types: " + expected + ")");
      }
      validateCell(type, g.cells().get(type), space);
    }
    return g;
  }

  private static void validateCell(String type, CellGenotype cell, SearchSpace space) {
    List<List<GenotypeEdge>> nodes = cell.nodes();
    if (nodes.isEmpty()) {
      throw new GenotypeException(type + " cell has no intermediate nodes");
    }
    if (nodes.size() > space.intermediateNodes()) {
      throw new GenotypeException(type + " cell has " + nodes.size() + " intermediate nodes; cells of space "
          + space.name() + " have at most " + space.intermediateNodes());
    }
    int inputs = space.inputStates();
    for (int i = 0; i < nodes.size(); i++) {
      List<GenotypeEdge> edges = nodes.get(i);
      String where = type + " node " + i + " (state " + (inputs + i) + ")";
      if (edges.size() != space.inputsOf(i)) {
        throw new GenotypeException(where + " has " + edges.size() + " inputs " + edges
            + (space.keepsEveryEdge() ? "; in space " + space.name() + " it reads each of its " + space.inputsOf(i)
            + " earlier states once" : "; cells of space " + space.name() + " take exactly " + space.inputsOf(i)
            + " per node"));
      }
      Set<Integer> read = new HashSet<>();
      for (int j = 0; j < edges.size(); j++) {
        GenotypeEdge e = edges.get(j);
        String entry = where + " input " + j + " " + e;
        if (!space.ops(type).contains(e.op())) {
          throw new GenotypeException(entry + ": unknown operation '" + e.op() + "' (space "
              + space.name() + " allows " + space.ops(type) + " in " + type + " cells)");
        }
        if (e.op().equals(SearchSpace.NONE) && !space.keepsEveryEdge()) {
          throw new GenotypeException(entry + ": 'none' cannot be kept in a derived cell");
        }
        if (e.input() < 0 || e.input() >= inputs + i) {
          throw new GenotypeException(entry + ": input state " + e.input()
              + " is out of range; this node can read states 0.." + (inputs + i - 1));
        }
        if (!read.add(e.input())) {
          throw new GenotypeException(entry + ": state " + e.input()
              + " is read twice; a node keeps distinct predecessors");
        }
      }
    }
    List<Integer> concat = cell.concat();
    if (space.keepsEveryEdge()) {
      if (nodes.size() != space.intermediateNodes()) {
        throw new GenotypeException(type + " cell has " + nodes.size() + " computed nodes; cells of space "
            + space.name() + " have exactly " + space.intermediateNodes());
      }
      if (!concat.equals(space.outputStates())) {
        throw new GenotypeException(type + "_concat " + concat + ": cells of space " + space.name()
            + " output their last node, state " + space.outputStates().get(0));
      }
      return;
    }
    if (concat.isEmpty()) {
      throw new GenotypeException(type + "_concat is empty; the cell output needs at least one state");
    }
    Set<Integer> seen = new HashSet<>();
    for (int s : concat) {
      if (s < inputs || s >= inputs + nodes.size()) {
        throw new GenotypeException(type + "_concat " + concat + " names state " + s
            + "; only intermediate states " + inputs + ".." + (inputs + nodes.size() - 1) + " can be concatenated");
      }
      if (!seen.add(s)) {
        throw new GenotypeException(type + "_concat " + concat + " lists state " + s + " twice");
      }
    }
  }
}
