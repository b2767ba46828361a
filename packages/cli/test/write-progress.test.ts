// `write`'s progress on stderr: a live line redrawn in place (with a bar when the input's
// size is known) for a terminal, plain lines otherwise, nothing with `none`.
import { describe, expect, it } from "vitest";
import { Progress, parseProgress, progressBar } from "../src/write/progress.js";

function sink(): { text: () => string; write: (t: string) => void } {
  let text = "";
  return {
    text: () => text,
    write: (t) => {
      text += t;
    },
  };
}

describe("write progress", () => {
  it("draws a bar of the input read", () => {
    expect(progressBar(0)).toBe(`[${"-".repeat(24)}]   0%`);
    expect(progressBar(0.5)).toBe(`[${"#".repeat(12)}${"-".repeat(12)}]  50%`);
    expect(progressBar(1.2)).toBe(`[${"#".repeat(24)}] 100%`);
  });

  it("redraws one line on a terminal, with rows/s and the last checkpoint", () => {
    const err = sink();
    const p = new Progress(err, "live");
    p.trackInput(() => 0.25);
    const started = Date.now() - 2000;
    p.rows(10_000, started);
    p.checkpoint(1n, 10_000, [1], 10_000, started);
    p.finish();
    const draws = err.text().split("\r\x1b[K").filter((d) => d !== "");
    expect(draws).toHaveLength(2);
    expect(draws[0]).toMatch(/^\[######-{18}\] {2}25% 10,000 rows, [\d,]+ rows\/s — no checkpoint yet$/);
    expect(draws[1]).toMatch(/^\[######-{18}\] {2}25% 10,000 rows, [\d,]+ rows\/s — checkpoint 1 at input record 10,000\n$/);
  });

  it("prints plain lines per checkpoint when not on a terminal, and nothing with none", () => {
    const err = sink();
    const p = new Progress(err, "plain");
    p.rows(5, Date.now());
    p.checkpoint(3n, 5, [7, 8], 5, Date.now() - 1000);
    p.note("note: hello");
    p.finish();
    expect(err.text()).toMatch(/^streamhouse write: checkpoint 3 committed: input records 5, snapshot 7,8, 5 rows, \d+ rows\/s\nstreamhouse write: note: hello\n$/);

    const quiet = sink();
    const q = new Progress(quiet, "none");
    q.rows(5, Date.now());
    q.checkpoint(1n, 5, [1], 5, Date.now());
    q.note("x");
    q.finish();
    expect(quiet.text()).toBe("");
    expect(parseProgress("plain")).toBe("plain");
    expect(() => parseProgress("loud")).toThrow(/--progress must be one of auto, live, plain, none/);
  });
});
