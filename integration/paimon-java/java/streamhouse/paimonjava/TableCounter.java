package streamhouse.paimonjava;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.Map;

import org.apache.paimon.data.InternalRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataTypeRoot;
import org.apache.paimon.types.RowType;

/**
 * The "count" command, for read benchmarks: plans and reads a table at its latest
 * snapshot (or `snapshot`) the way a Paimon batch reader does, touching every field of
 * every row (numbers read, strings' byte sizes taken, nothing decoded to java.lang.String),
 * and answers how many rows came out and how long it took.
 *
 * <pre>
 * {"cmd": "count", "table": DIR, "snapshot": N}
 *   → {"rows": R, "elapsedMs": T, "checksum": C, "peakHeapBytes": H}
 * </pre>
 *
 * peakHeapBytes is the sum of the heap memory pools' peak usage during the read (the
 * peaks are reset first); pools peak at different moments, so this is an upper bound.
 */
final class TableCounter {
    private TableCounter() {}

    static ObjectNode count(JsonNode request) throws Exception {
        String path = ScriptRunner.required(request, "table").asText();
        Map<String, String> dynamic = new HashMap<>(ScriptRunner.stringMap(request.get("options")));
        if (request.hasNonNull("snapshot")) dynamic.put("scan.snapshot-id", request.get("snapshot").asText());

        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        long started = System.nanoTime();
        FileStoreTable table = TableDumper.open(path);
        FileStoreTable t = dynamic.isEmpty() ? table : table.copy(dynamic);
        ReadBuilder rb = t.newReadBuilder();
        RowType type = rb.readType();
        int arity = type.getFieldCount();
        DataTypeRoot[] roots = new DataTypeRoot[arity];
        for (int f = 0; f < arity; f++) roots[f] = type.getTypeAt(f).getTypeRoot();
        long rows = 0;
        long checksum = 0;
        try (IOManager io = IOManager.create(System.getProperty("java.io.tmpdir"));
                RecordReader<InternalRow> reader = rb.newRead().withIOManager(io).createReader(rb.newScan().plan())) {
            RecordReader.RecordIterator<InternalRow> batch;
            while ((batch = reader.readBatch()) != null) {
                InternalRow row;
                while ((row = batch.next()) != null) {
                    rows++;
                    checksum += touch(row, roots);
                }
                batch.releaseBatch();
            }
        }
        long elapsedNanos = System.nanoTime() - started;

        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peakHeap += pool.getPeakUsage().getUsed();
        }
        ObjectNode out = JsonValues.NODES.objectNode();
        out.put("rows", rows);
        out.put("elapsedMs", elapsedNanos / 1e6);
        out.put("checksum", checksum);
        out.put("peakHeapBytes", peakHeap);
        return out;
    }

    /** Reads every field of the row into a number, so the JIT cannot skip the reads. */
    private static long touch(InternalRow row, DataTypeRoot[] roots) {
        long h = 0;
        for (int f = 0; f < roots.length; f++) {
            if (row.isNullAt(f)) continue;
            switch (roots[f]) {
                case BIGINT:
                    h += row.getLong(f);
                    break;
                case INTEGER:
                case DATE:
                    h += row.getInt(f);
                    break;
                case DOUBLE:
                    h += (long) row.getDouble(f);
                    break;
                case CHAR:
                case VARCHAR:
                    h += row.getString(f).getSizeInBytes();
                    break;
                case BOOLEAN:
                    h += row.getBoolean(f) ? 1 : 0;
                    break;
                default:
                    h += 1;
            }
        }
        return h;
    }
}
