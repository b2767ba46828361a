/**
 * Rewriting files of one bucket into a level (Paimon's `MergeTreeCompactRewriter` and its
 * changelog subclasses `LookupMergeTreeCompactRewriter` / `FullChangelogMergeTreeCompactRewriter`,
 * release 2.0.0). This is the IO edge of compaction: it reads the sections' files (minus
 * rows their deletion vectors delete), merges each key's versions with the table's merge
 * function, writes the results as files of the output level rolled at `target-file-size`,
 * and — depending on the mode — writes changelog files and reports the rows of files in
 * lower levels that a deletion vector must now hide.
 *
 * Retractions are written unless `dropDelete` (output is the last non-empty level, or
 * deletion vectors keep every key's older versions hidden).
 */
import type { DataFileMeta, DataType, Row } from "@streamhouse/format";
import { TableSchemas } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import { compareNullsFirst } from "../merge/compare-values.js";
import { createTableMerge, type TableMerge } from "../merge/merge-function-factory.js";
import { isRetract } from "../merge/merge-function.js";
import { mergeSortedRunsAsync } from "../merge/sort-merge.js";
import { createKeyValueComparator } from "../merge/version-order.js";
import { DataFileColumns, type DataFileReader } from "../read/data-file-reader.js";
import { DataFilePathFactory } from "../write/data-file-path-factory.js";
import { KeyValueFileEncoder } from "../write/key-value-file-writer.js";
import { estimateRowBytes, RollingFileWriter } from "../write/rolling-file-writer.js";
import type { BucketLocation, WriterContext } from "../write/writer-context.js";
import { fullChangelogMerge, type KeyMergeResult, lookupChangelogMerge, lookupVersions, mergeVersions, type ValueEquals } from "./changelog-merge.js";
import { compactFileEncoder } from "./compact-file-encoder.js";
import type { Section } from "./interval-partition.js";
import type { LookupLevels } from "./lookup-levels.js";

/** How records are merged and what else comes out. */
export type RewriteMode =
  | { readonly kind: "plain" }
  /** Lookup producer and/or deletion vectors: level-0 records are merged with the value looked up below the output. */
  | {
      readonly kind: "lookup";
      readonly lookupLevels: LookupLevels;
      readonly produceChangelog: boolean;
      readonly markDeleted: boolean;
      readonly rowDeduplicate: boolean;
    }
  /** full-compaction producer: changelog from the diff against the last level. */
  | { readonly kind: "full-changelog"; readonly maxLevel: number };

export interface RewriteResult {
  readonly after: readonly DataFileMeta[];
  readonly changelog: readonly DataFileMeta[];
  /** Rows of files outside the rewrite that now have a newer version (deletion vectors). */
  readonly deletions: readonly (readonly [fileName: string, position: number])[];
}

/** Reads one file's records with their positions, skipping rows `deleted` marks. */
export type FileRecordsReader = (file: DataFileMeta) => Promise<{ kv: KeyValue; position: number }[]>;

export class MergeTreeCompactRewriter {
  private readonly merge: TableMerge;
  private readonly valueEquals: ValueEquals;
  private readonly firstRow: boolean;

  constructor(
    private readonly ctx: WriterContext,
    private readonly location: BucketLocation,
    private readonly readRecords: FileRecordsReader,
  ) {
    this.merge = createTableMerge(ctx.schema, ctx.options);
    this.valueEquals = rowEquals(ctx.schema.fields.map((f) => f.type));
    this.firstRow = ctx.options.mergeEngine() === "first-row";
  }

  /** The same file moved to another level: no IO. */
  upgrade(file: DataFileMeta, outputLevel: number): DataFileMeta {
    return { ...file, level: outputLevel };
  }

  async rewrite(outputLevel: number, dropDelete: boolean, sections: readonly Section[], mode: RewriteMode): Promise<RewriteResult> {
    const { ctx, location } = this;
    const options = ctx.options;
    const hasLevel0 = sections.some((s) => s.some((run) => run.some((f) => f.level === 0)));
    const effective: RewriteMode =
      mode.kind === "lookup" && (!hasLevel0 || outputLevel === 0)
        ? { kind: "plain" }
        : mode.kind === "full-changelog" && outputLevel !== mode.maxLevel
          ? { kind: "plain" }
          : mode;
    const lookupSemantics = mode.kind === "lookup";
    const paths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, options.dataFilePrefix());
    const target = options.targetFileSize(true);
    const data = new RollingFileWriter(ctx.io, paths, compactFileEncoder(new KeyValueFileEncoder(ctx.schema, options, ctx.parquet, outputLevel, ctx.clock)), target);
    const changelogPaths = new DataFilePathFactory(ctx.tablePath, location.partitionPath, location.bucket, options.changelogFilePrefix());
    const changelog = new RollingFileWriter(ctx.io, changelogPaths, compactFileEncoder(new KeyValueFileEncoder(ctx.schema, options, ctx.parquet, outputLevel, ctx.clock)), target);
    const deletions: [string, number][] = [];
    const mf = this.merge.mergeFunction;
    const compare = createKeyValueComparator(this.merge.keyComparator, this.merge.versionComparator);

    const mergeKey = async (versions: KeyValue[]): Promise<KeyMergeResult> => {
      switch (effective.kind) {
        case "plain":
          return { result: mergeVersions(lookupSemantics ? lookupVersions(versions) : versions, mf), changelog: [] };
        case "full-changelog":
          return fullChangelogMerge(versions, mf, effective.maxLevel, this.valueEquals);
        case "lookup": {
          let lookedUp: KeyValue | null = null;
          if (!versions.some((kv) => kv.level > 0)) {
            const hit = await effective.lookupLevels.lookup(versions[0]!.key, outputLevel + 1);
            if (hit !== null) {
              lookedUp = hit.kv;
              if (effective.markDeleted) deletions.push([hit.fileName, hit.position]);
            }
          }
          return lookupChangelogMerge(versions, mf, lookedUp, {
            produceChangelog: effective.produceChangelog,
            rowDeduplicate: effective.rowDeduplicate ? this.valueEquals : null,
            firstRow: this.firstRow,
          });
        }
      }
    };

    const emit = async (versions: KeyValue[]): Promise<void> => {
      const { result, changelog: changes } = await mergeKey(versions);
      for (const c of changes) {
        if (changelog.add(c, 48 + estimateRowBytes(c.value))) await changelog.roll();
      }
      if (result === null || (dropDelete && isRetract(result))) return;
      if (data.add(result, 48 + estimateRowBytes(result.value))) await data.roll();
    };

    for (const section of sections) {
      const runs = section.map((files) => this.runRecords(files));
      let versions: KeyValue[] = [];
      for await (const kv of mergeSortedRunsAsync(runs, compare)) {
        if (versions.length > 0 && this.merge.keyComparator(versions[0]!.key, kv.key) !== 0) {
          await emit(versions);
          versions = [];
        }
        versions.push(kv);
      }
      if (versions.length > 0) await emit(versions);
    }
    return { after: await data.close(), changelog: await changelog.close(), deletions };
  }

  private async *runRecords(files: readonly DataFileMeta[]): AsyncGenerator<KeyValue, void, undefined> {
    for (const f of files) for (const r of await this.readRecords(f)) yield r.kv;
  }
}

/** Reads a file's records (with deleted rows dropped) through a DataFileReader. */
export function fileRecordsReader(
  reader: DataFileReader,
  location: BucketLocation,
  deletionVector: (fileName: string) => { isDeleted(position: number): boolean } | null,
): FileRecordsReader {
  return async (file) => {
    const data = await reader.read({ kind: 0, partition: location.partition, bucket: location.bucket, totalBuckets: location.totalBuckets, file });
    const kvs = DataFileColumns.keyValues(data);
    const dv = deletionVector(file.fileName);
    const out: { kv: KeyValue; position: number }[] = [];
    for (let i = 0; i < kvs.length; i++) {
      const position = DataFileColumns.positionOf(data, i);
      if (dv?.isDeleted(position)) continue;
      out.push({ kv: kvs[i]!, position });
    }
    return out;
  };
}

/** Equality of value rows (all table columns). */
export function rowEquals(types: readonly DataType[]): ValueEquals {
  return (a, b) => rowsEqual(types, a.value, b.value);
}

function rowsEqual(types: readonly DataType[], a: Row, b: Row): boolean {
  for (let i = 0; i < types.length; i++) {
    if (compareNullsFirst(types[i]!, a[i] ?? null, b[i] ?? null) !== 0) return false;
  }
  return true;
}

/** The trimmed primary key types of the table (for decoding min/max keys). */
export function keyTypesOf(ctx: WriterContext): DataType[] {
  return TableSchemas.fields(ctx.schema, TableSchemas.trimmedPrimaryKeys(ctx.schema)).map((f) => f.type);
}
