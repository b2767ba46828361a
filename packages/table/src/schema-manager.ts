/**
 * Reads the schema files of one table (the reading half of Paimon's `SchemaManager`).
 * Schemas are immutable once written, so each is read at most once per manager.
 */
import type { FileIO } from "@streamhouse/fileio";
import { decodeTableSchema, ErrorKind, StreamhouseError, type TableSchema } from "@streamhouse/format";
import { numberedName, TablePaths } from "./table-paths.js";

export class SchemaManager {
  private readonly cache = new Map<number, TableSchema>();

  constructor(
    readonly io: FileIO,
    readonly tablePath: string,
  ) {}

  async listSchemaIds(): Promise<number[]> {
    const entries = await this.io.list(TablePaths.schemaDir(this.tablePath));
    const ids: number[] = [];
    for (const e of entries) {
      const id = numberedName(e.name, "schema-");
      if (id !== null) ids.push(id);
    }
    return ids.sort((a, b) => a - b);
  }

  async schema(id: number): Promise<TableSchema> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const path = TablePaths.schema(this.tablePath, id);
    let bytes: Uint8Array;
    try {
      bytes = await this.io.read(path);
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) {
        throw new StreamhouseError(ErrorKind.NotFound, `schema ${id} does not exist`, { context: { table: this.tablePath, file: path } });
      }
      throw e;
    }
    const schema = decodeTableSchema(new TextDecoder().decode(bytes), path);
    if (schema.id !== id) throw new StreamhouseError(ErrorKind.DataInvalid, `schema file holds id ${schema.id}`, { context: { file: path } });
    this.cache.set(id, schema);
    return schema;
  }

  /** The newest schema, or null for a directory that is not (yet) a table. */
  async latest(): Promise<TableSchema | null> {
    const ids = await this.listSchemaIds();
    return ids.length === 0 ? null : this.schema(ids[ids.length - 1]!);
  }
}
