/**
 * `/sop accuracy`: accuracy and WAPE, bias in words, forecast value added, the trend against
 * the previous window, the worst SKU-locations and their tracking-signal flags.
 */
import type { Accuracy } from "../api.js";
import { biasWords, fvaWords, month, oneDecimal, pct, plural, pointsChange } from "./format.js";
import { footer } from "./freshness.js";
import { clip, context, escapeMrkdwn, fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import { type Scope, scopeFilters, scopeSuffix } from "./scope.js";

/** "TS +5.2": the tracking signal, signed. */
export function trackingText(r: Render, ts: number | null): string {
  if (ts === null) return "";
  return `TS ${ts >= 0 ? "+" : "−"}${oneDecimal(r.formats, Math.abs(ts))}`;
}

function worstLine(r: Render, w: Accuracy["worst"][number]): string {
  const f = r.formats;
  const flag = w.biased ? ` · ⚠️ biased (${trackingText(r, w.trackingSignal)})` : "";
  return `*${escapeMrkdwn(clip(w.sku, 64))}* · ${escapeMrkdwn(clip(w.location, 32))}\nWAPE ${pct(f, w.wape)} · ${biasWords(f, w.bias)}${flag}`;
}

export function accuracyAnswer(r: Render, a: Accuracy, scope: Scope): Message {
  const f = r.formats;
  const link = {
    view: "accuracy" as const,
    filters: { ...scopeFilters(scope), lag: a.lag, from: a.from, to: a.to, source: a.source },
  };
  const url = dashboard(r, link);
  const months = a.periods.length;
  const window = `${month(f, a.from)} – ${month(f, a.to)}`;
  const trend = a.previous.accuracy !== null ? pointsChange(f, (a.accuracy ?? 0) - a.previous.accuracy) : "";
  const head = [
    header(`Forecast accuracy${scopeSuffix(scope)}`),
    section(
      `${a.source === "consensus" ? "Consensus" : a.source} forecast, lag ${a.lag} · ${window} (${plural(months, "month")})`,
    ),
    fields([
      `*Accuracy*\n${pct(f, a.accuracy)}${trend ? ` · ${trend}` : ""}`,
      `*WAPE*\n${pct(f, a.wape)}`,
      `*Bias*\n${biasWords(f, a.bias)}`,
      `*Previous ${plural(months, "month")}*\n${a.previous.accuracy === null ? "no forecasts to compare" : `${pct(f, a.previous.accuracy)} accuracy`}`,
    ]),
    section(
      [
        "*Forecast value added*",
        `Statistical vs naive: ${fvaWords(f, a.fva.naiveToStatistical)}`,
        `Consensus vs statistical: ${fvaWords(f, a.fva.statisticalToConsensus)}`,
      ].join("\n"),
    ),
  ];
  const biased = a.worst.filter((w) => w.biased);
  const worst =
    a.worst.length > 0
      ? [
          section("*Worst SKU-locations*"),
          ...listBlocks(a.worst, (w) => worstLine(r, w), {
            maxBlocks: 20,
            moreUrl: url,
            noun: "more SKU-locations",
          }),
        ]
      : [];
  const flags =
    biased.length > 0
      ? [
          context(
            `⚠️ ${plural(biased.length, "SKU-location")} of these ${biased.length === 1 ? "has" : "have"} a tracking signal beyond ±4: the forecast is biased, not just noisy.`,
          ),
        ]
      : [];
  const blocks = fitBlocks(head, [...worst, ...flags], [footer(r, a, link)], { moreUrl: url });
  return {
    text: fallbackText(
      `Forecast accuracy${scopeSuffix(scope)}: ${pct(f, a.accuracy)}, ${biasWords(f, a.bias)} (${window})`,
    ),
    blocks,
  };
}
