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
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;

/**
 * The {@code nas} program. Exit status: 0 success, 1 failure (bad data, model or genotype files,
 * training errors), 2 unusable command line, 3 a budget of {@code check}/{@code pipeline} exceeded.
 */
public final class Nas {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : List.of(new SearchCommand(), new DeriveCommand(), new TrainCommand(), new ExportCommand(),
        new FlopsCommand(), new CheckCommand(), new BenchCommand(), new LutCommand(), new ServeCommand(),
        new PipelineCommand(), new CompareCommand(),
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
      refuseRepeated(cl);
      checkOut(c, cl);
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
        // read by DJL when the PyTorch engine starts, so it must be set before any tensor exists
        dev.nas.core.run.IntraOpThreads.apply(n);
      } else {
        dev.nas.core.run.IntraOpThreads.applyDefault();
      }
      return c.run(a, out);
    } catch (UsageException e) {
      err.println("nas " + c.name() + ": " + e.getMessage());
      err.println("run 'nas " + c.name() + " --help' for the options");
      return 2;
    } catch (DatasetException | SearchRun.SearchFailed | IOException | UncheckedIOException
        | IllegalArgumentException | IllegalStateException e) {
      dev.nas.core.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": error: " + message(e));
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (ArithmeticException e) {
      dev.nas.core.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": error: a size computed from the inputs is too large (" + message(e)
          + "); use smaller sizes");
      return 1;
    } catch (Exception e) {
      dev.nas.core.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": unexpected error: " + message(e) + " (set NAS_DEBUG=1 for the stack trace)");
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (OutOfMemoryError | StackOverflowError e) {
      // the last line of defence behind the size checks: one message naming what was too large
      dev.nas.core.run.Progress.clearLine(err);
      err.println("nas " + c.name() + ": error: " + exhausted(e, args));
      if (System.getenv("NAS_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** The message for exhausted memory or stack: what ran out, and the inputs that set the sizes. */
  static String exhausted(Error e, String[] args) {
    List<String> sizes = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < args.length; i++) {
      if (List.of("--genotype", "--net", "--model", "--input", "--layers", "--channels", "--batch", "--classes",
          "--data-dir", "--repeat", "--stem-channels").contains(args[i])) {
        sizes.add(args[i] + " " + (args[i + 1].length() > 60 ? args[i + 1].substring(0, 60) + "..." : args[i + 1]));
      }
    }
    String what = e instanceof StackOverflowError ? "an input is nested too deeply to process (stack exhausted)"
        : "the work is too large for the available memory (" + (e.getMessage() == null ? "Java heap"
            : e.getMessage()) + ")";
    return what + (sizes.isEmpty() ? "" : "; it is sized by " + String.join(", ", sizes))
        + "; use smaller inputs or sizes";
  }

  /** A repeated option is refused: the parser would silently keep the first value. */
  private static void refuseRepeated(CommandLine cl) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (org.apache.commons.cli.Option o : cl.getOptions()) {
      String key = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
      if (!seen.add(key)) {
        throw new UsageException("--" + key + " is given more than once; give it once");
      }
    }
  }

  /**
   * An {@code --out} that names a folder to write (argument RUN, NET, DIR) must not be an existing
   * file, and one that names a file must not be an existing folder.
   */
  private static void checkOut(Command c, CommandLine cl) {
    org.apache.commons.cli.Option o = c.options().getOption("out");
    String v = cl.getOptionValue("out");
    if (o == null || v == null || v.isBlank()) {
      return;
    }
    java.nio.file.Path p;
    try {
      p = java.nio.file.Path.of(v);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UsageException("--out '" + v + "' is not a valid path: " + e.getReason());
    }
    boolean folder = !o.getArgName().equals("FILE");
    if (folder && java.nio.file.Files.exists(p) && !java.nio.file.Files.isDirectory(p)) {
      throw new UsageException("--out " + v + " is an existing file, but names a folder to write; choose another "
          + "--out");
    }
    if (!folder && java.nio.file.Files.isDirectory(p)) {
      throw new UsageException("--out " + v + " is an existing folder, but names a file to write; give a file name");
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + m;
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return m + " exists and is not a folder (a folder was to be created there)";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return m + " is not a folder";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Intra-op threads for ONNX Runtime and libtorch ({@link dev.nas.core.run.IntraOpThreads}). */
  static int threads() {
    return dev.nas.core.run.IntraOpThreads.current();
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
