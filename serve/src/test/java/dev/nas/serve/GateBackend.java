package dev.nas.serve;

import dev.nas.serve.model.Backend;
import dev.nas.serve.model.Backends;
import dev.nas.serve.model.TensorSpec;
import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test backend whose runs wait for the test to let them through, so that queue, timeout and
 * shutdown behaviour can be driven step by step. It computes {@code y = 2 * x} for x of [N, 2].
 */
final class GateBackend implements Backend {
  final Semaphore permits = new Semaphore(0);
  /** The batch size of every run, as it starts. */
  final BlockingQueue<Long> started = new LinkedBlockingQueue<>();
  final AtomicBoolean closed = new AtomicBoolean();
  volatile boolean runningWhenClosed;
  private volatile int running;

  static final String REQUEST = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], "
      + "\"data\": [1.5, -2]}]}";

  /** Backends with this gate for files named {@code model.gate}. */
  Backends backends() {
    return Backends.defaults().with("gate", "test_gate", (file, settings) -> this);
  }

  static void place(Path repo, String model) throws java.io.IOException {
    Files.createDirectories(repo.resolve(model).resolve("1"));
    Files.write(repo.resolve(model).resolve("1/model.gate"), new byte[0]);
  }

  @Override
  public String platform() {
    return "test_gate";
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
  public Map<String, Tensor> run(Map<String, Tensor> in, Set<String> outputs) {
    Tensor x = in.get("x");
    running++;
    started.add(x.dim(0));
    try {
      if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let this run through");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running--;
    }
    ByteBuffer src = x.data();
    ByteBuffer y = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    while (src.hasRemaining()) {
      y.putFloat(2 * src.getFloat());
    }
    return Map.of("y", new Tensor("y", DataType.FP32, x.shape(), y.flip()));
  }

  @Override
  public void close() {
    runningWhenClosed = running > 0;
    closed.set(true);
  }
}
