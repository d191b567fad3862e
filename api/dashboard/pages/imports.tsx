/** `/imports`: every import, newest first, with what it changed and, for a refused file, each bad row. */
import { IMPORT_KINDS } from "../../../db/import/kinds.js";
import { ok, query } from "../api.js";
import { Badge, FilterBar, Panel, Table } from "../components.js";
import { fmt, when } from "../format.js";
import { PageHead } from "../layout.js";
import type { DashboardPage } from "../page.js";

const RUNS = 200;

export const importsPage: DashboardPage = {
  view: "imports",
  paths: ["/imports"],
  async render({ api, url, company }) {
    const kind = url.searchParams.get("kind") || undefined;
    const chosen =
      kind && (IMPORT_KINDS as readonly string[]).includes(kind)
        ? (kind as (typeof IMPORT_KINDS)[number])
        : undefined;
    const [list, co] = await Promise.all([
      ok(api.api.imports.$get({ query: query({ kind: chosen, limit: RUNS }) })),
      company(),
    ]);
    const tz = co.timezone;
    const runs = list.runs;
    const failed = runs.filter((r) => r.status === "failed").length;
    const seconds = (r: (typeof runs)[number]) =>
      r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null;

    return {
      title: "Imports",
      body: (
        <>
          <PageHead
            title="Imports"
            subtitle={`${runs.length} import${runs.length === 1 ? "" : "s"}${failed ? `, ${failed} refused` : ""}, newest first · times in ${tz}`}
          />
          <FilterBar
            action="/imports"
            clear="/imports"
            fields={[
              {
                kind: "select",
                name: "kind",
                label: "File",
                value: chosen,
                options: [["", "All"], ...IMPORT_KINDS.map((k) => [k, `${k}.csv`] as const)],
              },
            ]}
          />
          <Panel
            id="runs"
            title="History"
            aside="An import is all-or-nothing: a refused file changed nothing."
          >
            <Table
              label="Import history"
              tall
              rows={runs}
              rowKey={(r) => String(r.id)}
              empty="Nothing has been imported yet: sop import FOLDER, or POST /api/imports/KIND."
              columns={[
                {
                  label: "File",
                  header: true,
                  cell: (r) => (
                    <>
                      {r.kind}
                      {r.fileName ? <span class="cell-sub">{r.fileName}</span> : null}
                    </>
                  ),
                  sort: (r) => r.kind,
                },
                {
                  label: "When",
                  cell: (r) => when(r.startedAt, tz),
                  sort: (r) => r.startedAt,
                  key: "startedAt",
                },
                { label: "From", cell: (r) => r.source },
                {
                  label: "Status",
                  key: "status",
                  cell: (r) => <Badge kind={r.status}>{r.status === "failed" ? "refused" : r.status}</Badge>,
                  sort: (r) => r.status,
                },
                { label: "Rows", kind: "count", value: (r) => r.rows, key: "rows" },
                { label: "New", kind: "count", value: (r) => r.inserted },
                { label: "Updated", kind: "count", value: (r) => r.updated },
                { label: "Unchanged", kind: "count", value: (r) => r.unchanged },
                { label: "Removed", kind: "count", value: (r) => r.deleted },
                { label: "Seconds", kind: "number", value: seconds },
                {
                  label: "Problems",
                  key: "errors",
                  sort: (r) => r.errorCount,
                  cell: (r) =>
                    r.errorCount === 0 && !r.message ? (
                      ""
                    ) : (
                      <details>
                        <summary>
                          {r.errorCount > 0
                            ? `${fmt(r.errorCount, "count")} bad row${r.errorCount === 1 ? "" : "s"}`
                            : "message"}
                        </summary>
                        {r.message ? <p>{r.message}</p> : null}
                        {r.errors.length > 0 ? (
                          <ul class="plain">
                            {r.errors.map((e) => (
                              <li>
                                line {e.line}
                                {e.column ? `, ${e.column}` : ""}
                                {e.value !== null ? ` = “${e.value}”` : ""}: {e.reason}
                              </li>
                            ))}
                          </ul>
                        ) : null}
                        {r.errorCount > r.errors.length ? (
                          <p class="muted">+{fmt(r.errorCount - r.errors.length, "count")} more</p>
                        ) : null}
                      </details>
                    ),
                },
              ]}
            />
          </Panel>
        </>
      ),
    };
  },
};
