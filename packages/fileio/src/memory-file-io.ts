/**
 * FileIO held in memory: for tests and simulations. Every operation is atomic
 * (single-threaded JavaScript); directories exist implicitly while they hold files.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { FileIO, FileStatus } from "./file-io.js";

interface Entry {
  readonly data: Uint8Array;
  readonly modifiedMs: number;
}

function normalize(path: string): string {
  return path.replace(/\/+$/, "");
}

export class MemoryFileIO implements FileIO {
  private readonly files = new Map<string, Entry>();

  constructor(private readonly clock: () => number = Date.now) {}

  private entry(path: string): Entry {
    const e = this.files.get(normalize(path));
    if (e === undefined) throw new StreamhouseError(ErrorKind.NotFound, `file not found: ${path}`, { context: { file: path } });
    return e;
  }

  async read(path: string): Promise<Uint8Array> {
    return this.entry(path).data.slice();
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const { data } = this.entry(path);
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new StreamhouseError(ErrorKind.DataInvalid, `range ${offset}+${length} runs past the end of ${path}`, {
        context: { file: path, offset },
      });
    }
    return data.slice(offset, offset + length);
  }

  async writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    const key = normalize(path);
    if (this.files.has(key) || this.isDirectory(key)) return false;
    this.files.set(key, { data: data.slice(), modifiedMs: this.clock() });
    return true;
  }

  async overwrite(path: string, data: Uint8Array): Promise<void> {
    this.files.set(normalize(path), { data: data.slice(), modifiedMs: this.clock() });
  }

  private isDirectory(dir: string): boolean {
    const prefix = `${normalize(dir)}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  async stat(path: string): Promise<FileStatus | null> {
    const key = normalize(path);
    const name = key.slice(key.lastIndexOf("/") + 1);
    const e = this.files.get(key);
    if (e !== undefined) return { path: key, name, size: e.data.length, isDirectory: false, modifiedMs: e.modifiedMs };
    if (this.isDirectory(key)) return { path: key, name, size: 0, isDirectory: true, modifiedMs: 0 };
    return null;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async list(dir: string): Promise<FileStatus[]> {
    const prefix = `${normalize(dir)}/`;
    const names = new Set<string>();
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0]!);
    }
    const out: FileStatus[] = [];
    for (const name of [...names].sort()) {
      const s = await this.stat(prefix + name);
      if (s !== null) out.push(s);
    }
    return out;
  }

  async delete(path: string): Promise<boolean> {
    return this.files.delete(normalize(path));
  }

  async deleteRecursive(dir: string): Promise<void> {
    const key = normalize(dir);
    for (const k of [...this.files.keys()]) if (k === key || k.startsWith(`${key}/`)) this.files.delete(k);
  }
}
