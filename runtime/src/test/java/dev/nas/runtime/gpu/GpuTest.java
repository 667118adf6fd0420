package dev.nas.runtime.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

class GpuTest {
  @Test
  void theDefaultBuildSaysToRebuildWithTheCudaProfile() {
    assumeFalse(Gpu.cudaNativesInBuild(), "this build has the CUDA natives (mvn -Pcuda)");
    Gpu.Probe probe = Gpu.probe();
    assertFalse(probe.ok());
    assertNull(probe.gpu());
    assertTrue(probe.reason().contains("not in this build") && probe.reason().contains("mvn -Pcuda package")
        && probe.reason().contains("org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64"), probe.reason());
    // TensorRT needs CUDA first, so its probe gives the same reason; both are computed once.
    assertSame(probe, Gpu.probe());
    assertEquals(probe.reason(), Gpu.probeTensorRt().reason());
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class, Gpu::requireTensorRt);
    assertEquals(probe.reason(), e.getMessage());
    assertThrows(GpuUnavailableException.class, Gpu::requireCuda);
  }

  @Test
  void missingLibrariesAreNamedWithWhatToInstall() {
    String dlopen = "/root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so: "
        + "libcudart.so.12: cannot open shared object file: No such file or directory";
    assertEquals("libcudart.so.12", Gpu.missingLibrary(dlopen));
    String reason = Gpu.loadFailure("the CUDA runtime", new UnsatisfiedLinkError(dlopen));
    assertTrue(reason.startsWith("cannot load the CUDA runtime: libcudart.so.12 is not installed or not on the "
        + "library path; install the CUDA 12 runtime"), reason);
    // The cause chain is searched too, as JavaCPP may wrap the linker's error.
    Throwable wrapped = new RuntimeException("load failed",
        new UnsatisfiedLinkError("libjninvinfer.so: libnvinfer.so.10: cannot open shared object file"));
    assertTrue(Gpu.loadFailure("TensorRT", wrapped).contains("libnvinfer.so.10 is not installed")
        && Gpu.loadFailure("TensorRT", wrapped).contains("install TensorRT 10"));
    assertNull(Gpu.missingLibrary("no jnicudart in java.library.path"));
    assertNull(Gpu.missingLibrary(null));
    String other = Gpu.loadFailure("TensorRT", new UnsatisfiedLinkError("undefined symbol: foo"));
    assertTrue(other.contains("undefined symbol: foo") && other.contains("TensorRT 10"), other);

    assertEquals("install the NVIDIA driver", Gpu.installHint("libcuda.so.1"));
    assertTrue(Gpu.installHint("libcudnn.so.9").contains("cuDNN 9"));
    assertTrue(Gpu.installHint("libcublasLt.so.12").contains("CUDA 12"));
    assertTrue(Gpu.installHint("libnvrtc.so.12").contains("CUDA 12"));
    assertTrue(Gpu.installHint("libnvonnxparser.so.10").contains("TensorRT 10"));
    assertTrue(Gpu.installHint("libstdc++.so.6").contains("LD_LIBRARY_PATH"));
  }

  @Test
  void deviceCountsAndDriversAreExplained() {
    assertNull(Gpu.deviceReason(0, "", 2, "12.4", "12.6", null));
    assertEquals("no CUDA device found", Gpu.deviceReason(0, "", 0, "12.4", "12.6", null));
    assertEquals("no CUDA device found (CUDA_VISIBLE_DEVICES=7)",
        Gpu.deviceReason(100, "cudaErrorNoDevice (no CUDA-capable device is detected)", 0, "12.4", "12.6", "7"));
    assertEquals("the NVIDIA driver supports CUDA 11.4 but the CUDA runtime is 12.6: update the driver",
        Gpu.deviceReason(35, "cudaErrorInsufficientDriver", 0, "11.4", "12.6", null));
    assertEquals("cannot count CUDA devices: cudaErrorInitializationError (initialization error)",
        Gpu.deviceReason(3, "cudaErrorInitializationError (initialization error)", 0, "12.4", "12.6", null));
  }

  @Test
  void versionsAreFormattedLikeNvidiaWritesThem() {
    assertEquals("12.6", Gpu.cudaVersion(12060));
    assertEquals("11.8", Gpu.cudaVersion(11080));
    assertEquals("10.6.0", Gpu.tensorRtVersion(100600));
    assertEquals("10.13.2", Gpu.tensorRtVersion(101302));
    assertEquals("1.5.11", Gpu.presetVersion("javacpp"), "the version of a presets artifact comes from its jar");
    assertEquals("?", Gpu.presetVersion("no-such-artifact"));
  }

  @Test
  void fastFp16FollowsComputeCapability() {
    assertTrue(GpuInfo.hasFastFp16(9, 0));
    assertTrue(GpuInfo.hasFastFp16(7, 5));
    assertTrue(GpuInfo.hasFastFp16(6, 0));
    assertTrue(GpuInfo.hasFastFp16(6, 2));
    assertTrue(GpuInfo.hasFastFp16(5, 3));
    assertFalse(GpuInfo.hasFastFp16(6, 1), "consumer Pascal runs FP16 at 1/64 rate");
    assertFalse(GpuInfo.hasFastFp16(5, 2));
    assertFalse(GpuInfo.hasFastFp16(3, 5));
    GpuInfo a100 = new GpuInfo("NVIDIA A100-SXM4-40GB", 8, 0, 40L << 30, 1, "12.4", "12.6");
    assertEquals("8.0", a100.computeCapability());
    assertTrue(a100.hasFastFp16());
    assertEquals("NVIDIA A100-SXM4-40GB (compute capability 8.0, 40.0 GiB), driver CUDA 12.4, runtime CUDA 12.6",
        a100.describe());
  }
}
