/**
 * App Home: the current cycle, what is waiting for the viewer, and the headline KPIs — the page
 * someone opens to know where the month stands.
 */
import type { HomeView } from "@slack/types";
import type { Cycle, Person, Summary } from "../api.js";
import { cycleSummaryText, pendingFor, pendingLine, stepLines } from "./cycle-status.js";
import { monthLong } from "./format.js";
import { dashboardLink, footer } from "./freshness.js";
import {
  clip,
  context,
  divider,
  escapeMrkdwn,
  fields,
  fitBlocks,
  header,
  type KnownBlock,
  SLACK_LIMITS,
  section,
} from "./kit.js";
import { headlineFields, MAIN_HEADLINES } from "./kpi-headline.js";
import { listBlocks } from "./list.js";
import { dashboard, type Render } from "./render.js";

export interface HomeInput {
  companyName: string | null;
  userId: string;
  person: Person | null;
  cycle: Cycle | null;
  summary: Summary | null;
}

export function homeView(r: Render, input: HomeInput, command = "/sop"): HomeView {
  const { cycle, summary, person } = input;
  const cycleLink = { view: "cycle" as const, filters: cycle ? { month: cycle.month } : {} };
  const url = dashboard(r, cycleLink);
  const blocks: KnownBlock[] = [header(`S&OP${input.companyName ? ` · ${input.companyName}` : ""}`)];
  const firstName = person?.name.split(/\s+/)[0];
  const greeting = firstName ? `Hi ${escapeMrkdwn(clip(firstName, 80))}. ` : "";
  if (!person) {
    blocks.push(
      context(
        "You have no role in the S&OP cycle yet: ask an admin to add you (PUT /api/people/<your Slack id>) to sign off steps.",
      ),
    );
  }
  const body: KnownBlock[] = [];
  if (cycle) {
    body.push(
      section(`${greeting}The ${monthLong(r.formats, cycle.month)} cycle: ${cycleSummaryText(r, cycle)}`),
    );
    const mine = pendingFor(cycle, input.userId);
    body.push(section("*Waiting for you*"));
    if (mine.length > 0) {
      body.push(
        ...listBlocks(mine, (p) => pendingLine(r, p, command), {
          maxBlocks: 10,
          moreUrl: url,
          noun: "more of yours",
        }),
      );
    } else {
      body.push(section("Nothing right now ✅"));
    }
    body.push(divider(), section("*Steps*"));
    body.push(
      ...listBlocks(cycle.steps, (s) => stepLines(r, s), {
        maxLines: 20,
        maxBlocks: 30,
        moreUrl: url,
        noun: "more steps",
      }),
    );
    body.push(context(dashboardLink(r, cycleLink, "Open the cycle in the dashboard")));
  } else {
    body.push(section(`${greeting}No S&OP cycle is open right now.`));
  }
  const tail: KnownBlock[] = [divider(), section("*Headline figures*")];
  if (summary) {
    tail.push(fields(headlineFields(r, summary.figures, MAIN_HEADLINES)));
    tail.push(footer(r, summary, { view: "overview" }));
  } else {
    tail.push(section("The figures could not be read just now; they will be back when you reopen this tab."));
  }
  tail.push(
    context(`Ask anything with \`${command}\` in any channel · \`${command} help\` lists the questions`),
  );
  return {
    type: "home",
    blocks: fitBlocks(blocks, body, tail, { max: SLACK_LIMITS.blocksPerView, moreUrl: url }),
  };
}
