package streamhouse.hiveclient;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.LockComponentBuilder;
import org.apache.hadoop.hive.metastore.LockRequestBuilder;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.CurrentNotificationEventId;
import org.apache.hadoop.hive.metastore.api.DataOperationType;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LongColumnStatsData;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableMeta;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.thrift.TApplicationException;

/**
 * A scripted conformance sequence run through Hive's own metastore client against a
 * Hive-Metastore-compatible server. Usage: Conformance HOST:PORT WAREHOUSE_DIR [PLAIN_USER].
 * With PLAIN_USER the client authenticates with SASL PLAIN (metastore.client.auth.mode=PLAIN)
 * as that user; its password, read from the environment variable STREAMHOUSE_HMS_PASSWORD,
 * is handed to the client the way Hive expects it: an entry named after the user in a
 * Hadoop credential provider (a JCEKS keystore in a temporary directory).
 * Prints one JSON line per step on stdout:
 * {"step":"name","ok":true} or {"step":"name","ok":false,"error":"..."}.
 * Every step runs even if an earlier one failed; each checks its own result.
 */
public final class Conformance {
  private static final String DB = "sh_conformance";
  private static final String TBL = "events";
  private static final String FN = "sh_upper";

  private interface Step {
    void run() throws Exception;
  }

  private static final class Mismatch extends Exception {
    Mismatch(String message) {
      super(message);
    }
  }

  private static void check(boolean condition, String message) throws Mismatch {
    if (!condition) throw new Mismatch(message);
  }

  private static void checkEquals(Object expected, Object actual, String what) throws Mismatch {
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new Mismatch(what + ": expected " + expected + ", got " + actual);
    }
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static void step(String name, Step body) {
    String line;
    try {
      body.run();
      line = "{\"step\":" + json(name) + ",\"ok\":true}";
    } catch (Throwable t) {
      String message = t.getClass().getSimpleName() + ": " + t.getMessage();
      Throwable cause = t.getCause();
      if (cause != null && cause != t) message += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
      if (t instanceof RuntimeException) {
        // A client-side failure: where it happened says more than its message.
        StackTraceElement[] at = t.getStackTrace();
        for (int i = 0; i < Math.min(3, at.length); i++) message += " at " + at[i];
      }
      line = "{\"step\":" + json(name) + ",\"ok\":false,\"error\":" + json(message) + "}";
    }
    System.out.println(line);
    System.out.flush();
  }

  private static List<FieldSchema> columns() {
    return new ArrayList<>(Arrays.asList(
        new FieldSchema("id", "bigint", "the event id"),
        new FieldSchema("payload", "string", null)));
  }

  private static StorageDescriptor sd(String location) {
    SerDeInfo serde = new SerDeInfo("events", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", new HashMap<>(Map.of("field.delim", ",")));
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(columns());
    sd.setLocation(location);
    sd.setInputFormat("org.apache.hadoop.mapred.TextInputFormat");
    sd.setOutputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
    sd.setCompressed(false);
    sd.setNumBuckets(-1);
    sd.setSerdeInfo(serde);
    sd.setBucketCols(new ArrayList<>());
    sd.setSortCols(new ArrayList<>());
    sd.setParameters(new HashMap<>());
    return sd;
  }

  private static Partition partition(String tableLocation, String dt) {
    Partition p = new Partition();
    p.setDbName(DB);
    p.setTableName(TBL);
    p.setValues(new ArrayList<>(List.of(dt)));
    p.setSd(sd(tableLocation + "/dt=" + dt));
    p.setParameters(new HashMap<>());
    return p;
  }

  private static List<String> partitionValues(List<Partition> parts) {
    List<String> out = new ArrayList<>();
    for (Partition p : parts) out.add(String.join("/", p.getValues()));
    Collections.sort(out);
    return out;
  }

  /** The Thrift client inside HiveMetaStoreClient, for set-up through older calls. */
  private static ThriftHiveMetastore.Iface legacy(IMetaStoreClient c) throws ReflectiveOperationException {
    Field f = HiveMetaStoreClient.class.getDeclaredField("client");
    f.setAccessible(true);
    return (ThriftHiveMetastore.Iface) f.get(c);
  }

  /** SASL PLAIN as Hive 4 clients configure it: the password comes from a credential provider. */
  private static void plainAuth(Configuration conf, String user) throws Exception {
    String password = System.getenv("STREAMHOUSE_HMS_PASSWORD");
    if (password == null) throw new IllegalArgumentException("STREAMHOUSE_HMS_PASSWORD is not set");
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("streamhouse-hms-cred");
    java.io.File store = dir.resolve("client.jceks").toFile();
    store.deleteOnExit();
    dir.toFile().deleteOnExit();
    conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, "jceks://file" + store.getAbsolutePath());
    CredentialProvider provider = CredentialProviderFactory.getProviders(conf).get(0);
    provider.createCredentialEntry(user, password.toCharArray());
    provider.flush();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.METASTORE_CLIENT_AUTH_MODE, "PLAIN");
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.METASTORE_CLIENT_PLAIN_USERNAME, user);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: Conformance HOST:PORT WAREHOUSE_DIR [PLAIN_USER]");
      System.exit(2);
    }
    String warehouse = args[1].replaceAll("/+$", "");
    String dbLocation = warehouse + "/" + DB + ".db";
    String tableLocation = dbLocation + "/" + TBL;

    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, "thrift://" + args[0]);
    MetastoreConf.setBoolVar(conf, MetastoreConf.ConfVars.USE_THRIFT_SASL, false);
    MetastoreConf.setBoolVar(conf, MetastoreConf.ConfVars.EXECUTE_SET_UGI, true);
    MetastoreConf.setLongVar(conf, MetastoreConf.ConfVars.THRIFT_CONNECTION_RETRIES, 1);
    MetastoreConf.setTimeVar(conf, MetastoreConf.ConfVars.CLIENT_SOCKET_TIMEOUT, 30, java.util.concurrent.TimeUnit.SECONDS);
    conf.set("hive.metastore.execute.setugi", "true");
    if (args.length == 3) plainAuth(conf, args[2]);

    IMetaStoreClient[] holder = new IMetaStoreClient[1];
    step("connect", () -> holder[0] = new HiveMetaStoreClient(conf));
    IMetaStoreClient c = holder[0];
    if (c == null) System.exit(1);

    step("getAllDatabases", () -> {
      List<String> dbs = c.getAllDatabases();
      check(dbs.contains("default"), "no 'default' database in " + dbs);
      check(!dbs.contains(DB), DB + " exists before it was created: " + dbs);
    });

    step("createDatabase", () -> {
      Database db = new Database(DB, "Streamhouse conformance database", dbLocation, new HashMap<>(Map.of("owner.team", "streamhouse")));
      db.setOwnerName("streamhouse");
      db.setOwnerType(PrincipalType.USER);
      try {
        c.createDatabase(db);
      } catch (TApplicationException e) {
        // So that the later steps test what they are about rather than fail in cascade.
        db.setCatalogName("hive");
        legacy(c).create_database(db);
        throw new Mismatch(e.getMessage() + " (the database was created through the older create_database call instead, for the later steps)");
      }
    });

    step("getDatabase", () -> {
      Database db = c.getDatabase(DB);
      checkEquals(DB, db.getName(), "name");
      checkEquals("Streamhouse conformance database", db.getDescription(), "description");
      checkEquals("streamhouse", db.getParameters().get("owner.team"), "parameter owner.team");
      check(db.getLocationUri() != null && db.getLocationUri().endsWith(DB + ".db"), "location " + db.getLocationUri());
    });

    step("createTable", () -> {
      Table t = new Table();
      t.setDbName(DB);
      t.setTableName(TBL);
      t.setOwner("streamhouse");
      t.setOwnerType(PrincipalType.USER);
      t.setTableType("EXTERNAL_TABLE");
      t.setSd(sd(tableLocation));
      t.setPartitionKeys(new ArrayList<>(List.of(new FieldSchema("dt", "string", "day"))));
      t.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE", "comment", "conformance table")));
      c.createTable(t);
    });

    step("getTable", () -> {
      Table t = c.getTable(DB, TBL);
      checkEquals(TBL, t.getTableName(), "table name");
      checkEquals(DB, t.getDbName(), "database name");
      checkEquals("EXTERNAL_TABLE", t.getTableType(), "table type");
      List<String> cols = new ArrayList<>();
      for (FieldSchema f : t.getSd().getCols()) cols.add(f.getName() + ":" + f.getType());
      checkEquals(List.of("id:bigint", "payload:string"), cols, "columns");
      checkEquals(1, t.getPartitionKeysSize(), "partition key count");
      checkEquals("dt", t.getPartitionKeys().get(0).getName(), "partition key");
      checkEquals("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", t.getSd().getSerdeInfo().getSerializationLib(), "serde");
      checkEquals(",", t.getSd().getSerdeInfo().getParameters().get("field.delim"), "serde parameter field.delim");
      check(t.getSd().getLocation() != null && t.getSd().getLocation().endsWith("/" + DB + ".db/" + TBL), "location " + t.getSd().getLocation());
      checkEquals("conformance table", t.getParameters().get("comment"), "parameter comment");
    });

    step("tableExists", () -> {
      check(c.tableExists(DB, TBL), "tableExists(" + TBL + ") is false");
      check(!c.tableExists(DB, "no_such_table"), "tableExists(no_such_table) is true");
    });

    step("getTables ev*", () -> checkEquals(List.of(TBL), c.getTables(DB, "ev*"), "getTables(ev*)"));
    step("getTables *", () -> checkEquals(List.of(TBL), c.getTables(DB, "*"), "getTables(*)"));
    step("getTables nothing*", () -> checkEquals(List.of(), c.getTables(DB, "nothing*"), "getTables(nothing*)"));

    step("getAllTables", () -> checkEquals(List.of(TBL), c.getAllTables(DB), "getAllTables"));

    step("getTableMeta", () -> {
      List<TableMeta> metas = c.getTableMeta(DB, "ev*", null);
      checkEquals(1, metas.size(), "number of table metas");
      TableMeta m = metas.get(0);
      checkEquals(DB, m.getDbName(), "dbName");
      checkEquals(TBL, m.getTableName(), "tableName");
      checkEquals("EXTERNAL_TABLE", m.getTableType(), "tableType");
      checkEquals(0, c.getTableMeta(DB, "*", Arrays.asList("VIRTUAL_VIEW")).size(), "views");
    });

    step("alter_table", () -> {
      Table t = c.getTable(DB, TBL);
      t.getParameters().put("streamhouse.conformance", "altered");
      c.alter_table(DB, TBL, t);
      Table after = c.getTable(DB, TBL);
      checkEquals("altered", after.getParameters().get("streamhouse.conformance"), "parameter after alter");
      checkEquals("conformance table", after.getParameters().get("comment"), "kept parameter comment");
    });

    step("add_partition", () -> {
      Partition p = c.add_partition(partition(tableLocation, "2026-01-01"));
      checkEquals(List.of("2026-01-01"), p.getValues(), "returned partition values");
    });

    step("add_partitions", () -> {
      int n = c.add_partitions(new ArrayList<>(List.of(partition(tableLocation, "2026-01-02"), partition(tableLocation, "2026-01-03"))));
      checkEquals(2, n, "partitions added");
    });

    step("listPartitions", () -> {
      List<Partition> parts = c.listPartitions(DB, TBL, (short) -1);
      checkEquals(List.of("2026-01-01", "2026-01-02", "2026-01-03"), partitionValues(parts), "partition values");
      for (Partition p : parts) {
        check(p.getSd() != null && p.getSd().getLocation() != null && p.getSd().getLocation().endsWith("/dt=" + p.getValues().get(0)), "location " + (p.getSd() == null ? null : p.getSd().getLocation()));
      }
    });

    step("listPartitionNames", () -> {
      List<String> names = new ArrayList<>(c.listPartitionNames(DB, TBL, (short) -1));
      Collections.sort(names);
      checkEquals(List.of("dt=2026-01-01", "dt=2026-01-02", "dt=2026-01-03"), names, "partition names");
    });

    step("getPartitionsByNames", () -> {
      List<Partition> parts = c.getPartitionsByNames(DB, TBL, Arrays.asList("dt=2026-01-01", "dt=2026-01-03", "dt=1999-01-01"));
      checkEquals(List.of("2026-01-01", "2026-01-03"), partitionValues(parts), "partition values");
    });

    step("listPartitionsByFilter", () -> {
      List<Partition> parts = c.listPartitionsByFilter(DB, TBL, "dt = '2026-01-01'", (short) -1);
      checkEquals(List.of("2026-01-01"), partitionValues(parts), "partition values");
      checkEquals(List.of("2026-01-02", "2026-01-03"), partitionValues(c.listPartitionsByFilter(DB, TBL, "dt > '2026-01-01'", (short) -1)), "dt > '2026-01-01'");
    });

    step("dropPartition", () -> {
      check(c.dropPartition(DB, TBL, Arrays.asList("2026-01-02"), false), "dropPartition returned false");
      checkEquals(List.of("2026-01-01", "2026-01-03"), partitionValues(c.listPartitions(DB, TBL, (short) -1)), "partitions after drop");
    });

    step("updateTableColumnStatistics", () -> {
      ColumnStatisticsDesc desc = new ColumnStatisticsDesc(true, DB, TBL);
      LongColumnStatsData longs = new LongColumnStatsData(0, 42);
      longs.setLowValue(1);
      longs.setHighValue(100);
      ColumnStatisticsObj obj = new ColumnStatisticsObj("id", "bigint", ColumnStatisticsData.longStats(longs));
      ColumnStatistics stats = new ColumnStatistics(desc, new ArrayList<>(List.of(obj)));
      stats.setEngine("hive");
      check(c.updateTableColumnStatistics(stats), "updateTableColumnStatistics returned false");
    });

    step("getTableColumnStatistics", () -> {
      List<ColumnStatisticsObj> objs = c.getTableColumnStatistics(DB, TBL, Arrays.asList("id"), "hive");
      checkEquals(1, objs.size(), "number of statistics objects");
      ColumnStatisticsObj o = objs.get(0);
      checkEquals("id", o.getColName(), "column");
      check(o.getStatsData().isSetLongStats(), "not long statistics: " + o.getStatsData());
      LongColumnStatsData l = o.getStatsData().getLongStats();
      checkEquals(42L, l.getNumDVs(), "numDVs");
      checkEquals(0L, l.getNumNulls(), "numNulls");
      checkEquals(1L, l.getLowValue(), "lowValue");
      checkEquals(100L, l.getHighValue(), "highValue");
    });

    step("createFunction", () -> {
      Function f = new Function();
      f.setDbName(DB);
      f.setFunctionName(FN);
      f.setClassName("streamhouse.udf.Upper");
      f.setOwnerName("streamhouse");
      f.setOwnerType(PrincipalType.USER);
      f.setCreateTime((int) (System.currentTimeMillis() / 1000));
      f.setFunctionType(FunctionType.JAVA);
      f.setResourceUris(new ArrayList<>());
      c.createFunction(f);
    });

    step("getFunction", () -> {
      Function f = c.getFunction(DB, FN);
      checkEquals(FN, f.getFunctionName(), "function name");
      checkEquals("streamhouse.udf.Upper", f.getClassName(), "class name");
      checkEquals(FunctionType.JAVA, f.getFunctionType(), "function type");
    });

    step("getFunction not found", () -> {
      try {
        Function f = c.getFunction(DB, "no_such_function");
        throw new Mismatch("expected NoSuchObjectException, got " + f);
      } catch (NoSuchObjectException e) {
        String m = String.valueOf(e.getMessage());
        check(m.contains("no_such_function") && m.contains("does not exist"), "message '" + m + "' does not say no_such_function does not exist");
      }
    });

    step("lock/checkLock/unlock", () -> {
      LockComponent comp = new LockComponentBuilder()
          .setDbName(DB)
          .setTableName(TBL)
          .setSharedRead()
          .setOperationType(DataOperationType.SELECT)
          .build();
      LockResponse r = c.lock(new LockRequestBuilder().addLockComponent(comp).setUser("streamhouse").build());
      checkEquals(LockState.ACQUIRED, r.getState(), "lock state");
      LockResponse checked = c.checkLock(r.getLockid());
      checkEquals(LockState.ACQUIRED, checked.getState(), "checkLock state");
      c.unlock(r.getLockid());
    });

    step("getCurrentNotificationEventId", () -> {
      CurrentNotificationEventId id = c.getCurrentNotificationEventId();
      check(id.getEventId() >= 0, "negative event id " + id.getEventId());
    });

    step("dropTable", () -> {
      c.dropTable(DB, TBL);
      check(!c.tableExists(DB, TBL), "table still exists after dropTable");
    });

    step("dropDatabase cascade", () -> {
      c.dropDatabase(DB, false, false, true);
      check(!c.getAllDatabases().contains(DB), "database still listed after dropDatabase");
    });

    c.close();
  }
}
