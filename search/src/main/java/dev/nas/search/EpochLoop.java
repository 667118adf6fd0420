package dev.nas.search;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.core.run.Progress;
import dev.nas.data.Augmentation;
import dev.nas.data.EpochOrder;
import dev.nas.djl.Batch;
import dev.nas.djl.Batches;
import dev.nas.djl.NonFiniteLossException;
import dev.nas.djl.optim.LrSchedule;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The one epoch loop of every search algorithm: per epoch the learning rate of the algorithm's
 * schedule, the epoch's orders of both splits and its augmentation stream ({@link RandomStreams}),
 * and for video folders the epoch's clips ({@link SearchData#epoch}) for the steps' batches;
 * per step a memory scope that frees the step's tensors, lazily assembled batches, the progress bar,
 * and one message when a loss stops being finite. What a step and an epoch's end do is the
 * algorithm's ({@link Body}).
 */
public final class EpochLoop {
  private final SearchConfig config;
  private final SearchData data;
  private final LrSchedule schedule;
  private final NDManager root;
  private Batches trainBatches;
  private Batches valBatches;
  private final Augmentation aug;

  /** What an algorithm does inside the loop. */
  public interface Body {
    /** One search iteration; its batches come from {@code step}, in the order the body asks for them. */
    void step(Step step);

    /** The progress bar's status after a step of {@code epoch}. */
    String progress(Epoch epoch);

    /** After an epoch's steps: evaluation, records, publication. */
    void endEpoch(Epoch epoch) throws IOException;

    /** The message of a search stopped by a non-finite loss at {@code step} of {@code epoch}. */
    String stopped(NonFiniteLossException e, Epoch epoch, int step);
  }

  /**
   * An epoch of the loop.
   *
   * @param index 0-based epoch
   * @param lr the weight learning rate of the epoch
   * @param warmup whether the epoch is one of the α-frozen warm-up epochs
   * @param startNanos when it started ({@link System#nanoTime()})
   * @param loopSeconds seconds of its steps (set once they are done; 0 before)
   */
  public record Epoch(int index, double lr, boolean warmup, long startNanos, double loopSeconds) {}

  /** One step: its position and the batches it may use, each assembled when first asked for. */
  public final class Step {
    private final Epoch epoch;
    private final int index;
    private final NDManager scope;
    private final int[] trainOrder;
    private final int[] valOrder;
    private final SplittableRandom rng;

    private Step(Epoch epoch, int index, NDManager scope, int[] trainOrder, int[] valOrder, SplittableRandom rng) {
      this.epoch = epoch;
      this.index = index;
      this.scope = scope;
      this.trainOrder = trainOrder;
      this.valOrder = valOrder;
      this.rng = rng;
    }

    public Epoch epoch() {
      return epoch;
    }

    /** 0-based step within the epoch. */
    public int index() {
      return index;
    }

    /** Steps of all epochs before this one plus this one's index: the 0-based global iteration. */
    public long global() {
      return (long) epoch.index() * stepsPerEpoch() + index;
    }

    /** The memory scope of this step: every tensor it makes is freed when the step ends. */
    public NDManager scope() {
      return scope;
    }

    /** The step's training batch: the next {@code batch} samples of the epoch's training order. */
    public Batch train() {
      int b = config.schedule().batch();
      return trainBatches.get(scope, trainOrder, index * b, b, aug, rng);
    }

    /** The step's validation batch (α's), aligned with the training batch and wrapped around the smaller split. */
    public Batch validation() {
      int b = config.schedule().batch();
      int from = (index * b) % (data.validation().size() - b + 1);
      return valBatches.get(scope, valOrder, from, b, aug, rng);
    }

    /** A validation batch from another order (CDARTS' evaluation-network steps), from the epoch's stream. */
    public Batch validation(NDManager manager, int[] order, int from) {
      return valBatches.get(manager, order, from, config.schedule().batch(), aug, rng);
    }

    /** The epoch's augmentation stream, for batches a body assembles itself. */
    public SplittableRandom rng() {
      return rng;
    }
  }

  public EpochLoop(SearchConfig config, SearchData data, LrSchedule schedule, NDManager root) {
    this.config = config;
    this.data = data;
    this.schedule = schedule;
    this.root = root;
    int batch = config.schedule().batch();
    this.trainBatches = new Batches(data.train(), batch, DataType.FLOAT32);
    this.valBatches = new Batches(data.validation(), batch, DataType.FLOAT32);
    this.aug = config.data().augment() ? Augmentation.training(config.data().dataset(), data.full(), 0)
        : Augmentation.NONE;
  }

  public int stepsPerEpoch() {
    return data.stepsPerEpoch(config.schedule().batch());
  }

  /** The validation batches (for bodies that draw more of them than one per step). */
  public Batches validationBatches() {
    return valBatches;
  }

  /** The training augmentation. */
  public Augmentation augmentation() {
    return aug;
  }

  /** Takes the step batches of epoch {@code e} from its clips (a video folder's change every epoch). */
  private void useEpochData(int e) {
    if (!data.pair().variesByEpoch()) {
      return;
    }
    SearchData d = data.epoch(e);
    int batch = config.schedule().batch();
    trainBatches = new Batches(d.train(), batch, DataType.FLOAT32);
    valBatches = new Batches(d.validation(), batch, DataType.FLOAT32);
  }

  /** Runs epochs {@code [from, to)} of {@code body}, with a progress bar called {@code label}. */
  public void run(String label, int from, int to, Body body) throws IOException {
    RandomStreams random = config.random();
    EpochOrder trainOrders = random.trainOrder(data.train().size());
    EpochOrder valOrders = random.validationOrder(data.validation().size());
    int steps = stepsPerEpoch();
    Progress progress = Progress.console(label, (long) (to - from) * steps);
    for (int e = from; e < to; e++) {
      Epoch epoch = new Epoch(e, schedule.lr(e), e < config.schedule().warmupEpochs(), System.nanoTime(), 0);
      int[] trainOrder = trainOrders.order(e);
      int[] valOrder = valOrders.order(e);
      SplittableRandom rng = random.augmentation(e);
      useEpochData(e);
      for (int s = 0; s < steps; s++) {
        try (NDManager scope = root.newSubManager()) {
          body.step(new Step(epoch, s, scope, trainOrder, valOrder, rng));
        } catch (NonFiniteLossException ex) {
          throw new SearchRun.SearchFailed(body.stopped(ex, epoch, s));
        }
        progress.update(1, body.progress(epoch));
      }
      double loopSeconds = (System.nanoTime() - epoch.startNanos()) / 1e9;
      body.endEpoch(new Epoch(e, epoch.lr(), epoch.warmup(), epoch.startNanos(), loopSeconds));
    }
  }
}
