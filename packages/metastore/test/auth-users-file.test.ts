// The users file of SASL PLAIN: scrypt hashes, parsing with typed errors, adding users.
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { hashPassword, parseUsersFile, renderScryptHash, verifyUser, withUser } from "@streamhouse/metastore";
import { describe, expect, test } from "vitest";

// Cheap parameters: the tests check the logic, not the cost.
const FAST = { n: 1024, r: 8, p: 1 };

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StreamhouseError ? e.kind : `not a StreamhouseError: ${String(e)}`;
  }
  return undefined;
}

describe("users file", () => {
  test("a hashed password verifies; a wrong one, an unknown user and a case change do not", async () => {
    const alice = await hashPassword("s3cret pässword", FAST);
    const file = parseUsersFile(`# users\n\nalice:${renderScryptHash(alice)}\n`);
    expect([...file.users.keys()]).toEqual(["alice"]);
    expect(await verifyUser(file, "alice", "s3cret pässword")).toBe(true);
    expect(await verifyUser(file, "alice", "s3cret passwort")).toBe(false);
    expect(await verifyUser(file, "alice", "")).toBe(false);
    expect(await verifyUser(file, "Alice", "s3cret pässword")).toBe(false);
    expect(await verifyUser(file, "bob", "s3cret pässword")).toBe(false);
  });

  test("the same password under two salts gives two hashes, both verifying", async () => {
    const a = await hashPassword("pw", FAST);
    const b = await hashPassword("pw", FAST);
    expect(renderScryptHash(a)).not.toBe(renderScryptHash(b));
    const file = parseUsersFile(`a:${renderScryptHash(a)}\nb:${renderScryptHash(b)}\n`);
    expect(await verifyUser(file, "a", "pw")).toBe(true);
    expect(await verifyUser(file, "b", "pw")).toBe(true);
  });

  test("bad lines are DataInvalid errors that name the line", async () => {
    const good = renderScryptHash(await hashPassword("x", FAST));
    const cases: [string, RegExp][] = [
      ["alice", /line 1: expected name:hash/],
      [`ok:${good}\n:${good}`, /line 2: expected name:hash/],
      [`al ice:${good}`, /line 1: invalid user name/],
      [`alice:${good}\nalice:${good}`, /line 2: user alice appears twice/],
      ["alice:md5$abc", /line 1: expected scrypt/],
      [`alice:${good.replace("$1024$", "$1000$")}`, /N must be a power of two/],
      [`alice:${good.replace("$8$1$", "$0$1$")}`, /r must be/],
      [`alice:${good.slice(0, -8)}`, /key must be 32 bytes/],
    ];
    for (const [text, message] of cases) {
      expect(kindOf(() => parseUsersFile(text)), text).toBe(ErrorKind.DataInvalid);
      expect(() => parseUsersFile(text)).toThrow(message);
    }
  });

  test("withUser adds a user, replaces an existing one in place, keeps comments, and refuses bad names", async () => {
    const h1 = await hashPassword("one", FAST);
    const h2 = await hashPassword("two", FAST);
    const h3 = await hashPassword("three", FAST);
    let text = withUser("", "alice", h1);
    text = withUser(`# team\n${text}`, "bob", h2);
    text = withUser(text, "alice", h3);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("# team");
    expect(lines.map((l) => l.split(":")[0])).toEqual(["# team", "alice", "bob"]);
    const file = parseUsersFile(text);
    expect(await verifyUser(file, "alice", "three")).toBe(true);
    expect(await verifyUser(file, "alice", "one")).toBe(false);
    expect(await verifyUser(file, "bob", "two")).toBe(true);
    expect(kindOf(() => withUser(text, "a:b", h1))).toBe(ErrorKind.InvalidArgument);
    expect(kindOf(() => withUser("garbage\n", "c", h1))).toBe(ErrorKind.DataInvalid);
  });
});
