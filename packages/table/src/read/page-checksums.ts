/**
 * Verifying Parquet page checksums before any page reaches the decoder.
 *
 * Why: parquet-wasm is Rust compiled to WebAssembly, and some corrupt page bytes
 * make it panic; a panic inside its asynchronous reader surfaces as an uncaught
 * `RuntimeError: unreachable` and the read never settles. Pages whose header
 * carries a CRC (parquet-mr ≥ 1.12 writes one by default, Java Paimon files have
 * it) are checked here first, so such corruption becomes a DataInvalid error.
 *
 * Each column chunk is a run of pages: Thrift compact `PageHeader` (1 type,
 * 2 uncompressed_page_size, 3 compressed_page_size, 4 crc) followed by
 * `compressed_page_size` bytes; the CRC-32 covers exactly those bytes.
 */
import { crc32, dataInvalid } from "@streamhouse/format";
import type { ParquetFooter } from "./parquet-footer.js";
import { CompactType, ThriftCompactReader } from "./thrift-compact.js";

export interface PageCheckSummary {
  readonly pages: number;
  readonly pagesWithCrc: number;
}

/** Checks every page of every column chunk of `file` (the whole file's bytes). */
export function verifyPageChecksums(file: Uint8Array, footer: ParquetFooter): PageCheckSummary {
  let pages = 0;
  let pagesWithCrc = 0;
  for (const [g, rg] of footer.rowGroups.entries()) {
    for (const chunk of rg.columns) {
      const end = chunk.start + chunk.totalCompressedSize;
      if (chunk.start < 4 || end > file.length) {
        throw dataInvalid(`column chunk ${chunk.path.join(".")} of row group ${g} lies outside the file`, { offset: chunk.start });
      }
      let pos = chunk.start;
      while (pos < end) {
        const r = new ThriftCompactReader(file.subarray(0, end), pos);
        let size = -1;
        let crc: number | null = null;
        r.struct((id, type) => {
          if (id === 3 && type === CompactType.I32) size = r.i32();
          else if (id === 4 && type === CompactType.I32) crc = r.i32();
          else return false;
          return true;
        });
        if (size < 0 || r.pos + size > end) {
          throw dataInvalid(`page of column ${chunk.path.join(".")} (row group ${g}) has a bad size ${size}`, { offset: pos });
        }
        const body = file.subarray(r.pos, r.pos + size);
        if (crc !== null) {
          pagesWithCrc++;
          if ((crc32(body) | 0) !== crc) throw dataInvalid(`page checksum mismatch in column ${chunk.path.join(".")} (row group ${g})`, { offset: pos });
        }
        pages++;
        pos = r.pos + size;
      }
    }
  }
  return { pages, pagesWithCrc };
}
