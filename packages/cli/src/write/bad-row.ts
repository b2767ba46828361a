/** A record of the input that does not fit the table: where it is (a line, or a Parquet record number) and why. */
export class BadRow extends Error {
  constructor(
    readonly unit: "line" | "record",
    readonly where: number,
    readonly reason: string,
  ) {
    super(`${unit} ${where}: ${reason}`);
  }
}
