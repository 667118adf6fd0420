package dev.nas.serve.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The wire format of {@code /infer}: JSON tensors, and the binary tensor data extension as Triton
 * implements it. A body with binary data is the JSON object followed by the tensors' raw bytes in
 * order; the {@code Inference-Header-Content-Length} header gives the JSON's length. In a request,
 * an input with the parameter {@code binary_data_size} takes its data from that section; in a
 * response, an output returned as binary carries {@code binary_data_size} instead of {@code data}.
 */
public final class InferCodec {
  /** The header that gives the length of the JSON part of a body with binary data. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private InferCodec() {}

  /**
   * An encoded response body.
   *
   * @param jsonLength the length of its JSON part when binary data follows, else -1
   */
  public record Encoded(byte[] body, int jsonLength) {
    public boolean binary() {
      return jsonLength >= 0;
    }

    public String contentType() {
      return binary() ? "application/octet-stream" : "application/json";
    }
  }

  /**
   * Decodes a request body.
   *
   * @param body the body's bytes, of which the first {@code length} are used; binary input data
   *     is not copied out of it
   * @param headerLength the value of {@link #HEADER_LENGTH}, or {@code null} when absent
   * @throws ProtocolException 400 for anything malformed or inconsistent in the body itself; the
   *     inputs are not yet checked against a model
   */
  public static InferRequest decodeRequest(byte[] body, int length, String headerLength) throws ProtocolException {
    return RequestDecoder.decode(body, length, headerLength, InputCheck.NONE);
  }

  /**
   * Decodes a request body, checking each input with {@code check} before its data is decoded.
   *
   * @throws ProtocolException what {@code check} throws, or 400 as {@link #decodeRequest(byte[], int, String)}
   */
  public static InferRequest decodeRequest(byte[] body, int length, String headerLength, InputCheck check)
      throws ProtocolException {
    return RequestDecoder.decode(body, length, headerLength, check);
  }

  /** Encodes a response: JSON only, or JSON plus a binary section when any output is binary. */
  public static Encoded encodeResponse(InferResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = RequestDecoder.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("model_name", response.modelName());
      g.writeStringField("model_version", response.modelVersion());
      if (response.id() != null) {
        g.writeStringField("id", response.id());
      }
      g.writeArrayFieldStart("outputs");
      for (InferResponse.Output o : response.outputs()) {
        Tensor t = o.tensor();
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        if (o.binary()) {
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", t.byteSize());
          g.writeEndObject();
        } else {
          g.writeFieldName("data");
          writeData(g, t);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a response in memory", e);
    }
    if (!response.hasBinary()) {
      return new Encoded(out.toByteArray(), -1);
    }
    int jsonLength = out.size();
    for (InferResponse.Output o : response.outputs()) {
      if (o.binary()) {
        ByteBuffer data = o.tensor().data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.writeBytes(bytes);
      }
    }
    return new Encoded(out.toByteArray(), jsonLength);
  }

  /** Writes a tensor's elements as a flat JSON array. */
  private static void writeData(JsonGenerator g, Tensor t) throws IOException {
    ByteBuffer b = t.data();
    g.writeStartArray();
    switch (t.datatype()) {
      case FP32 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getFloat());
        }
      }
      case FP64 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getDouble());
        }
      }
      case INT64 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getLong());
        }
      }
      case INT32 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getInt());
        }
      }
      case INT8 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.get());
        }
      }
      case UINT8 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.get() & 0xff);
        }
      }
      case BOOL -> {
        while (b.hasRemaining()) {
          g.writeBoolean(b.get() != 0);
        }
      }
      default -> throw new IllegalStateException("unhandled datatype " + t.datatype());
    }
    g.writeEndArray();
  }

  /** The body of an error answer: {@code {"error": message}}. */
  public static byte[] error(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
    try (JsonGenerator g = RequestDecoder.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an error in memory", e);
    }
    return out.toByteArray();
  }
}
