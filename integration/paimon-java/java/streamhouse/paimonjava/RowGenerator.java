package streamhouse.paimonjava;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.types.DataTypeRoot;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;

/**
 * The "generate" op: one commit of rows made up in Java from a seed, for tables too big
 * to send as JSON (benchmarks).
 *
 * <pre>
 * {"op": "generate", "rows": 2000000, "keySpace": 4000000, "seed": 1}
 * </pre>
 *
 * The table needs a single-column primary key of type BIGINT or INT. The keys are
 * `rows` distinct values drawn from [0, keySpace) by a seeded partial Fisher-Yates
 * shuffle, written in that (random) order, all +I. Other columns by type: BIGINT and INT
 * random, DOUBLE random in [0, 1000), STRING/VARCHAR/CHAR "user-KEY-N" (N random), BOOLEAN
 * random, anything else null. The same seed gives the same rows.
 */
final class RowGenerator {
    /** An int[] of the key space is held in memory; this bounds it (400 MB). */
    private static final long MAX_KEY_SPACE = 100_000_000L;

    private RowGenerator() {}

    static String generate(FileStoreTable table, JsonNode op, String commitUser, long commitIdentifier, IOManager ioManager,
            Function<StreamWriteBuilder, StreamTableCommit> newCommit) throws Exception {
        long rows = ScriptRunner.required(op, "rows").asLong();
        long keySpace = op.path("keySpace").asLong(rows);
        long seed = op.path("seed").asLong(0);
        if (rows < 0 || rows > keySpace || keySpace > MAX_KEY_SPACE) {
            throw new IllegalArgumentException("generate needs 0 <= rows <= keySpace <= " + MAX_KEY_SPACE + ", got rows " + rows + ", keySpace " + keySpace);
        }
        RowType type = table.rowType();
        if (table.primaryKeys().size() != 1) throw new IllegalArgumentException("generate needs a single-column primary key");
        int keyIndex = type.getFieldIndex(table.primaryKeys().get(0));
        DataTypeRoot keyRoot = type.getTypeAt(keyIndex).getTypeRoot();
        if (keyRoot != DataTypeRoot.BIGINT && keyRoot != DataTypeRoot.INTEGER) {
            throw new IllegalArgumentException("generate needs a BIGINT or INT primary key, got " + type.getTypeAt(keyIndex));
        }
        int arity = type.getFieldCount();
        DataTypeRoot[] roots = new DataTypeRoot[arity];
        for (int f = 0; f < arity; f++) roots[f] = type.getTypeAt(f).getTypeRoot();

        SplittableRandom random = new SplittableRandom(seed);
        int n = (int) keySpace;
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) keys[i] = i;

        StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser(commitUser);
        try (StreamTableWrite w = builder.newWrite(); StreamTableCommit c = newCommit.apply(builder)) {
            w.withIOManager(ioManager);
            ScriptRunner.BucketChooser buckets = new ScriptRunner.BucketChooser(table, commitUser);
            for (int i = 0; i < rows; i++) {
                int j = i + random.nextInt(n - i);
                int key = keys[j];
                keys[j] = keys[i];
                keys[i] = key;
                GenericRow row = new GenericRow(RowKind.INSERT, arity);
                for (int f = 0; f < arity; f++) {
                    if (f == keyIndex) {
                        row.setField(f, keyRoot == DataTypeRoot.BIGINT ? (Object) (long) key : (Object) key);
                        continue;
                    }
                    switch (roots[f]) {
                        case BIGINT:
                            row.setField(f, random.nextLong());
                            break;
                        case INTEGER:
                            row.setField(f, random.nextInt(1_000_000));
                            break;
                        case DOUBLE:
                            row.setField(f, random.nextDouble() * 1000);
                            break;
                        case CHAR:
                        case VARCHAR:
                            row.setField(f, BinaryString.fromString("user-" + key + "-" + random.nextInt(1_000_000)));
                            break;
                        case BOOLEAN:
                            row.setField(f, random.nextBoolean());
                            break;
                        default:
                            row.setField(f, null);
                    }
                }
                buckets.write(w, row);
            }
            c.commit(commitIdentifier, w.prepareCommit(true, commitIdentifier));
        }
        return "generated " + rows + " rows (commit " + commitIdentifier + ")";
    }
}
