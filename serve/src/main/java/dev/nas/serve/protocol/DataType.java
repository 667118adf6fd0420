package dev.nas.serve.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tensor element types under their Open Inference Protocol names, with their size in the binary
 * tensor data extension (little-endian; {@code BOOL} is one byte, 0 or 1).
 */
public enum DataType {
  BOOL(1),
  UINT8(1),
  INT8(1),
  INT32(4),
  INT64(8),
  FP32(4),
  FP64(8);

  /** Protocol names this server knows but cannot serve; named in the error rather than "unknown". */
  private static final Set<String> UNSUPPORTED = Set.of("UINT16", "UINT32", "UINT64", "INT16", "FP16", "BF16", "BYTES");

  private final int size;

  DataType(int size) {
    this.size = size;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** The list of supported names, for error messages. */
  public static String supported() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /**
   * The type named {@code name} (exact, upper case, as the protocol writes it).
   *
   * @throws ProtocolException 400 for an unknown or unsupported name
   */
  public static DataType parse(String name) throws ProtocolException {
    for (DataType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    if (UNSUPPORTED.contains(name)) {
      throw ProtocolException.badRequest("datatype " + name + " is not supported by this server (supported: "
          + supported() + ")");
    }
    String hint = name.toUpperCase(Locale.ROOT).equals(name) ? "" : " (datatype names are upper case)";
    throw ProtocolException.badRequest("unknown datatype '" + name + "'" + hint + "; supported: " + supported());
  }
}
