package dev.nas.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.serve.model.Backend;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.TensorSpec;
import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure of the server's own is a 500 that points at the log; clients never see Java exception text. */
class InternalErrorTest {
  @TempDir
  Path dir;

  /** A backend with a bug: every run throws an unchecked exception. */
  private static final class BrokenBackend implements Backend {
    @Override
    public String platform() {
      return "test_broken";
    }

    @Override
    public List<TensorSpec> inputs() {
      return List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, 2}));
    }

    @Override
    public List<TensorSpec> outputs() {
      return List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 2}));
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
      throw new IllegalStateException("secret internals at 0x7f3a");
    }

    @Override
    public void close() {}
  }

  @Test
  void unexpectedFailureIsA500WithoutItsJavaText() throws Exception {
    Files.createDirectories(dir.resolve("broken/1"));
    Files.write(dir.resolve("broken/1/model.broken"), new byte[0]);
    Backends backends = Backends.defaults().with("broken", "test_broken", (file, settings) -> new BrokenBackend());
    try (ModelServer server = Servers.start(dir, Servers.settings(1, Duration.ZERO, 4, 1), Servers.loopback(),
        backends)) {
      Http.Reply r = new Http(server.url()).post("/v2/models/broken/infer", GateBackend.REQUEST);
      assertEquals(500, r.status(), r.toString());
      String error = r.json().get("error").asText();
      assertTrue(error.contains("the server's log has the details"), error);
      assertFalse(error.contains("IllegalStateException") || error.contains("secret"), error);
    }
  }
}
