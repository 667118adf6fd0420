package dev.nas.cli.compare;

/**
 * The outcome of one (method, seed) run, stored as its {@code result.json}.
 *
 * @param genotype the genotype in the DARTS Python form, or null for a cell-free baseline
 * @param macro the macro kind the network was built in (cifar or resnet)
 * @param width the fitted width (C of the cifar macro, the ResNet's first-stage width)
 * @param depth cells of the cifar macro, or basic blocks per stage of the ResNet
 * @param latencyMs ONNX Runtime p50 latency at batch 1 on this machine's CPU
 * @param searchRun folder of the search run inside the run folder, or null
 * @param fittedLatencyMs the untrained network's latency measured when its width was fitted to a
 *     latency budget, or null (no latency budget, or a budget-aware method's own width)
 */
public record RunResult(String method, String kind, long seed, String genotype, String macro, int width, int depth,
    long params, long macs, double testTop1, double testTop5, double latencyMs, double searchSeconds,
    double trainSeconds, String searchRun, Double fittedLatencyMs) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
}
