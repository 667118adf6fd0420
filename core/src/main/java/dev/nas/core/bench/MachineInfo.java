package dev.nas.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a benchmark ran on, so that a report read later says what its numbers mean.
 *
 * @param os operating system name and version
 * @param arch CPU architecture as Java reports it
 * @param cpuModel CPU model from {@code /proc/cpuinfo}, or {@code unknown} where that is missing
 * @param cores logical processors available to the JVM (respects container CPU limits)
 * @param javaVersion Java runtime version
 * @param javaVm Java virtual machine name
 */
public record MachineInfo(String os, String arch, String cpuModel, int cores, String javaVersion, String javaVm) {
  static final String UNKNOWN = "unknown";
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  /** Describes the machine this JVM runs on. */
  public static MachineInfo current() {
    return new MachineInfo(
        System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.version", ""),
        System.getProperty("os.arch", UNKNOWN),
        readCpuModel(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version().toString(),
        System.getProperty("java.vm.name", UNKNOWN));
  }

  private static String readCpuModel() {
    if (!Files.isReadable(CPUINFO)) {
      return UNKNOWN;
    }
    try {
      return cpuModel(Files.readAllLines(CPUINFO));
    } catch (IOException | RuntimeException e) {
      // The model name is descriptive only; a report without it is still worth writing.
      return UNKNOWN;
    }
  }

  /**
   * The CPU model named in {@code /proc/cpuinfo} lines: {@code model name} on x86, falling back
   * to {@code Hardware} or {@code Processor}, which some ARM kernels print instead.
   */
  static String cpuModel(List<String> cpuinfoLines) {
    for (String key : List.of("model name", "hardware", "processor")) {
      for (String line : cpuinfoLines) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        // On x86 "processor" is the CPU index ("0"), not a model, so digits do not count.
        if (name.equals(key) && !value.isEmpty() && !value.chars().allMatch(Character::isDigit)) {
          return value.replaceAll("\\s+", " ");
        }
      }
    }
    return UNKNOWN;
  }

  /** One line: {@code Linux 6.1 amd64, Intel Xeon ..., 2 cores, Java 17.0.15 (OpenJDK 64-Bit Server VM)}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s %s, %s, %d cores, Java %s (%s)", os.trim(), arch, cpuModel, cores,
        javaVersion, javaVm);
  }
}
