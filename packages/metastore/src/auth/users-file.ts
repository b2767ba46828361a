/**
 * The users file of SASL PLAIN: one `name:hash` line per user, `#` comments and
 * blank lines ignored. The hash is scrypt (node:crypto), self-describing so that
 * its cost can be raised later without invalidating old lines:
 *
 *   alice:scrypt$16384$8$1$<salt, base64>$<32-byte key, base64>
 *            N ─┘    r ┘ └ p
 *
 * Parsing and rendering are pure; reading the file is `loadUsersFile`, the one
 * IO edge. Names may not contain `:` (the separator), whitespace or control
 * characters; passwords are any UTF-8.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface ScryptHash {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export interface UsersFile {
  /** Users in file order; a name appears once. */
  readonly users: ReadonlyMap<string, ScryptHash>;
}

const SCHEME = "scrypt";
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Node's defaults: about 50 ms and 16 MiB per hash on a server core. */
export const DEFAULT_SCRYPT = { n: 16_384, r: 8, p: 1 } as const;
/** Bounds on what a file may ask for, so that a bad line cannot exhaust memory. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;
const NAME = /^[^\s:\p{Cc}]+$/u;

function bad(message: string, line?: number): StreamhouseError {
  return new StreamhouseError(ErrorKind.DataInvalid, line === undefined ? message : `users file line ${line}: ${message}`);
}

export function validateUserName(name: string): void {
  if (!NAME.test(name)) throw new StreamhouseError(ErrorKind.InvalidArgument, `invalid user name ${JSON.stringify(name)}: it must be non-empty, without ':', whitespace or control characters`);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

export function parseScryptHash(text: string, line?: number): ScryptHash {
  const parts = text.split("$");
  if (parts.length !== 6 || parts[0] !== SCHEME) throw bad(`expected ${SCHEME}$N$r$p$salt$key, got ${JSON.stringify(text.slice(0, 16))}…`, line);
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!isPowerOfTwo(n) || n > MAX_N) throw bad(`scrypt N must be a power of two in 2..${MAX_N}, got ${parts[1]}`, line);
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) throw bad(`scrypt r must be in 1..${MAX_R}, got ${parts[2]}`, line);
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) throw bad(`scrypt p must be in 1..${MAX_P}, got ${parts[3]}`, line);
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const key = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 8) throw bad("scrypt salt must be at least 8 bytes", line);
  if (key.length !== KEY_BYTES) throw bad(`scrypt key must be ${KEY_BYTES} bytes, got ${key.length}`, line);
  return { n, r, p, salt, key };
}

export function renderScryptHash(h: ScryptHash): string {
  return [SCHEME, h.n, h.r, h.p, h.salt.toString("base64"), h.key.toString("base64")].join("$");
}

export function parseUsersFile(text: string): UsersFile {
  const users = new Map<string, ScryptHash>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw bad("expected name:hash", i + 1);
    const name = line.slice(0, colon);
    if (!NAME.test(name)) throw bad(`invalid user name ${JSON.stringify(name)}`, i + 1);
    if (users.has(name)) throw bad(`user ${name} appears twice`, i + 1);
    users.set(name, parseScryptHash(line.slice(colon + 1), i + 1));
  }
  return { users };
}

/** The file's text with `name` added, or its hash replaced in place; other lines are kept as they were. */
export function withUser(text: string, name: string, hash: ScryptHash): string {
  validateUserName(name);
  parseUsersFile(text); // refuse to extend a file we could not read back
  const entry = `${name}:${renderScryptHash(hash)}`;
  const lines = text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim().startsWith(`${name}:`));
  if (at >= 0) lines[at] = entry;
  else lines.push(entry);
  return `${lines.join("\n")}\n`;
}

function derive(password: string, salt: Buffer, h: { n: number; r: number; p: number }): Promise<Buffer> {
  // maxmem: scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is too low past N=2^17.
  const maxmem = 256 * h.n * h.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, { N: h.n, r: h.r, p: h.p, maxmem }, (e, key) => (e ? reject(e) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: { n: number; r: number; p: number } = DEFAULT_SCRYPT, salt: Buffer = randomBytes(SALT_BYTES)): Promise<ScryptHash> {
  return { ...cost, salt, key: await derive(password, salt, cost) };
}

/** A hash no password matches, checked for unknown users so that they cost the same time as known ones. */
let decoy: ScryptHash | undefined;

/**
 * Whether `password` is `user`'s. The key comparison is constant-time, and an
 * unknown user costs a full scrypt too, so timing tells neither which users
 * exist nor how much of a key matched.
 */
export async function verifyUser(file: UsersFile, user: string, password: string): Promise<boolean> {
  const stored = file.users.get(user);
  if (stored === undefined) {
    decoy ??= { ...DEFAULT_SCRYPT, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };
    const key = await derive(password, decoy.salt, decoy);
    timingSafeEqual(key, decoy.key);
    return false;
  }
  const key = await derive(password, stored.salt, stored);
  return timingSafeEqual(key, stored.key);
}

export async function loadUsersFile(path: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new StreamhouseError(ErrorKind.Io, `cannot read the users file ${path}: ${(e as Error).message}`, { context: { path }, cause: e });
  }
  try {
    return parseUsersFile(text);
  } catch (e) {
    if (e instanceof StreamhouseError) throw new StreamhouseError(e.kind, `${path}: ${e.reason}`, { context: { path }, cause: e });
    throw e;
  }
}
