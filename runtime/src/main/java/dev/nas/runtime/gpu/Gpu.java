package dev.nas.runtime.gpu;

import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaErrorInsufficientDriver;
import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Whether this process can use a GPU, and if not, why: every GPU path asks here first and fails
 * with {@link Probe#reason()} instead of a native crash or a stack trace.
 *
 * <p>The default build carries only the Java side of the JavaCPP presets of CUDA and TensorRT; the
 * {@code cuda} Maven profile adds their JNI libraries, and the machine must provide NVIDIA's
 * libraries (driver, CUDA 12 runtime, cuDNN 9, TensorRT 10). The probe loads the natives, reads
 * the driver and runtime versions and describes CUDA device 0. Results are computed once per
 * process: loading native libraries cannot be undone.
 */
public final class Gpu {
  /** What the default build lacks. */
  static final String REBUILD = "rebuild with 'mvn -Pcuda package'";
  /** The one platform the {@code cuda} profile adds natives for. */
  static final String CUDA_PLATFORM = "linux-x86_64";

  private static final Pattern MISSING_LIBRARY =
      Pattern.compile("(lib[A-Za-z0-9_+\\-]+\\.so(?:\\.[0-9]+)*): cannot open shared object file");

  private static Probe cuda;
  private static Probe tensorRt;

  private Gpu() {}

  /**
   * The outcome of a probe: a device (and, for {@link #probeTensorRt()}, the TensorRT version),
   * or the reason there is none.
   *
   * @param gpu device 0, or {@code null} when unavailable
   * @param tensorRtVersion the loaded TensorRT library's version, e.g. {@code 10.6.0}; {@code null}
   *     when not probed or unavailable
   * @param reason why the GPU path cannot run, naming what is missing; {@code null} when it can
   */
  public record Probe(GpuInfo gpu, String tensorRtVersion, String reason) {
    static Probe failed(String reason) {
      return new Probe(null, null, reason);
    }

    public boolean ok() {
      return reason == null;
    }

    /**
     * @return this probe, when it found a device
     * @throws GpuUnavailableException with the reason otherwise
     */
    public Probe orThrow() {
      if (!ok()) {
        throw new GpuUnavailableException(reason);
      }
      return this;
    }
  }

  /** CUDA runtime and device 0. */
  public static synchronized Probe probe() {
    if (cuda == null) {
      cuda = probeCuda();
    }
    return cuda;
  }

  /** {@link #probe()} plus the TensorRT and ONNX-parser libraries. */
  public static synchronized Probe probeTensorRt() {
    if (tensorRt == null) {
      Probe c = probe();
      tensorRt = c.ok() ? probeTensorRt(c.gpu()) : c;
    }
    return tensorRt;
  }

  /** {@link #probe()}, or a {@link GpuUnavailableException} with its reason. */
  public static Probe requireCuda() {
    return probe().orThrow();
  }

  /** {@link #probeTensorRt()}, or a {@link GpuUnavailableException} with its reason. */
  public static Probe requireTensorRt() {
    return probeTensorRt().orThrow();
  }

  /** Whether this build has the CUDA presets' JNI library for this platform (the {@code cuda} profile). */
  public static boolean cudaNativesInBuild() {
    return nativeInBuild("cuda", "jnicudart");
  }

  /** Whether this build has the TensorRT presets' JNI library for this platform. */
  public static boolean tensorRtNativesInBuild() {
    return nativeInBuild("tensorrt", "jninvinfer");
  }

  private static Probe probeCuda() {
    try {
      Loader.load(cudart.class);
    } catch (LinkageError | RuntimeException e) {
      return Probe.failed(cudaNativesInBuild() ? loadFailure("the CUDA runtime", e) : notInBuild("CUDA", "cuda"));
    }
    int[] value = {0};
    int status = cudaDriverGetVersion(value);
    int driver = value[0];
    if (status != 0 || driver == 0) {
      return Probe.failed("no NVIDIA driver found (cudaDriverGetVersion reports none): install the NVIDIA driver");
    }
    Cuda.check(cudaRuntimeGetVersion(value), "cudaRuntimeGetVersion");
    int runtime = value[0];
    status = cudaGetDeviceCount(value);
    String reason = deviceReason(status, status == 0 ? "" : Cuda.errorText(status), value[0], cudaVersion(driver),
        cudaVersion(runtime), System.getenv("CUDA_VISIBLE_DEVICES"));
    if (reason != null) {
      return Probe.failed(reason);
    }
    int count = value[0];
    try (cudaDeviceProp p = new cudaDeviceProp()) {
      status = cudaGetDeviceProperties(p, 0);
      if (status != 0) {
        return Probe.failed("cannot read the properties of CUDA device 0: " + Cuda.errorText(status));
      }
      return new Probe(new GpuInfo(p.name().getString(), p.major(), p.minor(), p.totalGlobalMem(), count,
          cudaVersion(driver), cudaVersion(runtime)), null, null);
    }
  }

  private static Probe probeTensorRt(GpuInfo gpu) {
    try {
      Loader.load(nvinfer.class);
      Loader.load(nvonnxparser.class);
    } catch (LinkageError | RuntimeException e) {
      return Probe.failed(tensorRtNativesInBuild() ? loadFailure("TensorRT", e) : notInBuild("TensorRT", "tensorrt"));
    }
    return new Probe(gpu, tensorRtVersion(nvinfer.getInferLibVersion()), null);
  }

  /** Why the device count does not allow running, or {@code null} when it does. */
  static String deviceReason(int status, String error, int count, String driver, String runtime, String visible) {
    if (status == cudaErrorInsufficientDriver) {
      return "the NVIDIA driver supports CUDA " + driver + " but the CUDA runtime is " + runtime
          + ": update the driver";
    }
    if (status == cudaErrorNoDevice || (status == 0 && count == 0)) {
      return "no CUDA device found" + (visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + ")" : "");
    }
    if (status != 0) {
      return "cannot count CUDA devices: " + error;
    }
    return null;
  }

  /** The native half of the presets is missing from the class path. */
  static String notInBuild(String what, String artifact) {
    String platform = Loader.getPlatform();
    if (!platform.equals(CUDA_PLATFORM)) {
      return what + " is only available on " + CUDA_PLATFORM + " (this is " + platform + ")";
    }
    return "the " + what + " native libraries are not in this build: " + REBUILD + " (adds org.bytedeco:" + artifact
        + ":" + presetVersion(artifact) + ":" + platform + ")";
  }

  /** Why loading {@code what}'s natives failed, naming the missing NVIDIA library when the error does. */
  static String loadFailure(String what, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String library = missingLibrary(t.getMessage());
      if (library != null) {
        return "cannot load " + what + ": " + library + " is not installed or not on the library path; "
            + installHint(library);
      }
    }
    return "cannot load " + what + " (" + e + "); the machine needs an NVIDIA driver, the CUDA 12 runtime, cuDNN 9"
        + " and TensorRT 10 libraries on the library path";
  }

  /** The shared library a dynamic-linker message says is missing, e.g. {@code libcudart.so.12}; or {@code null}. */
  static String missingLibrary(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = MISSING_LIBRARY.matcher(message);
    return m.find() ? m.group(1) : null;
  }

  /** What to install for a missing NVIDIA library. */
  static String installHint(String library) {
    String l = library.toLowerCase(Locale.ROOT);
    if (l.startsWith("libcuda.")) {
      return "install the NVIDIA driver";
    }
    if (l.startsWith("libcudnn")) {
      return "install cuDNN 9 and add its folder to LD_LIBRARY_PATH";
    }
    if (l.startsWith("libnvinfer") || l.startsWith("libnvonnxparser")) {
      return "install TensorRT 10 (10.6 or a newer 10.x) and add its lib folder to LD_LIBRARY_PATH";
    }
    if (l.startsWith("libcu") || l.startsWith("libnvrtc") || l.startsWith("libnvjitlink")) {
      return "install the CUDA 12 runtime libraries (12.6 or a newer 12.x) and add their folder to LD_LIBRARY_PATH";
    }
    return "install it or add its folder to LD_LIBRARY_PATH";
  }

  /** CUDA's version integer as {@code major.minor}: 12060 is {@code 12.6}. */
  static String cudaVersion(int version) {
    return version / 1000 + "." + version % 1000 / 10;
  }

  /** TensorRT's version integer ({@code (major * 100 + minor) * 100 + patch}) as {@code major.minor.patch}. */
  static String tensorRtVersion(int version) {
    return version / 10000 + "." + version / 100 % 100 + "." + version % 100;
  }

  private static boolean nativeInBuild(String module, String library) {
    String resource = "/org/bytedeco/" + module + "/" + Loader.getPlatform() + "/" + System.mapLibraryName(library);
    return Loader.class.getResource(resource) != null;
  }

  /** The version of a presets artifact on the class path, from its Maven metadata. */
  static String presetVersion(String artifact) {
    try (InputStream in = Loader.class.getResourceAsStream(
        "/META-INF/maven/org.bytedeco/" + artifact + "/pom.properties")) {
      if (in == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }
}
