#!/usr/bin/env node
// Bar charts of benchmark results, as small self-contained SVG files (no dependency).
//
// A benchmark section is what a bench/*.bench.mjs module returns: { title, description,
// headers, rows, notes }, rows being display strings ("13,370"). Charts are derived from
// the table itself, so every benchmark gets one without knowing about plots:
// - the value column is the first header ending in "/s" (a throughput: rows/s,
//   calls/s, …), else a "value" column with its unit in a "unit" column (one chart per
//   unit then);
// - a bar's label is the row's cells before the value column;
// - rows whose value is not a plain number (e.g. a freshness line) are left out;
// - a bar is "ours" unless its label names the reference it is compared with (Java
//   Paimon, Apache HMS, avsc, Trino's Hive connector, raw Parquet decoding).
//
// `node scripts/bench-plots.mjs [docs/benchmarks.md]` redraws the charts from an
// existing results file and links them from it (what scripts/bench.mjs does after a run).
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Labels of bars that are the comparison point rather than our code. */
const REFERENCE = /java paimon|apache|avsc|hive connector|raw parquet/i;

const WIDTH = 760;
const MARGIN = 12;
const VALUE_SPACE = 120;
const ROW_HEIGHT = 40;
const BAR_HEIGHT = 16;
const TOP = 58;
const COLORS = { ours: "#2b6cb0", reference: "#a0aec0" };
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** "13,370" or "0.86" → the number; anything else (units, ranges, blanks) → null. */
export function parseNumber(cell) {
  const text = String(cell).trim();
  if (!/^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text.replaceAll(",", ""));
}

/** "Metastore: catalog reads vs …" → "metastore"; "Read (merge-on-read)" → "read". */
export function slug(text) {
  const head = text.split(/[:(]/)[0] ?? text;
  return (
    head
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "chart"
  );
}

/** The charts of one benchmark section (possibly none): { file, title, unit, bars: [{ label, value, reference }] }. */
export function chartsOfSection(section) {
  const headers = section.headers ?? [];
  const rows = section.rows ?? [];
  let valueIndex = headers.findIndex((h) => /\/s$/.test(String(h).trim()));
  let unitIndex = -1;
  if (valueIndex < 0) {
    valueIndex = headers.indexOf("value");
    unitIndex = headers.indexOf("unit");
    if (valueIndex < 0 || unitIndex < 0) return [];
  }
  const groups = new Map();
  for (const row of rows) {
    const value = parseNumber(row[valueIndex] ?? "");
    if (value === null || value < 0) continue;
    const unit = unitIndex < 0 ? String(headers[valueIndex]).trim() : String(row[unitIndex] ?? "").trim();
    const label = row
      .slice(0, valueIndex)
      .map((c) => String(c).trim())
      .filter((c) => c !== "")
      .join(" — ");
    if (!groups.has(unit)) groups.set(unit, []);
    groups.get(unit).push({ label, value, reference: REFERENCE.test(label) });
  }
  const base = slug(section.title);
  return [...groups.entries()].map(([unit, bars]) => ({
    file: `${groups.size === 1 ? base : `${base}-${slug(unit.replace("/s", " per s"))}`}.svg`,
    title: section.title,
    unit,
    bars,
  }));
}

function escapeXml(text) {
  return String(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

/** 1234567.8 → "1,234,568"; small values keep two decimals. */
function formatValue(value) {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** A horizontal bar chart: one bar per entry, its label above it, its value at its end. */
export function barChartSvg(chart) {
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const barSpace = WIDTH - 2 * MARGIN - VALUE_SPACE;
  const height = TOP + chart.bars.length * ROW_HEIGHT + MARGIN;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${escapeXml(FONT)}" font-size="12">`,
    `<title>${escapeXml(`${chart.title}: ${chart.unit}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="20" font-size="14" font-weight="bold" fill="#1a202c">${escapeXml(chart.title)}</text>`,
    `<text x="${MARGIN}" y="38" fill="#4a5568">${escapeXml(`${chart.unit}, longer is more`)}</text>`,
    `<rect x="${WIDTH - 250}" y="29" width="10" height="10" fill="${COLORS.ours}"/>`,
    `<text x="${WIDTH - 236}" y="38" fill="#4a5568">Streamhouse</text>`,
    `<rect x="${WIDTH - 150}" y="29" width="10" height="10" fill="${COLORS.reference}"/>`,
    `<text x="${WIDTH - 136}" y="38" fill="#4a5568">peer or reference</text>`,
  ];
  chart.bars.forEach((bar, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const length = max === 0 ? 0 : Math.max(1, Math.round((bar.value / max) * barSpace));
    out.push(
      `<text x="${MARGIN}" y="${y + 10}" fill="#1a202c">${escapeXml(bar.label)}</text>`,
      `<rect x="${MARGIN}" y="${y + 15}" width="${length}" height="${BAR_HEIGHT}" fill="${bar.reference ? COLORS.reference : COLORS.ours}"><title>${escapeXml(`${bar.label}: ${formatValue(bar.value)} ${chart.unit}`)}</title></rect>`,
      `<text x="${MARGIN + length + 6}" y="${y + 27}" fill="#1a202c">${escapeXml(formatValue(bar.value))}</text>`,
    );
  });
  out.push("</svg>", "");
  return out.join("\n");
}

/** The sections of a results file as scripts/bench.mjs writes it (title, description, headers, rows, notes). */
export function sectionsFromMarkdown(md) {
  const sections = [];
  let current = null;
  let inTable = false;
  const cells = (line) =>
    line
      .trim()
      .replace(/^\| ?/, "")
      .replace(/ ?\|$/, "")
      .split(" | ")
      .map((c) => c.trim());
  for (const line of md.split("\n")) {
    if (line.startsWith("## ")) {
      current = { title: line.slice(3).trim(), description: "", headers: [], rows: [], notes: [] };
      sections.push(current);
      inTable = false;
      continue;
    }
    if (current === null) continue;
    if (line.startsWith("|")) {
      if (!inTable && current.headers.length === 0) current.headers = cells(line);
      else if (!/^\|(\s*:?-+:?\s*\|)+$/.test(line.trim())) current.rows.push(cells(line));
      inTable = true;
    } else {
      inTable = false;
      if (line.startsWith("- ")) current.notes.push(line.slice(2));
      else if (line.trim() !== "" && !isPlotLink(line) && current.headers.length === 0) current.description += (current.description === "" ? "" : " ") + line.trim();
    }
  }
  return sections;
}

const PLOT_LINK = /^!\[[^\]]*\]\(benchmarks\/[^)]+\.svg\)$/;
const isPlotLink = (line) => PLOT_LINK.test(line.trim());

/** The markdown image line for a chart, relative to docs/benchmarks.md. */
export function plotLink(chart) {
  return `![${chart.title}: ${chart.unit}](benchmarks/${chart.file})`;
}

/**
 * `md` with each section's charts linked right after its table (replacing links an
 * earlier run put there): `charts` maps a section title to its charts.
 */
export function withPlotLinks(md, charts) {
  // Drop an earlier run's links with the blank line put before them.
  const lines = md.split("\n").filter((l, i, all) => !isPlotLink(l) && !(l === "" && isPlotLink(all[i + 1] ?? "")));
  const out = [];
  let title = null;
  let linked = false;
  lines.forEach((line, i) => {
    if (line.startsWith("## ")) {
      title = line.slice(3).trim();
      linked = false;
    }
    out.push(line);
    const next = lines[i + 1];
    const tableEnds = line.startsWith("|") && (next === undefined || !next.startsWith("|"));
    if (tableEnds && !linked && title !== null) {
      linked = true;
      const mine = charts.get(title) ?? [];
      if (mine.length > 0) out.push("", ...mine.map(plotLink));
    }
  });
  return out.join("\n");
}

/** Draws every section's charts into `dir`; returns them by section title. */
export function writeCharts(sections, dir) {
  mkdirSync(dir, { recursive: true });
  const byTitle = new Map();
  for (const s of sections) {
    const charts = chartsOfSection(s);
    for (const c of charts) writeFileSync(join(dir, c.file), barChartSvg(c));
    byTitle.set(s.title, charts);
  }
  return byTitle;
}

function isMain() {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const file = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "benchmarks.md"));
  const md = readFileSync(file, "utf8");
  const charts = writeCharts(sectionsFromMarkdown(md), join(dirname(file), "benchmarks"));
  writeFileSync(file, withPlotLinks(md, charts));
  for (const [title, list] of charts) console.log(`${title}: ${list.length === 0 ? "no chart" : list.map((c) => `benchmarks/${c.file}`).join(", ")}`);
}
