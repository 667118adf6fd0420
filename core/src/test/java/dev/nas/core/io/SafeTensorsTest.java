package dev.nas.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @Test
  void roundTripKeepsOrderValuesAndMetadata(@TempDir Path dir) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("b.weight", new Tensor(List.of(2, 3), new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, 7}));
    t.put("a.bias", new Tensor(List.of(1), new float[] {42}));
    Path f = dir.resolve("w.safetensors");
    SafeTensors.write(f, t, Map.of("genotype", "x"));
    Map<String, Tensor> back = SafeTensors.read(f);
    assertEquals(List.copyOf(t.keySet()), List.copyOf(back.keySet()));
    assertEquals(t, back);
    assertEquals("x", SafeTensors.metadata(f).get("genotype"));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary files are left behind");
    }
  }

  @Test
  void truncatedAndCorruptFilesFailClearly(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("w.safetensors");
    SafeTensors.write(f, Map.of("w", new Tensor(List.of(100), new float[100])), Map.of());
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 10));
    assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(f)).getMessage().contains("truncated"));
    Files.write(f, new byte[] {1, 2, 3});
    assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(f)).getMessage().contains("not a safetensors"));
    assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("missing")));
  }
}
