/**
 * The Hive Metastore service: one method per IDL method, named as the IDL
 * names them (the generated processor dispatches by name). Method parameters
 * mirror the IDL's, in order; the processor passes them positionally.
 *
 * The methods live by area in handler/*.ts, each area a class extending the
 * one before it (core → service → databases → tables → partitions →
 * exchange-partitions → statistics → functions → locks → notifications →
 * catalogs); this is the last.
 */
import { CatalogCalls } from "./handler/catalogs.js";

export type { HandlerOptions } from "./handler/core.js";

export class MetastoreHandler extends CatalogCalls {}
