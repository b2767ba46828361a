package streamhouse.paimonjava;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.paimon.CoreOptions;
import org.apache.paimon.append.AppendCompactCoordinator;
import org.apache.paimon.append.AppendCompactTask;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.index.HashBucketAssigner;
import org.apache.paimon.operation.BaseAppendFileStoreWrite;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.table.BucketMode;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.InnerTableCommit;
import org.apache.paimon.table.sink.RowPartitionKeyExtractor;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.table.sink.TableWriteImpl;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.RowKind;

/**
 * Runs one JSON script of table operations against a local FileSystemCatalog.
 *
 * <pre>
 * {"warehouse": "/abs/dir", "database": "db", "table": "t",
 *  "commitUser": "optional, default a random UUID per script",
 *  "ignoreEmptyCommit": true (default),
 *  "ops": [ {"op": "create", "schema": {...}}, {"op": "write", "rows": [...]}, ... ]}
 * </pre>
 *
 * Commits: every write/delete/compact op is its own commit through a StreamWriteBuilder
 * with the script's commitUser and commitIdentifier = 1, 2, 3... in op order (or the op's
 * own "commitIdentifier"). prepareCommit waits for compaction, so a commit is one APPEND
 * snapshot, plus a COMPACT snapshot with the same identifier when the write triggered
 * Paimon's automatic compaction (or only a COMPACT snapshot for a compact op). A write
 * with "overwrite" uses a BatchWriteBuilder instead (commitIdentifier Long.MAX_VALUE).
 * Commits with nothing to add write no snapshot (ignoreEmptyCommit); Paimon's stream
 * commit default would write an empty APPEND snapshot before a compaction's COMPACT one.
 */
final class ScriptRunner implements AutoCloseable {
    private final Catalog catalog;
    private final Identifier identifier;
    private final String commitUser;
    private final boolean ignoreEmptyCommit;
    /** Temp disk for lookups (lookup changelog, deletion vectors, first-row) and spills. */
    private final IOManager ioManager = IOManager.create(System.getProperty("java.io.tmpdir"));
    private long nextCommitIdentifier = 1;

    ScriptRunner(JsonNode script) {
        String warehouse = required(script, "warehouse").asText();
        Options options = new Options();
        options.set("warehouse", warehouse);
        this.catalog = CatalogFactory.createCatalog(CatalogContext.create(options));
        this.identifier = Identifier.create(required(script, "database").asText(), required(script, "table").asText());
        JsonNode user = script.get("commitUser");
        this.commitUser = user == null || user.isNull() ? UUID.randomUUID().toString() : user.asText();
        this.ignoreEmptyCommit = script.path("ignoreEmptyCommit").asBoolean(true);
    }

    /** Runs the ops in order; returns one summary line per op (for the caller's log). */
    List<String> run(JsonNode ops) throws Exception {
        List<String> done = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String name = required(op, "op").asText();
            try {
                done.add(apply(name, op));
            } catch (Exception | Error e) {
                throw new RuntimeException("op #" + i + " (" + name + ") failed: " + e, e);
            }
        }
        return done;
    }

    private String apply(String name, JsonNode op) throws Exception {
        switch (name) {
            case "create":
                return create(required(op, "schema"), op.path("ignoreIfExists").asBoolean(false));
            case "write":
                return write(required(op, "rows"), null, op);
            case "delete":
                return write(required(op, "rows"), RowKind.DELETE, op);
            case "generate":
                return RowGenerator.generate(table(), op, commitUser, commitIdentifier(op), ioManager, this::newCommit);
            case "compact":
                return compact(op.path("full").asBoolean(true), op);
            case "alter":
                return alter(required(op, "changes"));
            case "tag":
                return tag(op);
            case "rollback":
                return rollback(op);
            default:
                throw new IllegalArgumentException("unknown op '" + name + "'");
        }
    }

    private String create(JsonNode schemaJson, boolean ignoreIfExists) throws Exception {
        Schema.Builder b = Schema.newBuilder();
        for (JsonNode f : required(schemaJson, "fields")) {
            JsonNode comment = f.get("comment");
            b.column(required(f, "name").asText(), parseType(required(f, "type")), comment == null ? null : comment.asText());
        }
        List<String> pk = strings(schemaJson.get("primaryKeys"));
        if (!pk.isEmpty()) b.primaryKey(pk);
        List<String> partitions = strings(schemaJson.get("partitionKeys"));
        if (!partitions.isEmpty()) b.partitionKeys(partitions);
        JsonNode opts = schemaJson.get("options");
        if (opts != null) {
            Iterator<Map.Entry<String, JsonNode>> it = opts.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                b.option(e.getKey(), e.getValue().asText());
            }
        }
        if (schemaJson.hasNonNull("comment")) b.comment(schemaJson.get("comment").asText());
        catalog.createDatabase(identifier.getDatabaseName(), true);
        catalog.createTable(identifier, b.build(), ignoreIfExists);
        return "created " + identifier;
    }

    private String write(JsonNode rows, RowKind forced, JsonNode op) throws Exception {
        FileStoreTable table = table();
        List<org.apache.paimon.data.InternalRow> converted = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            RowKind kind = forced != null ? forced : JsonValues.rowKind(row, RowKind.INSERT);
            converted.add(JsonValues.rowFromJson(table.rowType(), row, kind, "rows[" + i + "]"));
        }
        if (op.has("overwrite")) {
            BatchWriteBuilder builder = table.newBatchWriteBuilder().withOverwrite(stringMap(op.get("overwrite")));
            try (BatchTableWrite w = builder.newWrite(); BatchTableCommit c = builder.newCommit()) {
                w.withIOManager(ioManager);
                BucketChooser buckets = new BucketChooser(table, commitUser);
                for (org.apache.paimon.data.InternalRow r : converted) buckets.write(w, r);
                c.commit(w.prepareCommit());
            }
            return "overwrote " + converted.size() + " rows";
        }
        long id = commitIdentifier(op);
        StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser(commitUser);
        try (StreamTableWrite w = builder.newWrite(); StreamTableCommit c = newCommit(builder)) {
            w.withIOManager(ioManager);
            BucketChooser buckets = new BucketChooser(table, commitUser);
            for (org.apache.paimon.data.InternalRow r : converted) buckets.write(w, r);
            c.commit(id, w.prepareCommit(true, id));
        }
        return "wrote " + converted.size() + " rows (commit " + id + ")";
    }

    /**
     * Bucketed tables: TableWrite.compact on every (partition, bucket) of the latest
     * snapshot. Unaware-bucket append tables (bucket = -1): Paimon's append compaction
     * coordinator picks the small files (it may pick none).
     */
    private String compact(boolean full, JsonNode op) throws Exception {
        FileStoreTable table = table();
        long id = commitIdentifier(op);
        StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser(commitUser);
        try (StreamTableWrite w = builder.newWrite(); StreamTableCommit c = newCommit(builder)) {
            w.withIOManager(ioManager);
            List<CommitMessage> messages = new ArrayList<>();
            int units = 0;
            if (table.bucketMode() == BucketMode.BUCKET_UNAWARE) {
                BaseAppendFileStoreWrite appendWrite = (BaseAppendFileStoreWrite) ((TableWriteImpl<?>) w).getWrite();
                for (AppendCompactTask task : new AppendCompactCoordinator(table, false).run()) {
                    messages.add(task.doCompact(table, appendWrite));
                    units++;
                }
            } else {
                Map<BinaryRow, Set<Integer>> buckets = new LinkedHashMap<>();
                for (Split s : table.newReadBuilder().newScan().plan().splits()) {
                    DataSplit d = (DataSplit) s;
                    buckets.computeIfAbsent(d.partition(), k -> new LinkedHashSet<>()).add(d.bucket());
                }
                for (Map.Entry<BinaryRow, Set<Integer>> e : buckets.entrySet()) {
                    for (int bucket : e.getValue()) {
                        w.compact(e.getKey(), bucket, full);
                        units++;
                    }
                }
                messages.addAll(w.prepareCommit(true, id));
            }
            c.commit(id, messages);
            return "compacted " + units + (table.bucketMode() == BucketMode.BUCKET_UNAWARE ? " task(s)" : " bucket(s)") + " (commit " + id + ")";
        }
    }

    /** Without this a stream commit of compaction alone also writes an empty APPEND snapshot. */
    StreamTableCommit newCommit(StreamWriteBuilder builder) {
        return ((InnerTableCommit) builder.newCommit()).ignoreEmptyCommit(ignoreEmptyCommit);
    }

    private String alter(JsonNode changes) throws Exception {
        List<SchemaChange> list = new ArrayList<>();
        for (JsonNode ch : changes) list.add(schemaChange(ch));
        catalog.alterTable(identifier, list, false);
        return "altered with " + list.size() + " change(s)";
    }

    private static SchemaChange schemaChange(JsonNode ch) {
        if (ch.size() != 1) throw new IllegalArgumentException("a schema change is an object with one key, got " + ch);
        String kind = ch.fieldNames().next();
        JsonNode a = ch.get(kind);
        switch (kind) {
            case "addColumn": {
                String name = required(a, "name").asText();
                String comment = a.hasNonNull("comment") ? a.get("comment").asText() : null;
                SchemaChange.Move move = null;
                if (a.path("first").asBoolean(false)) move = SchemaChange.Move.first(name);
                else if (a.hasNonNull("after")) move = SchemaChange.Move.after(name, a.get("after").asText());
                return SchemaChange.addColumn(name, parseType(required(a, "type")), comment, move);
            }
            case "renameColumn":
                return SchemaChange.renameColumn(required(a, "from").asText(), required(a, "to").asText());
            case "dropColumn":
                return SchemaChange.dropColumn(a.isTextual() ? a.asText() : required(a, "name").asText());
            case "updateColumnType":
                return SchemaChange.updateColumnType(required(a, "name").asText(), parseType(required(a, "type")));
            case "updateColumnNullability":
                return SchemaChange.updateColumnNullability(required(a, "name").asText(), required(a, "nullable").asBoolean());
            case "updateColumnComment":
                return SchemaChange.updateColumnComment(required(a, "name").asText(), required(a, "comment").asText());
            case "setOption":
                return SchemaChange.setOption(required(a, "key").asText(), required(a, "value").asText());
            case "removeOption":
                return SchemaChange.removeOption(a.isTextual() ? a.asText() : required(a, "key").asText());
            case "updateComment":
                return SchemaChange.updateComment(a.isNull() ? null : a.asText());
            default:
                throw new IllegalArgumentException("unknown schema change '" + kind + "'");
        }
    }

    private String tag(JsonNode op) throws Exception {
        String name = required(op, "name").asText();
        FileStoreTable table = table();
        if (op.hasNonNull("snapshot")) table.createTag(name, op.get("snapshot").asLong());
        else table.createTag(name);
        return "tagged " + name;
    }

    private String rollback(JsonNode op) throws Exception {
        FileStoreTable table = table();
        if (op.hasNonNull("tag")) table.rollbackTo(op.get("tag").asText());
        else table.rollbackTo(required(op, "snapshot").asLong());
        return "rolled back";
    }

    private FileStoreTable table() throws Exception {
        return (FileStoreTable) catalog.getTable(identifier);
    }

    private long commitIdentifier(JsonNode op) {
        if (op.hasNonNull("commitIdentifier")) {
            long id = op.get("commitIdentifier").asLong();
            nextCommitIdentifier = Math.max(nextCommitIdentifier, id + 1);
            return id;
        }
        return nextCommitIdentifier++;
    }

    static DataType parseType(JsonNode type) {
        return TypeParser.parse(type);
    }

    static JsonNode required(JsonNode obj, String key) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing '" + key + "' in " + abbreviate(obj));
        return v;
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    static Map<String, String> stringMap(JsonNode obj) {
        Map<String, String> out = new LinkedHashMap<>();
        if (obj == null || !obj.isObject()) return out;
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            catalog.close();
        } finally {
            ioManager.close();
        }
    }

    /**
     * Fixed, postpone and unaware buckets come from the row itself. Dynamic-bucket tables
     * (bucket = -1 with a primary key) need the caller to pick the bucket: Paimon's
     * HashBucketAssigner does it as Flink's assigner operator does, from the hash of the
     * trimmed primary key and the table's hash index, with a single assigner.
     */
    static final class BucketChooser {
        private final HashBucketAssigner assigner;
        private final RowPartitionKeyExtractor keys;

        BucketChooser(FileStoreTable table, String commitUser) {
            BucketMode mode = table.bucketMode();
            if (mode == BucketMode.KEY_DYNAMIC) {
                throw new UnsupportedOperationException("cross-partition upsert tables (bucket = -1, primary key without all partition keys) are not supported by this peer");
            }
            if (mode != BucketMode.HASH_DYNAMIC) {
                assigner = null;
                keys = null;
                return;
            }
            CoreOptions options = table.coreOptions();
            Integer maxBuckets = options.dynamicBucketMaxBuckets();
            assigner = new HashBucketAssigner(table.snapshotManager(), commitUser, table.store().newIndexFileHandler(), 1, 1, 0,
                    options.dynamicBucketTargetRowNum(), maxBuckets == null ? -1 : maxBuckets);
            keys = new RowPartitionKeyExtractor(table.schema());
        }

        void write(org.apache.paimon.table.sink.TableWrite w, org.apache.paimon.data.InternalRow row) throws Exception {
            if (assigner == null) {
                w.write(row);
                return;
            }
            w.write(row, assigner.assign(keys.partition(row), keys.trimmedPrimaryKey(row).hashCode()));
        }
    }
}
