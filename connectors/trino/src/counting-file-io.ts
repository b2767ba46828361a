/**
 * A FileIO that tells which data files a read opens: every path under a
 * `bucket-N/` directory that is read (whole or by ranges) counts once per wrapper.
 * The service wraps the table's FileIO for each split it reads, so its counter is the
 * number of data files its reads opened — what pushdown tests assert on.
 */
import type { FileIO, FileStatus } from "@streamhouse/fileio";

const DATA_FILE = /\/bucket-\d+\/[^/]+$/;

export class CountingFileIO implements FileIO {
  private readonly seen = new Set<string>();

  constructor(
    private readonly inner: FileIO,
    /** Called once for each data file this wrapper opens. */
    private readonly onOpen: (path: string) => void,
  ) {}

  private touch(path: string): void {
    if (!DATA_FILE.test(path) || this.seen.has(path)) return;
    this.seen.add(path);
    this.onOpen(path);
  }

  read(path: string): Promise<Uint8Array> {
    this.touch(path);
    return this.inner.read(path);
  }

  readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.touch(path);
    return this.inner.readRange(path, offset, length);
  }

  writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    return this.inner.writeIfAbsent(path, data);
  }

  overwrite(path: string, data: Uint8Array): Promise<void> {
    return this.inner.overwrite(path, data);
  }

  stat(path: string): Promise<FileStatus | null> {
    return this.inner.stat(path);
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path);
  }

  list(dir: string): Promise<FileStatus[]> {
    return this.inner.list(dir);
  }

  delete(path: string): Promise<boolean> {
    return this.inner.delete(path);
  }

  deleteRecursive(dir: string): Promise<void> {
    return this.inner.deleteRecursive(dir);
  }
}
