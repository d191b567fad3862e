/**
 * Paces posts to each Slack channel: about one a second, with a burst of two. Slack's
 * chat.postMessage allows "1 message per second to a specific channel, with short bursts of more
 * than 1 allowed"; a burst of two lets a digest and its charts arrive together while a run of
 * alerts still goes out a second apart. Channels do not wait for each other; calls for one
 * channel queue in order.
 */
import { setTimeout as sleep } from "node:timers/promises";

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms, performance clock). */
  at: number;
  queue: Promise<void>;
}

export class ChannelPacer {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param intervalMs time to earn one more post (default 1000)
   * @param burst posts that may go out back to back after a quiet spell (default 2)
   */
  constructor(
    private readonly intervalMs = 1000,
    private readonly burst = 2,
  ) {}

  /** Resolves when a post to `channel` may start. */
  wait(channel: string): Promise<void> {
    let bucket = this.buckets.get(channel);
    if (!bucket) {
      bucket = { tokens: this.burst, at: performance.now(), queue: Promise.resolve() };
      this.buckets.set(channel, bucket);
    }
    const b = bucket;
    const turn = b.queue.then(async () => {
      const now = performance.now();
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.intervalMs);
      b.at = now;
      if (b.tokens < 1) {
        await sleep((1 - b.tokens) * this.intervalMs);
        b.tokens = 1;
        b.at = performance.now();
      }
      b.tokens -= 1;
    });
    b.queue = turn;
    return turn;
  }

  /** Forgets channels that have earned a full burst again (bounded memory when long-lived). */
  prune(): void {
    const now = performance.now();
    for (const [channel, b] of this.buckets) {
      if (b.tokens + (now - b.at) / this.intervalMs >= this.burst) this.buckets.delete(channel);
    }
  }
}
