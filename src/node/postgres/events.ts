// Change events between every instance on one database. A change sends `pg_notify` inside its own transaction, so
// PostgreSQL delivers it to the other instances exactly when (and only if) the change commits; the instance that
// made it tells its own subscribers directly after the commit and skips its own notification when it comes back.
// Listening takes one connection per store family, opened when the store is first used (so a change made right
// after is heard) and reopened if it drops.
import type { Pool, PoolClient } from "pg";
import type { StoreEvent } from "../../model/types";
import { createEmitter, isStoreEvent, type Listener } from "../../storage/emitter";

export const EVENT_CHANNEL = "dstack_events";
const RECONNECT_MS = 500;

export interface EventHub {
  /** Queues `event` for the other instances in the transaction `client` has open. */
  notify(client: PoolClient, event: StoreEvent): Promise<void>;
  /** Tells this instance's subscribers (after the commit). */
  emit(event: StoreEvent): void;
  subscribe(listener: Listener): () => void;
  /** Starts receiving the other instances' notifications (once); resolves when it does. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export function createEventHub(pool: Pool, onError: (error: unknown) => void = () => {}): EventHub {
  const origin = crypto.randomUUID();
  const emitter = createEmitter();
  let connection: Promise<PoolClient> | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function listen(): Promise<PoolClient> {
    connection ??= (async () => {
      const client = await pool.connect();
      let dropped = false;
      // Once only: a dying connection may report more than one error.
      const drop = (error?: unknown) => {
        if (dropped) return;
        dropped = true;
        if (error !== undefined) onError(error);
        client.removeAllListeners("notification");
        client.release(true);
        connection = undefined;
        // Reopened; changes made while it was down are not replayed (clients re-read on
        // reconnect anyway, as the SSE stream restarts).
        if (!closed) {
          retry = setTimeout(() => void listen().catch(onError), RECONNECT_MS);
          retry.unref();
        }
      };
      client.on("notification", (message) => {
        if (message.channel !== EVENT_CHANNEL || !message.payload) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(message.payload);
        } catch {
          return;
        }
        const { o, e } = parsed as { o?: unknown; e?: unknown };
        if (o !== origin && isStoreEvent(e)) emitter.emit({ type: e.type, path: e.path });
      });
      client.on("error", drop);
      try {
        await client.query(`LISTEN ${EVENT_CHANNEL}`);
      } catch (error) {
        drop(error);
        throw error;
      }
      return client;
    })();
    connection.catch(() => {
      connection = undefined;
    });
    return connection;
  }

  return {
    async notify(client, event) {
      await client.query("SELECT pg_notify($1, $2)", [EVENT_CHANNEL, JSON.stringify({ o: origin, e: event })]);
    },
    emit: (event) => emitter.emit(event),
    subscribe(listener) {
      const off = emitter.subscribe(listener);
      if (!closed) void listen().catch(onError);
      return off;
    },
    async listen() {
      if (!closed) await listen();
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const open = connection;
      connection = undefined;
      const client = await open?.catch(() => undefined);
      client?.removeAllListeners("notification");
      client?.release(true);
    },
  };
}
