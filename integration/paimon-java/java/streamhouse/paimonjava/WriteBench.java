package streamhouse.paimonjava;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;

/**
 * The "writeBench" command, for write benchmarks: generates `rows` rows in Java and
 * writes them into an existing table the way a streaming job does — one StreamTableWrite,
 * a commit every `commitEvery` rows (identifiers 1, 2, …; the last one waits for
 * compaction) — and answers how long that took.
 *
 * <pre>
 * {"cmd": "writeBench", "table": DIR, "rows": N, "keySpace": K, "commitEvery": C, "seed": S}
 *   → {"rows": N, "commits": M, "elapsedMs": T, "peakHeapBytes": H}
 * </pre>
 *
 * The table's columns must be (id BIGINT, name STRING, price DOUBLE, qty INT). Row i is
 * drawn from mulberry32(seed) — the 32-bit generator bench/write.bench.mjs uses, so both
 * sides write exactly the same rows: id = next() % keySpace (repeats are upserts in a
 * primary-key table), name = "user-" + id + "-" + next() % 1000000, price =
 * next() / 2^32 * 1000, qty = next() % 1000000. All rows are +I.
 */
final class WriteBench {
    private WriteBench() {}

    /** mulberry32, as in JavaScript with Math.imul: every step wraps at 32 bits. */
    static final class Mulberry32 {
        private int a;

        Mulberry32(int seed) {
            a = seed;
        }

        long next() {
            a += 0x6D2B79F5;
            int t = a;
            t = (t ^ (t >>> 15)) * (t | 1);
            t ^= t + (t ^ (t >>> 7)) * (t | 61);
            return (t ^ (t >>> 14)) & 0xFFFFFFFFL;
        }
    }

    static ObjectNode run(JsonNode request) throws Exception {
        String path = ScriptRunner.required(request, "table").asText();
        long rows = ScriptRunner.required(request, "rows").asLong();
        long keySpace = ScriptRunner.required(request, "keySpace").asLong();
        long commitEvery = ScriptRunner.required(request, "commitEvery").asLong();
        int seed = request.path("seed").asInt(1);
        if (rows < 0 || keySpace < 1 || keySpace > 0xFFFFFFFFL || commitEvery < 1) {
            throw new IllegalArgumentException("writeBench needs rows >= 0, 1 <= keySpace < 2^32, commitEvery >= 1");
        }
        FileStoreTable table = TableDumper.open(path);
        List<String> names = table.rowType().getFieldNames();
        if (!names.equals(List.of("id", "name", "price", "qty"))) throw new IllegalArgumentException("writeBench needs columns id, name, price, qty; got " + names);

        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        long started = System.nanoTime();
        Mulberry32 random = new Mulberry32(seed);
        StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser("write-bench");
        long commits = 0;
        try (IOManager io = IOManager.create(System.getProperty("java.io.tmpdir"));
                StreamTableWrite w = builder.newWrite();
                StreamTableCommit c = builder.newCommit()) {
            w.withIOManager(io);
            long identifier = 0;
            for (long i = 0; i < rows; i++) {
                long id = random.next() % keySpace;
                BinaryString name = BinaryString.fromString("user-" + id + "-" + (random.next() % 1_000_000));
                double price = random.next() / 4294967296.0 * 1000;
                int qty = (int) (random.next() % 1_000_000);
                w.write(GenericRow.of(id, name, price, qty));
                if ((i + 1) % commitEvery == 0 || i + 1 == rows) {
                    identifier++;
                    boolean last = i + 1 == rows;
                    List<CommitMessage> messages = w.prepareCommit(last, identifier);
                    c.commit(identifier, messages);
                    commits++;
                }
            }
        }
        long elapsedNanos = System.nanoTime() - started;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peakHeap += pool.getPeakUsage().getUsed();
        }
        ObjectNode out = JsonValues.NODES.objectNode();
        out.put("rows", rows);
        out.put("commits", commits);
        out.put("elapsedMs", elapsedNanos / 1e6);
        out.put("peakHeapBytes", peakHeap);
        return out;
    }
}
