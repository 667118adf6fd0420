package dev.nas.core.genotype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.ops.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Nb201StringsTest {
  /** A five-convolution cell, in the form the NAS-Bench-201 tables key cells by. */
  private static final String BEST =
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

  @Test
  void theSpaceIsNasBench201sTopologyCell() {
    SearchSpace s = SearchSpace.NB201;
    assertEquals(6, s.edgesPerCell());
    assertEquals(1, s.inputStates());
    assertEquals(List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"), s.ops("cell"));
    assertEquals(5, s.keepableOps("cell").length, "none is a choice of a NAS-Bench-201 edge");
    assertEquals(List.of(3), s.outputStates(), "the cell outputs its last node");
    assertEquals(List.of(1, 2, 3), List.of(s.inputsOf(0), s.inputsOf(1), s.inputsOf(2)));
    // DARTS cells keep two inputs per node, are not dense and concatenate all intermediate nodes
    assertEquals(List.of(2, 3, 4, 5), SearchSpace.DARTS.outputStates());
    assertEquals(2, SearchSpace.DARTS.inputsOf(3));
  }

  @Test
  void stringsRoundTripThroughGenotypeAndJson() {
    Genotype g = Genotypes.parse(BEST);
    assertEquals("nb201", g.space());
    assertEquals(List.of(new GenotypeEdge("skip_connect", 0), new GenotypeEdge("nor_conv_3x3", 1),
        new GenotypeEdge("nor_conv_3x3", 2)), g.cell("cell").nodes().get(2));
    assertEquals(BEST, Nb201Strings.write(g));
    assertEquals(BEST, g.describe());
    String json = GenotypeJson.write(g);
    assertTrue(json.contains("\"nb201\" : \"" + BEST + "\""), json);
    assertEquals(g, Genotypes.parse(json));
    assertEquals(Genotypes.parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|"),
        Genotypes.named("nb201_resnet"));
  }

  @Test
  void everyRandomCellRoundTripsAndNoneIsDrawn() {
    SplittableRandom rng = new SplittableRandom(3);
    Set<String> seen = new HashSet<>();
    boolean none = false;
    for (int i = 0; i < 200; i++) {
      Genotype g = RandomGenotypes.sample(SearchSpace.NB201, rng);
      String s = Nb201Strings.write(g);
      assertEquals(g, Nb201Strings.parse(s), s);
      seen.add(s);
      none |= s.contains("none~");
    }
    assertTrue(none, "random NAS-Bench-201 cells include zero edges");
    assertTrue(seen.size() > 190, "200 draws from 15,625 cells are nearly all distinct: " + seen.size());
  }

  @Test
  void malformedStringsAreRefusedNamingTheEntry() {
    refused("|nor_conv_3x3~0|+|none~0|", "2 node groups");
    refused("|conv_7x7~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown operation 'conv_7x7'");
    refused("|none~0|+|none~0|none~0|+|none~0|none~1|none~2|", "read twice");
    refused("|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "out of range");
    refused("|none~0|+|none~0|+|none~0|none~1|none~2|", "reads each of its 2 earlier states once");
    refused("|none-0|+|none~0|none~1|+|none~0|none~1|none~2|", "is not op~j");
  }

  private static void refused(String arch, String expected) {
    String message = assertThrows(GenotypeException.class, () -> Genotypes.parse(arch)).getMessage();
    assertTrue(message.contains(expected), message);
  }
}
