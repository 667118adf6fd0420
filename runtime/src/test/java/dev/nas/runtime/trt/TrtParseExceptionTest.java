package dev.nas.runtime.trt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.runtime.trt.TrtParseException.ParserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrtParseExceptionTest {
  @Test
  void everyParserErrorIsListedWithNodeAndCode() {
    TrtParseException e = new TrtParseException(Path.of("m.onnx"), List.of(
        new ParserError("kUNSUPPORTED_NODE", "No importer registered for op: Foo", 3, "foo_1", "Foo"),
        new ParserError("kINVALID_GRAPH", " graph has no outputs\n", -1, null, null)));
    List<String> lines = e.getMessage().lines().toList();
    assertEquals("TensorRT cannot parse ONNX model m.onnx (2 errors):", lines.get(0));
    assertEquals("  node 3 'foo_1' (Foo): No importer registered for op: Foo [kUNSUPPORTED_NODE]", lines.get(1));
    assertEquals("  graph has no outputs [kINVALID_GRAPH]", lines.get(2));
    assertEquals(2, e.errors().size());
    assertTrue(e instanceof IllegalArgumentException, "a model TensorRT cannot parse is bad input");

    assertEquals("TensorRT cannot parse ONNX model m.onnx (the parser reported no details)",
        new TrtParseException(Path.of("m.onnx"), List.of()).getMessage());
    assertEquals("node 0: no description [kINTERNAL_ERROR]",
        new ParserError("kINTERNAL_ERROR", "", 0, "", "").describe());
  }
}
