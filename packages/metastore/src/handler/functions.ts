/** Permanent functions: create, alter, drop, read. */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { decodeStruct, encodeStruct } from "../codec.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { matchesPattern, normalizeName, requireDbName, validateObjectName } from "../names.js";
import {
  invalid,
  loadDatabase,
  notFound,
  nowSeconds,
} from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { StatisticsCalls } from "./statistics.js";

export class FunctionCalls extends StatisticsCalls {

  create_function(func: H.Function): Promise<void> {
    return this.run(D.create, async (tx) => {
      checkFunction(func);
      const { catalog, db } = requireDbName(func.dbName, func.catName);
      const name = validateObjectName("table", func.functionName);
      await loadDatabase(tx, catalog, db);
      const f = decodeStruct(T.Function, encodeStruct(func));
      f.functionName = name;
      f.dbName = db;
      f.catName = catalog;
      if (!f.createTime) f.createTime = nowSeconds(this.now());
      await tx.insertFunction({ catalog, db, name, body: encodeStruct(f) });
    });
  }

  /**
   * Replaces a function, possibly under a new name or database (Hive's ObjectStore.alterFunction).
   * Hive declares only InvalidOperationException and MetaException here: a bad or
   * missing function is a MetaException.
   */
  alter_function(dbName: string, funcName: string, newFunc: H.Function): Promise<void> {
    return this.run(["MetaException"], async (tx) => {
      if (dbName == null || funcName == null) throw new T.MetaException({ message: "Database and function name cannot be null." });
      try {
        checkFunction(newFunc);
      } catch (e) {
        throw new T.MetaException({ message: (e as Error).message });
      }
      const { catalog, db } = requireDbName(dbName);
      const oldName = normalizeName(funcName);
      const old = await tx.getFunction(catalog, db, oldName);
      if (old === undefined) throw new T.MetaException({ message: `function ${funcName} doesn't exist` });
      const target = requireDbName(newFunc.dbName, newFunc.catName ?? catalog);
      const name = validateObjectName("table", newFunc.functionName);
      await loadDatabase(tx, target.catalog, target.db);
      const f = decodeStruct(T.Function, encodeStruct(newFunc));
      f.functionName = name;
      f.dbName = target.db;
      f.catName = target.catalog;
      f.createTime = decodeStruct(T.Function, old.body).createTime;
      await tx.deleteFunction(catalog, db, oldName);
      await tx.insertFunction({ catalog: target.catalog, db: target.db, name, body: encodeStruct(f) });
    });
  }

  drop_function(dbName: string, funcName: string): Promise<void> {
    return this.run(D.read, async (tx) => {
      if (funcName == null) throw new T.MetaException({ message: "Function name cannot be null." });
      const { catalog, db } = requireDbName(dbName);
      if (!(await tx.deleteFunction(catalog, db, normalizeName(funcName)))) {
        throw notFound("function", `Function @${catalog}#${db}.${funcName} does not exist`);
      }
    });
  }

  get_functions(dbName: string, pattern: string): Promise<string[]> {
    return this.run(D.meta, async (tx) => {
      const { catalog, db } = requireDbName(dbName);
      return (await tx.listFunctions(catalog, db)).map((f) => f.name).filter((n) => matchesPattern(pattern, n));
    });
  }

  /** Spark looks for `<name> does not exist` in the message to tell "no such function". */
  get_function(dbName: string, funcName: string): Promise<H.Function> {
    return this.run(D.read, async (tx) => {
      if (funcName == null) throw new T.MetaException({ message: "Function name cannot be null." });
      const { catalog, db } = requireDbName(dbName);
      const row = await tx.getFunction(catalog, db, normalizeName(funcName));
      if (row === undefined) throw notFound("function", `Function @${catalog}#${db}.${funcName} does not exist`);
      return decodeStruct(T.Function, row.body);
    });
  }

  get_all_functions(): Promise<H.GetAllFunctionsResponse> {
    return this.run(D.meta, async (tx) => {
      const functions = (await tx.listFunctions("hive")).map((r) => decodeStruct(T.Function, r.body));
      const response = new T.GetAllFunctionsResponse();
      response.functions = functions;
      return response;
    });
  }
}

/**
 * What Hive requires of a function (HMSHandler.validateFunctionInfo): its name,
 * database, owner type and function type set (else MetaException), a valid
 * name and a class name (else InvalidObjectException).
 */
function checkFunction(func: H.Function | null | undefined): asserts func is H.Function {
  if (!func) throw new T.MetaException({ message: "Function cannot be null." });
  if (func.functionName == null) throw new T.MetaException({ message: "Function name cannot be null." });
  if (func.dbName == null) throw new T.MetaException({ message: "Database name in Function cannot be null." });
  validateObjectName("table", func.functionName);
  if (func.className == null) throw invalid("Function class name cannot be null");
  if (func.ownerType == null) throw new T.MetaException({ message: "Function owner type cannot be null." });
  if (func.functionType == null) throw new T.MetaException({ message: "Function type cannot be null." });
}
