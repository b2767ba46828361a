/**
 * Counters, gauges and latency histograms rendered in the Prometheus text exposition
 * format (version 0.0.4). Pure: no IO; the HTTP endpoint asks for `render()` on every
 * scrape. Label sets are small and fixed by the caller (service and method names), so
 * series are kept in plain maps keyed by their rendered label text.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export type Labels = Readonly<Record<string, string>>;

/** Seconds; Prometheus's default latency buckets, from 5 ms to 10 s. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
}

interface HistogramSeries {
  readonly labels: Labels;
  readonly counts: number[];
  sum: number;
  count: number;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();
  private readonly values = new Map<string, Map<string, { labels: Labels; value: number }>>();
  private readonly histograms = new Map<string, Map<string, HistogramSeries>>();

  constructor(private readonly buckets: readonly number[] = LATENCY_BUCKETS_SECONDS) {}

  /** Adds `by` (default 1) to a counter. */
  increment(name: string, help: string, labels: Labels = {}, by = 1): void {
    const series = this.series(name, help, "counter");
    const key = labelText(labels);
    const s = series.get(key);
    if (s === undefined) series.set(key, { labels, value: by });
    else s.value += by;
  }

  /** Sets a gauge (or a counter whose total is read from elsewhere, e.g. snapshot ids). */
  set(name: string, help: string, type: "counter" | "gauge", labels: Labels, value: number): void {
    this.series(name, help, type).set(labelText(labels), { labels, value });
  }

  /** Records one observation, in seconds, into a histogram. */
  observe(name: string, help: string, labels: Labels, seconds: number): void {
    this.declare(name, help, "histogram");
    let family = this.histograms.get(name);
    if (family === undefined) {
      family = new Map();
      this.histograms.set(name, family);
    }
    const key = labelText(labels);
    let s = family.get(key);
    if (s === undefined) {
      s = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      family.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }

  /** Drops every series of a family (for values recomputed from scratch on each scrape). */
  clear(name: string): void {
    this.values.get(name)?.clear();
    this.histograms.get(name)?.clear();
  }

  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
      if (f.type === "histogram") {
        for (const s of this.histograms.get(f.name)?.values() ?? []) {
          this.buckets.forEach((le, i) => {
            lines.push(`${f.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`);
          });
          lines.push(`${f.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
          lines.push(`${f.name}_sum${labelText(s.labels)} ${s.sum}`, `${f.name}_count${labelText(s.labels)} ${s.count}`);
        }
      } else {
        for (const s of this.values.get(f.name)?.values() ?? []) lines.push(`${f.name}${labelText(s.labels)} ${s.value}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  private series(name: string, help: string, type: "counter" | "gauge"): Map<string, { labels: Labels; value: number }> {
    this.declare(name, help, type);
    let m = this.values.get(name);
    if (m === undefined) {
      m = new Map();
      this.values.set(name, m);
    }
    return m;
  }

  private declare(name: string, help: string, type: Family["type"]): void {
    const known = this.families.get(name);
    if (known === undefined) this.families.set(name, { name, help, type });
    else if (known.type !== type) throw new StreamhouseError(ErrorKind.InvalidArgument, `metric ${name} is a ${known.type}, not a ${type}`);
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`).join(",")}}`;
}

function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
