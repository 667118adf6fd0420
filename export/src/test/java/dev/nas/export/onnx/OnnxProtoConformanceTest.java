package dev.nas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.export.onnx.proto.AttributeProto;
import dev.nas.export.onnx.proto.ModelProto;
import dev.nas.export.onnx.proto.NodeProto;
import dev.nas.export.onnx.proto.OnnxProto;
import dev.nas.export.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our onnx.proto against the official ONNX library: every field and enum value we declare must
 * have the number the official generated C++ classes (onnx 1.17, via the bytedeco preset) give it.
 */
class OnnxProtoConformanceTest {
  @Test
  void fieldNumbersMatchTheOfficialDefinition() throws Exception {
    OnnxChecker.assumeAvailable();
    List<String> checked = new ArrayList<>();
    for (Descriptor message : OnnxProto.getDescriptor().getMessageTypes()) {
      checkMessage(message, "", checked);
    }
    assertTrue(checked.size() > 90, "checked only " + checked);
  }

  @Test
  void enumValuesMatchTheOfficialDefinition() throws Exception {
    OnnxChecker.assumeAvailable();
    Class<?> global = Class.forName("org.bytedeco.onnx.global.onnx");
    int checked = 0;
    for (EnumDescriptor e : List.of(AttributeProto.AttributeType.getDescriptor(),
        TensorProto.DataType.getDescriptor(), TensorProto.DataLocation.getDescriptor())) {
      for (EnumValueDescriptor v : e.getValues()) {
        String constant = e.getContainingType().getName() + "_" + e.getName() + "_" + v.getName();
        try {
          assertEquals(global.getField(constant).getInt(null), v.getNumber(), constant);
          checked++;
        } catch (NoSuchFieldException newerThanTheChecker) {
          // FLOAT4E2M1 came with ONNX 1.18, after the library the preset wraps.
          assertEquals("TensorProto_DataType_FLOAT4E2M1", constant);
        }
      }
    }
    assertEquals(15 + 23 + 2, checked);
  }

  @Test
  void checkerRejectsAnInvalidModel() {
    // Shows the checker really runs: a node reading a value nothing produces must fail.
    GraphBuilder b = new GraphBuilder(FeatureShape.of(2, 3, 3));
    Graph g = b.build(b.add("relu", new Layer.Relu(), b.input()));
    ModelProto valid = OnnxExporter.export(g, Map.of(), Map.of());
    OnnxChecker.check(valid);
    NodeProto broken = valid.getGraph().getNode(0).toBuilder().setInput(0, "nowhere").build();
    ModelProto invalid = valid.toBuilder().setGraph(valid.getGraph().toBuilder().setNode(0, broken)).build();
    RuntimeException e = assertThrows(RuntimeException.class, () -> OnnxChecker.check(invalid));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  private static void checkMessage(Descriptor message, String outer, List<String> checked) throws Exception {
    String cppName = outer.isEmpty() ? message.getName() : outer + "_" + message.getName();
    // The preset names the C++ class onnx::TensorShapeProto_Dimension plain "Dimension".
    String javaName = cppName.equals("TensorShapeProto_Dimension") ? "Dimension" : cppName;
    Class<?> official = Class.forName("org.bytedeco.onnx." + javaName);
    for (FieldDescriptor f : message.getFields()) {
      String constant = "k" + camel(f.getName()) + "FieldNumber";
      int number;
      try {
        number = official.getField(constant).getInt(null);
      } catch (NoSuchFieldException e) {
        throw new AssertionError(cppName + "." + f.getName() + " is not a field of the official " + cppName);
      }
      assertEquals(number, f.getNumber(), cppName + "." + f.getName());
      checked.add(cppName + "." + f.getName());
    }
    for (Descriptor nested : message.getNestedTypes()) {
      checkMessage(nested, cppName, checked);
    }
  }

  private static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    for (String part : snake.split("_")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }
}
