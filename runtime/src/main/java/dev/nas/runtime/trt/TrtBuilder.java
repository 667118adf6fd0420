package dev.nas.runtime.trt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import dev.nas.core.io.AtomicFiles;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuInfo;
import dev.nas.runtime.trt.PlanInfo.Profile;
import dev.nas.runtime.trt.PlanInfo.TensorSpec;
import dev.nas.runtime.trt.TrtParseException.ParserError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * Builds a TensorRT engine ("plan") from an ONNX model: TensorRT's ONNX parser into an
 * explicit-batch network, a builder configuration with a workspace limit, FP32 or FP16, one
 * optimisation profile over the dynamic batch dimension, and optionally a timing cache file. The
 * plan is written atomically with its {@link PlanInfo} sidecar; nothing is written when parsing or
 * building fails.
 */
public final class TrtBuilder {
  private TrtBuilder() {}

  /**
   * Builds {@code onnx} into {@code plan} (and {@code plan.json}).
   *
   * @return the sidecar written
   * @throws NoSuchFileException if {@code onnx} does not exist
   * @throws dev.nas.runtime.gpu.GpuUnavailableException if there is no GPU or TensorRT here
   * @throws TrtParseException if TensorRT's ONNX parser rejects the model, listing its errors
   * @throws IllegalArgumentException if the model or the options do not fit (a dynamic dimension
   *     other than the batch, FP16 on a GPU without fast FP16)
   * @throws IllegalStateException if TensorRT fails to build, with its logged errors
   */
  public static PlanInfo build(Path onnx, Path plan, TrtBuildOptions options) throws IOException {
    return build(onnx, plan, options, onnx.toString());
  }

  /**
   * {@link #build(Path, Path, TrtBuildOptions)}, recording {@code source} as the model the plan
   * came from, e.g. the network folder a temporary ONNX file was exported from.
   */
  public static PlanInfo build(Path onnx, Path plan, TrtBuildOptions options, String source) throws IOException {
    if (!Files.isRegularFile(onnx)) {
      throw new NoSuchFileException(onnx.toString(), null, "ONNX model not found");
    }
    Gpu.Probe probe = Gpu.requireTensorRt();
    GpuInfo gpu = probe.gpu();
    if (options.fp16() && !gpu.hasFastFp16()) {
      throw new IllegalArgumentException("--fp16: " + gpu.name() + " (compute capability " + gpu.computeCapability()
          + ") has no fast FP16 arithmetic; build in FP32 (without --fp16)");
    }
    String onnxSha = Sha256.of(onnx);
    TrtLogger logger = TrtLogger.get();
    // One build at a time: the logger's errors belong to the build that caused them, and a build
    // uses the whole GPU for its timing measurements anyway.
    synchronized (logger) {
      return build(onnx, source, onnxSha, plan, options, probe, logger);
    }
  }

  private static PlanInfo build(Path onnx, String source, String onnxSha, Path plan, TrtBuildOptions options,
      Gpu.Probe probe, TrtLogger logger) throws IOException {
    IBuilder builder = null;
    INetworkDefinition network = null;
    IBuilderConfig config = null;
    BytePointer cacheBlob = null;
    ITimingCache cache = null;
    IHostMemory serialized = null;
    IHostMemory cacheOut = null;
    try {
      logger.clear();
      builder = Owned.adopt(createInferBuilder(logger), IBuilder::new);
      if (builder == null) {
        throw new IllegalStateException("TensorRT could not create a builder" + logger.drain());
      }
      // TensorRT 10 networks are always explicit-batch: kEXPLICIT_BATCH is deprecated and ignored.
      network = Owned.adopt(builder.createNetworkV2(0), INetworkDefinition::new);
      if (network == null) {
        throw new IllegalStateException("TensorRT could not create a network" + logger.drain());
      }
      // The presets cannot free the parser (see Owned); it is small and builds are rare.
      IParser parser = createParser(network, logger);
      if (parser == null || parser.isNull()) {
        throw new IllegalStateException("TensorRT could not create its ONNX parser" + logger.drain());
      }
      if (!parser.parseFromFile(onnx.toAbsolutePath().toString(), ILogger.Severity.kWARNING.value)) {
        logger.clear(); // the parser's own errors are the better description
        throw new TrtParseException(onnx, parserErrors(parser));
      }
      List<TensorSpec> inputs = tensors(network, true);
      List<TensorSpec> outputs = tensors(network, false);

      config = Owned.adopt(builder.createBuilderConfig(), IBuilderConfig::new);
      if (config == null) {
        throw new IllegalStateException("TensorRT could not create a builder configuration" + logger.drain());
      }
      config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, options.workspaceBytes());
      if (options.fp16()) {
        config.setFlag(BuilderFlag.kFP16);
      } else {
        // TensorRT would run FP32 convolutions and matrix products as TF32 on Ampere and later.
        config.clearFlag(BuilderFlag.kTF32);
      }
      addProfile(builder, config, onnx, inputs, options, logger);

      if (options.timingCache() != null) {
        byte[] blob = Files.isRegularFile(options.timingCache()) ? Files.readAllBytes(options.timingCache())
            : new byte[0];
        cacheBlob = blob.length == 0 ? null : new BytePointer(blob);
        // Size 0 makes an empty cache; a file's blob is checked by TensorRT against this GPU.
        cache = Owned.adopt(config.createTimingCache(cacheBlob, blob.length), ITimingCache::new);
        if (cache == null) {
          throw new IllegalArgumentException("timing cache " + options.timingCache() + " is not a TensorRT timing "
              + "cache" + logger.drain() + "; delete it or give another --timing-cache file");
        }
        if (!config.setTimingCache(cache, false)) {
          throw new IllegalArgumentException("TensorRT rejected timing cache " + options.timingCache()
              + " (made on another GPU or TensorRT version?)" + logger.drain()
              + "; delete it or give another --timing-cache file");
        }
      }

      long start = System.nanoTime();
      serialized = Owned.adopt(builder.buildSerializedNetwork(network, config), IHostMemory::new);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (serialized == null || serialized.size() == 0) {
        throw new IllegalStateException("TensorRT could not build an engine from " + onnx + logger.drain());
      }
      ByteBuffer bytes = bytes(serialized, "engine");
      PlanInfo info = new PlanInfo(PlanInfo.FORMAT, PlanInfo.VERSION, probe.tensorRtVersion(), probe.gpu().name(),
          probe.gpu().computeCapability(), options.precision(),
          new Profile(options.minBatch(), options.optBatch(), options.maxBatch()), inputs, outputs,
          options.workspaceBytes(), seconds, source, onnxSha, Sha256.of(bytes),
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      AtomicFiles.write(plan, out -> writeAll(out, bytes));
      info.write(plan);

      if (cache != null) {
        cacheOut = Owned.adopt(cache.serialize(), IHostMemory::new);
        if (cacheOut == null) {
          throw new IllegalStateException("TensorRT could not serialize the timing cache" + logger.drain());
        }
        ByteBuffer cacheBytes = bytes(cacheOut, "timing cache");
        AtomicFiles.write(options.timingCache(), out -> writeAll(out, cacheBytes));
      }
      return info;
    } finally {
      // Reverse order of creation; the timing cache had to outlive the build.
      Owned.free(cacheOut);
      Owned.free(serialized);
      Owned.free(cache);
      if (cacheBlob != null) {
        cacheBlob.close();
      }
      Owned.free(config);
      Owned.free(network);
      Owned.free(builder);
    }
  }

  private static List<ParserError> parserErrors(IParser parser) {
    List<ParserError> errors = new ArrayList<>();
    for (int i = 0; i < parser.getNbErrors(); i++) {
      IParserError e = parser.getError(i);
      if (e != null && !e.isNull()) {
        errors.add(new ParserError(String.valueOf(e.code()), e.desc(), e.node(), e.nodeName(), e.nodeOperator()));
      }
    }
    return errors;
  }

  private static List<TensorSpec> tensors(INetworkDefinition network, boolean inputs) {
    List<TensorSpec> out = new ArrayList<>();
    int n = inputs ? network.getNbInputs() : network.getNbOutputs();
    for (int i = 0; i < n; i++) {
      ITensor t = inputs ? network.getInput(i) : network.getOutput(i);
      try (Dims64 d = t.getDimensions()) {
        out.add(new TensorSpec(t.getName(), TrtEngine.shape(d)));
      }
    }
    return out;
  }

  /** One profile: every input's dynamic batch dimension from min to max, tuned for opt. */
  private static void addProfile(IBuilder builder, IBuilderConfig config, Path onnx, List<TensorSpec> inputs,
      TrtBuildOptions o, TrtLogger logger) {
    IOptimizationProfile profile = builder.createOptimizationProfile(); // owned by the builder
    boolean dynamic = false;
    for (TensorSpec in : inputs) {
      List<Long> s = in.shape();
      if (s.isEmpty()) {
        throw new IllegalArgumentException("input '" + in.name() + "' of " + onnx + " is a scalar; a batch "
            + "dimension is needed");
      }
      for (int j = 1; j < s.size(); j++) {
        if (s.get(j) < 0) {
          throw new IllegalArgumentException("input '" + in.name() + "' of " + onnx + " has shape " + s
              + ": only the batch dimension may be dynamic for a TensorRT engine");
        }
      }
      long fixed = s.get(0);
      if (fixed >= 0) {
        if (o.minBatch() != fixed || o.optBatch() != fixed || o.maxBatch() != fixed) {
          throw new IllegalArgumentException("input '" + in.name() + "' of " + onnx + " fixes the batch to " + fixed
              + "; export it with a dynamic batch, or build with --min-batch " + fixed + " --opt-batch " + fixed
              + " --max-batch " + fixed);
        }
        continue;
      }
      dynamic = true;
      setDimensions(profile, in, OptProfileSelector.kMIN, o.minBatch(), logger);
      setDimensions(profile, in, OptProfileSelector.kOPT, o.optBatch(), logger);
      setDimensions(profile, in, OptProfileSelector.kMAX, o.maxBatch(), logger);
    }
    if (dynamic && config.addOptimizationProfile(profile) < 0) {
      throw new IllegalStateException("TensorRT rejected the optimisation profile" + logger.drain());
    }
  }

  private static void setDimensions(IOptimizationProfile profile, TensorSpec in, OptProfileSelector which,
      int batch, TrtLogger logger) {
    long[] shape = in.shape().stream().mapToLong(Long::longValue).toArray();
    shape[0] = batch;
    try (Dims64 d = TrtEngine.dims(shape)) {
      if (!profile.setDimensions(in.name(), which, d)) {
        throw new IllegalStateException("TensorRT rejected " + which + " shape " + java.util.Arrays.toString(shape)
            + " for input '" + in.name() + "'" + logger.drain());
      }
    }
  }

  /** The bytes of TensorRT host memory, without copying; valid until it is freed. */
  private static ByteBuffer bytes(IHostMemory memory, String what) {
    long size = memory.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalStateException("the " + what + " has " + size + " bytes; nas writes at most 2 GiB");
    }
    Pointer data = memory.data();
    return new BytePointer(data).capacity(size).asByteBuffer();
  }

  private static void writeAll(OutputStream out, ByteBuffer bytes) throws IOException {
    WritableByteChannel channel = Channels.newChannel(out);
    ByteBuffer b = bytes.duplicate();
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }
}
