/**
 * Reads manifest lists and manifests of a table through its FileIO. Manifest files
 * are immutable once written, so decoded manifests are cached by name (bounded).
 */
import type { FileIO } from "@streamhouse/fileio";
import {
  decodeIndexManifest,
  decodeManifestEntries,
  decodeManifestList,
  ErrorKind,
  type IndexManifestEntry,
  type ManifestEntry,
  type ManifestFileMeta,
  StreamhouseError,
} from "@streamhouse/format";
import { TablePaths } from "../table-paths.js";

const CACHE_ENTRIES_MAX = 256;

export class ManifestReader {
  private readonly cache = new Map<string, ManifestEntry[]>();

  constructor(
    readonly io: FileIO,
    readonly tablePath: string,
  ) {}

  private async readMeta(name: string, what: string): Promise<Uint8Array> {
    const path = TablePaths.manifest(this.tablePath, name);
    try {
      return await this.io.read(path);
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) {
        throw new StreamhouseError(ErrorKind.NotFound, `${what} ${name} is missing`, { context: { file: path }, cause: e });
      }
      throw e;
    }
  }

  async manifestList(name: string): Promise<ManifestFileMeta[]> {
    return decodeManifestList(await this.readMeta(name, "manifest list"), TablePaths.manifest(this.tablePath, name));
  }

  async manifest(name: string): Promise<ManifestEntry[]> {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const entries = decodeManifestEntries(await this.readMeta(name, "manifest"), TablePaths.manifest(this.tablePath, name));
    if (this.cache.size >= CACHE_ENTRIES_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(name, entries);
    return entries;
  }

  async indexManifest(name: string): Promise<IndexManifestEntry[]> {
    return decodeIndexManifest(await this.readMeta(name, "index manifest"), TablePaths.manifest(this.tablePath, name));
  }

  /** Entries of every manifest of the given lists, in order. */
  async entriesOf(listNames: readonly string[]): Promise<ManifestEntry[]> {
    const out: ManifestEntry[] = [];
    for (const list of listNames) {
      for (const meta of await this.manifestList(list)) {
        for (const e of await this.manifest(meta.fileName)) out.push(e);
      }
    }
    return out;
  }
}
