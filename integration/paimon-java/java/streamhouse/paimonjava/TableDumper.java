package streamhouse.paimonjava;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.Path;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.FileStoreTableFactory;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.table.source.StreamTableScan;
import org.apache.paimon.table.source.TableRead;
import org.apache.paimon.types.DataTypeRoot;
import org.apache.paimon.types.RowType;

/**
 * Reads a table directory (no catalog needed) as JSON rows.
 *
 * <p>Snapshot mode: the merged rows at the latest snapshot, or at a snapshot / tag
 * (time travel through the `scan.snapshot-id` / `scan.tag-name` options), sorted by the
 * primary key, then by all columns. Time travel reads in the snapshot's own schema unless
 * `latestSchema` is set, which reads the snapshot's rows in the table's latest schema.
 *
 * <p>Change mode (changesFrom..changesTo, inclusive): what a Paimon streaming reader
 * sees, snapshot by snapshot — a StreamTableScan with `scan.mode = from-snapshot` plans
 * one snapshot per call (COMPACT snapshots yield nothing unless a changelog producer
 * writes changelog files). With `changesStart = latest-full`, `scan.mode = latest-full`
 * instead: a full read of the latest snapshot, then its deltas. Each row carries
 * `_snapshot` (the snapshot it came from; the latest one for the full read) and
 * `_row_kind` (+I -U +U -D), sorted by snapshot and key, keeping Paimon's order within a
 * key (so -U stays before its +U).
 */
final class TableDumper {
    /** Upper bound on streaming-scan plans for one dump: a guard, not a tuning knob. */
    private static final int MAX_PLANS = 100_000;

    private TableDumper() {}

    static List<ObjectNode> dump(JsonNode request) throws Exception {
        String path = ScriptRunner.required(request, "table").asText();
        FileStoreTable table = open(path);
        Map<String, String> dynamic = new HashMap<>(ScriptRunner.stringMap(request.get("options")));
        if (request.hasNonNull("changesFrom")) {
            long from = request.get("changesFrom").asLong();
            long to = request.hasNonNull("changesTo") ? request.get("changesTo").asLong() : latestId(table);
            boolean latestFull = request.path("changesStart").asText("snapshot").equals("latest-full");
            return changes(table, dynamic, from, to, latestFull);
        }
        if (request.hasNonNull("snapshot")) dynamic.put("scan.snapshot-id", request.get("snapshot").asText());
        if (request.hasNonNull("tag")) dynamic.put("scan.tag-name", request.get("tag").asText());
        // copy() time-travels: the table takes the schema of the snapshot it reads.
        // copyWithoutTimeTravel() keeps the latest schema and reads the snapshot's files
        // through it (field-id evolution), as a reader that only knows today's schema does.
        boolean latestSchema = request.path("latestSchema").asBoolean(false);
        FileStoreTable t = dynamic.isEmpty() ? table : latestSchema ? table.copyWithoutTimeTravel(dynamic) : table.copy(dynamic);
        List<ObjectNode> rows = new ArrayList<>();
        if (!t.latestSnapshot().isPresent()) return rows;
        ReadBuilder rb = t.newReadBuilder();
        RowType type = rb.readType();
        try (IOManager io = IOManager.create(System.getProperty("java.io.tmpdir"));
                RecordReader<InternalRow> reader = rb.newRead().withIOManager(io).createReader(rb.newScan().plan())) {
            reader.forEachRemaining(row -> rows.add(JsonValues.rowToJson(type, row)));
        }
        rows.sort(order(t, false));
        return rows;
    }

    private static List<ObjectNode> changes(FileStoreTable table, Map<String, String> dynamic, long from, long to, boolean latestFull)
            throws Exception {
        if (latestFull) {
            // A full read of the latest snapshot first (rows tagged with its id), then deltas.
            dynamic.put("scan.mode", "latest-full");
        } else {
            dynamic.put("scan.mode", "from-snapshot");
            dynamic.put("scan.snapshot-id", Long.toString(from));
        }
        // Rows of every snapshot in the latest schema, as a streaming reader sees them.
        FileStoreTable t = table.copyWithoutTimeTravel(dynamic);
        ReadBuilder rb = t.newReadBuilder();
        StreamTableScan scan = rb.newStreamScan();
        try (IOManager io = IOManager.create(System.getProperty("java.io.tmpdir"))) {
            return changes(t, rb, scan, rb.newRead().withIOManager(io), from, to, Math.min(to, latestId(table)));
        }
    }

    private static List<ObjectNode> changes(FileStoreTable t, ReadBuilder rb, StreamTableScan scan, TableRead read, long from, long to, long last)
            throws Exception {
        RowType type = rb.readType();
        List<ObjectNode> rows = new ArrayList<>();
        for (int plans = 0; plans < MAX_PLANS; plans++) {
            Long next = scan.checkpoint();
            if (next != null && next > last) break;
            List<Split> splits = scan.plan().splits();
            for (Split s : splits) {
                long snapshot = ((DataSplit) s).snapshotId();
                if (snapshot < from || snapshot > to) continue;
                try (RecordReader<InternalRow> reader = read.createReader(s)) {
                    reader.forEachRemaining(row -> {
                        ObjectNode out = JsonValues.NODES.objectNode();
                        out.put("_snapshot", snapshot);
                        out.put("_row_kind", row.getRowKind().shortString());
                        JsonValues.putRow(out, type, row);
                        rows.add(out);
                    });
                }
            }
            if (next == null && scan.checkpoint() == null) break; // nothing to read at all
        }
        rows.sort(order(t, true));
        return rows;
    }

    private static long latestId(FileStoreTable table) {
        return table.latestSnapshot().map(s -> s.id()).orElse(0L);
    }

    static FileStoreTable open(String path) throws Exception {
        Path p = new Path(path);
        FileIO io = FileIO.get(p, CatalogContext.create(new Options()));
        return FileStoreTableFactory.create(io, p);
    }

    /** Primary-key columns first, then the other columns in schema order. */
    private static Comparator<ObjectNode> order(FileStoreTable t, boolean changes) {
        RowType type = t.rowType();
        List<String> keys = new ArrayList<>();
        if (changes) keys.add("_snapshot");
        keys.addAll(t.primaryKeys());
        Comparator<ObjectNode> byKey = columns(type, keys);
        if (changes && !t.primaryKeys().isEmpty()) return byKey; // stable sort keeps -U before +U
        List<String> rest = new ArrayList<>(type.getFieldNames());
        rest.removeAll(keys);
        if (changes) rest.add("_row_kind");
        return byKey.thenComparing(columns(type, rest));
    }

    private static Comparator<ObjectNode> columns(RowType type, List<String> names) {
        Comparator<ObjectNode> c = (a, b) -> 0;
        for (String name : names) {
            int i = type.getFieldIndex(name);
            boolean numeric = name.equals("_snapshot") || (i >= 0 && isNumeric(type.getTypeAt(i).getTypeRoot()));
            c = c.thenComparing((a, b) -> compareValues(a.get(name), b.get(name), numeric));
        }
        return c;
    }

    private static boolean isNumeric(DataTypeRoot root) {
        switch (root) {
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case DECIMAL:
                return true;
            default:
                return false;
        }
    }

    /**
     * Nulls first; integer and decimal columns numerically (BIGINT beyond 2^53 and DECIMAL
     * are strings in JSON); JSON numbers (FLOAT, DOUBLE) numerically before the strings
     * NaN/Infinity; anything else by its text.
     */
    static int compareValues(JsonNode a, JsonNode b, boolean numericColumn) {
        boolean an = a == null || a.isNull();
        boolean bn = b == null || b.isNull();
        if (an || bn) return an == bn ? 0 : an ? -1 : 1;
        if (numericColumn || (a.isNumber() && b.isNumber())) return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        if (a.isNumber() != b.isNumber()) return a.isNumber() ? -1 : 1;
        if (a.isTextual() && b.isTextual()) return a.asText().compareTo(b.asText());
        return a.toString().compareTo(b.toString());
    }
}
