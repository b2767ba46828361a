/**
 * FileIO on Amazon S3 (and stores that speak its API, such as moto or MinIO).
 *
 * Atomicity comes from S3 itself: a PutObject or CompleteMultipartUpload replaces
 * the whole object at once, and `If-None-Match: *` makes either one a
 * create-if-absent that S3 arbitrates — among racing writers exactly one gets 200,
 * the others 412 Precondition Failed. A 409 ConditionalRequestConflict means S3
 * saw a concurrent operation on the key and did not decide; AWS asks callers to
 * retry a PutObject, and to restart a multipart upload from CreateMultipartUpload.
 *
 * Retries are ours, not the SDK's (clients we build get `maxAttempts: 1`): bounded,
 * exponential, with full jitter (see RetryPolicy), for throttling, 5xx, and network
 * failures. We need them in our hands for one case — a conditional write whose
 * response was lost. The object may have been created by that very request, and
 * the retry then sees 412. To tell "we won, the reply was lost" from "someone else
 * won", every write carries a random id in its user metadata
 * (`x-amz-meta-streamhouse-write-id`); after a failed attempt, a 412 is resolved by
 * reading that id back. A caller thus gets true exactly when its bytes are there.
 *
 * S3 has no directories: a "directory" is a key prefix ending in "/" that some
 * object lies under. `stat` probes for one when no object has the exact key;
 * `list` returns common prefixes as directories; `delete` returns whether an
 * object was there (a HEAD first — advisory only, the delete is idempotent).
 * Unlike a file system, S3 lets an object `a` and objects under `a/` coexist;
 * `writeIfAbsent` arbitrates the exact key only.
 */
import { randomUUID } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { FileIO, FileStatus } from "./file-io.js";
import { RetryPolicy, type RetryOptions } from "./retry-policy.js";
import {
  describeS3Failure,
  isConditionalConflict,
  isNoSuchUpload,
  isPreconditionFailed,
  isTransient,
  isTransientCode,
  s3Error,
} from "./s3-errors.js";
import { directoryPrefix, formatS3Path, parseS3Path, type S3Location } from "./s3-path.js";

const MiB = 1024 * 1024;
/** S3 allows at most this many parts in one multipart upload. */
const PARTS_MAX = 10_000;
/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH_MAX = 1000;
/** User-metadata key (sent as x-amz-meta-streamhouse-write-id) identifying one write call. */
const WRITE_ID = "streamhouse-write-id";

export interface S3FileIOOptions {
  /**
   * A client to use. It should be built with `maxAttempts: 1`: S3FileIO retries on
   * its own, and SDK retries underneath would hide lost replies (see above).
   * `destroy()` leaves a given client alone.
   */
  readonly client?: S3Client;
  /** Configuration of the client S3FileIO builds and owns when none is given (`maxAttempts` is forced to 1). */
  readonly clientConfig?: S3ClientConfig;
  readonly retry?: RetryOptions;
  /** Files larger than this are uploaded in parts (default 16 MiB). */
  readonly multipartThresholdBytes?: number;
  /** The size of each part but the last (default 8 MiB; S3 requires ≥ 5 MiB). Grows if a file would need more than 10,000 parts. */
  readonly partSizeBytes?: number;
  /** Parts uploaded at once (default 4). */
  readonly multipartConcurrency?: number;
  /** Keys per ListObjectsV2 page (default 1000, the S3 maximum). */
  readonly listPageSize?: number;
}

type UploadOutcome = "created" | "exists" | "conflict";

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `${name} must be a positive integer, got ${value}`, { context: { option: name } });
  }
  return value;
}

async function bodyBytes(body: { transformToByteArray(): Promise<Uint8Array> } | undefined): Promise<Uint8Array> {
  return body === undefined ? new Uint8Array(0) : await body.transformToByteArray();
}

export class S3FileIO implements FileIO {
  readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly retry: RetryPolicy;
  private readonly multipartThresholdBytes: number;
  private readonly partSizeBytes: number;
  private readonly multipartConcurrency: number;
  private readonly listPageSize: number;

  constructor(options: S3FileIOOptions = {}) {
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new S3Client({
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
        ...options.clientConfig,
        maxAttempts: 1,
      });
    this.retry = new RetryPolicy(options.retry);
    this.multipartThresholdBytes = positiveInteger("multipartThresholdBytes", options.multipartThresholdBytes ?? 16 * MiB);
    this.partSizeBytes = positiveInteger("partSizeBytes", options.partSizeBytes ?? 8 * MiB);
    this.multipartConcurrency = positiveInteger("multipartConcurrency", options.multipartConcurrency ?? 4);
    this.listPageSize = Math.min(1000, positiveInteger("listPageSize", options.listPageSize ?? 1000));
  }

  /** Closes the connections of a client S3FileIO built; a client passed in is left open. */
  destroy(): void {
    if (this.ownsClient) this.client.destroy();
  }

  /**
   * Runs `fn` until it succeeds, fails for good, or attempts run out. Transient
   * failures (and retryable StreamhouseErrors) are retried after a backoff.
   */
  private async retrying<T>(op: string, path: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const again = e instanceof StreamhouseError ? e.retryable : isTransient(describeS3Failure(e));
        if (!again || attempt + 1 >= this.retry.attemptsMax) throw s3Error(op, path, e, attempt + 1);
        await this.retry.sleep(attempt);
      }
    }
  }

  async read(path: string): Promise<Uint8Array> {
    const loc = parseS3Path(path);
    return this.retrying("read", path, async () => {
      const r = await this.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      const bytes = await bodyBytes(r.Body);
      if (r.ContentLength !== undefined && bytes.length !== r.ContentLength) {
        throw new StreamhouseError(ErrorKind.Io, `truncated response: got ${bytes.length} of ${r.ContentLength} bytes`, {
          context: { file: path },
          retryable: true,
        });
      }
      return bytes;
    });
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `bad range ${offset}+${length}`, { context: { file: path, offset } });
    }
    const pastEnd = (size?: number) =>
      new StreamhouseError(ErrorKind.DataInvalid, `range ${offset}+${length} runs past the end of ${path}`, { context: { file: path, offset, size } });
    if (length === 0) {
      const s = await this.stat(path);
      if (s === null || s.isDirectory) throw new StreamhouseError(ErrorKind.NotFound, `file not found: ${path}`, { context: { file: path } });
      if (offset > s.size) throw pastEnd(s.size);
      return new Uint8Array(0);
    }
    const loc = parseS3Path(path);
    return this.retrying("read", path, async () => {
      let r: GetObjectCommandOutput;
      try {
        r = await this.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${offset}-${offset + length - 1}` }));
      } catch (e) {
        const f = describeS3Failure(e);
        if (f.status === 416 || f.code === "InvalidRange") throw pastEnd();
        throw e;
      }
      const bytes = await bodyBytes(r.Body);
      if (r.ContentLength !== undefined && bytes.length !== r.ContentLength) {
        throw new StreamhouseError(ErrorKind.Io, `truncated response: got ${bytes.length} of ${r.ContentLength} bytes`, {
          context: { file: path, offset },
          retryable: true,
        });
      }
      // S3 answers a range that starts inside the object but ends past it with the bytes it has.
      if (bytes.length !== length) throw pastEnd(offset + bytes.length);
      return bytes;
    });
  }

  async writeIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    const loc = parseS3Path(path);
    if (loc.key === "") throw new StreamhouseError(ErrorKind.InvalidArgument, `cannot write to a bucket root: ${path}`, { context: { file: path } });
    if (data.length > this.multipartThresholdBytes) return this.writeMultipart(loc, path, data, true);
    const writeId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: loc.bucket,
            Key: loc.key,
            Body: data,
            ContentLength: data.length,
            IfNoneMatch: "*",
            Metadata: { [WRITE_ID]: writeId },
          }),
        );
        return true;
      } catch (e) {
        const f = describeS3Failure(e);
        // After a failed attempt, a 412 may be our own earlier request having landed.
        if (isPreconditionFailed(f)) return attempt > 0 ? this.isOurWrite(loc, path, writeId) : false;
        // 409 ConditionalRequestConflict is transient: S3 asks us to send it again.
        if (!isTransient(f) || attempt + 1 >= this.retry.attemptsMax) throw s3Error("create", path, e, attempt + 1);
        await this.retry.sleep(attempt);
      }
    }
  }

  async overwrite(path: string, data: Uint8Array): Promise<void> {
    const loc = parseS3Path(path);
    if (loc.key === "") throw new StreamhouseError(ErrorKind.InvalidArgument, `cannot write to a bucket root: ${path}`, { context: { file: path } });
    if (data.length > this.multipartThresholdBytes) {
      await this.writeMultipart(loc, path, data, false);
      return;
    }
    await this.retrying("write", path, () =>
      this.client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: loc.key, Body: data, ContentLength: data.length })),
    );
  }

  /** Whether the object at `loc` carries `writeId`, i.e. was written by the call that drew it. */
  private async isOurWrite(loc: S3Location, path: string, writeId: string): Promise<boolean> {
    try {
      const head = await this.retrying("stat", path, () => this.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
      return head.Metadata?.[WRITE_ID] === writeId;
    } catch (e) {
      if (e instanceof StreamhouseError && e.kind === ErrorKind.NotFound) return false;
      throw e;
    }
  }

  /**
   * Uploads `data` in parts. With `ifAbsent`, CompleteMultipartUpload carries
   * `If-None-Match: *`, so the object appears whole or not at all, and only if
   * absent. On a 409 the whole upload starts over (as AWS documents); on any
   * failure the upload is aborted so its parts do not linger (and cost).
   */
  private async writeMultipart(loc: S3Location, path: string, data: Uint8Array, ifAbsent: boolean): Promise<boolean> {
    // Cheap early answer for the common "already there" case; the conditional completion still decides.
    if (ifAbsent && (await this.stat(path)) !== null) return false;
    const writeId = randomUUID();
    const state = { completeFailed: false };
    for (let round = 0; ; round++) {
      const uploadId = await this.retrying("create multipart upload", path, async () => {
        const r = await this.client.send(new CreateMultipartUploadCommand({ Bucket: loc.bucket, Key: loc.key, Metadata: { [WRITE_ID]: writeId } }));
        if (r.UploadId === undefined) throw new StreamhouseError(ErrorKind.Io, "CreateMultipartUpload returned no UploadId", { context: { file: path } });
        return r.UploadId;
      });
      let outcome: UploadOutcome;
      try {
        const parts = await this.uploadParts(loc, path, uploadId, data);
        outcome = await this.completeUpload(loc, path, uploadId, parts, ifAbsent, writeId, state);
      } catch (e) {
        throw await this.abortAfter(loc, path, uploadId, s3Error("write", path, e));
      }
      if (outcome === "created") return true;
      await this.abort(loc, path, uploadId);
      if (outcome === "exists") return false;
      if (round + 1 >= this.retry.attemptsMax) {
        throw new StreamhouseError(ErrorKind.Io, `conditional multipart upload kept conflicting: ${path}`, {
          context: { file: path, attempts: round + 1, s3Code: "ConditionalRequestConflict" },
          retryable: true,
        });
      }
      await this.retry.sleep(round);
    }
  }

  private async uploadParts(loc: S3Location, path: string, uploadId: string, data: Uint8Array): Promise<CompletedPart[]> {
    const partSize = Math.max(this.partSizeBytes, Math.ceil(data.length / PARTS_MAX));
    const count = Math.max(1, Math.ceil(data.length / partSize));
    const parts: CompletedPart[] = new Array(count);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (next < count && !failed) {
        const i = next++;
        const body = data.subarray(i * partSize, Math.min(data.length, (i + 1) * partSize));
        const r = await this.retrying("upload part", path, () =>
          this.client.send(
            new UploadPartCommand({ Bucket: loc.bucket, Key: loc.key, UploadId: uploadId, PartNumber: i + 1, Body: body, ContentLength: body.length }),
          ),
        );
        if (r.ETag === undefined) throw new StreamhouseError(ErrorKind.Io, `UploadPart ${i + 1} returned no ETag`, { context: { file: path } });
        parts[i] = { PartNumber: i + 1, ETag: r.ETag };
      }
    };
    // On a failure the other workers stop taking parts, and we wait for their
    // uploads in flight: aborting first would let a part land after the abort.
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(this.multipartConcurrency, count) }, () =>
        worker().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    for (const r of settled) if (r.status === "rejected") throw r.reason;
    return parts;
  }

  private async completeUpload(
    loc: S3Location,
    path: string,
    uploadId: string,
    parts: CompletedPart[],
    ifAbsent: boolean,
    writeId: string,
    state: { completeFailed: boolean },
  ): Promise<UploadOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: loc.bucket,
            Key: loc.key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
            ...(ifAbsent ? { IfNoneMatch: "*" } : {}),
          }),
        );
        return "created";
      } catch (e) {
        const f = describeS3Failure(e);
        // After a lost reply, a retry sees 412 (the object now exists) or NoSuchUpload (the upload is done).
        if (ifAbsent && isPreconditionFailed(f)) return state.completeFailed && (await this.isOurWrite(loc, path, writeId)) ? "created" : "exists";
        if (isNoSuchUpload(f) && state.completeFailed && (await this.isOurWrite(loc, path, writeId))) return "created";
        if (isConditionalConflict(f)) return "conflict";
        if (!isTransient(f) || attempt + 1 >= this.retry.attemptsMax) throw s3Error("complete multipart upload", path, e, attempt + 1);
        state.completeFailed = true;
        await this.retry.sleep(attempt);
      }
    }
  }

  private async abort(loc: S3Location, path: string, uploadId: string): Promise<void> {
    await this.retrying("abort multipart upload", path, () =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: loc.bucket, Key: loc.key, UploadId: uploadId })),
    );
  }

  /** Aborts after `failure`; returns `failure`, noting in its context if the abort failed too. */
  private async abortAfter(loc: S3Location, path: string, uploadId: string, failure: StreamhouseError): Promise<StreamhouseError> {
    try {
      await this.abort(loc, path, uploadId);
      return failure;
    } catch (e) {
      return failure.withContext({ uploadId, abortFailed: e instanceof Error ? e.message : String(e) });
    }
  }

  async stat(path: string): Promise<FileStatus | null> {
    const loc = parseS3Path(path);
    const name = loc.key.slice(loc.key.lastIndexOf("/") + 1);
    const normalized = formatS3Path(loc);
    if (loc.key !== "") {
      try {
        const head = await this.retrying("stat", path, () => this.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
        return { path: normalized, name, size: head.ContentLength ?? 0, isDirectory: false, modifiedMs: head.LastModified?.getTime() ?? 0 };
      } catch (e) {
        if (!(e instanceof StreamhouseError && e.kind === ErrorKind.NotFound && e.context["s3Code"] !== "NoSuchBucket")) throw e;
      }
    }
    const probe = await this.retrying("stat", path, () =>
      this.client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: directoryPrefix(loc.key), MaxKeys: 1 })),
    );
    return (probe.KeyCount ?? 0) > 0 ? { path: normalized, name, size: 0, isDirectory: true, modifiedMs: 0 } : null;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async list(dir: string): Promise<FileStatus[]> {
    const loc = parseS3Path(dir);
    const prefix = directoryPrefix(loc.key);
    const out: FileStatus[] = [];
    let token: string | undefined;
    do {
      const page = await this.retrying("list", dir, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, Delimiter: "/", MaxKeys: this.listPageSize, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) {
        const key = o.Key;
        // A key ending in "/" is a console-made "folder" marker, not a file.
        if (key === undefined || key.endsWith("/")) continue;
        out.push({ path: formatS3Path(loc, key), name: key.slice(prefix.length), size: o.Size ?? 0, isDirectory: false, modifiedMs: o.LastModified?.getTime() ?? 0 });
      }
      for (const p of page.CommonPrefixes ?? []) {
        const key = p.Prefix?.replace(/\/+$/, "");
        if (key === undefined || key.length <= prefix.length) continue;
        out.push({ path: formatS3Path(loc, key), name: key.slice(prefix.length), size: 0, isDirectory: true, modifiedMs: 0 });
      }
      const nextToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      if (nextToken !== undefined && nextToken === token) {
        throw new StreamhouseError(ErrorKind.Io, `ListObjectsV2 repeated its continuation token`, { context: { file: dir } });
      }
      token = nextToken;
    } while (token !== undefined);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.isDirectory) - Number(b.isDirectory)));
  }

  async delete(path: string): Promise<boolean> {
    const loc = parseS3Path(path);
    if (loc.key === "") return false;
    if ((await this.stat(path))?.isDirectory !== false) return false;
    await this.retrying("delete", path, () => this.client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
    return true;
  }

  async deleteRecursive(dir: string): Promise<void> {
    const loc = parseS3Path(dir);
    if (loc.key === "") {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `refusing to delete a whole bucket: ${dir}`, { context: { file: dir } });
    }
    // The exact key too: a "directory" path that names a file deletes it, as on a local disk.
    await this.retrying("delete", dir, () => this.client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
    const prefix = directoryPrefix(loc.key);
    let token: string | undefined;
    do {
      const page = await this.retrying("list", dir, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, MaxKeys: Math.min(this.listPageSize, DELETE_BATCH_MAX), ContinuationToken: token }),
        ),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
      if (keys.length > 0) await this.deleteBatch(loc, dir, keys);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  private async deleteBatch(loc: S3Location, dir: string, keys: { Key: string }[]): Promise<void> {
    await this.retrying("delete", dir, async () => {
      const r = await this.client.send(new DeleteObjectsCommand({ Bucket: loc.bucket, Delete: { Objects: keys, Quiet: true } }));
      const first = r.Errors?.[0];
      if (first !== undefined) {
        const code = first.Code ?? "Unknown";
        throw new StreamhouseError(ErrorKind.Io, `DeleteObjects failed for ${r.Errors?.length} keys, first ${first.Key}: ${code}: ${first.Message ?? ""}`, {
          context: { file: formatS3Path(loc, first.Key ?? ""), s3Code: code },
          retryable: isTransientCode(code),
        });
      }
    });
  }
}
