package dev.nas.djl;

import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The libtorch build that a DJL native jar on the class path carries ({@code pytorch-native-cpu}
 * by default, {@code pytorch-native-cu124} with {@code -Pcuda}), read from the jar's
 * {@code native/lib/pytorch.properties}.
 *
 * <p>DJL uses a bundled CUDA build only when the machine has a GPU; elsewhere it tries to
 * download a CPU build, which fails offline ("Failed to save pytorch index file"). libtorch's CUDA
 * build has every CPU kernel, so {@link #pinForCpu()} unpacks it where DJL looks for downloaded
 * builds and names its flavour ({@code PYTORCH_FLAVOR}): the CUDA build then runs on the CPU with
 * nothing downloaded.
 *
 * @param version the libtorch version DJL's engine expects (its {@code pytorch-engine.properties})
 * @param flavor {@code cpu}, or {@code cuNNN} for a CUDA build
 * @param classifier e.g. {@code linux-x86_64}
 * @param libraries the shared libraries in the jar
 */
public record BundledLibTorch(String version, String flavor, String classifier, List<String> libraries) {
  /** The bundled build, if a native jar is on the class path. */
  public static Optional<BundledLibTorch> find() {
    Properties nat = properties("native/lib/pytorch.properties");
    Properties engine = properties("pytorch-engine.properties");
    if (nat == null || engine == null || nat.getProperty("flavor") == null) {
      return Optional.empty();
    }
    String libs = nat.getProperty("libraries", "");
    return Optional.of(new BundledLibTorch(engine.getProperty("pytorch_version"), nat.getProperty("flavor"),
        nat.getProperty("classifier"), libs.isEmpty() ? List.of() : Arrays.asList(libs.split(","))));
  }

  public boolean cuda() {
    return flavor.startsWith("cu");
  }

  /**
   * Makes DJL load this (CUDA) build on a machine without a GPU: unpacks it once, less the one
   * library that needs the driver, into DJL's cache folder for downloaded builds (through a temporary folder renamed into place, so an interrupted
   * unpacking is never taken as complete) and sets {@code PYTORCH_FLAVOR}. Must run before the
   * PyTorch engine loads.
   */
  void pinForCpu() {
    Path cache = Utils.getEngineCacheDir("pytorch");
    Path dir = cache.resolve(version + '-' + flavor + '-' + classifier);
    boolean complete = Files.isRegularFile(dir.resolve(System.mapLibraryName("torch")))
        && libraries.stream().filter(BundledLibTorch::needsDriver).noneMatch(l -> Files.exists(dir.resolve(l)));
    if (!complete) {
      Path tmp = null;
      try {
        Files.createDirectories(cache);
        tmp = Files.createTempDirectory(cache, "unpack");
        for (String lib : libraries) {
          if (needsDriver(lib)) {
            continue;
          }
          String resource = "pytorch/" + flavor + '/' + classifier + '/' + lib;
          try (InputStream in = ClassLoaderUtils.getResourceAsStream(resource)) {
            Files.copy(in, tmp.resolve(lib), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Utils.deleteQuietly(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot unpack the bundled libtorch " + flavor + " into " + cache, e);
      } finally {
        if (tmp != null) {
          Utils.deleteQuietly(tmp);
        }
      }
    }
    System.setProperty("PYTORCH_FLAVOR", flavor);
  }

  /**
   * The NVRTC bridge links the driver ({@code libcuda.so.1}) directly, so it cannot load without
   * one, and serves only CUDA kernels compiled at run time; DJL loads it whenever it is there
   * (its {@code PYTORCH_LIBRARY_EXCLUSION} does not cover it), so the CPU unpacking leaves it out.
   */
  private static boolean needsDriver(String lib) {
    return lib.equals(System.mapLibraryName("caffe2_nvrtc"));
  }

  private static Properties properties(String resource) {
    try (InputStream in = ClassLoaderUtils.getResourceAsStream(resource)) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException | RuntimeException e) {
      return null; // not on the class path
    }
  }
}
