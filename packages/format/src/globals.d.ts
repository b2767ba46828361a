// TextEncoder, TextDecoder and crypto.getRandomValues are globals in every runtime we target
// (Node, Deno, browsers), but they belong to the DOM lib, which this pure package
// does not load. Declare just what we use.
declare global {
  class TextEncoder {
    encode(input?: string): Uint8Array;
    encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
    decode(input?: Uint8Array | ArrayBuffer | DataView, options?: { stream?: boolean }): string;
  }
  // Web Crypto's random source, for Avro sync markers.
  var crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
}
export {};
