/** fb303 status calls, the session (set_ugi) and configuration reads. */
import { randomUUID } from "node:crypto";
import { fb303Types, hmsTypes as T } from "@streamhouse/catalog";
import {
  nowSeconds,
} from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { HandlerCore } from "./core.js";
import { SERVER_VERSION } from "./core.js";

export class ServiceCalls extends HandlerCore {

  getName(): string {
    return "Streamhouse Hive Metastore";
  }
  getVersion(): string {
    return SERVER_VERSION;
  }
  getStatus(): number {
    return fb303Types.fb_status.ALIVE;
  }
  getStatusDetails(): string {
    return "ALIVE";
  }
  getCounters(): Record<string, number> {
    return {};
  }
  getCounter(_key: string): number {
    return 0;
  }
  getOption(key: string): string {
    return this.config[key] ?? "";
  }
  getOptions(): Record<string, string> {
    return { ...this.config };
  }
  aliveSince(): number {
    return nowSeconds(this.startedAtMs);
  }
  /**
   * fb303's one-way `shutdown`, which Spark's Hive 2.3 client sends as it
   * closes a connection. Deliberately a no-op: the metastore is shared by every
   * client, and any client that can reach the port could otherwise take it
   * down for all of them; stopping it is the operator's job (the process, or
   * `MetastoreHandle.close`). One-way, so nothing is replied (see server.ts);
   * it must not throw, since the generated processor drops its result.
   */
  shutdown(): void {}

  // ------------------------------------------------------------ session and configuration

  set_ugi(user_name: string, group_names: string[] | null): string[] {
    return [...(group_names ?? [])].filter((g) => g !== user_name).concat(user_name ? [user_name] : []);
  }

  get_config_value(name: string, defaultValue: string): Promise<string> {
    return this.run(D.config, async () => {
      if (!/^(hive|hdfs|mapred|metastore)/.test(name ?? "")) {
        throw new T.ConfigValSecurityException({ message: `For security reasons, the config key ${name} cannot be accessed` });
      }
      return this.config[name] ?? defaultValue;
    });
  }

  get_metastore_db_uuid(): Promise<string> {
    return this.run(D.meta, async (tx) => {
      const uuid = (await tx.getMeta("db_uuid")) ?? randomUUID();
      await tx.setMeta("db_uuid", uuid);
      return uuid;
    });
  }
}
