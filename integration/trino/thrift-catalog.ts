// The Thrift-connector catalog properties, as tests import them (implementation in thrift-catalog.mjs, shared with benchmarks).
export { trinoThriftCatalog } from "./thrift-catalog.mjs";
