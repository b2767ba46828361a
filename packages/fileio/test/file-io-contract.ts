/**
 * The contract every FileIO implementation must pass. Each implementation's test
 * file calls `fileIOContract` with a factory for a fresh, empty root.
 */
import { describe, expect, it } from "vitest";
import { type FileIO, joinPath } from "@streamhouse/fileio";
import { isStreamhouseError } from "@streamhouse/format";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export function fileIOContract(name: string, make: () => Promise<{ io: FileIO; root: string }>): void {
  describe(`FileIO contract: ${name}`, () => {
    it("writes, reads, ranges, stats", async () => {
      const { io, root } = await make();
      const p = joinPath(root, "a", "b", "file.txt");
      expect(await io.exists(p)).toBe(false);
      expect(await io.writeIfAbsent(p, bytes("hello world"))).toBe(true);
      expect(text(await io.read(p))).toBe("hello world");
      expect(text(await io.readRange(p, 6, 5))).toBe("world");
      const s = await io.stat(p);
      expect(s?.size).toBe(11);
      expect(s?.isDirectory).toBe(false);
      expect((await io.stat(joinPath(root, "a")))?.isDirectory).toBe(true);
    });

    it("writeIfAbsent never replaces an existing file", async () => {
      const { io, root } = await make();
      const p = joinPath(root, "snapshot", "snapshot-1");
      expect(await io.writeIfAbsent(p, bytes("first"))).toBe(true);
      expect(await io.writeIfAbsent(p, bytes("second"))).toBe(false);
      expect(text(await io.read(p))).toBe("first");
    });

    it("exactly one of many concurrent writeIfAbsent calls wins", async () => {
      const { io, root } = await make();
      const p = joinPath(root, "race");
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => io.writeIfAbsent(p, bytes(`writer-${i}`))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(text(await io.read(p))).toBe(`writer-${winner}`);
    });

    it("overwrite replaces atomically", async () => {
      const { io, root } = await make();
      const p = joinPath(root, "LATEST");
      await io.overwrite(p, bytes("1"));
      await io.overwrite(p, bytes("22"));
      expect(text(await io.read(p))).toBe("22");
    });

    it("lists entries sorted, without temporary files", async () => {
      const { io, root } = await make();
      for (const n of ["c", "a", "b"]) await io.writeIfAbsent(joinPath(root, "dir", n), bytes(n));
      await io.writeIfAbsent(joinPath(root, "dir", "sub", "x"), bytes("x"));
      const names = (await io.list(joinPath(root, "dir"))).map((s) => s.name);
      expect(names).toEqual(["a", "b", "c", "sub"]);
      expect(await io.list(joinPath(root, "missing"))).toEqual([]);
    });

    it("deletes idempotently, and recursively", async () => {
      const { io, root } = await make();
      const p = joinPath(root, "d", "f");
      await io.writeIfAbsent(p, bytes("x"));
      expect(await io.delete(p)).toBe(true);
      expect(await io.delete(p)).toBe(false);
      await io.writeIfAbsent(joinPath(root, "t", "1", "2"), bytes("x"));
      await io.deleteRecursive(joinPath(root, "t"));
      expect(await io.exists(joinPath(root, "t", "1", "2"))).toBe(false);
    });

    it("keeps names and bytes exactly, including empty files and partition-style paths", async () => {
      const { io, root } = await make();
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const dir = joinPath(root, "dt=2024-01-01", "hour=0 5");
      const p = joinPath(dir, "data-ü+%.parquet");
      expect(await io.writeIfAbsent(p, all)).toBe(true);
      expect([...(await io.read(p))]).toEqual([...all]);
      expect([...(await io.readRange(p, 255, 1))]).toEqual([255]);
      expect((await io.readRange(p, 256, 0)).length).toBe(0);
      const [sub] = await io.list(joinPath(root, "dt=2024-01-01"));
      expect(sub).toMatchObject({ name: "hour=0 5", isDirectory: true });
      const [file] = await io.list(sub!.path);
      expect(file).toMatchObject({ name: "data-ü+%.parquet", size: 256, isDirectory: false });
      expect([...(await io.read(file!.path))]).toEqual([...all]);
      const empty = joinPath(root, "empty");
      expect(await io.writeIfAbsent(empty, new Uint8Array(0))).toBe(true);
      expect((await io.read(empty)).length).toBe(0);
      expect((await io.stat(empty))?.size).toBe(0);
      expect(await io.stat(joinPath(root, "absent"))).toBeNull();
    });

    it("reports missing files and bad ranges with typed errors", async () => {
      const { io, root } = await make();
      const missing = joinPath(root, "nope");
      await expect(io.read(missing)).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "NotFound") && String(e).includes("nope"));
      const p = joinPath(root, "short");
      await io.writeIfAbsent(p, bytes("abc"));
      await expect(io.readRange(p, 2, 5)).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "DataInvalid"));
    });
  });
}
