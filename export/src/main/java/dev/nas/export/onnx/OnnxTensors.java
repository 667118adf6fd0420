package dev.nas.export.onnx;

import com.google.protobuf.UnsafeByteOperations;
import dev.nas.core.io.Tensor;
import dev.nas.export.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between {@link Tensor}, plain arrays and ONNX {@link TensorProto}s. */
public final class OnnxTensors {
  private OnnxTensors() {}

  /** A float32 initializer; the data goes to {@code raw_data}, which is compact and fast to read. */
  public static TensorProto floats(String name, Tensor tensor) {
    ByteBuffer bytes = ByteBuffer.allocate(tensor.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(tensor.data());
    TensorProto.Builder b = TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        // The array is ours and never written again, so wrapping it saves a copy of every weight.
        .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()));
    tensor.shape().forEach(d -> b.addDims(d));
    return b.build();
  }

  /** A 1-D int64 tensor, the form ONNX takes for shapes, pads and slice bounds. */
  public static TensorProto int64s(String name, long... values) {
    TensorProto.Builder b = TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      b.addInt64Data(v);
    }
    return b.build();
  }

  /** Number of elements the dims describe. */
  public static long numel(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      n *= d;
    }
    return n;
  }

  /**
   * An integer tensor's values as longs (int64, int32 and the smaller integer types), the way
   * shape-like inputs of Reshape, Slice and Pad are stored.
   */
  public static long[] toLongs(TensorProto t) {
    requireInline(t);
    int type = t.getDataType();
    if (type == TensorProto.DataType.INT64_VALUE) {
      if (t.hasRawData()) {
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[raw.remaining() / Long.BYTES];
        raw.asLongBuffer().get(out);
        return out;
      }
      return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
    if (type == TensorProto.DataType.INT32_VALUE) {
      if (t.hasRawData()) {
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[raw.remaining() / Integer.BYTES];
        for (int i = 0; i < out.length; i++) {
          out[i] = raw.getInt();
        }
        return out;
      }
      return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
    }
    throw new IllegalArgumentException("tensor '" + t.getName() + "' is of type " + dataTypeName(type)
        + ", expected int64 or int32");
  }

  /** ONNX's name of an element type, e.g. {@code FLOAT}, or the number when it is not known here. */
  public static String dataTypeName(int type) {
    TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
    return dt == null ? "type " + type : dt.name();
  }

  private static void requireInline(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "' keeps its data in an external file, "
          + "which is not supported");
    }
  }
}
