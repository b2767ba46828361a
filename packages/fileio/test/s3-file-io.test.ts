/**
 * S3FileIO against a real S3 API: moto server, installed and started by
 * integration/s3 (never skipped — if moto cannot be installed, beforeAll fails
 * with the reason). Faults moto cannot produce (lost replies, throttling, 409
 * conflicts) are injected with SDK middleware around real requests.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { joinPath, S3FileIO, type S3FileIOOptions } from "@streamhouse/fileio";
import { isStreamhouseError } from "@streamhouse/format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MotoServer, startMoto } from "../../../integration/s3/moto.js";
import { fileIOContract } from "./file-io-contract.js";

const BUCKET = "streamhouse-test";
const MiB = 1024 * 1024;
const noWait = { sleep: async () => {} };

let moto: MotoServer | undefined;
const opened: { destroy(): void }[] = [];

beforeAll(async () => {
  moto = await startMoto();
  const admin = new S3Client(clientConfig());
  opened.push(admin);
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 15 * 60_000);

afterAll(async () => {
  for (const c of opened) c.destroy();
  await moto?.stop();
});

function clientConfig(endpoint = moto?.endpoint): S3ClientConfig {
  if (endpoint === undefined) throw new Error("moto is not running");
  return { endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
}

function s3IO(options: S3FileIOOptions = {}): S3FileIO {
  const io = new S3FileIO({ clientConfig: clientConfig(), ...options });
  opened.push(io);
  return io;
}

function freshRoot(): string {
  return `s3://${BUCKET}/${randomUUID()}`;
}

type When = "before" | "after";
/** Decides per call whether to fail a command before it is sent or after its reply arrived. */
type FaultRule = (command: string, call: number) => { when: When; error: Error } | undefined;

/** A client (no SDK retries) whose commands fail as `rule` says; counts calls per command. */
function faultyClient(rule: FaultRule): { client: S3Client; calls: Map<string, number> } {
  const client = new S3Client({ ...clientConfig(), maxAttempts: 1 });
  opened.push(client);
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "?";
      const call = calls.get(command) ?? 0;
      calls.set(command, call + 1);
      const fault = rule(command, call);
      if (fault?.when === "before") throw fault.error;
      const out = await next(args);
      if (fault?.when === "after") throw fault.error;
      return out;
    },
    { step: "initialize", name: "streamhouseFaults" },
  );
  return { client, calls };
}

const connectionReset = (): Error => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const serviceError = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

async function pendingUploads(prefix: string): Promise<number> {
  const admin = new S3Client(clientConfig());
  opened.push(admin);
  const r = await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return r.Uploads?.length ?? 0;
}

function patterned(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

fileIOContract("s3 on moto", async () => ({ io: s3IO(), root: freshRoot() }));

describe("moto, as our S3 stand-in", () => {
  it("honors If-None-Match: * on PutObject and on CompleteMultipartUpload", async () => {
    const s3 = new S3Client(clientConfig());
    opened.push(s3);
    const key = `${randomUUID()}/object`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes("first"), IfNoneMatch: "*" }));
    await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes("second"), IfNoneMatch: "*" }))).rejects.toMatchObject({
      name: "PreconditionFailed",
      $metadata: { httpStatusCode: 412 },
    });
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: upload.UploadId, PartNumber: 1, Body: bytes("third") }));
    const complete = new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: upload.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      IfNoneMatch: "*",
    });
    await expect(s3.send(complete)).rejects.toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    expect(text(await s3IO().read(`s3://${BUCKET}/${key}`))).toBe("first");
  });
});

describe("S3FileIO", () => {
  it("uploads large files in parts, conditionally, and reads ranges across parts", async () => {
    const io = s3IO({ multipartThresholdBytes: 1 * MiB, partSizeBytes: 5 * MiB });
    const root = freshRoot();
    const p = joinPath(root, "data", "big.parquet");
    const data = patterned(11 * MiB + 123, 7);
    expect(await io.writeIfAbsent(p, data)).toBe(true);
    expect(await io.writeIfAbsent(p, patterned(2 * MiB, 8))).toBe(false);
    const back = await io.read(p);
    expect(back.length).toBe(data.length);
    expect(Buffer.compare(back, data)).toBe(0);
    const across = await io.readRange(p, 5 * MiB - 10, 20);
    expect([...across]).toEqual([...data.subarray(5 * MiB - 10, 5 * MiB + 10)]);
    await io.overwrite(p, patterned(6 * MiB, 9));
    expect((await io.stat(p))?.size).toBe(6 * MiB);
    expect(await pendingUploads(root.slice(`s3://${BUCKET}/`.length))).toBe(0);
  });

  it("lets exactly one of racing multipart writeIfAbsent calls win, and aborts the losers' uploads", async () => {
    const root = freshRoot();
    const p = joinPath(root, "snapshot-1");
    // Separate clients, all past the "exists?" pre-check before any completes: the conditional completion decides.
    const counted = Array.from({ length: 4 }, () => faultyClient(() => undefined));
    const writers = counted.map(({ client }) => new S3FileIO({ client, multipartThresholdBytes: 1024, partSizeBytes: 5 * MiB }));
    const payloads = writers.map((_, i) => patterned(2 * MiB + i, i + 1));
    const results = await Promise.all(writers.map((io, i) => io.writeIfAbsent(p, payloads[i]!)));
    expect(results.filter(Boolean)).toHaveLength(1);
    // Every writer got as far as the conditional completion: that is where the losers lost.
    expect(counted.map(({ calls }) => calls.get("CompleteMultipartUploadCommand"))).toEqual([1, 1, 1, 1]);
    const winner = results.indexOf(true);
    expect(Buffer.compare(await s3IO().read(p), payloads[winner]!)).toBe(0);
    expect(await pendingUploads(root.slice(`s3://${BUCKET}/`.length))).toBe(0);
  });

  it("pages through listings and recursive deletes", async () => {
    const io = s3IO({ listPageSize: 7 });
    const root = freshRoot();
    const names: string[] = [];
    for (let i = 0; i < 25; i++) names.push(`f-${String(i).padStart(2, "0")}`);
    await Promise.all(names.map((n) => io.writeIfAbsent(joinPath(root, "dir", n), bytes(n))));
    for (const d of ["sub-a", "sub-b", "sub-c"]) await io.writeIfAbsent(joinPath(root, "dir", d, "x", "y"), bytes(d));
    const listed = await io.list(joinPath(root, "dir"));
    expect(listed.map((s) => s.name)).toEqual([...names, "sub-a", "sub-b", "sub-c"]);
    expect(listed.filter((s) => s.isDirectory).map((s) => s.name)).toEqual(["sub-a", "sub-b", "sub-c"]);
    expect(listed[3]).toMatchObject({ path: joinPath(root, "dir", "f-03"), size: 4, isDirectory: false });
    await io.deleteRecursive(joinPath(root, "dir"));
    expect(await io.list(joinPath(root, "dir"))).toEqual([]);
    expect(await io.exists(joinPath(root, "dir"))).toBe(false);
  });

  it("lets exactly one of racing clients create a file", async () => {
    const root = freshRoot();
    for (let round = 0; round < 5; round++) {
      const p = joinPath(root, `snapshot-${round}`);
      const writers = Array.from({ length: 8 }, () => s3IO());
      const results = await Promise.all(writers.map((io, i) => io.writeIfAbsent(p, bytes(`writer-${i}`))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(text(await writers[0]!.read(p))).toBe(`writer-${results.indexOf(true)}`);
    }
  });

  it("lets exactly one of racing processes create a file", async () => {
    const dist = new URL("../dist/index.js", import.meta.url).href;
    const racer = `
      const { S3FileIO } = await import(process.argv[1]);
      const io = new S3FileIO({ clientConfig: JSON.parse(process.argv[2]) });
      const won = await io.writeIfAbsent(process.argv[3], new TextEncoder().encode(process.argv[4].repeat(50000)));
      io.destroy();
      process.stdout.write(won ? "won" : "lost");
    `;
    const root = freshRoot();
    for (let round = 0; round < 2; round++) {
      const target = joinPath(root, `snapshot-${round}`);
      const outcomes = await Promise.all(
        Array.from(
          { length: 4 },
          (_, i) =>
            new Promise<string>((resolve, reject) => {
              const child = spawn(process.execPath, ["--input-type=module", "-e", racer, dist, JSON.stringify(clientConfig()), target, String(i)]);
              let out = "";
              let err = "";
              child.stdout.on("data", (d) => {
                out += String(d);
              });
              child.stderr.on("data", (d) => {
                err += String(d);
              });
              child.on("error", reject);
              child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}: ${err}`))));
            }),
        ),
      );
      expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
      expect(text(await s3IO().read(target))).toBe(String(outcomes.indexOf("won")).repeat(50000));
    }
  });

  it("reports true when its create landed but the reply was lost", async () => {
    const { client, calls } = faultyClient((command, call) =>
      command === "PutObjectCommand" && call === 0 ? { when: "after", error: connectionReset() } : undefined,
    );
    const io = new S3FileIO({ client, retry: noWait });
    const p = joinPath(freshRoot(), "snapshot-1");
    expect(await io.writeIfAbsent(p, bytes("mine"))).toBe(true);
    expect(calls.get("PutObjectCommand")).toBe(2); // the retry met 412, and the write id told us it was ours
    expect(text(await io.read(p))).toBe("mine");
  });

  it("reports true when its multipart completion landed but the reply was lost", async () => {
    const { client, calls } = faultyClient((command, call) =>
      command === "CompleteMultipartUploadCommand" && call === 0 ? { when: "after", error: connectionReset() } : undefined,
    );
    const root = freshRoot();
    const io = new S3FileIO({ client, retry: noWait, multipartThresholdBytes: 1024 });
    const p = joinPath(root, "snapshot-1");
    expect(await io.writeIfAbsent(p, patterned(4096, 5))).toBe(true);
    expect(calls.get("CompleteMultipartUploadCommand")).toBe(2);
    expect((await io.stat(p))?.size).toBe(4096);
    expect(await pendingUploads(root.slice(`s3://${BUCKET}/`.length))).toBe(0);
  });

  it("reports false when another writer created the file while its own request failed", async () => {
    const p = joinPath(freshRoot(), "snapshot-1");
    const other = s3IO();
    const { client } = faultyClient((command, call) => (command === "PutObjectCommand" && call === 0 ? { when: "before", error: connectionReset() } : undefined));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "PutObjectCommand" && !(await other.exists(p))) await other.writeIfAbsent(p, bytes("theirs"));
        return next(args);
      },
      { step: "initialize", name: "competitor", priority: "high" },
    );
    const io = new S3FileIO({ client, retry: noWait });
    expect(await io.writeIfAbsent(p, bytes("mine"))).toBe(false);
    expect(text(await io.read(p))).toBe("theirs");
  });

  it("retries throttling and 409 conflicts, restarting a conflicted multipart upload", async () => {
    const { client, calls } = faultyClient((command, call) => {
      if (command === "PutObjectCommand" && call === 0) return { when: "before", error: serviceError("ConditionalRequestConflict", 409) };
      if (command === "PutObjectCommand" && call === 1) return { when: "before", error: serviceError("SlowDown", 503) };
      if (command === "CompleteMultipartUploadCommand" && call === 0) return { when: "before", error: serviceError("ConditionalRequestConflict", 409) };
      return undefined;
    });
    const root = freshRoot();
    const io = new S3FileIO({ client, retry: noWait, multipartThresholdBytes: 1024, partSizeBytes: 5 * MiB });
    expect(await io.writeIfAbsent(joinPath(root, "small"), bytes("x"))).toBe(true);
    expect(calls.get("PutObjectCommand")).toBe(3);
    expect(await io.writeIfAbsent(joinPath(root, "large"), patterned(4096, 3))).toBe(true);
    expect(calls.get("CreateMultipartUploadCommand")).toBe(2);
    expect(calls.get("AbortMultipartUploadCommand")).toBe(1);
    expect((await io.stat(joinPath(root, "large")))?.size).toBe(4096);
    expect(await pendingUploads(root.slice(`s3://${BUCKET}/`.length))).toBe(0);
  });

  it("aborts a multipart upload that fails, and says why", async () => {
    const { client, calls } = faultyClient((command) => (command === "UploadPartCommand" ? { when: "before", error: serviceError("AccessDenied", 403) } : undefined));
    const root = freshRoot();
    const io = new S3FileIO({ client, retry: noWait, multipartThresholdBytes: 1024 });
    const p = joinPath(root, "large");
    await expect(io.overwrite(p, patterned(4096, 1))).rejects.toSatisfy(
      (e: unknown) => isStreamhouseError(e, "Io") && !e.retryable && e.context["file"] === p && e.context["s3Code"] === "AccessDenied",
    );
    expect(calls.get("UploadPartCommand")).toBe(1); // not transient: no retry
    expect(calls.get("AbortMultipartUploadCommand")).toBe(1);
    expect(await pendingUploads(root.slice(`s3://${BUCKET}/`.length))).toBe(0);
  });

  it("maps failures to typed errors with the file and whether to retry", async () => {
    const missingBucket = `s3://no-such-bucket-${randomUUID().slice(0, 8)}/x`;
    await expect(s3IO().read(missingBucket)).rejects.toSatisfy(
      (e: unknown) => isStreamhouseError(e, "NotFound") && e.context["file"] === missingBucket && e.context["s3Code"] === "NoSuchBucket",
    );
    await expect(s3IO().read("/local/path")).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "InvalidArgument"));
    await expect(s3IO().deleteRecursive(`s3://${BUCKET}`)).rejects.toSatisfy((e: unknown) => isStreamhouseError(e, "InvalidArgument"));

    // Nothing listens on a port we just released: a network failure, retried, then reported as retryable.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    const sleeps: number[] = [];
    const dead = new S3FileIO({
      clientConfig: clientConfig(`http://127.0.0.1:${port}`),
      retry: { attemptsMax: 3, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    });
    opened.push(dead);
    await expect(dead.read(`s3://${BUCKET}/x`)).rejects.toSatisfy(
      (e: unknown) => isStreamhouseError(e, "Io") && e.retryable && e.context["attempts"] === 3 && e.context["file"] === `s3://${BUCKET}/x`,
    );
    expect(sleeps).toEqual([25, 50]); // half of the doubling cap: 50 ms, then 100 ms
  });
});
