package dev.nas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.ExecContext;
import dev.nas.search.algo.SearchAlgorithm;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supernets in the imagenet macro (CDARTS' ImageNet search, Section 4.2). */
class ImagenetSupernetTest {
  private static final FeatureShape IN = FeatureShape.of(3, 32, 32);

  @Test
  void theStemAndCellsAreTheDerivedImagenetNetworksWithTheSameNames() {
    SupernetConfig c = new SupernetConfig(SearchSpace.DARTS, 4, 3, 5, IN, Preprocessing.identity(3))
        .withMacro(MacroConfig.Kind.IMAGENET);
    try (Supernet net = new Supernet(c, new SoftmaxMixing(SearchSpace.DARTS), Device.cpu(), DataType.FLOAT32, 1);
        NDManager m = NDManager.newBaseManager()) {
      assertEquals(new Shape(2, 5), net.forward(m.randomUniform(0, 1, new Shape(2, 3, 32, 32)),
          ExecContext.inference()).getShape());
      // the derived network of any genotype in the same macro names and shapes its stem alike
      Graph derived = NetworkBuilder.build(Genotypes.resolve("DARTS_V2"), new MacroConfig(MacroConfig.Kind.IMAGENET,
          4, 3, 5, IN, false), Preprocessing.identity(3));
      Map<String, java.util.List<Integer>> stem = derived.params().stream().filter(p -> p.name().startsWith("stem"))
          .collect(Collectors.toMap(NamedParam::name, p -> p.spec().shape()));
      assertTrue(stem.keySet().stream().anyMatch(n -> n.startsWith("stem1")), "the imagenet macro's second stem");
      for (var e : stem.entrySet()) {
        assertTrue(net.params().contains(e.getKey()), e.getKey());
        assertEquals(e.getValue(), java.util.Arrays.stream(net.params().get(e.getKey()).getShape().getShape())
            .mapToObj(d -> (int) d).toList(),
            e.getKey());
      }
    }
  }

  @Test
  void cdartsSearchesInTheImagenetMacroAndItsEnetFollows(@TempDir Path tmp) throws Exception {
    SearchConfig t = TinySearch.config("cdarts", "darts", 32, 1, 3).withData(
        new dev.nas.search.config.DataSettings("synthetic", null, "3x32x32", 4, 32, 16, 0.5, false, 0));
    SupernetShape s = t.supernet();
    SearchConfig c = t.withSupernet(new SupernetShape(s.space(), s.layers(), s.channels(), s.repeat(),
        s.stemChannels(), s.partialChannels(), "imagenet")).withCdarts(t.cdarts().withEnet(4, 4).withEnetEpochs(1));
    SearchResult r = c.algorithm().run(c, tmp, Device.cpu(), new PrintStream(PrintStream.nullOutputStream()),
        SearchAlgorithm.RunControl.FRESH);
    assertTrue(r.finished());
    assertEquals(MacroConfig.Kind.IMAGENET, NetworkFolder.read(tmp.resolve("enet")).spec().macro().kind());
    IllegalArgumentException video = assertThrows(IllegalArgumentException.class,
        () -> new SupernetShape("o3d", 3, 4, 2, 16, 1, "imagenet"));
    assertTrue(video.getMessage().contains("--macro imagenet does not suit space o3d"), video.getMessage());
  }
}
