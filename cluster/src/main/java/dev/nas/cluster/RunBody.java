package dev.nas.cluster;

import dev.nas.cli.compare.RunResult;
import dev.nas.cli.compare.RunTask;
import java.io.IOException;
import java.io.Serializable;

/** What a Spark task does with its run: {@link ForkedRun#run} (tests wrap it to inject faults). */
@FunctionalInterface
interface RunBody extends Serializable {
  RunBody RUN = ForkedRun::run;

  RunResult run(RunTask task, RunTask.Env env) throws IOException;
}
