import { describe, expect, it } from "vitest";
import { MemoryFileIO } from "@streamhouse/fileio";
import type { CommitMessage, Committable } from "../src/write/commit-message.js";
import { FileStoreCommit } from "../src/write/file-store-commit.js";
import { StreamingSink, type StreamingSinkState } from "../src/write/streaming-sink.js";
import { createTable, dataFile, liveFileNames, message, noSleep, partitionOf } from "./commit-fixtures.js";

describe("StreamingSink", () => {
  it("commits one snapshot per checkpoint with the checkpoint id, and re-commits restored state exactly once", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", { fields: "id INT, v STRING", options: { bucket: "-1" } });
    const part = partitionOf(table);
    const writer = {
      prepareCommit: async (id: bigint): Promise<CommitMessage[]> => [message({ partition: part, totalBuckets: -1, newFiles: [dataFile(`data-${id}.parquet`)] })],
    };
    const commit = () => new FileStoreCommit(table, "job", { sleep: noSleep });
    const sink = new StreamingSink(commit(), writer);
    let stored: StreamingSinkState = { pending: [] };
    const persist = (s: StreamingSinkState) => {
      stored = s;
    };
    expect((await sink.checkpoint(1n, persist)).map((s) => [s.id, s.commitIdentifier])).toEqual([[1, 1n]]);
    expect(stored.pending.map((c) => c.commitIdentifier)).toEqual([1n]);
    expect(sink.state().pending).toEqual([]);

    // Checkpoint 2 is stored but the process dies before the commit completes.
    const state2 = await sink.snapshotState(2n);
    // Checkpoint 3's state too; then the process dies after committing 2 only.
    await sink.notifyCheckpointComplete(2n);
    const state3 = await sink.snapshotState(3n);
    expect(state3.pending.map((c) => c.commitIdentifier)).toEqual([3n]);

    // A restart from checkpoint 2's state must not commit 2 again.
    const restored = new StreamingSink(commit(), writer, state2);
    expect(await restored.recover()).toEqual([]);
    // A restart from a state holding 2 and 3 commits only 3.
    const both: StreamingSinkState = { pending: [...state2.pending, ...state3.pending] };
    const restored2 = new StreamingSink(commit(), writer, both);
    expect((await restored2.recover()).map((s) => s.commitIdentifier)).toEqual([3n]);
    expect(await liveFileNames(table)).toEqual(["data-1.parquet", "data-2.parquet", "data-3.parquet"]);
    expect(await table.snapshots.listSnapshotIds()).toEqual([1, 2, 3]);
  });

  it("takes a writer's committable as it is, watermark included", async () => {
    const table = await createTable(new MemoryFileIO(), "/t", { fields: "id INT, v STRING", options: { bucket: "-1" } });
    const part = partitionOf(table);
    const writer = {
      prepareCommit: async (id: bigint): Promise<Committable> => ({
        commitIdentifier: id,
        watermark: 77n,
        messages: [message({ partition: part, totalBuckets: -1, newFiles: [dataFile(`data-${id}.parquet`)] })],
      }),
    };
    const sink = new StreamingSink(new FileStoreCommit(table, "job", { sleep: noSleep }), writer);
    const [s] = await sink.checkpoint(5n);
    expect(s).toMatchObject({ commitIdentifier: 5n, watermark: 77n });
    await expect(sink.snapshotState(5n)).rejects.toThrow(/not after/);
  });
});
