/** The notification log, read by Hive replication and by clients that invalidate caches. */
import type * as H from "@streamhouse/catalog/gen-hms/hive_metastore_types.js";
import { hmsTypes as T } from "@streamhouse/catalog";
import { requireDbName } from "../names.js";
import {
  i64ToBigInt,
} from "../objects.js";
import { Declared as D } from "../thrift-errors.js";
import { LockCalls } from "./locks.js";
import { NOTIFICATION_BATCH_MAX } from "./core.js";

export class NotificationCalls extends LockCalls {

  get_next_notification(rqst: H.NotificationEventRequest): Promise<H.NotificationEventResponse> {
    return this.run(D.none, async (tx) => {
      const after = i64ToBigInt(rqst?.lastEvent) ?? 0n;
      const max = rqst?.maxEvents && rqst.maxEvents > 0 ? Math.min(rqst.maxEvents, NOTIFICATION_BATCH_MAX) : NOTIFICATION_BATCH_MAX;
      const skip = new Set(rqst?.eventTypeSkipList ?? []);
      const events = (await tx.listEvents(after, max))
        .filter((e) => !skip.has(e.type))
        .map((e) => {
          const n = new T.NotificationEvent({ eventId: Number(e.id) as never, eventTime: e.time, eventType: e.type, message: e.message });
          if (e.db !== null) n.dbName = e.db;
          if (e.table !== null) n.tableName = e.table;
          n.messageFormat = e.format;
          n.catName = e.catalog;
          return n;
        });
      return new T.NotificationEventResponse({ events });
    });
  }

  get_current_notificationEventId(): Promise<H.CurrentNotificationEventId> {
    return this.run(D.none, async (tx) => new T.CurrentNotificationEventId({ eventId: Number(await tx.lastEventId()) as never }));
  }

  get_notification_events_count(rqst: H.NotificationEventsCountRequest): Promise<H.NotificationEventsCountResponse> {
    return this.run(D.none, async (tx) => {
      const { catalog, db } = requireDbName(rqst?.dbName ?? "", rqst?.catName);
      const n = await tx.countEvents(i64ToBigInt(rqst?.fromEventId) ?? 0n, catalog, db, i64ToBigInt(rqst?.toEventId));
      const limit = i64ToBigInt(rqst?.limit);
      return new T.NotificationEventsCountResponse({ eventsCount: (limit !== undefined && limit > 0n ? Math.min(n, Number(limit)) : n) as never });
    });
  }
}
