"""Runs PyFlink Table API steps on Streamhouse tables, described by one JSON argument.

    python flink_job.py '<spec>'

spec = {
  "jars": ["/path/a.jar", ...],             # pipeline.jars (Paimon, Hadoop, Hive client)
  "config": {"key": "value", ...},          # more Flink configuration
  "steps": [
    {"sql": "CREATE CATALOG ..."},           # any statement; waits for it to finish
    {"changelog": {                          # one streaming job: a bounded changelog
       "table": "cat.db.t",                  #   source INSERTed into a table; it ends
       "columns": [["id", "BIGINT"], ...],   #   with a final checkpoint, which commits
       "rows": [["+I", [1, "a"]], ...]}},
    {"await": "label"},                      # prints {"event": "waiting", ...} and
                                             #   reads one line from stdin first
    {"select": "SELECT ...", "limit": 5}     # streaming query: prints changes until
  ]                                          #   `limit` rows, then cancels the job
}

Output, one JSON object per line on stdout after the marker "@@streamhouse " (Flink's
own log lines may be interleaved):
  {"event": "ready", "flink": "2.0.1"}
  {"event": "step", "index": 0}                       after each step
  {"kind": "+I", "row": [1, "a"]}                      one per change of a select
  {"event": "done"}
Failures print {"event": "error", "message": ...} and exit 1. The parent bounds the
run: it kills the process group when its own timeout passes.
"""

import base64
import datetime
import decimal
import json
import sys
import traceback


# Flink's console logger writes to stdout too: our lines carry a marker.
MARKER = "@@streamhouse "


def emit(obj):
    sys.stdout.write(MARKER + json.dumps(obj, default=json_value) + "\n")
    sys.stdout.flush()


def json_value(v):
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (datetime.date, datetime.datetime, datetime.time)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode("ascii")
    raise TypeError(f"cannot encode {type(v).__name__} as JSON")


def row_kinds():
    from pyflink.common import RowKind

    return {"+I": RowKind.INSERT, "-U": RowKind.UPDATE_BEFORE, "+U": RowKind.UPDATE_AFTER, "-D": RowKind.DELETE}


def type_info(sql_type):
    """The DataStream type of a column in a changelog step (the few the tests need)."""
    from pyflink.common import Types

    by_name = {
        "BIGINT": Types.LONG(),
        "INT": Types.INT(),
        "STRING": Types.STRING(),
        "DOUBLE": Types.DOUBLE(),
        "BOOLEAN": Types.BOOLEAN(),
    }
    t = by_name.get(sql_type.upper())
    if t is None:
        raise ValueError(f"changelog steps support {sorted(by_name)}, not {sql_type}")
    return t


def run_changelog(env, t_env, index, step):
    from pyflink.common import Row, Types

    kinds = row_kinds()
    names = [c[0] for c in step["columns"]]
    types = [type_info(c[1]) for c in step["columns"]]
    rows = []
    for kind, values in step["rows"]:
        if kind not in kinds:
            raise ValueError(f"unknown row kind {kind}")
        rows.append(Row.of_kind(kinds[kind], *values))
    stream = env.from_collection(rows, type_info=Types.ROW_NAMED(names, types))
    view = f"streamhouse_changelog_{index}"
    t_env.create_temporary_view(view, t_env.from_changelog_stream(stream))
    column_list = ", ".join(f"`{n}`" for n in names)
    t_env.execute_sql(f"INSERT INTO {step['table']} ({column_list}) SELECT {column_list} FROM {view}").wait()
    t_env.drop_temporary_view(view)


def run_select(t_env, step):
    limit = step.get("limit")
    result = t_env.execute_sql(step["select"])
    kinds = {v: k for k, v in row_kinds().items()}
    seen = 0
    with result.collect() as rows:
        for row in rows:
            emit({"kind": kinds[row.get_row_kind()], "row": list(row)})
            seen += 1
            if limit is not None and seen >= limit:
                break


def main():
    spec = json.loads(sys.argv[1])
    from pyflink.datastream import StreamExecutionEnvironment
    from pyflink.common import Configuration
    from pyflink.table import StreamTableEnvironment
    from pyflink.version import __version__

    config = Configuration()
    config.set_string("pipeline.jars", ";".join(f"file://{j}" for j in spec.get("jars", [])))
    for k, v in spec.get("config", {}).items():
        config.set_string(k, str(v))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    t_env = StreamTableEnvironment.create(env)
    emit({"event": "ready", "flink": __version__})
    for index, step in enumerate(spec["steps"]):
        if "sql" in step:
            t_env.execute_sql(step["sql"]).wait()
        elif "changelog" in step:
            run_changelog(env, t_env, index, step["changelog"])
        elif "await" in step:
            # The parent does something between two steps (commits, say) and says go.
            emit({"event": "waiting", "index": index, "label": step["await"]})
            if sys.stdin.readline() == "":
                raise RuntimeError(f"step {index}: stdin closed while waiting for {step['await']}")
        elif "select" in step:
            run_select(t_env, step)
        else:
            raise ValueError(f"step {index}: expected sql, changelog, await or select, got {sorted(step)}")
        emit({"event": "step", "index": index})
    emit({"event": "done"})


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - report any failure as one line, then exit 1
        traceback.print_exc(file=sys.stderr)
        emit({"event": "error", "message": f"{type(e).__name__}: {e}"})
        sys.exit(1)
