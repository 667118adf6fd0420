package dev.nas.core.genotype;

import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * NAS-Bench-201's architecture strings (Dong &amp; Yang 2020; the keys of its and NATS-Bench's
 * tables), e.g. {@code |nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|}:
 * one {@code +}-separated group per computed node, each {@code |op~j|} entry the operation on the
 * edge from node {@code j} (0 is the cell input), in increasing {@code j}. The state indices are
 * the genotype's, as cells of space {@code nb201} have one input state; operation names are
 * NAS-Bench-201's, which the space uses unchanged.
 */
public final class Nb201Strings {
  private Nb201Strings() {}

  /** Whether {@code text} looks like an architecture string (starts with {@code |}). */
  public static boolean looksLike(String text) {
    return text.strip().startsWith("|");
  }

  /** The architecture string of a genotype of space {@code nb201}. */
  public static String write(Genotype g) {
    requireSpace(g.space());
    CellGenotype cell = g.cell(onlyType());
    return cell.nodes().stream()
        .map(node -> node.stream().sorted(Comparator.comparingInt(GenotypeEdge::input))
            .map(e -> e.op() + "~" + e.input()).collect(Collectors.joining("|", "|", "|")))
        .collect(Collectors.joining("+"));
  }

  /** Parses and validates an architecture string into a genotype of space {@code nb201}; errors name the entry. */
  public static Genotype parse(String text) {
    String t = text.strip();
    SearchSpace space = SearchSpace.NB201;
    String[] groups = t.split("\\+", -1);
    if (groups.length != space.intermediateNodes()) {
      throw new GenotypeException("NAS-Bench-201 architecture string '" + t + "' has " + groups.length
          + " node groups separated by '+'; a cell has " + space.intermediateNodes());
    }
    List<List<GenotypeEdge>> nodes = new ArrayList<>();
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.length() < 2 || !g.startsWith("|") || !g.endsWith("|")) {
        throw new GenotypeException("node " + (i + 1) + " of '" + t + "' is '" + g + "'; expected |op~j|...|");
      }
      List<GenotypeEdge> edges = new ArrayList<>();
      for (String entry : g.substring(1, g.length() - 1).split("\\|", -1)) {
        int tilde = entry.lastIndexOf('~');
        if (tilde <= 0 || tilde == entry.length() - 1) {
          throw new GenotypeException("node " + (i + 1) + " entry '" + entry + "' is not op~j");
        }
        int input;
        try {
          input = Integer.parseInt(entry.substring(tilde + 1));
        } catch (NumberFormatException e) {
          throw new GenotypeException("node " + (i + 1) + " entry '" + entry + "' has no node number after '~'");
        }
        edges.add(new GenotypeEdge(entry.substring(0, tilde), input));
      }
      nodes.add(edges);
    }
    Genotype g = new Genotype(space.name(), Map.of(onlyType(), new CellGenotype(nodes, space.outputStates())));
    try {
      return GenotypeValidator.validate(g);
    } catch (GenotypeException e) {
      throw new GenotypeException("NAS-Bench-201 architecture string '" + t + "': " + e.getMessage());
    }
  }

  private static String onlyType() {
    return SearchSpace.NB201.cellTypeNames().get(0);
  }

  private static void requireSpace(String space) {
    if (!space.equals(SearchSpace.NB201.name())) {
      throw new IllegalArgumentException("only genotypes of space nb201 have a NAS-Bench-201 architecture string, "
          + "not one of space " + space);
    }
  }
}
