// Streamhouse's declaration of the fb303 base service that the Hive Metastore
// service extends. Written from the protocol's facts (method names, field ids,
// types); only the methods Streamhouse serves are declared, because a declared
// method the handler lacks breaks the npm `thrift` runtime's processor.

namespace java com.facebook.fb303

enum fb_status {
  DEAD = 0,
  STARTING = 1,
  ALIVE = 2,
  STOPPING = 3,
  STOPPED = 4,
  WARNING = 5,
}

service FacebookService {
  string getName(),
  string getVersion(),
  fb_status getStatus(),
  string getStatusDetails(),
  map<string, i64> getCounters(),
  i64 getCounter(1: string key),
  string getOption(1: string key),
  map<string, string> getOptions(),
  i64 aliveSince(),
  // One-way: no reply is ever written. Spark's Hive 2.3 client sends it when
  // it closes a connection.
  oneway void shutdown(),
}
