import { describe, expect, it } from "vitest";
import { callMetrics } from "../src/serve/call-metrics.js";
import { MetricsRegistry } from "../src/serve/metrics-registry.js";

describe("MetricsRegistry", () => {
  it("renders counters, gauges and cumulative histogram buckets in the Prometheus text format", () => {
    const r = new MetricsRegistry([0.1, 1]);
    r.increment("requests_total", "Requests.", { outcome: "ok" });
    r.increment("requests_total", "Requests.", { outcome: "ok" }, 2);
    r.increment("requests_total", "Requests.", { outcome: "error" });
    r.set("files", "Files.", "gauge", { table: 'a"b\\c' }, 7);
    for (const s of [0.05, 0.5, 5]) r.observe("latency_seconds", "Latency.", {}, s);
    expect(r.render()).toBe(
      [
        "# HELP requests_total Requests.",
        "# TYPE requests_total counter",
        'requests_total{outcome="ok"} 3',
        'requests_total{outcome="error"} 1',
        "# HELP files Files.",
        "# TYPE files gauge",
        'files{table="a\\"b\\\\c"} 7',
        "# HELP latency_seconds Latency.",
        "# TYPE latency_seconds histogram",
        'latency_seconds_bucket{le="0.1"} 1',
        'latency_seconds_bucket{le="1"} 2',
        'latency_seconds_bucket{le="+Inf"} 3',
        "latency_seconds_sum 5.55",
        "latency_seconds_count 3",
        "",
      ].join("\n"),
    );
  });

  it("clears a family for values recomputed on each scrape, and refuses one name with two types", () => {
    const r = new MetricsRegistry();
    r.set("commits_total", "Commits.", "counter", { table: "t" }, 3);
    r.clear("commits_total");
    expect(r.render()).toBe("# HELP commits_total Commits.\n# TYPE commits_total counter\n");
    expect(() => r.set("commits_total", "Commits.", "gauge", {}, 1)).toThrow(/commits_total is a counter, not a gauge/);
  });

  it("counts and times each server call by method and outcome, folding names past the limit into other", () => {
    const r = new MetricsRegistry([0.3]);
    const onCall = callMetrics(r, "svc", "Service", 2);
    onCall("get_table", 250, true);
    onCall("get_table", 500, false);
    onCall("get_all_databases", 1, true);
    onCall("made_up_1", 1, false);
    onCall("made_up_2", 1, false);
    onCall("get_table", 250, true);
    const text = r.render();
    expect(text).toContain('svc_requests_total{method="get_table",outcome="ok"} 2\n');
    expect(text).toContain('svc_requests_total{method="get_table",outcome="error"} 1\n');
    expect(text).toContain('svc_requests_total{method="other",outcome="error"} 2\n');
    expect(text).not.toContain("made_up");
    expect(text).toContain('svc_request_duration_seconds_bucket{method="get_table",le="0.3"} 2\n');
    expect(text).toContain('svc_request_duration_seconds_bucket{method="get_table",le="+Inf"} 3\n');
    expect(text).toContain('svc_request_duration_seconds_sum{method="get_table"} 1\n');
    expect(text).toContain('svc_request_duration_seconds_count{method="other"} 2\n');
  });
});
