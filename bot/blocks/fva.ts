/**
 * `/sop accuracy fva`: forecast value added by contributor — the accuracy (and WAPE) of the
 * naive, statistical and consensus forecasts over the window, then each contributor's numbers
 * against the statistical forecast on the cells they changed, in words ("Rachel Kim's
 * overrides made the plan 3.1 points worse"), worst first, and the months. Pure.
 */
import type { FvaReport } from "../api.js";
import { biasWords, month, oneDecimal, pct, plural } from "./format.js";
import { footer } from "./freshness.js";
import { clip, context, escapeMrkdwn, fallbackText, fields, fitBlocks, header, section } from "./kit.js";
import { listBlocks } from "./list.js";
import { dashboard, type Message, type Render } from "./render.js";
import type { Scope } from "./scope.js";

/** Accuracy from WAPE (DOMAIN.md: max(0, 1 − WAPE)). */
const accuracyOf = (wape: number | null) => (wape === null ? null : Math.max(0, 1 - wape));

/** "made the plan 3.1 points better", "… worse", "made no difference". */
export function valueAddedWords(r: Render, fva: number | null): string {
  if (fva === null) return "can't be judged yet (no actuals on those cells)";
  const points = fva * 100;
  if (Math.abs(points) < 0.05) return "made no difference";
  return `made the plan ${oneDecimal(r.formats, Math.abs(points))} points ${points > 0 ? "better" : "worse"}`;
}

/** "Rachel Kim's", "Sales'". */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** " than X" after a difference worth saying, else nothing. */
const than = (fva: number | null, what: string) =>
  fva !== null && Math.abs(fva * 100) >= 0.05 ? ` than ${what}` : "";

type Contributor = FvaReport["contributors"][number];

/** Whose numbers: "Rachel Kim's overrides", "Sales' imported numbers". */
export function contributorSubject(c: Pick<Contributor, "kind" | "id" | "name">): string {
  if (c.kind === "source") {
    const label = c.id.charAt(0).toUpperCase() + c.id.slice(1);
    return `${possessive(label)} imported numbers`;
  }
  return `${possessive(c.name)} overrides`;
}

function contributorLine(r: Render, c: Contributor): string {
  const f = r.formats;
  const who = `*${escapeMrkdwn(clip(contributorSubject(c), 120))}* ${valueAddedWords(r, c.fva)}`;
  const roles = c.roles.length > 0 ? ` (${c.roles.join(", ")})` : "";
  const count = c.kind === "person" ? `${plural(c.overrides, "override")}${roles} · ` : "";
  return `${who}\n${count}accuracy ${pct(f, accuracyOf(c.contributorWape))} vs ${pct(f, accuracyOf(c.statisticalWape))} statistical on ${plural(c.rows, "cell")} · ${biasWords(f, c.bias)}`;
}

function monthLine(r: Render, p: FvaReport["periods"][number]): string {
  const f = r.formats;
  return `${month(f, p.period)} · naive ${pct(f, accuracyOf(p.naiveWape))} · statistical ${pct(f, accuracyOf(p.statisticalWape))} · consensus ${pct(f, accuracyOf(p.consensusWape))}`;
}

export function fvaAnswer(r: Render, report: FvaReport, scope: Scope): Message {
  const f = r.formats;
  const t = report.total;
  const link = {
    view: "accuracy" as const,
    filters: { family: scope.family, lag: report.lag, from: report.from, to: report.to },
    section: "fva",
  };
  const url = dashboard(r, link);
  const window = `${month(f, report.from)} – ${month(f, report.to)}`;
  const cell = (label: string, wape: number | null) =>
    `*${label}*\n${pct(f, accuracyOf(wape))} accuracy · WAPE ${pct(f, wape)}`;
  const head = [
    header(`Forecast value added${scope.family ? ` · ${scope.family}` : ""}`),
    section(
      `Lag ${report.lag} · ${window} · ${plural(t.rows, "forecast")} with a statistical and a consensus number`,
    ),
    fields([
      cell("Naive", t.naiveWape),
      cell("Statistical", t.statisticalWape),
      cell("Consensus", t.consensusWape),
      `*Actual units*\n${Math.round(t.actualUnits).toLocaleString(f.locale)}`,
    ]),
    section(
      [
        `The statistical forecast ${valueAddedWords(r, t.naiveToStatistical)}${than(t.naiveToStatistical, "the naive forecast (last known month)")}.`,
        `The consensus ${valueAddedWords(r, t.statisticalToConsensus)}${than(t.statisticalToConsensus, "the statistical forecast")}.`,
      ].join("\n"),
    ),
  ];
  const contributors =
    report.contributors.length > 0
      ? [
          section("*By contributor* (on the cells each one changed, worst first)"),
          ...listBlocks(report.contributors, (c) => contributorLine(r, c), {
            maxLines: 8,
            maxBlocks: 12,
            moreUrl: url,
            noun: "more contributors",
          }),
        ]
      : [section("No overrides or imported sales and marketing numbers in this window.")];
  const months = report.periods.filter((p) => p.rows > 0).slice(-6);
  const trend =
    months.length > 0
      ? [section(`*By month* (accuracy)\n${months.map((p) => monthLine(r, p)).join("\n")}`)]
      : [];
  const worst = report.contributors.find((c) => c.fva !== null && c.fva < 0);
  const blocks = fitBlocks(
    head,
    [...contributors, ...trend],
    [
      ...(worst
        ? [
            context(
              "A contributor whose numbers keep making the plan worse is worth a conversation: bias often shows it.",
            ),
          ]
        : []),
      footer(r, { lastPeriod: report.lastPeriod, lastImportedAt: null }, link),
    ],
    { moreUrl: url },
  );
  return {
    text: fallbackText(
      `Forecast value added (${window}): statistical ${pct(f, accuracyOf(t.statisticalWape))}, consensus ${pct(f, accuracyOf(t.consensusWape))} accuracy${worst ? `; ${contributorSubject(worst)} ${valueAddedWords(r, worst.fva)}` : ""}`,
    ),
    blocks,
  };
}
