/**
 * `/cycle` and `/cycle/:month`: the month's calendar (business days, holidays, due dates,
 * today), the steps with their status and who still has to sign, every sign-off with who and
 * when, and the cycle's audit trail.
 */
import { businessDayOfMonth, isBusinessDay, localDate } from "../../domain/calendar.js";
import { dashboardPath } from "../../domain/links.js";
import { addDays, daysInMonth, firstDayOfPeriod, weekday } from "../../domain/periods.js";
import { ApiAnswerError, chartFor, ok } from "../api.js";
import { Badge, Banner, Chart, Panel, ScrollBox, Table } from "../components.js";
import { date, monthLong, when } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const STATUS_TEXT: Record<string, string> = {
  signed: "signed",
  open: "open",
  changes_requested: "changes requested",
};

/** The action of an audit entry for people: "signoff.request_changes" → "sign-off: request changes". */
function actionText(action: string): string {
  return action.replace("signoff.", "sign-off: ").replace("plan.", "plan ").replace(/_/g, " ");
}

/** A short line from an audit entry's details (step, decision, comment). */
function detailText(details: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof details.step === "string") parts.push(`step ${details.step}`);
  if (Array.isArray(details.roles) && details.roles.length > 0) parts.push(`as ${details.roles.join(", ")}`);
  if (typeof details.comment === "string" && details.comment) parts.push(`“${details.comment}”`);
  if (details.signed === true) parts.push("step signed");
  return parts.join(" · ");
}

export const cyclePage: DashboardPage = {
  view: "cycle",
  paths: ["/cycle", "/cycle/:month"],
  async render({ api, params, settings, now }) {
    const requested = params.month;
    if (requested !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(requested)) {
      throw new ApiAnswerError(400, "bad_request", `${requested} is not a month (YYYY-MM)`);
    }
    const [list, s] = await Promise.all([ok(api.api.cycles.$get({ query: { limit: "24" } })), settings()]);
    let answer: Awaited<ReturnType<typeof loadCycle>>;
    try {
      answer = await loadCycle(api, requested);
    } catch (error) {
      if (requested === undefined && error instanceof ApiAnswerError && error.status === 404) {
        return {
          title: "Cycle",
          body: (
            <>
              <PageHead title="S&OP cycle" />
              <Banner kind="info" title="No cycle is open">
                <p>
                  Open this month's cycle from Slack (<code>/sop cycle open</code>) or the API (
                  <code>POST /api/cycles</code>).
                </p>
              </Banner>
              <CycleList cycles={list.cycles} current={undefined} />
            </>
          ),
        };
      }
      throw error;
    }
    const cycle = answer;
    const [audit, chart, attached] = await Promise.all([
      ok(api.api.audit.$get({ query: { entity: "cycle", entityId: cycle.month, limit: "200" } })),
      chartFor(api, "cycle-timeline", { month: cycle.month }),
      // The what-if scenarios attached to each step (e.g. the options behind the pre-S&OP approval).
      Promise.all(
        cycle.steps.map((st) =>
          ok(
            api.api.cycles[":month"].steps[":step"].scenarios.$get({
              param: { month: cycle.month, step: st.key },
            }),
          ).then((r) => [st.key, r.scenarios] as const),
        ),
      ).then((pairs) => new Map(pairs)),
    ]);
    const tz = cycle.timezone;
    const today = localDate(now, tz);
    const holidays = new Map(s.holidays.map((h) => [h.date, h.name]));
    const holidaySet = new Set(holidays.keys());
    const signoffs = cycle.steps
      .flatMap((st) => st.signoffs.map((so) => ({ ...so, step: st })))
      .sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);

    // The calendar: weeks from Monday; blanks before the 1st and after the last day.
    const first = firstDayOfPeriod(cycle.month);
    const lead = (weekday(first) + 6) % 7;
    const days = daysInMonth(cycle.month);
    const cells: (string | null)[] = [
      ...Array.from({ length: lead }, () => null),
      ...Array.from({ length: days }, (_, i) => addDays(first, i)),
    ];
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
    const dueOn = (d: string) => cycle.steps.filter((st) => st.dueDate === d);

    return {
      title: `Cycle ${monthLong(cycle.month)}`,
      charts: true,
      body: (
        <>
          <PageHead
            title={`S&OP cycle ${monthLong(cycle.month)}`}
            subtitle={
              <>
                <Badge kind={cycle.status}>{cycle.status}</Badge> {cycle.progress.signed} of{" "}
                {cycle.progress.total} steps signed
                {cycle.progress.overdue > 0 ? (
                  <>
                    {" "}
                    · <Badge kind="overdue">{cycle.progress.overdue} overdue</Badge>
                  </>
                ) : null}{" "}
                ·{" "}
                {cycle.planLocked
                  ? `plan locked ${when(cycle.planLocked.at, tz)} by ${cycle.planLocked.byName ?? cycle.planLocked.by}`
                  : "plan open for changes"}{" "}
                · times in {tz}
              </>
            }
          />

          <div class="grid-2">
            <Panel id="calendar" title="Calendar">
              <ScrollBox label={`Calendar of ${monthLong(cycle.month)}`}>
                <table class="calendar">
                  <caption>
                    Business days are numbered (BD); weekends and holidays are shaded; the outlined day is
                    today.
                  </caption>
                  <thead>
                    <tr>
                      {WEEKDAYS.map((w) => (
                        <th scope="col">{w}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {weeks.map((week) => (
                      <tr>
                        {week.map((d) => {
                          if (d === null) return <td class="outside"></td>;
                          const bd = businessDayOfMonth(d, holidaySet);
                          const classes = [
                            isBusinessDay(d, holidaySet) ? "" : "off",
                            d === today ? "today" : "",
                          ].join(" ");
                          return (
                            <td
                              class={classes.trim() || undefined}
                              data-date={d}
                              aria-current={d === today ? "date" : undefined}
                            >
                              <span class="day">{Number(d.slice(8))}</span>{" "}
                              {bd ? <span class="muted">BD {bd}</span> : null}
                              {holidays.has(d) ? (
                                <span class="cell-sub">{holidays.get(d) || "holiday"}</span>
                              ) : null}
                              {dueOn(d).map((st) => (
                                <span
                                  class={`due badge ${st.status === "signed" ? "signed" : st.overdue ? "overdue" : "open"}`}
                                  title={`${st.name} due`}
                                >
                                  <span class="step-no">{st.position}.</span>
                                  <span class="step-name"> {st.name}</span> due
                                </span>
                              ))}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            </Panel>
            <Panel id="timeline" title="Timeline">
              <Chart chart={chart} />
              <CycleList cycles={list.cycles} current={cycle.month} />
            </Panel>
          </div>

          <Panel id="steps" title="Steps">
            <Table
              label="Steps of the cycle"
              rows={cycle.steps}
              rowKey={(st) => st.key}
              sortable={false}
              columns={[
                {
                  label: "Step",
                  header: true,
                  cell: (st) => (
                    <>
                      {st.position}. {st.name}
                      <span class="cell-sub">{st.description}</span>
                    </>
                  ),
                },
                { label: "Due", cell: (st) => date(st.dueDate), key: "due" },
                { label: "Signed by", cell: (st) => (st.roles.length ? st.roles.join(", ") : "no sign-off") },
                {
                  label: "Status",
                  key: "status",
                  cell: (st) => (
                    <>
                      <Badge kind={st.overdue ? "overdue" : st.status}>
                        {st.overdue ? "overdue" : (STATUS_TEXT[st.status] ?? st.status)}
                      </Badge>
                      {st.overdue ? (
                        <span class="cell-sub">
                          overdue by {st.daysOverdue} business day{st.daysOverdue === 1 ? "" : "s"}
                        </span>
                      ) : null}
                    </>
                  ),
                },
                {
                  label: "Approvals",
                  cell: (st) =>
                    st.approvals.length === 0
                      ? "—"
                      : st.approvals.map((a) => (
                          <span class="cell-sub">
                            {a.role}: {a.person.name}, {when(a.at, tz)}
                          </span>
                        )),
                },
                {
                  label: "Scenarios",
                  key: "scenarios",
                  cell: (st) => {
                    const list = attached.get(st.key) ?? [];
                    return list.length === 0
                      ? "—"
                      : list.map((sc) => (
                          <span class="cell-sub">
                            <a
                              href={dashboardPath({ view: "scenarios", filters: { scenario: sc.id } })}
                              data-scenario={String(sc.id)}
                            >
                              {sc.name}
                            </a>
                            {sc.stale ? " (stale)" : ""}
                          </span>
                        ));
                  },
                },
                {
                  label: "Waiting for",
                  key: "missing",
                  cell: (st) =>
                    st.status === "signed" || st.missing.length === 0
                      ? "—"
                      : st.missing.map((m) => (
                          <span class="cell-sub">
                            {m.role}:{" "}
                            {m.people.length
                              ? m.people.map((p) => p.name).join(", ")
                              : "nobody holds this role"}
                          </span>
                        )),
                },
              ]}
            />
          </Panel>

          <Panel id="signoffs" title="Sign-offs" aside={`${signoffs.length} decisions, newest first`}>
            <Table
              label="Sign-off decisions"
              tall
              rows={signoffs}
              rowKey={(so) => String(so.id)}
              empty="No decisions yet."
              columns={[
                { label: "When", cell: (so) => when(so.at, tz), sort: (so) => so.at, key: "at" },
                { label: "Step", cell: (so) => so.step.name },
                { label: "Who", header: true, cell: (so) => so.person.name, key: "who" },
                { label: "As", cell: (so) => so.roles.join(", ") },
                {
                  label: "Decision",
                  key: "decision",
                  cell: (so) => (
                    <Badge kind={so.decision}>
                      {so.decision === "approve" ? "approved" : "changes requested"}
                    </Badge>
                  ),
                },
                { label: "Comment", cell: (so) => so.comment ?? "" },
                { label: "From", cell: (so) => so.source },
              ]}
            />
          </Panel>

          <Panel id="audit" title="Audit trail" aside="Append-only: every decision and change to this cycle">
            <Table
              label="Audit trail of the cycle"
              tall
              rows={audit.entries}
              rowKey={(e) => String(e.id)}
              empty="Nothing recorded yet."
              columns={[
                { label: "When", cell: (e) => when(e.at, tz), sort: (e) => e.at },
                { label: "Who", cell: (e) => auditActor(e) },
                { label: "What", header: true, cell: (e) => actionText(e.action) },
                { label: "Details", cell: (e) => detailText(e.details) },
                { label: "From", cell: (e) => e.source },
              ]}
            />
          </Panel>
        </>
      ),
    };
  },
};

function auditActor(e: { actor: string | null; details: Record<string, unknown> }): string {
  const person = e.details.person as { name?: unknown } | undefined;
  const name = typeof person?.name === "string" ? person.name : undefined;
  return name ? `${name} (${e.actor})` : (e.actor ?? "—");
}

async function loadCycle(api: Parameters<DashboardPage["render"]>[0]["api"], month: string | undefined) {
  const body = month
    ? await ok(api.api.cycles[":month"].$get({ param: { month } }))
    : await ok(api.api.cycles.current.$get());
  return body.cycle;
}

function CycleList(props: { cycles: { month: string; status: string }[]; current: string | undefined }) {
  if (props.cycles.length === 0) return null;
  return (
    <nav aria-label="Other cycles">
      <h3>Cycles</h3>
      <p>
        {props.cycles.map((c, i) => (
          <>
            {i > 0 ? " · " : ""}
            <a
              href={dashboardPath({ view: "cycle", filters: { month: c.month } })}
              aria-current={c.month === props.current ? "page" : undefined}
            >
              {monthLong(c.month)}
            </a>
            {c.status === "open" ? " (open)" : ""}
          </>
        ))}
      </p>
    </nav>
  );
}
