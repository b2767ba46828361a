/**
 * The Trino connector service's own counters (`TrinoServiceHandle.stats()`), copied into
 * the registry on each scrape: splits planned, pages and rows served, data files opened,
 * failed calls, and the cursors of partly read splits held right now.
 */
import type { TrinoServiceStats } from "@streamhouse/trino";
import type { MetricsRegistry } from "./metrics-registry.js";

export function trinoServiceMetrics(registry: MetricsRegistry, stats: TrinoServiceStats): void {
  const counter = (name: string, help: string, value: number) => registry.set(name, help, "counter", {}, value);
  counter("streamhouse_trino_splits_planned_total", "Splits the Trino connector service handed out.", stats.splitsPlanned);
  counter("streamhouse_trino_pages_served_total", "Pages of rows the Trino connector service returned.", stats.pagesServed);
  counter("streamhouse_trino_rows_served_total", "Rows the Trino connector service returned.", stats.rowsServed);
  counter("streamhouse_trino_files_opened_total", "Data files the Trino connector service opened to read rows.", stats.filesOpened);
  counter("streamhouse_trino_errors_total", "Calls of the Trino connector service that failed.", stats.errors);
  registry.set("streamhouse_trino_open_cursors", "Cursors of partly read splits the Trino connector service holds.", "gauge", {}, stats.openCursors);
}
