/** Splits bytes into lines (LF or CRLF), numbering them from 1. */
export class LineSplitter {
  private rest: Buffer | null = null;
  private line = 0;

  *push(chunk: Buffer): Generator<[string, number]> {
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield [buf.toString("utf8", start, end), ++this.line];
      start = nl + 1;
    }
    if (start < buf.length) this.rest = buf.subarray(start);
  }

  end(): [string, number] | null {
    if (this.rest === null) return null;
    const text = this.rest.toString("utf8").replace(/\r$/, "");
    this.rest = null;
    return [text, ++this.line];
  }
}
