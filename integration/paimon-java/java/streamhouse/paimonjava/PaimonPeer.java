package streamhouse.paimonjava;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Streamhouse's reference peer: drives the Java implementation of Apache Paimon so tests
 * can compare our reader and writer with the real one.
 *
 * <pre>
 * run  SCRIPT.json|-                 apply a JSON script of table operations (ScriptRunner),
 *                                    print one summary line per op
 * dump TABLE_DIR [--snapshot N] [--tag T] [--latest-schema true] [--changes-from N [--changes-to M] [--changes-start snapshot|latest-full]] [--option k=v]...
 *                                    print the table's rows as NDJSON (TableDumper)
 * serve                              one JSON request per stdin line, one JSON reply per
 *                                    stdout line: {"cmd":"run","script":{...}} or
 *                                    {"cmd":"dump","table":...,"snapshot":N,...} or
 *                                    {"cmd":"count","table":...} (TableCounter: a timed read) or
 *                                    {"cmd":"writeBench","table":...} (WriteBench: a timed write);
 *                                    reply {"ok":true,...} or {"ok":false,"error":...}
 * </pre>
 *
 * Paimon and its logging only ever see stderr: System.out is pointed at stderr at start,
 * and replies go to the original stdout, so no library output can corrupt the protocol.
 * Exit status: 0 on success, 1 on a failed operation (message on stderr), 2 on bad usage.
 */
public final class PaimonPeer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PaimonPeer() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length == 0) usage("missing command");
        try {
            switch (args[0]) {
                case "run":
                    if (args.length != 2) usage("run takes one argument: a script file or -");
                    String text = args[1].equals("-")
                            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                            : Files.readString(Paths.get(args[1]));
                    for (String line : run(JSON.readTree(text))) out.println(line);
                    break;
                case "dump":
                    for (ObjectNode row : TableDumper.dump(dumpRequest(args))) out.println(JSON.writeValueAsString(row));
                    break;
                case "serve":
                    serve(out);
                    break;
                default:
                    usage("unknown command " + args[0]);
            }
        } catch (Exception | Error e) {
            out.flush();
            System.err.println("paimon-java: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
        out.flush();
        // Paimon may leave non-daemon threads (compaction executors) behind.
        System.exit(0);
    }

    static List<String> run(JsonNode script) throws Exception {
        try (ScriptRunner runner = new ScriptRunner(script)) {
            return runner.run(ScriptRunner.required(script, "ops"));
        }
    }

    private static void serve(PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("{\"ready\":true}");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            ObjectNode reply = JSON.createObjectNode();
            JsonNode request = null;
            try {
                request = JSON.readTree(line);
                if (request.has("id")) reply.set("id", request.get("id"));
                String cmd = ScriptRunner.required(request, "cmd").asText();
                if (cmd.equals("run")) {
                    ArrayNode log = reply.putArray("log");
                    for (String s : run(ScriptRunner.required(request, "script"))) log.add(s);
                } else if (cmd.equals("dump")) {
                    ArrayNode rows = reply.putArray("rows");
                    for (ObjectNode row : TableDumper.dump(request)) rows.add(row);
                } else if (cmd.equals("count")) {
                    reply.set("count", TableCounter.count(request));
                } else if (cmd.equals("writeBench")) {
                    reply.set("writeBench", WriteBench.run(request));
                } else {
                    throw new IllegalArgumentException("unknown cmd '" + cmd + "'");
                }
                reply.put("ok", true);
            } catch (Exception | Error e) {
                reply.remove("log");
                reply.remove("rows");
                reply.put("ok", false);
                reply.put("error", String.valueOf(e));
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                reply.put("trace", trace.toString());
            }
            out.println(JSON.writeValueAsString(reply));
            out.flush();
        }
        // stdin closed: the parent is gone or done.
    }

    private static ObjectNode dumpRequest(String[] args) {
        if (args.length < 2) usage("dump needs a table directory");
        ObjectNode r = JSON.createObjectNode();
        r.put("table", args[1]);
        ObjectNode options = r.putObject("options");
        for (int i = 2; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) usage(flag + " needs a value");
            String value = args[++i];
            switch (flag) {
                case "--snapshot":
                    r.put("snapshot", Long.parseLong(value));
                    break;
                case "--tag":
                    r.put("tag", value);
                    break;
                case "--changes-from":
                    r.put("changesFrom", Long.parseLong(value));
                    break;
                case "--changes-to":
                    r.put("changesTo", Long.parseLong(value));
                    break;
                case "--changes-start":
                    r.put("changesStart", value);
                    break;
                case "--latest-schema":
                    r.put("latestSchema", Boolean.parseBoolean(value));
                    break;
                case "--option": {
                    int eq = value.indexOf('=');
                    if (eq <= 0) usage("--option takes key=value");
                    options.put(value.substring(0, eq), value.substring(eq + 1));
                    break;
                }
                default:
                    usage("unknown flag " + flag);
            }
        }
        return r;
    }

    private static void usage(String problem) {
        System.err.println("paimon-java: " + problem);
        System.err.println("usage: run SCRIPT.json|- | dump TABLE_DIR [--snapshot N] [--tag T] [--latest-schema true] [--changes-from N [--changes-to M] [--changes-start snapshot|latest-full]] [--option k=v]... | serve");
        System.exit(2);
    }
}
