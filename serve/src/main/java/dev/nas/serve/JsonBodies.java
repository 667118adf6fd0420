package dev.nas.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.serve.model.ModelVersion;
import dev.nas.serve.model.ServedModel;
import dev.nas.serve.model.TensorSpec;
import java.util.List;

/** The JSON answers of the metadata and health endpoints. */
final class JsonBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonBodies() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode JSON in memory", e);
    }
  }

  /** An error body with extra fields. */
  static ObjectNode error(String message) {
    return object().put("error", message);
  }

  static ObjectNode serverMetadata(String name, String version, List<String> extensions) {
    ObjectNode n = object().put("name", name).put("version", version);
    ArrayNode ext = n.putArray("extensions");
    extensions.forEach(ext::add);
    return n;
  }

  /** Model metadata in the protocol's form; every version of the model is listed. */
  static ObjectNode modelMetadata(ServedModel model, ModelVersion v) {
    ObjectNode n = object().put("name", model.name());
    ArrayNode versions = n.putArray("versions");
    model.versions().keySet().forEach(k -> versions.add(Long.toString(k)));
    n.put("platform", v.platform());
    tensors(n.putArray("inputs"), v.inputs());
    tensors(n.putArray("outputs"), v.outputs());
    return n;
  }

  private static void tensors(ArrayNode into, List<TensorSpec> specs) {
    for (TensorSpec s : specs) {
      ObjectNode t = into.addObject().put("name", s.name()).put("datatype", s.datatype().name());
      ArrayNode shape = t.putArray("shape");
      for (long d : s.shape()) {
        shape.add(d);
      }
    }
  }
}
