/** The input formats of `write`: chosen by `--input-format`, else by the extension of `--from` (stdin: NDJSON). */
import { UsageError } from "../cli-context.js";

export type InputFormat = "ndjson" | "csv" | "parquet";

export const INPUT_FORMATS: readonly InputFormat[] = ["ndjson", "csv", "parquet"];

export function inputFormat(flag: string | undefined, from: string): InputFormat {
  if (flag !== undefined) {
    if (flag !== "ndjson" && flag !== "csv" && flag !== "parquet") throw new UsageError(`--input-format must be one of ${INPUT_FORMATS.join(", ")}`);
    return flag;
  }
  const lower = from.toLowerCase();
  return lower.endsWith(".csv") ? "csv" : lower.endsWith(".parquet") ? "parquet" : "ndjson";
}
