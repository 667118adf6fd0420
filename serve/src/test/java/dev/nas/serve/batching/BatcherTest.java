package dev.nas.serve.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.serve.protocol.DataType;
import dev.nas.serve.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dynamic batcher with a runner that records its batches: y = x + 1 for x of [rows, width]. */
class BatcherTest {
  private final List<String> batches = Collections.synchronizedList(new ArrayList<>());

  private static Tensor tensor(String name, float[] values, int rows) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return new Tensor(name, DataType.FP32, new long[] {rows, values.length / rows}, b.flip());
  }

  private static float[] floats(Tensor t) {
    ByteBuffer b = t.data();
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  /** x + 1; fails on a batch containing NaN, as a model can fail on particular values. */
  private Map<String, Tensor> plusOne(Map<String, Tensor> in, Set<String> outputs) {
    Tensor x = in.get("x");
    float[] v = floats(x);
    batches.add(x.dim(0) + "x" + x.dim(1));
    for (int i = 0; i < v.length; i++) {
      if (Float.isNaN(v[i])) {
        throw new IllegalArgumentException("NaN in the input");
      }
      v[i] += 1;
    }
    return Map.of("y", tensor("y", v, (int) x.dim(0)));
  }

  private static Job job(float[] values, int rows) {
    int width = values.length / rows;
    return new Job(Map.of("x", tensor("x", values, rows)), Set.of("y"), rows, "[" + width + "]");
  }

  @Test
  void gathersCompatibleJobsUpToTheMaxBatchAndSplitsOutputs() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Job> jobs = new ArrayList<>();
    List<Integer> executed = Collections.synchronizedList(new ArrayList<>());
    try (Batcher b = new Batcher("t", (in, out) -> {
      go.await();
      return plusOne(in, out);
    }, 4, Duration.ofMillis(500), 16, 1, executed::add)) {
      Job first = job(new float[] {0, 1}, 1);
      b.submit(first); // taken at once; the worker waits up to 500 ms for company
      for (float[] v : new float[][] {{10, 11, 12, 13}, {20, 21}, {30, 31, 32}, {40, 41}, {50, 51}}) {
        jobs.add(job(v, v.length == 3 ? 1 : v.length / 2));
      }
      Thread.sleep(100);
      for (Job j : jobs) {
        b.submit(j);
      }
      go.countDown();
      assertEquals(List.of(1.0f, 2.0f), asList(floats(first.future().get(10, TimeUnit.SECONDS).outputs().get("y"))));
      JobResult r0 = jobs.get(0).future().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(11f, 12f, 13f, 14f), asList(floats(r0.outputs().get("y"))));
      assertEquals("[2, 2]", java.util.Arrays.toString(r0.outputs().get("y").shape()));
      assertEquals(List.of(21f, 22f), asList(floats(jobs.get(1).future().get().outputs().get("y"))));
      assertEquals(List.of(31f, 32f, 33f), asList(floats(jobs.get(2).future().get().outputs().get("y"))));
      assertEquals(List.of(51f, 52f), asList(floats(jobs.get(4).future().get().outputs().get("y"))));
      // first (1 row) + 2 rows + 1 row of width 2 fill a batch of 4, which leaves before the delay;
      // the width-3 job never joins rows of width 2
      assertEquals(List.of("4x2", "1x3", "2x2"), batches);
      assertEquals(List.of(4, 1, 2), executed);
      assertEquals(4, jobs.get(0).future().get().batchSamples());
    }
  }

  @Test
  void aFailingRequestFailsAloneWhenItsBatchIsRetriedOneByOne() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (Batcher b = new Batcher("t", (in, out) -> {
      go.await();
      return plusOne(in, out);
    }, 8, Duration.ofMillis(300), 16, 1, samples -> { })) {
      Job blocker = job(new float[] {0}, 1);
      b.submit(blocker);
      Thread.sleep(100);
      Job good1 = job(new float[] {1}, 1);
      Job bad = job(new float[] {Float.NaN}, 1);
      Job good2 = job(new float[] {2}, 1);
      b.submit(good1);
      b.submit(bad);
      b.submit(good2);
      go.countDown();
      assertEquals(List.of(2f), asList(floats(good1.future().get(10, TimeUnit.SECONDS).outputs().get("y"))));
      assertEquals(List.of(3f), asList(floats(good2.future().get(10, TimeUnit.SECONDS).outputs().get("y"))));
      ExecutionException e = assertThrows(ExecutionException.class, () -> bad.future().get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("NaN"), e.toString());
      // all four were gathered and tried together, then one by one
      assertEquals(List.of("4x1", "1x1", "1x1", "1x1", "1x1"), batches);
    }
  }

  @Test
  void outputsWithoutTheBatchDimensionStopBatching() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (Batcher b = new Batcher("t", (in, out) -> {
      go.await();
      Tensor x = in.get("x");
      batches.add(x.dim(0) + "");
      float sum = 0;
      for (float v : floats(x)) {
        sum += v;
      }
      // a reduction over the batch: one row whatever the batch size
      return Map.of("y", tensor("y", new float[] {sum}, 1));
    }, 8, Duration.ofMillis(300), 16, 1, samples -> { })) {
      Job blocker = job(new float[] {0}, 1);
      b.submit(blocker);
      Thread.sleep(100);
      Job a = job(new float[] {1}, 1);
      Job c = job(new float[] {2}, 1);
      b.submit(a);
      b.submit(c);
      go.countDown();
      assertEquals(List.of(1f), asList(floats(a.future().get(10, TimeUnit.SECONDS).outputs().get("y"))));
      assertEquals(List.of(2f), asList(floats(c.future().get(10, TimeUnit.SECONDS).outputs().get("y"))));
      assertTrue(!b.batching(), "batching is off once outputs cannot be split");
    }
  }

  @Test
  void closeRunsQueuedJobsAndThenRejects() throws Exception {
    Batcher b = new Batcher("t", this::plusOne, 1, Duration.ZERO, 4, 2, samples -> { });
    Job j = job(new float[] {5}, 1);
    b.submit(j);
    b.close();
    assertTrue(j.future().isDone());
    assertEquals(List.of(6f), asList(floats(j.future().get().outputs().get("y"))));
    assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> b.submit(job(new float[] {1}, 1)));
  }

  private static List<Float> asList(float[] v) {
    List<Float> out = new ArrayList<>();
    for (float f : v) {
      out.add(f);
    }
    return out;
  }
}
