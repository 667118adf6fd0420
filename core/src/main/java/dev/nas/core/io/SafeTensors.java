package dev.nas.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header,
 * raw little-endian data), float32 only. Chosen so weights open directly in the Python tools
 * people compare against.
 *
 * <p>Every file written here carries a {@value #CHECKSUM} metadata entry: the SHA-256 of the
 * header without that entry followed by the data. It is verified on every read, so a flipped
 * byte anywhere is refused when the file is opened rather than found later as a NaN; files from
 * other tools, which lack the entry, are read unverified. The header is validated in full
 * (offsets, shapes, sizes) before any tensor is allocated.
 */
public final class SafeTensors {
  /** The metadata key of the checksum. */
  public static final String CHECKSUM = "sha256";
  /** Headers above this are refused (real ones are a few KB; the format's own limit is 100 MB). */
  static final long MAX_HEADER_BYTES = 100L << 20;
  /** Files above this cannot be held in one Java array. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

  /** A header parser that refuses deep nesting (a real header is three levels deep). */
  private static final ObjectMapper HEADER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build()).build());

  private SafeTensors() {}

  /** Writes tensors (in map order) with string metadata and a checksum, atomically. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = HEADER.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      // a checksum among the given metadata (read back from another file) is replaced, not hashed
      metadata.forEach((k, v) -> {
        if (!k.equals(CHECKSUM)) {
          meta.put(k, v);
        }
      });
      if (meta.isEmpty()) {
        header.remove("__metadata__");
      }
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
    List<byte[]> data = new ArrayList<>();
    for (Tensor t : tensors.values()) {
      ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(t.data());
      data.add(buf.array());
    }
    MessageDigest sha = sha256();
    sha.update(HEADER.writeValueAsBytes(header));
    data.forEach(sha::update);
    String sum = HexFormat.of().formatHex(sha.digest());
    if (header.has("__metadata__")) {
      ((ObjectNode) header.get("__metadata__")).put(CHECKSUM, sum);
    } else {
      ObjectNode withMeta = HEADER.createObjectNode();
      withMeta.putObject("__metadata__").put(CHECKSUM, sum);
      withMeta.setAll(header);
      header = withMeta;
    }
    byte[] head = HEADER.writeValueAsBytes(header);
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
      for (byte[] d : data) {
        out.write(d);
      }
    });
  }

  /** One tensor's entry in a validated header. */
  private record Entry(String name, List<Integer> shape, long begin, long end) {}

  /** A validated header: the metadata, the entries in file order, and where the data starts. */
  private record Header(ObjectNode json, Map<String, String> metadata, List<Entry> entries, long dataStart) {}

  /**
   * Reads all tensors; fails with a clear message on a truncated, malformed or altered file
   * (checksum mismatch).
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    long size = size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(file + " is " + size + " bytes, more than the 2 GB this build can load");
    }
    byte[] all = Files.readAllBytes(file);
    Header h = header(file, all, all.length);
    String expected = h.metadata().get(CHECKSUM);
    if (expected != null) {
      ObjectNode unsummed = h.json().deepCopy();
      ObjectNode meta = (ObjectNode) unsummed.get("__metadata__");
      meta.remove(CHECKSUM);
      if (meta.isEmpty()) {
        unsummed.remove("__metadata__");
      }
      MessageDigest sha = sha256();
      sha.update(HEADER.writeValueAsBytes(unsummed));
      sha.update(all, (int) h.dataStart(), (int) (all.length - h.dataStart()));
      if (!HexFormat.of().formatHex(sha.digest()).equals(expected)) {
        throw new IOException(file + " is damaged: its checksum does not match its contents (the file was "
            + "altered or partly overwritten after it was written)");
      }
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : h.entries()) {
      float[] data = new float[(int) ((e.end() - e.begin()) / 4)];
      ByteBuffer.wrap(all, (int) (h.dataStart() + e.begin()), (int) (e.end() - e.begin()))
          .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      out.put(e.name(), new Tensor(e.shape(), data));
    }
    return out;
  }

  /** The string metadata of a file, read from its validated header alone. */
  public static Map<String, String> metadata(Path file) throws IOException {
    long size = size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (size < 8 || ch.read(len, 0) < 8) {
        throw new IOException(file + " is not a safetensors file (too short)");
      }
      long headerLen = len.getLong(0);
      checkHeaderLength(file, headerLen, size);
      ByteBuffer head = ByteBuffer.allocate((int) (8 + headerLen));
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // read until the header is complete
      }
      return header(file, head.array(), size).metadata();
    }
  }

  private static long size(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("weights file " + file + " does not exist");
    }
    return Files.size(file);
  }

  private static void checkHeaderLength(Path file, long headerLen, long size) throws IOException {
    if (headerLen <= 0 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
      throw new IOException(file + " is not a safetensors file or is truncated (header length " + headerLen
          + " in a file of " + size + " bytes)");
    }
  }

  /**
   * Validates the header at the start of {@code bytes} against a file of {@code size} bytes: every
   * entry must be an F32 tensor whose shape, offsets and size agree and lie inside the file.
   */
  private static Header header(Path file, byte[] bytes, long size) throws IOException {
    if (bytes.length < 8) {
      throw new IOException(file + " is not a safetensors file (too short)");
    }
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    checkHeaderLength(file, headerLen, size);
    JsonNode root;
    try {
      root = HEADER.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(file + " has a corrupt safetensors header (not valid JSON)");
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + " has a corrupt safetensors header (not a JSON object)");
    }
    long dataStart = 8 + headerLen;
    long dataBytes = size - dataStart;
    Map<String, String> meta = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = file + ": tensor '" + e.getKey() + "'";
      JsonNode t = e.getValue();
      if (e.getKey().equals("__metadata__")) {
        if (!t.isObject()) {
          throw new IOException(file + " has a corrupt safetensors header (__metadata__ is not an object)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> m = t.fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = m.next();
          if (!kv.getValue().isTextual()) {
            throw new IOException(file + " has a corrupt safetensors header (metadata '" + kv.getKey()
                + "' is not a string)");
          }
          meta.put(kv.getKey(), kv.getValue().asText());
        }
        continue;
      }
      if (!t.isObject()) {
        throw new IOException(where + " is not described by an object");
      }
      if (!"F32".equals(t.path("dtype").asText())) {
        throw new IOException(where + " has dtype " + t.path("dtype") + "; only F32 is supported");
      }
      JsonNode shapeNode = t.path("shape");
      if (!shapeNode.isArray()) {
        throw new IOException(where + " has no shape");
      }
      List<Integer> shape = new ArrayList<>();
      long n = 1;
      for (JsonNode d : shapeNode) {
        if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
          throw new IOException(where + " has an invalid dimension " + d + " in its shape " + shapeNode);
        }
        shape.add(d.asInt());
        n *= d.asInt();
        if (n > Integer.MAX_VALUE / 4) {
          throw new IOException(where + " has shape " + shapeNode + ", too large to load");
        }
      }
      JsonNode off = t.path("data_offsets");
      if (!off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()
          || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
        throw new IOException(where + " has invalid data_offsets " + off);
      }
      long begin = off.get(0).asLong();
      long end = off.get(1).asLong();
      if (begin < 0 || end < begin || end > dataBytes) {
        throw new IOException(file + " is truncated or corrupt at tensor '" + e.getKey() + "' (data " + begin
            + ".." + end + " of " + dataBytes + " bytes)");
      }
      if (end - begin != 4 * n) {
        throw new IOException(file + " is truncated or corrupt at tensor '" + e.getKey() + "': shape " + shape
            + " needs " + 4 * n + " bytes, its data_offsets give " + (end - begin));
      }
      entries.add(new Entry(e.getKey(), shape, begin, end));
    }
    return new Header((ObjectNode) root, meta, entries, dataStart);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }
}
