/**
 * The code the Thrift compiler generated from thrift/hive_metastore.thrift
 * (see thrift/generate.sh), loaded with Node's own `require`: it is CommonJS,
 * and loading it this way keeps bundlers and test runners from re-transforming
 * 1 MB of generated JavaScript. `gen-hms/` sits beside `src/` and `dist/` (two levels up from this file in both), so
 * the same relative path works from both.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const hmsService = require("../../gen-hms/ThriftHiveMetastore.js") as typeof import("../../gen-hms/ThriftHiveMetastore.js");
export const hmsTypes = require("../../gen-hms/hive_metastore_types.js") as typeof import("../../gen-hms/hive_metastore_types.js");
export const fb303Types = require("../../gen-hms/fb303_types.js") as typeof import("../../gen-hms/fb303_types.js");
