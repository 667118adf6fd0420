package dev.nas.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header,
 * raw little-endian data), float32 only. Chosen so weights open directly in the Python tools
 * people compare against.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** Writes tensors (in map order) with string metadata, atomically. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = Json.MAPPER.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      e.getValue().shape().forEach(t.putArray("shape")::add);
      long bytes = 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] head = Json.MAPPER.writeValueAsBytes(header);
    int pad = (8 - head.length % 8) % 8;
    byte[] padded = new byte[head.length + pad];
    System.arraycopy(head, 0, padded, 0, head.length);
    for (int i = head.length; i < padded.length; i++) {
      padded[i] = ' ';
    }
    AtomicFiles.write(file, out -> {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
      out.write(len.array());
      out.write(padded);
      for (Tensor t : tensors.values()) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.data());
        out.write(buf.array());
      }
    });
  }

  /** Reads all tensors; fails with a clear message on a truncated or malformed file. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("weights file " + file + " does not exist");
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length < 8) {
      throw new IOException(file + " is not a safetensors file (too short)");
    }
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    if (headerLen <= 0 || headerLen > all.length - 8) {
      throw new IOException(file + " is not a safetensors file or is truncated (header length " + headerLen + ")");
    }
    JsonNode header;
    try {
      header = Json.MAPPER.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(file + " has a corrupt safetensors header", e);
    }
    long base = 8 + headerLen;
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode t = e.getValue();
      if (!"F32".equals(t.path("dtype").asText())) {
        throw new IOException(file + ": tensor " + e.getKey() + " has dtype " + t.path("dtype").asText()
            + "; only F32 is supported");
      }
      List<Integer> shape = new ArrayList<>();
      t.path("shape").forEach(d -> shape.add(d.asInt()));
      long begin = base + t.path("data_offsets").path(0).asLong(-1);
      long end = base + t.path("data_offsets").path(1).asLong(-1);
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (begin < base || end > all.length || end - begin != 4 * n) {
        throw new IOException(file + " is truncated or corrupt at tensor " + e.getKey());
      }
      float[] data = new float[(int) n];
      ByteBuffer.wrap(all, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      out.put(e.getKey(), new Tensor(shape, data));
    }
    return out;
  }

  /** The string metadata of a file. */
  public static Map<String, String> metadata(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    JsonNode meta = Json.MAPPER.readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8)).path("__metadata__");
    Map<String, String> out = new LinkedHashMap<>();
    meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
