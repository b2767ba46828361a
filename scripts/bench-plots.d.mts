// Types of scripts/bench-plots.mjs, for the tests that import it.

/** What a bench/*.bench.mjs module returns. */
export interface BenchSection {
  readonly title: string;
  readonly description?: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** The comparison point (Java Paimon, Apache HMS, …) rather than our code. */
  readonly reference: boolean;
}

export interface Chart {
  /** File name under docs/benchmarks/. */
  readonly file: string;
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly Bar[];
}

export function parseNumber(cell: string): number | null;
export function slug(text: string): string;
export function chartsOfSection(section: BenchSection): Chart[];
export function barChartSvg(chart: Chart): string;
export function sectionsFromMarkdown(md: string): BenchSection[];
export function plotLink(chart: Chart): string;
export function withPlotLinks(md: string, charts: ReadonlyMap<string, readonly Chart[]>): string;
export function writeCharts(sections: readonly BenchSection[], dir: string): Map<string, Chart[]>;
