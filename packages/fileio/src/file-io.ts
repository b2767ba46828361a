/**
 * The storage interface every Streamhouse component reads and writes through.
 *
 * It is small on purpose and says exactly which operations are atomic, because
 * the table format's correctness rests on one of them: a snapshot is published
 * by `writeIfAbsent`, and exactly one of any number of concurrent writers of the
 * same path — in any process, on any machine sharing the store — may win.
 *
 * | operation       | guarantee                                                        |
 * |-----------------|------------------------------------------------------------------|
 * | read, readRange | whole-file or exact-range reads; NotFound if the file is absent  |
 * | writeIfAbsent   | atomic create-if-absent: all bytes or nothing, one winner        |
 * | overwrite       | atomic replace: readers see the old or the new bytes, never half |
 * | list            | files directly under a directory (not recursive), sorted by name |
 * | delete          | idempotent: deleting a missing file is not an error               |
 *
 * Paths are strings in the scheme of the implementation (an absolute local path,
 * or `s3://bucket/key`); directories are implicit where the store has none.
 */

export interface FileStatus {
  /** The full path, usable with this FileIO. */
  readonly path: string;
  /** The last path component. */
  readonly name: string;
  readonly size: number;
  readonly isDirectory: boolean;
  /** Modification time in epoch milliseconds (0 where the store has none). */
  readonly modifiedMs: number;
}

export interface FileIO {
  /** The whole content of a file. Throws NotFound if it does not exist. */
  read(path: string): Promise<Uint8Array>;

  /** `length` bytes from `offset`. Throws DataInvalid if the range runs past the end. */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;

  /**
   * Creates `path` with `data` if nothing exists there, atomically. Returns false
   * (and changes nothing) if the path already exists.
   */
  writeIfAbsent(path: string, data: Uint8Array): Promise<boolean>;

  /** Replaces (or creates) `path` with `data`, atomically. */
  overwrite(path: string, data: Uint8Array): Promise<void>;

  /** The status of a file or directory, or null if nothing is there. */
  stat(path: string): Promise<FileStatus | null>;

  exists(path: string): Promise<boolean>;

  /** The entries directly under `dir`, sorted by name; empty if `dir` does not exist. */
  list(dir: string): Promise<FileStatus[]>;

  /** Deletes a file (or an empty directory). Returns whether something was deleted. */
  delete(path: string): Promise<boolean>;

  /** Deletes a directory and everything below it. */
  deleteRecursive(dir: string): Promise<void>;
}

/** Joins path segments with single slashes, keeping a scheme's `//` intact. */
export function joinPath(base: string, ...parts: string[]): string {
  let out = base;
  for (const part of parts) {
    if (part === "") continue;
    out = out.endsWith("/") ? out + part.replace(/^\/+/, "") : `${out}/${part.replace(/^\/+/, "")}`;
  }
  return out;
}

/** The last component of a path. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Everything before the last component (no trailing slash). */
export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : "") : trimmed.slice(0, i);
}
