/**
 * Streaming consumers' progress files `consumer/consumer-<id>`, `{"nextSnapshot": N}`
 * (mirrors Paimon's `ConsumerManager`, release 2.0.0). Expiration never removes a
 * snapshot a consumer still has to read: nothing at or after the smallest
 * `nextSnapshot` is expired. A consumer whose file was not updated for
 * `consumer.expiration-time` is considered gone and its file is deleted, as Paimon
 * does by the file's modification time.
 */
import { joinPath } from "@streamhouse/fileio";
import { parseJson } from "@streamhouse/format";
import type { FileStoreTable } from "../file-store-table.js";
import { TablePaths } from "../table-paths.js";
import { isNotFound } from "./file-references.js";

const PREFIX = "consumer-";

export interface ConsumerInfo {
  readonly id: string;
  readonly nextSnapshot: number;
  /** The file's modification time, epoch ms. */
  readonly modifiedMs: number;
}

export async function listConsumers(table: FileStoreTable): Promise<ConsumerInfo[]> {
  const out: ConsumerInfo[] = [];
  for (const e of await table.io.list(TablePaths.consumerDir(table.path))) {
    if (e.isDirectory || !e.name.startsWith(PREFIX)) continue;
    let text: string;
    try {
      text = new TextDecoder().decode(await table.io.read(e.path));
    } catch (err) {
      if (isNotFound(err)) continue; // removed since the listing
      throw err;
    }
    const json = parseJson(text, e.path) as { nextSnapshot?: unknown };
    if (typeof json?.nextSnapshot !== "number") continue;
    out.push({ id: e.name.slice(PREFIX.length), nextSnapshot: json.nextSnapshot, modifiedMs: e.modifiedMs });
  }
  return out;
}

/** The smallest `nextSnapshot` of all consumers, or null when there are none. */
export async function minNextSnapshot(table: FileStoreTable): Promise<number | null> {
  const consumers = await listConsumers(table);
  return consumers.length === 0 ? null : Math.min(...consumers.map((c) => c.nextSnapshot));
}

/** Deletes consumers last updated before `olderThanMs` (epoch ms); returns their ids. */
export async function expireConsumers(table: FileStoreTable, olderThanMs: number, dryRun = false): Promise<string[]> {
  const expired: string[] = [];
  for (const c of await listConsumers(table)) {
    if (c.modifiedMs >= olderThanMs) continue;
    if (!dryRun) await table.io.delete(joinPath(TablePaths.consumerDir(table.path), `${PREFIX}${c.id}`));
    expired.push(c.id);
  }
  return expired;
}
