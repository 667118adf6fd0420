package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.genotype.Nb201Strings;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.ExecContext;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The NAS-Bench-201 space searched by every algorithm, in its own macro. */
class Nb201SearchTest {
  private static final FeatureShape IN = FeatureShape.of(3, 8, 8);

  @Test
  void theSupernetHoldsEveryWeightOfEveryDerivedNetworkUnderItsName() {
    SupernetConfig c = new SupernetConfig(SearchSpace.NB201, MacroConfig.Kind.NB201, 4, 3, 0, 0, 5, IN,
        Preprocessing.identity(3), 1);
    try (Supernet net = new Supernet(c, new SoftmaxMixing(SearchSpace.NB201), Device.cpu(), DataType.FLOAT32, 1);
        NDManager m = NDManager.newBaseManager()) {
      assertEquals(new Shape(2, 5), net.forward(m.randomUniform(0, 1, new Shape(2, 3, 8, 8)),
          ExecContext.inference()).getShape());
      // stages C, 2C, 4C: cell, residual block, cell, residual block, cell
      assertEquals(java.util.List.of(FeatureShape.of(4, 8, 8), FeatureShape.of(8, 4, 4), FeatureShape.of(8, 4, 4),
          FeatureShape.of(16, 2, 2), FeatureShape.of(16, 2, 2)), net.cellOutputShapes());
      Graph derived = NetworkBuilder.build(Genotypes.parse(
          "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|"),
          new MacroConfig(MacroConfig.Kind.NB201, 4, 3, 5, IN, false), Preprocessing.identity(3));
      for (NamedParam p : derived.params()) {
        if (p.name().contains("running_") || p.name().contains("num_batches")) {
          continue;
        }
        if (p.name().contains(".edges.") && p.name().endsWith(".bn.weight")) {
          continue; // the supernet's edges normalise without affine parameters, as DARTS' and NAS-Bench-201's
        }
        if (p.name().contains(".edges.") && p.name().endsWith(".bn.bias")) {
          continue;
        }
        assertTrue(net.params().contains(p.name()), p.name());
        assertEquals(p.spec().shape(), java.util.Arrays.stream(net.params().get(p.name()).getShape().getShape())
            .mapToObj(d -> (int) d).toList(), p.name());
      }
    }
  }

  @Test
  void sdasDecidesOnlyTheSixEdgesOfACell() {
    Discretization d = new Discretization(SearchSpace.NB201);
    assertEquals(6, d.perCell(), "every node keeps all its inputs: no node decisions");
    assertEquals(BigInteger.valueOf(15_625), d.searchSpaceSize(), "5^6 cells, none included");
    float[] alpha = new float[6 * 5];
    for (int e = 0; e < 6; e++) {
      alpha[e * 5] = 0.9f; // none is the heaviest everywhere
      alpha[e * 5 + 3] = 0.1f;
    }
    float[] beta = new float[6];
    java.util.Arrays.fill(beta, 0.5f);
    Discretization done = d.completed(Map.of("cell", alpha), Map.of("cell", beta), 0);
    assertTrue(done.complete());
    assertEquals(6, done.decisions().size());
    Genotype g = GenotypeDeriver.derive(SearchSpace.NB201, done.discreteWeights());
    assertEquals("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", Nb201Strings.write(g),
        "a NAS-Bench-201 edge keeps none when none weighs most");
  }

  @Test
  void aCellThatIgnoresItsInputIsReportedAsCollapse() {
    java.util.List<String> cut = CollapseMonitor.warnings(
        Genotypes.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|"));
    assertTrue(cut.stream().anyMatch(w -> w.contains("does not depend on its input")), cut.toString());
    // node 3 reads node 2 through a convolution, node 2 reads the input: not cut
    assertTrue(CollapseMonitor.warnings(Genotypes.parse(
        "|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|")).stream()
        .noneMatch(w -> w.contains("does not depend")));
    assertTrue(CollapseMonitor.warnings(Genotypes.named("DARTS_V2")).isEmpty());
  }

  static java.util.stream.Stream<String> algorithms() {
    return SearchAlgorithms.names().stream();
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void everyAlgorithmSearchesTheSpace(String algo, @TempDir Path tmp) throws Exception {
    SearchConfig t = TinySearch.config(algo, "nb201", 32, 1, 3);
    SearchConfig c = algo.equals("cdarts") ? t.withCdarts(t.cdarts().withEnet(3, 4).withEnetEpochs(1)) : t;
    SearchResult r = c.algorithm().run(c, tmp, Device.cpu(), new PrintStream(PrintStream.nullOutputStream()),
        SearchAlgorithm.RunControl.FRESH);
    assertTrue(r.finished(), algo);
    assertEquals("nb201", r.genotype().space());
    String arch = Nb201Strings.write(r.genotype());
    assertEquals(r.genotype(), Genotypes.resolve(tmp.toString()), "genotype.json reads back: " + arch);
    assertEquals(r.genotype(), Genotypes.parse(arch), "edges listed by input, as the architecture string");
  }
}
