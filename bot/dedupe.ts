/**
 * Slack redelivers what it thinks we missed (X-Slack-Retry-Num over HTTP, retry_attempt over
 * Socket Mode). Each delivery has an identity — the event_id of an event, the trigger_id of a
 * command, click or submission — and a retry carries the same one: the first delivery claims
 * it, later ones are acknowledged and dropped. Per process; decisions that must hold across
 * replicas (sign-offs) carry an idempotency key to the API as well.
 */

/** The identity of a delivery, or undefined when it has none we can use. */
export function deliveryKey(body: unknown): string | undefined {
  const b = body as { event_id?: unknown; trigger_id?: unknown; type?: unknown } | null;
  if (!b || typeof b !== "object") return undefined;
  if (typeof b.event_id === "string" && b.event_id) return `event:${b.event_id}`;
  if (typeof b.trigger_id === "string" && b.trigger_id) return `trigger:${b.trigger_id}`;
  return undefined;
}

/** Keys seen in the last `ttlMs`, at most `max` of them (the oldest forgotten first). */
export class DeliveryLog {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly max = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time a key is claimed within the window; false for a repeat. */
  claim(key: string): boolean {
    const t = this.now();
    const at = this.#seen.get(key);
    if (at !== undefined && t - at < this.ttlMs) return false;
    this.#seen.delete(key);
    this.#seen.set(key, t);
    // Map keeps insertion order: the first entries are the oldest.
    for (const [k, seenAt] of this.#seen) {
      if (this.#seen.size <= this.max && t - seenAt < this.ttlMs) break;
      this.#seen.delete(k);
    }
    return true;
  }
}
