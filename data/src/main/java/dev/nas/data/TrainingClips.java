package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The training clips of a video folder, cut afresh every epoch: each video gives one clip per
 * epoch whose window, scale ({@link ScaleJitter}), crop and flip are drawn from a stream that
 * depends only on (seed, epoch, video), so a run, and a run resumed at any epoch, sees the same
 * clips. Epoch 0 draws the streams the loader has always drawn its one clip from.
 *
 * <p>Decoded videos (at the largest short side a clip can have) are kept in a cache of at most
 * {@code cacheBytes}; videos that did not fit are decoded again each epoch, which is slower but
 * keeps memory bounded.
 */
public final class TrainingClips {
  /** What the loader hands on: the clips and epoch 0's data set, cut while the videos were decoded. */
  record Loaded(TrainingClips clips, ImageDataset first) {}

  private final FeatureShape shape;
  private final ClipSampler sampler;
  private final ScaleJitter jitter;
  private final int side;
  private final long seed;
  private final List<Path> files;
  private final int[] streams;
  private final int[] labels;
  private final DecodedVideo[] cached;
  private final List<String> classes;

  /**
   * @param side short side videos are decoded at
   * @param seed the loader's training seed, from which every (epoch, video) stream is derived
   * @param streams per video, the index whose stream it draws from (its place in the folder listing)
   * @param cached per video, its decoded frames, or null to decode it again each epoch
   */
  TrainingClips(FeatureShape shape, ClipSampler sampler, ScaleJitter jitter, int side, long seed, List<Path> files,
      int[] streams, int[] labels, DecodedVideo[] cached, List<String> classes) {
    this.shape = shape;
    this.sampler = sampler;
    this.jitter = jitter;
    this.side = side;
    this.seed = seed;
    this.files = List.copyOf(files);
    this.streams = streams.clone();
    this.labels = labels.clone();
    this.cached = cached.clone();
    this.classes = List.copyOf(classes);
  }

  /** The draws of {@code video}'s clip in {@code epoch}. */
  static SplittableRandom stream(long seed, int epoch, int video) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
    }
    return Seeds.random(epoch == 0 ? seed : Seeds.mix(seed, epoch), video);
  }

  /** One clip of video {@code i} for {@code epoch}, from the decoded frames {@code video}. */
  byte[] clip(DecodedVideo video, int epoch, int i) {
    return sampler.trainClip(video, jitter, stream(seed, epoch, streams[i]));
  }

  /** Videos held decoded in memory; the others are decoded again every epoch. */
  public int cachedVideos() {
    int n = 0;
    for (DecodedVideo v : cached) {
      n += v == null ? 0 : 1;
    }
    return n;
  }

  /** Number of videos, one clip each per epoch. */
  public int size() {
    return files.size();
  }

  /**
   * Epoch {@code epoch}'s clips: one per video, in the order and with the labels of
   * {@link DatasetPair#train()} (which is epoch 0's).
   *
   * @throws DatasetException if a video that is not cached can no longer be decoded
   */
  public ImageDataset epoch(int epoch) {
    byte[][] clips = new byte[files.size()][];
    IntStream.range(0, files.size()).parallel().forEach(i -> {
      DecodedVideo video = cached[i];
      if (video == null) {
        VideoFolderLoader.Decoded d = VideoFolderLoader.decode(files.get(i), shape.channels(), side);
        if (d.video() == null) {
          throw new DatasetException(files.get(i), "could be read at load time but not in epoch " + epoch + ": "
              + d.problem());
        }
        video = d.video();
      }
      clips[i] = clip(video, epoch, i);
    });
    return assemble(shape, clips, labels, classes);
  }

  /** One data set of {@code clips[i]} labelled {@code labels[i]}. */
  static ImageDataset assemble(FeatureShape shape, byte[][] clips, int[] labels, List<String> classes) {
    int size = (int) shape.numel();
    ImageDataset.checkFits(clips.length, shape);
    byte[] pixels = new byte[clips.length * size];
    for (int i = 0; i < clips.length; i++) {
      System.arraycopy(clips[i], 0, pixels, i * size, size);
    }
    return ImageDataset.of(shape, pixels, labels.clone(), classes);
  }
}
