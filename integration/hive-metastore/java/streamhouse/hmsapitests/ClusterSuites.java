package streamhouse.hmsapitests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Request;
import org.junit.runner.Result;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs Apache Hive's metastore client test suites (org.apache.hadoop.hive.metastore.client.Test*,
 * from the hive-standalone-metastore-server tests jar) in their "Cluster" parameterization only:
 * MetaStoreFactoryForTests adds that parameter when -Dtest.hms.client.configs names site files,
 * and its clients then talk to the metastore those files point at (ours).
 *
 * Usage: ClusterSuites TESTS_JAR [CLASS_SUBSTRING...]. Writes one JSON line per test,
 * {"suite","test","ok","error"?}, to the file named by -Dstreamhouse.results (stdout
 * without it), and prints a last line {"summary":true,"run","failed","ignored"} on stdout.
 */
public final class ClusterSuites {
  private static final String PACKAGE = "org/apache/hadoop/hive/metastore/client/";
  private static final String CLUSTER = "[Cluster]";

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static List<String> suites(String jar, List<String> only) throws Exception {
    List<String> out = new ArrayList<>();
    try (JarFile f = new JarFile(jar)) {
      for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (!name.startsWith(PACKAGE + "Test") || !name.endsWith(".class") || name.contains("$")) continue;
        if (name.substring(PACKAGE.length()).contains("/")) continue;
        String cls = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        if (only.isEmpty() || only.stream().anyMatch(cls::contains)) out.add(cls);
      }
    }
    Collections.sort(out);
    return out;
  }

  /** Keeps the tests of the Cluster parameter, and the suites that contain some. */
  private static final Filter CLUSTER_ONLY = new Filter() {
    @Override
    public boolean shouldRun(Description d) {
      if (d.isTest()) return d.getDisplayName().contains(CLUSTER);
      for (Description child : d.getChildren()) if (shouldRun(child)) return true;
      return false;
    }

    @Override
    public String describe() {
      return "Cluster parameter only";
    }
  };

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ClusterSuites TESTS_JAR [CLASS_SUBSTRING...]");
      System.exit(2);
    }
    List<String> only = new ArrayList<>();
    for (int i = 1; i < args.length; i++) only.add(args[i]);
    String resultsFile = System.getProperty("streamhouse.results");
    final java.io.PrintStream out = resultsFile == null ? System.out : new java.io.PrintStream(new java.io.FileOutputStream(resultsFile), true, "UTF-8");
    int run = 0, failed = 0, ignored = 0;
    for (String cls : suites(args[0], only)) {
      Class<?> c;
      try {
        c = Class.forName(cls);
      } catch (Throwable t) {
        out.println("{\"suite\":" + json(cls) + ",\"test\":\"(load)\",\"ok\":false,\"error\":" + json(t.toString()) + "}");
        failed++;
        continue;
      }
      JUnitCore core = new JUnitCore();
      core.addListener(new RunListener() {
        private final java.util.Set<Description> failedTests = new java.util.HashSet<>();

        @Override
        public void testFailure(Failure f) {
          failedTests.add(f.getDescription());
          // The failure and up to three causes: "expected X but was Y" alone does not say what Y said.
          StringBuilder message = new StringBuilder(String.valueOf(f.getException()));
          Throwable cause = f.getException() == null ? null : f.getException().getCause();
          for (int i = 0; i < 3 && cause != null; i++, cause = cause.getCause()) message.append(" <- ").append(cause);
          String text = message.toString();
          out.println("{\"suite\":" + json(cls) + ",\"test\":" + json(f.getDescription().getDisplayName()) + ",\"ok\":false,\"error\":"
              + json(text.length() > 800 ? text.substring(0, 800) : text) + "}");
        }

        @Override
        public void testFinished(Description d) {
          if (!failedTests.contains(d)) out.println("{\"suite\":" + json(cls) + ",\"test\":" + json(d.getDisplayName()) + ",\"ok\":true}");
        }
      });
      Result r;
      try {
        r = core.run(Request.aClass(c).filterWith(CLUSTER_ONLY));
      } catch (Throwable t) {
        out.println("{\"suite\":" + json(cls) + ",\"test\":\"(run)\",\"ok\":false,\"error\":" + json(t.toString()) + "}");
        failed++;
        continue;
      }
      run += r.getRunCount();
      failed += r.getFailureCount();
      ignored += r.getIgnoreCount();
      out.flush();
    }
    if (resultsFile != null) out.close();
    System.out.println("{\"summary\":true,\"run\":" + run + ",\"failed\":" + failed + ",\"ignored\":" + ignored + "}");
    System.exit(0);
  }
}
