package streamhouse.hivecheck;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;

/**
 * Reads one table's registration back through Hive's own metastore client and prints it
 * as one JSON line prefixed "REGISTRATION ", for the test to compare with what a Paimon
 * reader needs. Arguments: host:port database table.
 */
public final class ReadRegistration {
  private ReadRegistration() {}

  private static String str(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static String map(Map<String, String> m) {
    if (m == null) return "null";
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(str(e.getKey())).append(':').append(str(e.getValue()));
    }
    return b.append('}').toString();
  }

  private static String columns(List<FieldSchema> cols) {
    StringBuilder b = new StringBuilder("[");
    for (FieldSchema f : cols) {
      if (b.length() > 1) b.append(',');
      b.append('[').append(str(f.getName())).append(',').append(str(f.getType())).append(',').append(str(f.getComment())).append(']');
    }
    return b.append(']').toString();
  }

  public static void main(String[] args) throws Exception {
    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, "thrift://" + args[0]);
    MetastoreConf.setBoolVar(conf, MetastoreConf.ConfVars.USE_THRIFT_SASL, false);
    MetastoreConf.setLongVar(conf, MetastoreConf.ConfVars.THRIFT_CONNECTION_RETRIES, 1);
    MetastoreConf.setTimeVar(conf, MetastoreConf.ConfVars.CLIENT_SOCKET_TIMEOUT, 30, java.util.concurrent.TimeUnit.SECONDS);
    HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      Table t = client.getTable(args[1], args[2]);
      String json = "{"
          + "\"db\":" + str(t.getDbName())
          + ",\"table\":" + str(t.getTableName())
          + ",\"owner\":" + str(t.getOwner())
          + ",\"tableType\":" + str(t.getTableType())
          + ",\"createTime\":" + t.getCreateTime()
          + ",\"retention\":" + t.getRetention()
          + ",\"parameters\":" + map(t.getParameters())
          + ",\"location\":" + str(t.getSd().getLocation())
          + ",\"inputFormat\":" + str(t.getSd().getInputFormat())
          + ",\"outputFormat\":" + str(t.getSd().getOutputFormat())
          + ",\"serde\":" + str(t.getSd().getSerdeInfo().getSerializationLib())
          + ",\"serdeParameters\":" + map(t.getSd().getSerdeInfo().getParameters())
          + ",\"columns\":" + columns(t.getSd().getCols())
          + ",\"partitionKeys\":" + columns(t.getPartitionKeys())
          + ",\"allTables\":" + client.getAllTables(args[1]).size()
          + "}";
      System.out.println("REGISTRATION " + json);
    } finally {
      client.close();
    }
  }
}
