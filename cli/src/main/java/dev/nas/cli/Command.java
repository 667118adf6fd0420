package dev.nas.cli;

import java.io.PrintStream;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** One {@code nas} subcommand: its options, and what it does with them. */
abstract class Command {
  /** The subcommand's name, e.g. {@code search}. */
  abstract String name();

  /** One line for {@code nas --help}. */
  abstract String summary();

  /** Example invocations shown in the subcommand's help. */
  abstract String examples();

  abstract Options options();

  /** Runs the command; returns the exit status. */
  abstract int run(Args args, PrintStream out) throws Exception;

  static Option opt(String name, String arg, String description) {
    return Option.builder().longOpt(name).hasArg().argName(arg).desc(description).get();
  }

  static Option flag(String name, String description) {
    return Option.builder().longOpt(name).desc(description).get();
  }

  /** Options every command accepts. */
  static Options common(Options o) {
    o.addOption(flag("help", "show this help"));
    o.addOption(opt("threads", "N", "intra-op threads of libtorch and ONNX Runtime (default 1, or $NAS_THREADS)"));
    return o;
  }
}
