/**
 * FileIO on a local (POSIX) file system.
 *
 * `writeIfAbsent` is a real cross-process create-if-absent: the bytes are first
 * written and fsynced to a unique temporary file in the target's directory, then
 * `link()`ed to the target name. link(2) fails with EEXIST if the name exists, so
 * among racing writers — threads, processes, or machines on a shared POSIX mount —
 * exactly one wins, and the target never exists with partial content. The
 * temporary name is then unlinked. (An exists-then-rename scheme would let two
 * writers both "win", the second silently replacing the first.)
 *
 * `overwrite` writes a temporary file and renames it over the target: rename(2)
 * replaces atomically, so readers see either the old or the new bytes.
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { dirname, join } from "node:path";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { FileIO, FileStatus } from "./file-io.js";

function errnoOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}

function ioError(op: string, path: string, e: unknown): StreamhouseError {
  const code = errnoOf(e);
  if (code === "ENOENT") return new StreamhouseError(ErrorKind.NotFound, `file not found: ${path}`, { context: { file: path }, cause: e });
  // Transient conditions worth a retry; everything else will not fix itself.
  const retryable = code === "EAGAIN" || code === "EBUSY" || code === "EMFILE" || code === "ENFILE" || code === "EINTR";
  return new StreamhouseError(ErrorKind.Io, `${op} failed: ${path}: ${e instanceof Error ? e.message : String(e)}`, {
    context: { file: path, code },
    cause: e,
    retryable,
  });
}

export interface LocalFileIOOptions {
  /** fsync files and their directories on writes (default true). Tests may turn it off for speed. */
  readonly sync?: boolean;
}

export class LocalFileIO implements FileIO {
  private readonly sync: boolean;

  constructor(options: LocalFileIOOptions = {}) {
    this.sync = options.sync ?? true;
  }

  async read(path: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(path));
    } catch (e) {
      throw ioError("read", path, e);
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, "r");
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) {
          throw new StreamhouseError(ErrorKind.DataInvalid, `range ${offset}+${length} runs past the end of ${path}`, {
            context: { file: path, offset: offset + done },
          });
        }
        done += bytesRead;
      }
      return buf;
    } catch (e) {
      if (e instanceof StreamhouseError) throw e;
      throw ioError("read", path, e);
    } finally {
      await handle?.close();
    }
  }

  private async writeTemp(path: string, data: Uint8Array): Promise<string> {
    const dir = dirname(path);
    await fs.mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${path.slice(dir.length + 1)}.${randomUUID()}.tmp`);
    const handle = await fs.open(tmp, "wx");
    try {
      await handle.writeFile(data);
      if (this.sync) await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  }

  private async syncDir(dir: string): Promise<void> {
    if (!this.sync) return;
    const handle = await fs.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    let tmp: string | undefined;
    try {
      tmp = await this.writeTemp(path, data);
      try {
        await fs.link(tmp, path);
      } catch (e) {
        if (errnoOf(e) === "EEXIST") return false;
        throw e;
      }
      await this.syncDir(dirname(path));
      return true;
    } catch (e) {
      throw ioError("create", path, e);
    } finally {
      if (tmp !== undefined) await fs.rm(tmp, { force: true });
    }
  }

  async overwrite(path: string, data: Uint8Array): Promise<void> {
    let tmp: string | undefined;
    try {
      tmp = await this.writeTemp(path, data);
      await fs.rename(tmp, path);
      tmp = undefined;
      await this.syncDir(dirname(path));
    } catch (e) {
      throw ioError("write", path, e);
    } finally {
      if (tmp !== undefined) await fs.rm(tmp, { force: true });
    }
  }

  async stat(path: string): Promise<FileStatus | null> {
    try {
      const s = await fs.stat(path);
      return { path, name: path.slice(path.lastIndexOf("/") + 1), size: s.size, isDirectory: s.isDirectory(), modifiedMs: s.mtimeMs };
    } catch (e) {
      if (errnoOf(e) === "ENOENT" || errnoOf(e) === "ENOTDIR") return null;
      throw ioError("stat", path, e);
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async list(dir: string): Promise<FileStatus[]> {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (e) {
      if (errnoOf(e) === "ENOENT") return [];
      throw ioError("list", dir, e);
    }
    const out: FileStatus[] = [];
    for (const name of names.sort()) {
      const s = await this.stat(join(dir, name));
      if (s !== null) out.push({ ...s, name });
    }
    return out;
  }

  async delete(path: string): Promise<boolean> {
    try {
      const s = await fs.stat(path);
      if (s.isDirectory()) await fs.rmdir(path);
      else await fs.unlink(path);
      return true;
    } catch (e) {
      if (errnoOf(e) === "ENOENT") return false;
      throw ioError("delete", path, e);
    }
  }

  async deleteRecursive(dir: string): Promise<void> {
    try {
      await fs.rm(dir, { recursive: true, force: true });
    } catch (e) {
      throw ioError("delete", dir, e);
    }
  }
}
