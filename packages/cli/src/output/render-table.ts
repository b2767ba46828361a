/**
 * Renders rows as an aligned text table for people:
 *
 *   name   | type
 *   -------+-------------
 *   id     | BIGINT NOT NULL
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, widths[i]! - displayWidth(c))))
      .join(" | ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

function displayWidth(s: string): number {
  return [...s].length;
}
