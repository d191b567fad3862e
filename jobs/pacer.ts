/**
 * Posts to one Slack channel at most about once a second (Slack's chat.postMessage limit is one
 * message per second per channel, with short bursts tolerated). Channels do not wait for each
 * other; calls for the same channel queue in order.
 */
import { setTimeout as sleep } from "node:timers/promises";

export class ChannelPacer {
  /** When the last post to each channel started (ms, performance clock). */
  private readonly last = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  /** @param intervalMs the least time between two posts to one channel */
  constructor(private readonly intervalMs = 1000) {}

  /** Resolves when a post to `channel` may start; the post counts from then. */
  wait(channel: string): Promise<void> {
    const previous = this.queues.get(channel) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const last = this.last.get(channel);
      if (last !== undefined) {
        const wait = last + this.intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
      this.last.set(channel, performance.now());
    });
    this.queues.set(channel, turn);
    return turn;
  }

  /** Drops channels idle for longer than the interval (bounded memory in a long-lived process). */
  prune(): void {
    const now = performance.now();
    for (const [channel, at] of this.last) {
      if (now - at > this.intervalMs) {
        this.last.delete(channel);
        this.queues.delete(channel);
      }
    }
  }
}
