/**
 * Sends outbox rows to Slack: lease one, wait for its channel's turn, send, mark it sent. A
 * lease (not a transaction) holds the row while Slack is called, so no database session is held
 * open across the network, and a row whose sender died is taken over when its lease runs out.
 * Rows of one run and channel go out in order; a failure that may pass is retried later with
 * backoff, one that will not (a channel that does not exist, blocks Slack refuses) is failed.
 */
import type { Logger } from "pino";
import type { Sql } from "../db/client.js";
import {
  expireOutbox,
  leaseNext,
  markSent,
  markUnsent,
  type OutboxRow,
  outboxFiles,
  type RunKey,
  resolvedChannelId,
} from "../db/repositories/jobs.js";
import type { ChannelPacer } from "./pacer.js";
import { classifySlackError, type SlackPort } from "./slack.js";

export interface DispatchCounts {
  sent: number;
  retrying: number;
  failed: number;
}

export interface DispatcherOptions {
  sql: Sql;
  /** Null when Slack is not configured: rows then wait in the outbox. */
  slack: SlackPort | null;
  logger: Logger;
  claimant: string;
  pacer: ChannelPacer;
  /** Business time: expiry and backoff. */
  clock: () => Date;
  /** How long a lease lasts (database clock). Default 120 s. */
  leaseSeconds?: number;
  /** Attempts before a row that keeps failing is given up. Default 8. */
  maxAttempts?: number;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** 30 s, 1 min, 2 min … capped at 30 min. */
function backoffMs(attempts: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export class Dispatcher {
  private readonly leaseSeconds: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: DispatcherOptions) {
    this.leaseSeconds = o.leaseSeconds ?? 120;
    this.maxAttempts = o.maxAttempts ?? 8;
  }

  get configured(): boolean {
    return this.o.slack !== null;
  }

  /**
   * Sends every row that can go now: of one run (`key`), or of all runs (the sweep, which first
   * drops rows that expired unsent).
   */
  async dispatch(key?: RunKey): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, retrying: 0, failed: 0 };
    const slack = this.o.slack;
    if (!slack) return counts;
    if (!key) {
      this.o.pacer.prune();
      for (const r of await expireOutbox(this.o.sql, this.o.clock())) {
        this.o.logger.warn({ id: r.id, job: r.job, summary: r.summary }, "outbox message expired unsent");
      }
    }
    for (;;) {
      const row = await leaseNext(this.o.sql, {
        key,
        claimant: this.o.claimant,
        leaseSeconds: this.leaseSeconds,
        now: this.o.clock(),
      });
      if (!row) return counts;
      const outcome = await this.send(slack, row);
      counts[outcome] += 1;
    }
  }

  private async send(slack: SlackPort, row: OutboxRow): Promise<keyof DispatchCounts> {
    const log = this.o.logger.child({ outbox: row.id, job: row.job, kind: row.kind, channel: row.channel });
    try {
      if (row.kind === "file") {
        const channelId = CHANNEL_ID.test(row.channel)
          ? row.channel
          : (row.channelId ?? (await resolvedChannelId(this.o.sql, row, row.channel)));
        if (!channelId) {
          await markUnsent(this.o.sql, row.id, this.o.claimant, {
            status: "failed",
            error: `cannot share files to ${row.channel}: Slack needs a channel id (C0123ABCD), and no message of this run was posted there to learn it`,
          });
          return "failed";
        }
        const files = await outboxFiles(this.o.sql, row.id);
        await this.o.pacer.wait(row.channel);
        const res = await slack.uploadFiles({
          channelId,
          initialComment: String(row.payload.initialComment ?? ""),
          files,
        });
        await markSent(this.o.sql, row.id, this.o.claimant, { ts: res.ts, channelId });
        log.info({ files: res.fileIds.length }, "shared charts");
      } else {
        await this.o.pacer.wait(row.channel);
        const res = await slack.postMessage({
          channel: row.channel,
          text: String(row.payload.text ?? ""),
          blocks: (row.payload.blocks as unknown[]) ?? [],
        });
        await markSent(this.o.sql, row.id, this.o.claimant, { ts: res.ts, channelId: res.channel });
        log.info({ ts: res.ts }, `posted: ${row.summary}`);
      }
      return "sent";
    } catch (error) {
      const { transient, message } = classifySlackError(error);
      const giveUp = !transient || row.attempts >= this.maxAttempts;
      await markUnsent(this.o.sql, row.id, this.o.claimant, {
        status: giveUp ? "failed" : "pending",
        error: message,
        retryAt: giveUp ? null : new Date(this.o.clock().getTime() + backoffMs(row.attempts)),
      });
      log.warn(
        { err: message, attempts: row.attempts },
        giveUp ? "could not send; given up" : "could not send; will retry",
      );
      return giveUp ? "failed" : "retrying";
    }
  }
}
