/**
 * Serialises many wire-protocol clients onto PGlite's single session.
 *
 * pglite-socket's own queue interleaves clients message by message. That breaks the extended
 * query protocol: client A's Parse can be followed by client B's Parse of the unnamed statement
 * before A's Bind arrives, and A then binds B's statement ("bind message supplies 2 parameters,
 * but prepared statement requires 0"). This queue gives one client the session from its first
 * message until a Sync or simple Query has completed outside a transaction, so every extended
 * query sequence and every transaction runs without interleaving. It implements the interface
 * of pglite-socket's QueryQueueManager so that its PGLiteSocketHandler (framing, SSL and cancel
 * requests) is reused as is.
 */
import type { PGlite } from "@electric-sql/pglite";

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const PROTOCOL_V3 = 196608;
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

function isStartup(message: Uint8Array): boolean {
  if (message.length < 8) return false;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return view.getInt32(4) === PROTOCOL_V3;
}

/** True when this message ends a unit of work: after it, the backend sends ReadyForQuery. */
function endsUnit(message: Uint8Array): boolean {
  const type = message[0];
  return type === SYNC || type === QUERY || isStartup(message);
}

export class SessionQueue {
  private readonly pending: Pending[] = [];
  /** The handler that holds the session, or null when it is free. */
  private owner: number | null = null;
  private running = false;

  constructor(
    private readonly db: PGlite,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.run();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const item = this.pending[i]!;
      if (item.handlerId === handlerId) {
        this.pending.splice(i, 1);
        item.reject(new Error("connection closed"));
      }
    }
  }

  /** Called when a client disconnects: give the session back in a clean state. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    try {
      await this.db.runExclusive(async () => {
        // End any half-sent extended query, then abandon an open transaction.
        await this.db.execProtocolRaw(SYNC_MESSAGE, { syncToFs: false });
        if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
      });
    } catch (error) {
      this.onError(error);
    } finally {
      this.owner = null;
      void this.run();
    }
  }

  private next(): Pending | undefined {
    if (this.owner === null) return this.pending.shift();
    const index = this.pending.findIndex((p) => p.handlerId === this.owner);
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        this.owner = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              syncToFs: false,
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.onError(error);
          item.reject(error);
          continue;
        }
        if (endsUnit(item.message) && !this.db.isInTransaction()) this.owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }
}
