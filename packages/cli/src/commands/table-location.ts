/**
 * Turns a command's table argument into an opened table. Today a table is named by
 * its directory (local path, or file:// URL); `db.table` names through a catalog
 * come with the catalog package.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalFileIO } from "@streamhouse/fileio";
import { FileStoreTable } from "@streamhouse/table";
import { UsageError } from "../cli-context.js";

export async function openTableArg(arg: string | undefined, dynamicOptions: Readonly<Record<string, string>> = {}): Promise<FileStoreTable> {
  if (arg === undefined || arg === "") throw new UsageError("missing the table directory");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) && !arg.startsWith("file://")) {
    throw new UsageError(`only local table directories are supported here, got "${arg}"`);
  }
  const path = arg.startsWith("file://") ? fileURLToPath(arg) : resolve(arg);
  return FileStoreTable.open(new LocalFileIO(), path.replace(/\/+$/, ""), dynamicOptions);
}
