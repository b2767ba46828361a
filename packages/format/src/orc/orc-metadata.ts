/**
 * The ORC file-tail and stripe-footer messages, decoded from protobuf.
 *
 * Only the fields a full-file reader needs are kept; the rest (statistics, user
 * metadata, index positions, bloom filters) are skipped. Field numbers are those
 * of orc_proto.proto in the ORC specification (ORCv1):
 *
 *   PostScript      1 footerLength, 2 compression, 3 compressionBlockSize,
 *                   4 version (packed), 5 metadataLength, 6 writerVersion,
 *                   8000 magic "ORC"
 *   Footer          1 headerLength, 2 contentLength, 3 stripes, 4 types,
 *                   6 numberOfRows, 8 rowIndexStride, 10 encryption
 *   StripeInformation 1 offset, 2 indexLength, 3 dataLength, 4 footerLength,
 *                   5 numberOfRows
 *   Type            1 kind, 2 subtypes (packed), 3 fieldNames, 4 maximumLength,
 *                   5 precision, 6 scale
 *   StripeFooter    1 streams, 2 columns (encodings), 3 writerTimezone,
 *                   4 encryption
 *   Stream          1 kind, 2 column, 3 length
 *   ColumnEncoding  1 kind, 2 dictionarySize
 */
import { dataInvalid } from "../errors.js";
import { ProtoReader } from "./protobuf.js";
import { decodeUtf8 } from "./utf8.js";

/** The default compression block size when the PostScript omits it (256 KiB). */
const DEFAULT_BLOCK_SIZE = 256 * 1024;

export interface OrcPostScript {
  readonly footerLength: number;
  readonly compression: number;
  readonly compressionBlockSize: number;
  readonly version: readonly number[];
  readonly metadataLength: number;
  readonly writerVersion: number;
  /** Present in files written since Hive 0.12; older files carry "ORC" only in the header. */
  readonly magic: string | undefined;
}

export interface OrcStripeInformation {
  readonly offset: number;
  readonly indexLength: number;
  readonly dataLength: number;
  readonly footerLength: number;
  readonly numberOfRows: number;
}

/** One entry of Footer.types: the schema flattened in pre-order, entry i = column i. */
export interface OrcTypeEntry {
  readonly kind: number;
  readonly subtypes: readonly number[];
  readonly fieldNames: readonly string[];
  readonly maximumLength: number | undefined;
  readonly precision: number | undefined;
  readonly scale: number | undefined;
}

export interface OrcFooter {
  readonly headerLength: number;
  readonly contentLength: number;
  readonly stripes: readonly OrcStripeInformation[];
  readonly types: readonly OrcTypeEntry[];
  readonly numberOfRows: number;
  readonly rowIndexStride: number;
  /** Column encryption is not supported; we only record that the file uses it. */
  readonly encrypted: boolean;
}

/** Stream.Kind values that a reader of data (not indexes) looks at. */
export const OrcStreamKind = {
  Present: 0,
  Data: 1,
  Length: 2,
  DictionaryData: 3,
  DictionaryCount: 4,
  Secondary: 5,
  RowIndex: 6,
} as const;

export interface OrcStream {
  readonly kind: number;
  readonly column: number;
  readonly length: number;
}

/** ColumnEncoding.Kind: DIRECT / DICTIONARY use integer RLE v1, the _V2 kinds RLE v2. */
export const OrcEncodingKind = { Direct: 0, Dictionary: 1, DirectV2: 2, DictionaryV2: 3 } as const;

export interface OrcColumnEncoding {
  readonly kind: number;
  readonly dictionarySize: number;
}

export interface OrcStripeFooter {
  readonly streams: readonly OrcStream[];
  readonly columns: readonly OrcColumnEncoding[];
  readonly writerTimezone: string | undefined;
  readonly encrypted: boolean;
}

export function parsePostScript(bytes: Uint8Array): OrcPostScript {
  const r = new ProtoReader(bytes);
  let footerLength = 0;
  let compression = 0;
  let compressionBlockSize = DEFAULT_BLOCK_SIZE;
  const version: number[] = [];
  let metadataLength = 0;
  let writerVersion = 0;
  let magic: string | undefined;
  while (!r.atEnd()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1:
        footerLength = r.uint(tag);
        break;
      case 2:
        compression = r.uint(tag);
        break;
      case 3:
        compressionBlockSize = r.uint(tag);
        break;
      case 4:
        r.uints(tag, version);
        break;
      case 5:
        metadataLength = r.uint(tag);
        break;
      case 6:
        writerVersion = r.uint(tag);
        break;
      case 8000:
        magic = utf8(r, r.string(tag));
        break;
      default:
        r.skip(tag);
    }
  }
  return { footerLength, compression, compressionBlockSize, version, metadataLength, writerVersion, magic };
}

export function parseFooter(bytes: Uint8Array): OrcFooter {
  const r = new ProtoReader(bytes);
  let headerLength = 0;
  let contentLength = 0;
  const stripes: OrcStripeInformation[] = [];
  const types: OrcTypeEntry[] = [];
  let numberOfRows = 0;
  let rowIndexStride = 0;
  let encrypted = false;
  while (!r.atEnd()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1:
        headerLength = r.uint(tag);
        break;
      case 2:
        contentLength = r.uint(tag);
        break;
      case 3:
        stripes.push(parseStripeInformation(r.message(tag)));
        break;
      case 4:
        types.push(parseType(r.message(tag)));
        break;
      case 6:
        numberOfRows = r.uint(tag);
        break;
      case 8:
        rowIndexStride = r.uint(tag);
        break;
      case 10:
        encrypted = true;
        r.skip(tag);
        break;
      default:
        r.skip(tag);
    }
  }
  return { headerLength, contentLength, stripes, types, numberOfRows, rowIndexStride, encrypted };
}

function parseStripeInformation(r: ProtoReader): OrcStripeInformation {
  let offset = 0;
  let indexLength = 0;
  let dataLength = 0;
  let footerLength = 0;
  let numberOfRows = 0;
  while (!r.atEnd()) {
    const tag = r.tag();
    if (tag.field === 1) offset = r.uint(tag);
    else if (tag.field === 2) indexLength = r.uint(tag);
    else if (tag.field === 3) dataLength = r.uint(tag);
    else if (tag.field === 4) footerLength = r.uint(tag);
    else if (tag.field === 5) numberOfRows = r.uint(tag);
    else r.skip(tag);
  }
  return { offset, indexLength, dataLength, footerLength, numberOfRows };
}

function parseType(r: ProtoReader): OrcTypeEntry {
  let kind = -1;
  const subtypes: number[] = [];
  const fieldNames: string[] = [];
  let maximumLength: number | undefined;
  let precision: number | undefined;
  let scale: number | undefined;
  while (!r.atEnd()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1:
        kind = r.uint(tag);
        break;
      case 2:
        r.uints(tag, subtypes);
        break;
      case 3:
        fieldNames.push(utf8(r, r.string(tag)));
        break;
      case 4:
        maximumLength = r.uint(tag);
        break;
      case 5:
        precision = r.uint(tag);
        break;
      case 6:
        scale = r.uint(tag);
        break;
      default:
        r.skip(tag);
    }
  }
  if (kind < 0) throw r.fail("ORC type without a kind");
  return { kind, subtypes, fieldNames, maximumLength, precision, scale };
}

export function parseStripeFooter(bytes: Uint8Array): OrcStripeFooter {
  const r = new ProtoReader(bytes);
  const streams: OrcStream[] = [];
  const columns: OrcColumnEncoding[] = [];
  let writerTimezone: string | undefined;
  let encrypted = false;
  while (!r.atEnd()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1:
        streams.push(parseStream(r.message(tag)));
        break;
      case 2:
        columns.push(parseColumnEncoding(r.message(tag)));
        break;
      case 3:
        writerTimezone = utf8(r, r.string(tag));
        break;
      case 4:
        encrypted = true;
        r.skip(tag);
        break;
      default:
        r.skip(tag);
    }
  }
  return { streams, columns, writerTimezone, encrypted };
}

function parseStream(r: ProtoReader): OrcStream {
  let kind = -1;
  let column = 0;
  let length = 0;
  while (!r.atEnd()) {
    const tag = r.tag();
    if (tag.field === 1) kind = r.uint(tag);
    else if (tag.field === 2) column = r.uint(tag);
    else if (tag.field === 3) length = r.uint(tag);
    else r.skip(tag);
  }
  if (kind < 0) throw r.fail("ORC stream without a kind");
  return { kind, column, length };
}

function parseColumnEncoding(r: ProtoReader): OrcColumnEncoding {
  let kind = OrcEncodingKind.Direct as number;
  let dictionarySize = 0;
  while (!r.atEnd()) {
    const tag = r.tag();
    if (tag.field === 1) kind = r.uint(tag);
    else if (tag.field === 2) dictionarySize = r.uint(tag);
    else r.skip(tag);
  }
  return { kind, dictionarySize };
}

function utf8(r: ProtoReader, bytes: Uint8Array): string {
  const s = decodeUtf8(bytes);
  if (s === undefined) throw dataInvalid("malformed UTF-8 in ORC metadata string", { position: r.pos - bytes.length });
  return s;
}
