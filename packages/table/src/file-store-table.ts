/**
 * One table directory opened through a FileIO: its schema, snapshots, manifests and
 * tags. Opening reads only the latest schema; everything else is read on demand.
 */
import type { FileIO } from "@streamhouse/fileio";
import { CoreOptions, decodeTag, ErrorKind, StreamhouseError, type TableSchema, type Tag } from "@streamhouse/format";
import { ManifestReader } from "./scan/manifest-reader.js";
import { SchemaManager } from "./schema-manager.js";
import { SnapshotManager } from "./snapshot-manager.js";
import { TablePaths } from "./table-paths.js";

export class FileStoreTable {
  readonly snapshots: SnapshotManager;
  readonly schemas: SchemaManager;
  readonly manifests: ManifestReader;

  private constructor(
    readonly io: FileIO,
    readonly path: string,
    readonly schema: TableSchema,
    readonly options: CoreOptions,
  ) {
    this.snapshots = new SnapshotManager(io, path);
    this.schemas = new SchemaManager(io, path);
    this.manifests = new ManifestReader(io, path);
  }

  /** Opens the table at `path`; `dynamicOptions` override its options for this handle. */
  static async open(io: FileIO, path: string, dynamicOptions: Readonly<Record<string, string>> = {}): Promise<FileStoreTable> {
    const schema = await new SchemaManager(io, path).latest();
    if (schema === null) {
      throw new StreamhouseError(ErrorKind.NotFound, `no table at ${path} (it has no schema/schema-N file)`, { context: { table: path } });
    }
    return new FileStoreTable(io, path, schema, new CoreOptions({ ...schema.options, ...dynamicOptions }, schema.version));
  }

  async tagNames(): Promise<string[]> {
    const entries = await this.io.list(TablePaths.tagDir(this.path));
    return entries.filter((e) => e.name.startsWith("tag-")).map((e) => e.name.slice(4));
  }

  async tag(name: string): Promise<Tag | null> {
    const path = TablePaths.tag(this.path, name);
    try {
      return decodeTag(new TextDecoder().decode(await this.io.read(path)), path);
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) return null;
      throw e;
    }
  }
}

