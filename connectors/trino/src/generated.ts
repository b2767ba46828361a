/**
 * The code the Thrift compiler generated from thrift/trino.thrift (see
 * thrift/generate.sh), loaded with Node's own `require`: it is CommonJS. `gen-trino/`
 * sits beside `src/` and `dist/`, so the same relative path works from both.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const trinoService = require("../gen-trino/TrinoThriftService.js") as typeof import("../gen-trino/TrinoThriftService.js");
export const trinoTypes = require("../gen-trino/trino_types.js") as typeof import("../gen-trino/trino_types.js");
