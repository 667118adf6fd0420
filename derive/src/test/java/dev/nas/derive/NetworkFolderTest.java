package dev.nas.derive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nas.core.genotype.Genotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Initializer;
import dev.nas.core.io.Tensor;
import dev.nas.core.macro.MacroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new network folder appears whole, in one rename; staging folders of killed writers are removed. */
class NetworkFolderTest {
  private static final NetworkSpec SPEC = NetworkSpec.of(Genotypes.named("DARTS_V2"),
      new MacroConfig(MacroConfig.Kind.CIFAR, 4, 3, 3, FeatureShape.of(3, 8, 8), false));

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void newFoldersArePublishedWholeAndExistingOnesRewritten(@TempDir Path tmp) throws IOException {
    Map<String, Tensor> w = Initializer.of(NetworkBuilder.build(SPEC), 1);
    // the staging folder of a writer killed mid-write (a pid above Linux' pid_max cannot be running)
    Path dead = Files.createDirectories(tmp.resolve(".staging-4194305-net-x"));
    Files.writeString(dead.resolve(NetworkFolder.WEIGHTS), "half a network");
    NetworkFolder.write(tmp.resolve("net"), SPEC, w);
    assertEquals(List.of("net"), names(tmp), "published by one rename; nothing staged is left behind");
    assertEquals(List.of(NetworkFolder.SPEC, NetworkFolder.WEIGHTS), names(tmp.resolve("net")));

    Files.createDirectories(tmp.resolve("empty"));
    NetworkFolder.write(tmp.resolve("empty"), SPEC, w);
    Map<String, Tensor> w2 = Initializer.of(NetworkBuilder.build(SPEC), 2);
    NetworkFolder.write(tmp.resolve("net"), SPEC, w2);
    String k = w2.keySet().iterator().next();
    assertArrayEquals(w2.get(k).data(), NetworkFolder.read(tmp.resolve("net")).weights().get(k).data());
    assertFalse(names(tmp).stream().anyMatch(n -> n.startsWith(".")), names(tmp).toString());
  }
}
