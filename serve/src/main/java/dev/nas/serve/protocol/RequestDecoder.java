package dev.nas.serve.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.nas.serve.protocol.InferRequest.RequestedOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes an inference request body: JSON, optionally followed by a binary section (the binary
 * tensor data extension). The JSON is read as a token stream, so tensor data goes straight from
 * the body into little-endian element bytes without a tree of boxed numbers.
 */
final class RequestDecoder {
  /** Deeper nesting than any tensor rank; bounds the parser's recursion on hostile bodies. */
  private static final int MAX_DEPTH = 40;

  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // Tensor data is mostly floats: the JDK's own parser and formatter dominate the CPU time
      // of a request without these (measured with JFR on the load scenario).
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private RequestDecoder() {}

  /** An input as the JSON declares it, before its data is attached. */
  private static final class InputDecl {
    final int index;
    String name;
    String datatypeName;
    DataType datatype;
    long[] shape;
    long binarySize = -1;
    ByteBuffer data;
    /** Where a data array that came before the datatype or shape starts in the body, else -1. */
    long pendingData = -1;

    InputDecl(int index) {
      this.index = index;
    }

    String label() {
      return name != null ? "input '" + name + "'" : "inputs[" + index + "]";
    }
  }

  static InferRequest decode(byte[] body, int length, String headerLength, InputCheck check)
      throws ProtocolException {
    int jsonLength = length;
    if (headerLength != null) {
      jsonLength = parseHeaderLength(headerLength, length);
    }
    String id = null;
    boolean binaryOutput = false;
    List<InputDecl> inputs = null;
    List<RequestedOutput> outputs = List.of();
    try (JsonParser p = FACTORY.createParser(body, 0, jsonLength)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ProtocolException.badRequest("the request body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> {
            if (t != JsonToken.VALUE_STRING) {
              throw ProtocolException.badRequest("'id' must be a string");
            }
            id = p.getText();
          }
          case "parameters" -> binaryOutput = requestParameters(p, t);
          case "inputs" -> inputs = inputs(p, t, body, jsonLength, check);
          case "outputs" -> outputs = outputs(p, t);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw ProtocolException.badRequest("unexpected data after the request's JSON object"
            + (headerLength == null ? "" : " (Inference-Header-Content-Length is " + jsonLength + ")"));
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw ProtocolException.badRequest("malformed JSON: " + e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw ProtocolException.badRequest("unreadable request body: " + e.getMessage());
    }
    if (inputs == null || inputs.isEmpty()) {
      throw ProtocolException.badRequest("the request has no inputs");
    }
    attachBinary(inputs, body, jsonLength, length, headerLength != null);
    List<Tensor> tensors = new ArrayList<>();
    for (InputDecl in : inputs) {
      tensors.add(new Tensor(in.name, in.datatype, in.shape, in.data));
    }
    return new InferRequest(id, tensors, outputs, binaryOutput);
  }

  private static int parseHeaderLength(String value, int bodyLength) throws ProtocolException {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ProtocolException.badRequest("Inference-Header-Content-Length must be a byte count, got '" + value + "'");
    }
    if (n < 0 || n > bodyLength) {
      throw ProtocolException.badRequest("Inference-Header-Content-Length " + n + " is outside the body of "
          + bodyLength + " bytes");
    }
    return (int) n;
  }

  private static boolean requestParameters(JsonParser p, JsonToken t) throws IOException, ProtocolException {
    expect(t, JsonToken.START_OBJECT, "'parameters' must be an object");
    boolean binaryOutput = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (key.equals("binary_data_output")) {
        binaryOutput = bool(v, "parameter 'binary_data_output'");
      } else {
        p.skipChildren(); // other parameters (priority, timeout, ...) do not change what is computed
      }
    }
    return binaryOutput;
  }

  private static List<InputDecl> inputs(JsonParser p, JsonToken t, byte[] body, int jsonLength, InputCheck check)
      throws IOException, ProtocolException {
    expect(t, JsonToken.START_ARRAY, "'inputs' must be an array of tensors");
    List<InputDecl> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(e, JsonToken.START_OBJECT, "each entry of 'inputs' must be an object");
      InputDecl in = input(p, inputs.size(), body, jsonLength, check);
      if (!names.add(in.name)) {
        throw ProtocolException.badRequest("input '" + in.name + "' is given twice");
      }
      inputs.add(in);
    }
    return inputs;
  }

  private static InputDecl input(JsonParser p, int index, byte[] body, int jsonLength, InputCheck check)
      throws IOException, ProtocolException {
    InputDecl in = new InputDecl(index);
    boolean hasData = false;
    boolean checked = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "name" -> in.name = string(t, p, "inputs[" + index + "].name");
        case "datatype" -> in.datatypeName = string(t, p, "inputs[" + index + "].datatype");
        case "shape" -> in.shape = shape(p, t, index);
        case "parameters" -> in.binarySize = inputParameters(p, t, index);
        case "data" -> {
          hasData = true;
          expect(t, JsonToken.START_ARRAY, "inputs[" + index + "].data must be an array");
          if (in.name != null && in.datatypeName != null && in.shape != null) {
            declared(in, check);
            checked = true;
            readData(in, p);
          } else {
            // The data came before what it is checked and read with: skip it for now and read it
            // again from the body once the input is known (holding its tokens could take many
            // times the body's size).
            in.pendingData = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (in.name == null) {
      throw ProtocolException.badRequest("inputs[" + index + "] has no name");
    }
    if (in.datatypeName == null) {
      throw ProtocolException.badRequest(in.label() + " has no datatype");
    }
    if (in.shape == null) {
      throw ProtocolException.badRequest(in.label() + " has no shape");
    }
    if (!checked) {
      declared(in, check);
    }
    if (hasData && in.binarySize >= 0) {
      throw ProtocolException.badRequest(in.label() + " has both 'data' and parameter binary_data_size");
    }
    if (!hasData && in.binarySize < 0) {
      throw ProtocolException.badRequest(in.label() + " has no 'data' and no binary_data_size parameter");
    }
    if (in.pendingData >= 0) {
      try (JsonParser data = FACTORY.createParser(body, (int) in.pendingData, jsonLength - (int) in.pendingData)) {
        data.nextToken();
        readData(in, data);
      }
      in.pendingData = -1;
    }
    return in;
  }

  /** The input's name, datatype and shape are known: checks them before any of its data is read. */
  private static void declared(InputDecl in, InputCheck check) throws ProtocolException {
    in.datatype = DataType.parse(in.datatypeName);
    elementCount(in);
    check.check(in.name, in.datatype, in.shape.clone());
  }

  /** Reads the data array at the parser's current START_ARRAY, once the input has been checked. */
  private static void readData(InputDecl in, JsonParser p) throws IOException, ProtocolException {
    in.data = new DataReader(in, elementCount(in)).read(p);
  }

  private static long elementCount(InputDecl in) throws ProtocolException {
    try {
      long count = Tensor.elementCount(in.shape);
      Math.multiplyExact(count, in.datatype.size());
      return count;
    } catch (ArithmeticException e) {
      throw ProtocolException.badRequest(in.label() + " shape " + Arrays.toString(in.shape) + " is too large");
    }
  }

  private static long[] shape(JsonParser p, JsonToken t, int index) throws IOException, ProtocolException {
    String what = "inputs[" + index + "].shape";
    expect(t, JsonToken.START_ARRAY, what + " must be an array of dimensions");
    List<Long> dims = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e != JsonToken.VALUE_NUMBER_INT) {
        throw ProtocolException.badRequest(what + " must hold integers, found " + describe(e));
      }
      long d;
      try {
        d = p.getLongValue();
      } catch (InputCoercionException x) {
        throw ProtocolException.badRequest(what + " has a dimension out of range: " + p.getText());
      }
      if (d <= 0) {
        throw ProtocolException.badRequest(what + " has dimension " + d + "; dimensions must be positive");
      }
      dims.add(d);
    }
    if (dims.size() > 16) {
      throw ProtocolException.badRequest(what + " has rank " + dims.size() + "; at most 16 is supported");
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long inputParameters(JsonParser p, JsonToken t, int index) throws IOException, ProtocolException {
    expect(t, JsonToken.START_OBJECT, "inputs[" + index + "].parameters must be an object");
    long size = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (key.equals("binary_data_size")) {
        if (v != JsonToken.VALUE_NUMBER_INT) {
          throw ProtocolException.badRequest("inputs[" + index + "] parameter binary_data_size must be an integer");
        }
        try {
          size = p.getLongValue();
        } catch (InputCoercionException x) {
          size = Long.MAX_VALUE;
        }
        if (size < 0) {
          throw ProtocolException.badRequest("inputs[" + index + "] parameter binary_data_size is negative");
        }
      } else if (key.equals("shared_memory_region")) {
        throw ProtocolException.badRequest("shared memory inputs are not supported by this server");
      } else {
        p.skipChildren();
      }
    }
    return size;
  }

  private static List<RequestedOutput> outputs(JsonParser p, JsonToken t) throws IOException, ProtocolException {
    expect(t, JsonToken.START_ARRAY, "'outputs' must be an array");
    List<RequestedOutput> outputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      int index = outputs.size();
      expect(e, JsonToken.START_OBJECT, "each entry of 'outputs' must be an object");
      String name = null;
      Boolean binary = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("name")) {
          name = string(v, p, "outputs[" + index + "].name");
        } else if (field.equals("parameters")) {
          binary = outputParameters(p, v, index);
        } else {
          p.skipChildren();
        }
      }
      if (name == null) {
        throw ProtocolException.badRequest("outputs[" + index + "] has no name");
      }
      if (!names.add(name)) {
        throw ProtocolException.badRequest("output '" + name + "' is requested twice");
      }
      outputs.add(new RequestedOutput(name, binary));
    }
    return outputs;
  }

  private static Boolean outputParameters(JsonParser p, JsonToken t, int index) throws IOException, ProtocolException {
    expect(t, JsonToken.START_OBJECT, "outputs[" + index + "].parameters must be an object");
    Boolean binary = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      switch (key) {
        case "binary_data" -> binary = bool(v, "outputs[" + index + "] parameter binary_data");
        case "classification" -> throw ProtocolException.badRequest("the classification extension is not supported "
            + "by this server; request the raw output");
        case "shared_memory_region" -> throw ProtocolException.badRequest("shared memory outputs are not supported "
            + "by this server");
        default -> p.skipChildren();
      }
    }
    return binary;
  }

  /** Cuts the binary section into the inputs that declared a binary_data_size, in input order. */
  private static void attachBinary(List<InputDecl> inputs, byte[] body, int jsonLength, int length, boolean header)
      throws ProtocolException {
    long offset = jsonLength;
    for (InputDecl in : inputs) {
      if (in.binarySize < 0) {
        continue;
      }
      if (!header) {
        throw ProtocolException.badRequest(in.label() + " has binary_data_size but the request has no "
            + "Inference-Header-Content-Length header");
      }
      long need = elementCount(in) * in.datatype.size();
      if (in.binarySize != need) {
        throw ProtocolException.badRequest(in.label() + " has binary_data_size " + in.binarySize + " but shape "
            + Arrays.toString(in.shape) + " of " + in.datatype + " needs " + need + " bytes");
      }
      if (offset + in.binarySize > length) {
        throw ProtocolException.badRequest("the binary data of " + in.label() + " (" + in.binarySize
            + " bytes) runs past the end of the body: " + (length - offset) + " bytes left");
      }
      in.data = ByteBuffer.wrap(body, (int) offset, (int) in.binarySize).slice();
      offset += in.binarySize;
    }
    if (offset != length) {
      throw ProtocolException.badRequest((length - offset) + " bytes of binary data after the JSON are not "
          + "claimed by any input's binary_data_size");
    }
  }

  /** Reads a flat or nested {@code data} array into little-endian bytes and checks it against the shape. */
  private static final class DataReader {
    private final InputDecl in;
    private final long expected;
    private final long[] lengths = new long[MAX_DEPTH];
    private final boolean[] seen = new boolean[MAX_DEPTH];
    private int leafDepth = -1;
    private byte[] bytes;
    private int pos;
    private long count;

    DataReader(InputDecl in, long expected) {
      this.in = in;
      this.expected = expected;
      // Sized for the declared shape, but never beyond what a body of this size can hold.
      long initial = Math.min(expected, 1 << 16) * in.datatype.size();
      this.bytes = new byte[(int) Math.max(initial, 16)];
    }

    ByteBuffer read(JsonParser p) throws IOException, ProtocolException {
      array(p, 0);
      if (count != expected) {
        throw ProtocolException.badRequest(in.label() + " has " + count + " data elements but shape "
            + Arrays.toString(in.shape) + " needs " + expected);
      }
      if (leafDepth > 0) {
        // Nested data must be exactly the shape, not just as many elements.
        boolean matches = leafDepth + 1 == in.shape.length;
        for (int i = 0; matches && i <= leafDepth; i++) {
          matches = lengths[i] == in.shape[i];
        }
        if (!matches) {
          throw ProtocolException.badRequest(in.label() + " nested data " + nesting() + " does not match shape "
              + Arrays.toString(in.shape));
        }
      }
      return ByteBuffer.wrap(bytes, 0, pos).slice();
    }

    private String nesting() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i <= leafDepth; i++) {
        sb.append('[').append(lengths[i]).append(']');
      }
      return sb.toString();
    }

    private void array(JsonParser p, int level) throws IOException, ProtocolException {
      long n = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw ProtocolException.badRequest(in.label() + " data ends early");
        }
        if (t == JsonToken.START_ARRAY) {
          if (leafDepth >= 0 && leafDepth <= level) {
            throw ragged();
          }
          array(p, level + 1);
        } else {
          if (leafDepth < 0) {
            leafDepth = level;
          } else if (leafDepth != level) {
            throw ragged();
          }
          element(p, t);
        }
        n++;
      }
      if (seen[level] && lengths[level] != n) {
        throw ragged();
      }
      seen[level] = true;
      lengths[level] = n;
    }

    private ProtocolException ragged() {
      return ProtocolException.badRequest(in.label() + " data is not a regular nested array (rows differ in length "
          + "or depth); give it flat or nested exactly as shape " + Arrays.toString(in.shape));
    }

    private void element(JsonParser p, JsonToken t) throws IOException, ProtocolException {
      if (count >= expected) {
        throw ProtocolException.badRequest(in.label() + " has more data elements than shape "
            + Arrays.toString(in.shape) + " holds (" + expected + ")");
      }
      int size = in.datatype.size();
      if (pos + size > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, expected * size));
      }
      switch (in.datatype) {
        case FP32 -> {
          number(t);
          float f = p.getFloatValue();
          if (Float.isInfinite(f)) {
            throw outOfRange(p);
          }
          FLOAT.set(bytes, pos, f);
        }
        case FP64 -> {
          number(t);
          double d = p.getDoubleValue();
          if (Double.isInfinite(d)) {
            throw outOfRange(p);
          }
          DOUBLE.set(bytes, pos, d);
        }
        case INT64 -> LONG.set(bytes, pos, integer(p, t, Long.MIN_VALUE, Long.MAX_VALUE));
        case INT32 -> INT.set(bytes, pos, (int) integer(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE));
        case INT8 -> bytes[pos] = (byte) integer(p, t, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case UINT8 -> bytes[pos] = (byte) integer(p, t, 0, 255);
        case BOOL -> {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw wrongElement(t, "true or false");
          }
          bytes[pos] = (byte) (t == JsonToken.VALUE_TRUE ? 1 : 0);
        }
        default -> throw new IllegalStateException("unhandled datatype " + in.datatype);
      }
      pos += size;
      count++;
    }

    private void number(JsonToken t) throws ProtocolException {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw wrongElement(t, "numbers");
      }
    }

    private long integer(JsonParser p, JsonToken t, long min, long max) throws IOException, ProtocolException {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw wrongElement(t, "integers");
      }
      long v;
      try {
        v = p.getLongValue();
      } catch (InputCoercionException e) {
        throw outOfRange(p);
      }
      if (v < min || v > max) {
        throw outOfRange(p);
      }
      return v;
    }

    private ProtocolException outOfRange(JsonParser p) throws IOException {
      return ProtocolException.badRequest(in.label() + " data element " + count + " (" + p.getText()
          + ") is out of the range of " + in.datatype);
    }

    private ProtocolException wrongElement(JsonToken t, String expectedKind) {
      return ProtocolException.badRequest(in.label() + " is " + in.datatype + ", so its data must hold "
          + expectedKind + "; element " + count + " is " + describe(t));
    }
  }

  private static void expect(JsonToken t, JsonToken wanted, String message) throws ProtocolException {
    if (t != wanted) {
      throw ProtocolException.badRequest(message);
    }
  }

  private static String string(JsonToken t, JsonParser p, String what) throws IOException, ProtocolException {
    if (t != JsonToken.VALUE_STRING) {
      throw ProtocolException.badRequest(what + " must be a string, found " + describe(t));
    }
    String s = p.getText();
    if (s.isEmpty()) {
      throw ProtocolException.badRequest(what + " is empty");
    }
    return s;
  }

  private static boolean bool(JsonToken t, String what) throws ProtocolException {
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw ProtocolException.badRequest(what + " must be true or false, found " + describe(t));
    }
    return t == JsonToken.VALUE_TRUE;
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a fractional number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
