package dev.nas.serve.batching;

import dev.nas.serve.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side dynamic batching for one model version: a bounded queue of {@link Job}s and a few
 * worker threads that run them.
 *
 * <p>One worker at a time gathers a batch: it takes the oldest job, then every queued job with the
 * same {@link Job#key} that still fits in the maximum batch size, waiting for more until the
 * oldest job has been queued for the maximum queue delay or the batch is full (Triton's dynamic
 * batcher policy). It then runs the batch while the next idle worker gathers the following one.
 * Inputs are concatenated along dimension 0 into buffers the worker reuses, and the outputs split
 * back per job. A failed batch of several jobs is retried job by job, so a request whose values
 * make the model fail cannot fail the requests batched with it. A model whose outputs turn out not
 * to follow the inputs' first dimension is run one job at a time from then on.
 */
public final class Batcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
  /** Input buffers up to this size are kept by a worker for its next batch; larger ones are not. */
  private static final int KEEP_BUFFER_BYTES = 16 << 20;

  /** Runs one batch; called from several workers at once. */
  @FunctionalInterface
  public interface Runner {
    /**
     * @param inputs every input, batch first; only read during the call
     * @param outputs the outputs to compute
     * @return the outputs by name
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws Exception;
  }

  /** Told about every execution, for metrics. */
  @FunctionalInterface
  public interface Listener {
    void executed(int samples);
  }

  private final String label;
  private final Runner runner;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final int capacity;
  private final Listener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ReentrantLock gathering = new ReentrantLock();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean closed;
  private volatile boolean splittable = true;

  /**
   * Starts the workers.
   *
   * @param label names the model version in thread names, logs and errors
   * @param maxBatchSize most samples (rows of dimension 0) run together; 1 runs every job alone
   * @param maxQueueDelay how long the oldest queued job may wait for others to join its batch
   * @param capacity most jobs queued at once; more are refused with {@link QueueFullException}
   * @param workers worker threads, each running one batch at a time
   */
  public Batcher(String label, Runner runner, int maxBatchSize, Duration maxQueueDelay, int capacity, int workers,
      Listener listener) {
    if (maxBatchSize < 1 || capacity < 1 || workers < 1 || maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("invalid batching settings for " + label + ": max batch " + maxBatchSize
          + ", queue " + capacity + ", workers " + workers + ", delay " + maxQueueDelay);
    }
    this.label = label;
    this.runner = runner;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayNanos = maxQueueDelay.toNanos();
    this.capacity = capacity;
    this.listener = listener;
    try {
      for (int i = 0; i < workers; i++) {
        Thread t = new Thread(this::work, "nas-infer-" + label + "-" + i);
        // Daemon so that a server that was never closed cannot keep the JVM alive; close() joins them.
        t.setDaemon(true);
        t.start();
        this.workers.add(t);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      close(); // stops the workers that did start
      throw e;
    }
  }

  /**
   * Queues {@code job}; its future completes when it has run.
   *
   * @throws QueueFullException if the queue is full
   * @throws RejectedExecutionException if the batcher is closing
   */
  public void submit(Job job) throws QueueFullException {
    lock.lock();
    try {
      if (closed) {
        throw new RejectedExecutionException(label + " is shutting down");
      }
      if (queue.size() >= capacity) {
        throw new QueueFullException("the queue of " + label + " is full (" + capacity + " requests waiting)");
      }
      job.enqueued(System.nanoTime());
      queue.addLast(job);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code job} if no worker has taken it yet; returns whether it was removed. */
  public boolean cancel(Job job) {
    lock.lock();
    try {
      return queue.remove(job);
    } finally {
      lock.unlock();
    }
  }

  /** Jobs waiting for a worker. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether several jobs may run together. */
  public boolean batching() {
    return maxBatchSize > 1 && splittable;
  }

  private void work() {
    Map<String, ByteBuffer> scratch = new HashMap<>();
    while (true) {
      List<Job> batch;
      gathering.lock();
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        // Only close() could interrupt, and it does not; leave quietly if someone else does.
        Thread.currentThread().interrupt();
        return;
      } finally {
        gathering.unlock();
      }
      if (batch == null) {
        return;
      }
      try {
        execute(batch, scratch);
      } catch (RuntimeException | Error e) {
        // Keep the worker alive whatever happened; the jobs are answered with the failure.
        LOG.error("{}: unexpected failure running a batch", label, e);
        batch.forEach(j -> j.future().completeExceptionally(e));
      }
    }
  }

  /** The next batch, or null once closed with nothing left to run. */
  private List<Job> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      Job first;
      while ((first = pollLive()) == null) {
        if (closed) {
          return null;
        }
        notEmpty.await();
      }
      List<Job> batch = new ArrayList<>();
      batch.add(first);
      if (!batching() || first.rows() == 0 || first.rows() >= maxBatchSize) {
        return batch;
      }
      int rows = first.rows();
      long deadline = first.enqueuedNanos() + maxDelayNanos;
      while (true) {
        rows = takeCompatible(first, batch, rows);
        long wait = deadline - System.nanoTime();
        if (rows >= maxBatchSize || closed || wait <= 0) {
          return batch;
        }
        notEmpty.awaitNanos(wait);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The oldest job whose future is still open; jobs that timed out meanwhile are dropped. */
  private Job pollLive() {
    Job j;
    while ((j = queue.pollFirst()) != null) {
      if (!j.future().isDone()) {
        return j;
      }
    }
    return null;
  }

  private int takeCompatible(Job first, List<Job> batch, int rows) {
    for (Iterator<Job> it = queue.iterator(); it.hasNext() && rows < maxBatchSize; ) {
      Job j = it.next();
      if (j.future().isDone()) {
        it.remove();
      } else if (j.rows() > 0 && j.key().equals(first.key()) && rows + j.rows() <= maxBatchSize) {
        it.remove();
        batch.add(j);
        rows += j.rows();
      }
    }
    return rows;
  }

  private void execute(List<Job> batch, Map<String, ByteBuffer> scratch) {
    long start = System.nanoTime();
    for (Job j : batch) {
      j.start(start);
    }
    if (batch.size() == 1 || !runTogether(batch, scratch)) {
      for (Job j : batch) {
        runAlone(j, scratch);
      }
    }
  }

  /** Runs the jobs as one batch; false when they must be run one by one instead. */
  private boolean runTogether(List<Job> batch, Map<String, ByteBuffer> scratch) {
    long t0 = System.nanoTime();
    int total = 0;
    Set<String> outputs = new LinkedHashSet<>();
    for (Job j : batch) {
      total += j.rows();
      outputs.addAll(j.outputs());
    }
    Map<String, Tensor> inputs = gather(batch, total, scratch);
    long t1 = System.nanoTime();
    Map<String, Tensor> out;
    try {
      out = runner.run(inputs, outputs);
    } catch (Exception e) {
      LOG.debug("{}: a batch of {} requests failed ({}); running them one by one", label, batch.size(),
          e.getMessage());
      return false;
    }
    long t2 = System.nanoTime();
    for (Tensor t : out.values()) {
      if (t.rank() == 0 || t.dim(0) != total) {
        splittable = false;
        LOG.warn("{}: output '{}' has shape {} for a batch of {} samples, so outputs cannot be split per request; "
            + "running requests one at a time from now on", label, t.name(), java.util.Arrays.toString(t.shape()),
            total);
        return false;
      }
    }
    listener.executed(total);
    int row = 0;
    for (Job j : batch) {
      long s = System.nanoTime();
      Map<String, Tensor> mine = new LinkedHashMap<>();
      for (String name : j.outputs()) {
        mine.put(name, rows(out.get(name), row, j.rows()));
      }
      row += j.rows();
      long e = System.nanoTime();
      j.future().complete(new JobResult(mine, j.startedNanos() - j.enqueuedNanos(), t1 - t0, t2 - t1, e - s, total));
    }
    return true;
  }

  private void runAlone(Job j, Map<String, ByteBuffer> scratch) {
    if (j.future().isDone()) {
      return;
    }
    long t0 = System.nanoTime();
    Map<String, Tensor> inputs = gather(List.of(j), j.rows(), scratch);
    long t1 = System.nanoTime();
    Map<String, Tensor> out;
    try {
      out = runner.run(inputs, j.outputs());
    } catch (Exception e) {
      j.future().completeExceptionally(e);
      return;
    }
    long t2 = System.nanoTime();
    listener.executed(j.samples());
    Map<String, Tensor> mine = new LinkedHashMap<>();
    for (String name : j.outputs()) {
      mine.put(name, out.get(name));
    }
    long t3 = System.nanoTime();
    j.future().complete(new JobResult(mine, j.startedNanos() - j.enqueuedNanos(), t1 - t0, t2 - t1, t3 - t2,
        j.samples()));
  }

  /** Concatenates the jobs' inputs along dimension 0 into the worker's reusable direct buffers. */
  private static Map<String, Tensor> gather(List<Job> jobs, int totalRows, Map<String, ByteBuffer> scratch) {
    Map<String, Tensor> merged = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : jobs.get(0).inputs().entrySet()) {
      String name = e.getKey();
      int bytes = 0;
      for (Job j : jobs) {
        bytes = Math.addExact(bytes, j.inputs().get(name).byteSize());
      }
      ByteBuffer buf = buffer(scratch, name, bytes);
      for (Job j : jobs) {
        buf.put(j.inputs().get(name).data());
      }
      buf.flip();
      long[] shape = e.getValue().shape();
      if (jobs.size() > 1) {
        shape[0] = totalRows;
      }
      merged.put(name, new Tensor(name, e.getValue().datatype(), shape, buf));
    }
    return merged;
  }

  private static ByteBuffer buffer(Map<String, ByteBuffer> scratch, String name, int bytes) {
    ByteBuffer b = scratch.get(name);
    if (b == null || b.capacity() < bytes) {
      // Direct and in native order, so ONNX Runtime reads it in place instead of copying it again.
      b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
      if (bytes <= KEEP_BUFFER_BYTES) {
        scratch.put(name, b);
      }
    }
    b.clear();
    return b;
  }

  /** Rows {@code [from, from + count)} of {@code t} along dimension 0, without copying. */
  static Tensor rows(Tensor t, int from, int count) {
    long[] shape = t.shape();
    long rowBytes = t.byteSize() / shape[0];
    ByteBuffer d = t.data();
    d.position((int) (from * rowBytes)).limit((int) ((from + count) * rowBytes));
    shape[0] = count;
    return new Tensor(t.name(), t.datatype(), shape, d);
  }

  /**
   * Stops taking jobs, runs those already queued, and waits for the workers to finish. Jobs that
   * arrive meanwhile are rejected. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : workers) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The schedule in words, e.g. {@code batches of up to 8 samples, waiting up to 500 us; 2 workers, queue 128}. */
  public String describe() {
    return (maxBatchSize > 1 ? "batches of up to " + maxBatchSize + " samples, waiting up to " + maxDelayNanos / 1000
        + " us" : "no batching") + "; " + workers.size() + " worker(s), queue " + capacity;
  }

  @Override
  public String toString() {
    return "Batcher[" + label + ", max batch " + maxBatchSize + ", delay " + maxDelayNanos / 1000 + " us, queue "
        + capacity + ", " + workers.size() + " workers]";
  }
}
