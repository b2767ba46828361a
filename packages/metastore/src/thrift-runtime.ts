/**
 * Fixes to the npm `thrift` 0.24 runtime and the glue between the generated
 * processor and our handler.
 *
 * 1. TApplicationException.write sends `this.code`, but the constructor sets
 *    `this.type`: the type went out as UNKNOWN (0), and clients fall back from
 *    an unknown method only when it is UNKNOWN_METHOD (1). We write `type`.
 * 2. The generated processor calls `handler[method]` for every method the IDL
 *    declares; a missing one crashed the connection. `bindHandler` refuses to
 *    start unless every declared method is implemented.
 * 3. The processor picks promise or callback style by the handler function's
 *    `length`, which default or rest parameters silently change; `bindHandler`
 *    wraps each method with the arity of the IDL's argument list.
 */
import thrift from "thrift";

type Output = { writeStructBegin(n: string): void; writeFieldBegin(n: string, t: number, id: number): void; writeString(s: string): void; writeI32(n: number): void; writeFieldEnd(): void; writeFieldStop(): void; writeStructEnd(): void };

let patched = false;

export function patchThriftRuntime(): void {
  if (patched) return;
  patched = true;
  const proto = thrift.Thrift.TApplicationException.prototype as unknown as Record<string | symbol, unknown>;
  const write = function (this: { message?: string; type?: number; code?: number }, output: Output): void {
    output.writeStructBegin("TApplicationException");
    if (this.message) {
      output.writeFieldBegin("message", thrift.Thrift.Type.STRING, 1);
      output.writeString(this.message);
      output.writeFieldEnd();
    }
    const type = this.type ?? this.code;
    if (type !== undefined && type !== null) {
      output.writeFieldBegin("type", thrift.Thrift.Type.I32, 2);
      output.writeI32(type);
      output.writeFieldEnd();
    }
    output.writeFieldStop();
    output.writeStructEnd();
  };
  proto.write = write;
  proto[Symbol.for("write")] = write;
}

function methodsOf(proto: object | null, prefix: string): Map<string, (...args: unknown[]) => unknown> {
  const out = new Map<string, (...args: unknown[]) => unknown>();
  for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      const v = (p as Record<string, unknown>)[key];
      if (key.startsWith(prefix) && typeof v === "function" && !out.has(key.slice(prefix.length))) {
        out.set(key.slice(prefix.length), v as (...args: unknown[]) => unknown);
      }
    }
  }
  return out;
}

/**
 * The object to give the generated Processor: for each declared method, a
 * function of the declared arity that calls `impl` and returns a promise.
 * Throws when `impl` lacks a declared method.
 */
export function bindHandler(processorClass: { prototype: object }, clientClass: { prototype: object }, impl: object): Record<string, unknown> {
  const declared = [...methodsOf(processorClass.prototype, "process_").keys()];
  const senders = methodsOf(clientClass.prototype, "send_");
  const source = impl as Record<string, unknown>;
  const missing = declared.filter((m) => typeof source[m] !== "function");
  if (missing.length > 0) throw new Error(`the metastore handler lacks declared methods: ${missing.join(", ")}`);
  const bound: Record<string, unknown> = {};
  for (const name of declared) {
    const fn = source[name] as (...args: unknown[]) => unknown;
    const arity = senders.get(name)?.length ?? fn.length;
    const wrapped = (...args: unknown[]): Promise<unknown> => {
      try {
        return Promise.resolve(fn.apply(impl, args.slice(0, arity)));
      } catch (e) {
        return Promise.reject(e);
      }
    };
    Object.defineProperty(wrapped, "length", { value: arity });
    bound[name] = wrapped;
  }
  return bound;
}
