/**
 * What the Slack listeners share: the API client, the router, the company's settings, the
 * clock and the card redrawer that keeps each approval card in step with the cycle.
 */
import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { cardState } from "./actions/decide.js";
import { type ApiClient, data } from "./api.js";
import { approvalCard } from "./blocks/approval-card.js";
import type { Formats } from "./blocks/format.js";
import type { Render } from "./blocks/render.js";
import type { CommandRouter } from "./commands/router.js";
import { type CompanyCache, renderFor } from "./company.js";
import { stepScenarios } from "./cycle.js";

export type WebClient = webApi.WebClient;

export interface BotRuntime {
  api: ApiClient;
  router: CommandRouter;
  company: CompanyCache;
  logger: Logger;
  /** The slash command ("/sop"). */
  command: string;
  cards: CardRedrawer;
  /** Formats, clock and dashboard address for one answer. */
  render(): Promise<Render>;
}

export function createRender(
  company: CompanyCache,
  options: { formats: Omit<Formats, "timezone">; now: () => Date; publicUrl: string },
): () => Promise<Render> {
  return () =>
    renderFor(company, { formats: options.formats, now: options.now(), publicUrl: options.publicUrl });
}

/**
 * Redraws approval cards with chat.update. Redraws of one card run one after the other and
 * each reads the cycle afresh, so the last one shows every decision even when clicks race.
 */
export class CardRedrawer {
  readonly #chains = new Map<string, Promise<void>>();

  constructor(
    private readonly api: ApiClient,
    private readonly render: () => Promise<Render>,
    private readonly logger: Logger,
  ) {}

  redraw(
    client: WebClient,
    where: { channel: string; ts: string },
    card: { month: string; step: string },
  ): Promise<void> {
    const key = `${where.channel}:${where.ts}`;
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const [state, summary, render, scenarios] = await Promise.all([
          cardState(this.api, card.month, card.step),
          data(this.api.api.kpi.summary.$get()).catch(() => null),
          this.render(),
          stepScenarios(this.api, card.month, card.step),
        ]);
        if (!state) return;
        const message = approvalCard(
          { ...render, formats: { ...render.formats, timezone: state.cycle.timezone } },
          { ...state, summary, scenarios },
        );
        await client.chat.update({
          channel: where.channel,
          ts: where.ts,
          text: message.text,
          blocks: message.blocks,
        });
      })
      .catch((error: unknown) =>
        this.logger.error({ err: error, ...where }, "could not redraw an approval card"),
      )
      .finally(() => {
        if (this.#chains.get(key) === next) this.#chains.delete(key);
      });
    this.#chains.set(key, next);
    return next;
  }
}
