// scripts/bench-plots.mjs: the charts `npm run bench` draws from each benchmark's table,
// the SVG they become, and the links in docs/benchmarks.md (redrawn without duplicates).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BenchSection, barChartSvg, chartsOfSection, parseNumber, sectionsFromMarkdown, slug, withPlotLinks, writeCharts } from "../../../scripts/bench-plots.mjs";

const METASTORE: BenchSection = {
  title: "Metastore: catalog reads vs Apache Hive Metastore",
  headers: ["call", "server", "calls/s", "p50 ms", "p99 ms", "ours vs Apache"],
  rows: [
    ["get_table_req", "Streamhouse (SQLite)", "13,370", "2.18", "4.11", "20.86× throughput"],
    ["get_table_req", "Apache HMS 4.1.0 (Derby)", "641", "45.45", "120.66", ""],
  ],
};
const FORMAT: BenchSection = {
  title: "Format codecs",
  headers: ["measure", "value", "unit", "note"],
  rows: [
    ["manifest decode, null", "389,370", "entries/s", ""],
    ["manifest decode, null — avsc (peer)", "454,915", "entries/s", "ours / avsc = 0.86×"],
    ["BinaryRow decode (8 fields)", "2,243,183", "rows/s", ""],
  ],
};
const TRINO: BenchSection = {
  title: "Trino: scan + aggregate through our connector vs Hive on plain Parquet",
  headers: ["path", "best", "runs", "merged rows/s", "vs Hive"],
  rows: [
    ["ours: trino_thrift → Streamhouse service (merge-on-read)", "2.10 s", "2.10, 2.30", "1,500,000", "1.40× the time"],
    ["Trino Hive connector on compacted plain Parquet", "1.50 s", "1.50", "2,100,000", "1.00×"],
    ["freshness: commit → visible to the next Trino query (20 commits)", "p50 40 ms", "p99 90 ms", "", ""],
  ],
};

const tmp = mkdtempSync(join(tmpdir(), "streamhouse-bench-plots-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every <rect> of a bar (the ones with a tooltip) as [width, fill]. */
function bars(svg: string): [number, string][] {
  return [...svg.matchAll(/<rect x="12" y="\d+" width="(\d+)" height="16" fill="(#[0-9a-f]{6})"><title>/g)].map((m) => [Number(m[1]), m[2]!]);
}

describe("benchmark plots", () => {
  it("reads plain numbers only, and names charts after the section", () => {
    expect(parseNumber("13,370")).toBe(13370);
    expect(parseNumber("0.86")).toBe(0.86);
    for (const text of ["2.73 s", "", "p50 40 ms", "1,2", "0.86×"]) expect(parseNumber(text), text).toBeNull();
    expect(slug("Metastore: catalog reads vs Apache Hive Metastore")).toBe("metastore");
    expect(slug("Read (merge-on-read)")).toBe("read");
    expect(slug("Format codecs")).toBe("format-codecs");
  });

  it("charts the throughput column, labels bars by the cells before it, and marks the references", () => {
    expect(chartsOfSection(METASTORE)).toEqual([
      {
        file: "metastore.svg",
        title: METASTORE.title,
        unit: "calls/s",
        bars: [
          { label: "get_table_req — Streamhouse (SQLite)", value: 13370, reference: false },
          { label: "get_table_req — Apache HMS 4.1.0 (Derby)", value: 641, reference: true },
        ],
      },
    ]);
    // A value/unit table: one chart per unit.
    const format = chartsOfSection(FORMAT);
    expect(format.map((c) => [c.file, c.unit, c.bars.map((b) => b.reference)])).toEqual([
      ["format-codecs-entries-per-s.svg", "entries/s", [false, true]],
      ["format-codecs-rows-per-s.svg", "rows/s", [false]],
    ]);
    // Rows without a number in the value column (freshness) are left out.
    expect(chartsOfSection(TRINO)[0]?.bars.map((b) => [b.value, b.reference])).toEqual([
      [1_500_000, false],
      [2_100_000, true],
    ]);
    expect(chartsOfSection({ title: "No throughput", headers: ["a", "b"], rows: [["x", "1"]] })).toEqual([]);
  });

  it("draws bars proportional to their values, coloured by side, with labels escaped", () => {
    const svg = barChartSvg({
      file: "x.svg",
      title: "A <b> & 'c'",
      unit: "rows/s",
      bars: [
        { label: "ours: fast", value: 2000, reference: false },
        { label: "Java Paimon <2.0>", value: 1000, reference: true },
        { label: "ours: idle", value: 0, reference: false },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760" height="')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const drawn = bars(svg);
    expect(drawn).toEqual([
      [616, "#2b6cb0"],
      [308, "#a0aec0"],
      [1, "#2b6cb0"],
    ]);
    expect(svg).toContain("A &lt;b&gt; &amp; &apos;c&apos;");
    expect(svg).toContain(">Java Paimon &lt;2.0&gt;</text>");
    expect(svg).toContain(">2,000</text>");
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    // Every element that opens also closes (or closes itself).
    const opened = [...svg.matchAll(/<(svg|title|text|rect)\b(?:[^>]*[^/])?>/g)].length;
    const closed = [...svg.matchAll(/<\/(svg|title|text|rect)>/g)].length;
    expect(opened).toBe(closed);
  });

  it("parses a results file back into sections and links the charts after each table, once", () => {
    const md = [
      "# Benchmarks",
      "",
      "- machine: test",
      "",
      `## ${METASTORE.title}`,
      "",
      "Clients against servers.",
      "",
      `| ${METASTORE.headers.join(" | ")} |`,
      `|${METASTORE.headers.map(() => "---").join("|")}|`,
      ...METASTORE.rows.map((r) => `| ${r.join(" | ")} |`),
      "",
      "- a note",
      "",
      `## ${FORMAT.title}`,
      "",
      "Codecs.",
      "",
      `| ${FORMAT.headers.join(" | ")} |`,
      `|${FORMAT.headers.map(() => "---").join("|")}|`,
      ...FORMAT.rows.map((r) => `| ${r.join(" | ")} |`),
    ].join("\n");
    const sections = sectionsFromMarkdown(md);
    expect(sections.map((s) => ({ title: s.title, description: s.description, headers: s.headers, rows: s.rows, notes: s.notes }))).toEqual([
      { ...METASTORE, description: "Clients against servers.", notes: ["a note"] },
      { ...FORMAT, description: "Codecs.", notes: [] },
    ]);
    const dir = join(tmp, "charts");
    const charts = writeCharts(sections, dir);
    expect(readdirSync(dir).sort()).toEqual(["format-codecs-entries-per-s.svg", "format-codecs-rows-per-s.svg", "metastore.svg"]);
    expect(bars(readFileSync(join(dir, "metastore.svg"), "utf8")).map(([, fill]) => fill)).toEqual(["#2b6cb0", "#a0aec0"]);
    const linked = withPlotLinks(md, charts);
    expect(linked).toContain(
      `| get_table_req | Apache HMS 4.1.0 (Derby) | 641 | 45.45 | 120.66 |  |\n\n![${METASTORE.title}: calls/s](benchmarks/metastore.svg)\n\n- a note`,
    );
    expect(linked.endsWith("\n\n![Format codecs: entries/s](benchmarks/format-codecs-entries-per-s.svg)\n![Format codecs: rows/s](benchmarks/format-codecs-rows-per-s.svg)")).toBe(true);
    expect(withPlotLinks(linked, charts)).toBe(linked);
    expect(sectionsFromMarkdown(linked).map((s) => s.rows)).toEqual(sections.map((s) => s.rows));
  });
});
