/**
 * A lock a catalog may hand to a table's committer: `runExclusive` runs the
 * publishing of a snapshot while no other holder of the same lock publishes
 * (Paimon's `CatalogLock.runWithLock`). Structurally the same as the `lock`
 * option of FileStoreCommit in @streamhouse/table.
 *
 * Our own committers do not need it for correctness — they publish with an
 * atomic create-if-absent on every store — but Java Paimon writers on object
 * stores rely on the metastore lock, and a Streamhouse writer sharing a table
 * with them must take the same lock.
 */
export interface CommitLock {
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}
