# A PySpark session that a test drives over stdin/stdout, one JSON request per line:
#   {"sql": "..."}                      -> {"ok": true, "columns": [...], "rows": [[...], ...]}
#   {"sql": "...", "inputFiles": true}  -> {"ok": true, "files": [...]}  (the files the query reads)
# and on failure {"ok": false, "error": "..."}. Our lines start with MARKER: the JVM shares
# this process's stdout, and anything it prints there is not ours.
#
# argv[1] is a JSON object of Spark configuration. The session uses Hive support, so its
# catalog is the metastore named by spark.hadoop.hive.metastore.uris. The process ends when
# stdin closes (and the JVM with it: PySpark's gateway exits when its parent's pipe closes).
import json
import sys

from pyspark.sql import SparkSession

MARKER = "@@streamhouse "


def reply(obj):
    sys.stdout.write(MARKER + json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def main():
    conf = json.loads(sys.argv[1])
    builder = SparkSession.builder.master("local[1]").appName("streamhouse-spark-test")
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    reply({"ok": True, "ready": True, "version": spark.version})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            frame = spark.sql(request["sql"])
            if request.get("inputFiles"):
                reply({"ok": True, "files": sorted(frame.inputFiles())})
            else:
                rows = [list(row) for row in frame.collect()]
                reply({"ok": True, "columns": frame.columns, "rows": rows})
        except Exception as e:  # noqa: BLE001 - every failure goes back to the test
            reply({"ok": False, "error": str(e)[:4000]})
    spark.stop()


main()
