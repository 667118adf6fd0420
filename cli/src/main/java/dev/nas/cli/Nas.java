package dev.nas.cli;

import dev.nas.data.DatasetException;
import dev.nas.search.SearchRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.apache.commons.cli.ParseException;

/**
 * The {@code nas} program. Exit status: 0 success, 1 failure (bad data, model or genotype files,
 * training errors), 2 unusable command line, 3 a budget of {@code check}/{@code pipeline} exceeded.
 */
public final class Nas {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new SearchCommand(), new DeriveCommand(), new TrainCommand(), new ExportCommand(),
        new FlopsCommand(), new CheckCommand(), new BenchCommand(), new ServeCommand(), new PipelineCommand(),
        new CompareCommand(),
        new VisualizeCommand())) {
      COMMANDS.put(c.name(), c);
    }
  }

  private Nas() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      return runCommand(COMMANDS.get("pipeline"), args, out, err);
    }
    if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(out);
      return 0;
    }
    if (args[0].equals("--version")) {
      out.println("nas " + version());
      return 0;
    }
    Command c = COMMANDS.get(args[0]);
    if (c == null) {
      err.println("nas: unknown command '" + args[0] + "'");
      usage(err);
      return 2;
    }
    return runCommand(c, java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
  }

  private static int runCommand(Command c, String[] args, PrintStream out, PrintStream err) {
    CommandLine cl;
    try {
      cl = new DefaultParser().parse(c.options(), args);
      if (!cl.getArgList().isEmpty()) {
        throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
      }
    } catch (ParseException | UsageException e) {
      err.println("nas " + c.name() + ": " + e.getMessage());
      err.println("run 'nas " + c.name() + " --help' for the options");
      return 2;
    }
    if (cl.hasOption("help")) {
      try {
        help(c, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return 0;
    }
    Args a = new Args(cl);
    try {
      if (a.has("threads")) {
        int n = a.integer("threads", 0);
        if (n <= 0) {
          throw new UsageException("--threads must be positive");
        }
        // read by DJL when the PyTorch engine starts, so it must be set before any tensor exists
        dev.nas.run.IntraOpThreads.apply(n);
      } else {
        dev.nas.run.IntraOpThreads.applyDefault();
      }
      return c.run(a, out);
    } catch (UsageException e) {
      err.println("nas " + c.name() + ": " + e.getMessage());
      err.println("run 'nas " + c.name() + " --help' for the options");
      return 2;
    } catch (DatasetException | SearchRun.SearchFailed | IOException | UncheckedIOException
        | IllegalArgumentException | IllegalStateException e) {
      dev.nas.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": error: " + message(e));
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (Exception e) {
      dev.nas.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": unexpected error: " + message(e) + " (set NAS_DEBUG=1 for the stack trace)");
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + m;
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Intra-op threads for ONNX Runtime and libtorch ({@link dev.nas.run.IntraOpThreads}). */
  static int threads() {
    return dev.nas.run.IntraOpThreads.current();
  }

  static String version() {
    Package p = Nas.class.getPackage();
    return p.getImplementationVersion() != null ? p.getImplementationVersion() : "dev";
  }

  private static void usage(PrintStream out) {
    out.println("usage: nas <command> [options]   (nas <command> --help for a command's options)");
    out.println("       nas                       runs the small default pipeline");
    out.println();
    COMMANDS.values().forEach(c -> out.printf("  %-10s %s%n", c.name(), c.summary()));
  }

  private static void help(Command c, PrintStream out) throws IOException {
    HelpFormatter f = HelpFormatter.builder().setShowSince(false).setHelpAppendable(new TextHelpAppendable(out)).get();
    f.printHelp("nas " + c.name(), c.summary(), c.options(), "", true);
    out.println("examples:");
    out.println("  " + c.examples().replace("\n", "\n  "));
  }
}
