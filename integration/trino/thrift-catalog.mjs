/**
 * Catalog properties for Trino's Thrift connector (plugin `thrift`, connector name
 * `trino_thrift`) pointed at a Streamhouse Trino service — the keys of
 * connectors/trino/etc/catalog/streamhouse.properties. Trino's client defaults (FRAMED
 * transport, BINARY protocol) are what the service speaks.
 */
export function trinoThriftCatalog(port, host = "127.0.0.1", extra = {}) {
  return {
    "connector.name": "trino_thrift",
    "trino.thrift.client.addresses": `${host}:${port}`,
    ...extra,
  };
}
