/**
 * The consensus plan of a cycle: the statistical forecast plus the overrides that sales and
 * marketing submit, each with who and why. A cycle's consensus rows (forecasts, source
 * 'consensus') are rebuilt whenever its statistical forecast or its overrides change: per
 * SKU-location and month, the latest accepted override covering it, else the consensus
 * imported for the cycle (kept as the base, see consensus_imports), else the statistical
 * forecast. The executive sign-off locks it: changes are refused with 409 until an executive
 * reopens the step (the same lock the forecasts import checks).
 */
import type { Db, Sql } from "../../db/client.js";
import { appendAudit } from "../../db/repositories/audit.js";
import { tuneBulkWrite } from "../../db/repositories/bulk.js";
import {
  acceptedOverrides,
  type CellFacts,
  type ConsensusCells,
  type ConsensusCounts,
  type ConsensusGrouping,
  candidateCells,
  captureImportedConsensus,
  cellFacts,
  consensusIsWhole,
  consensusLines,
  consensusTotals,
  consensusUnits,
  getOverride,
  getOverrideByKey,
  insertOverride,
  listOverrides,
  markConsensusWhole,
  type OverrideCell,
  type OverrideFilter,
  type OverrideRow,
  overrideCells,
  rebuildConsensusRows,
  replaceOverrideCells,
  withdrawOverride as withdrawOverrideRow,
} from "../../db/repositories/consensus.js";
import { getCycle, latestOpenCycleBefore, lockCycle } from "../../db/repositories/cycles.js";
import { forecastModel, getForecastRun } from "../../db/repositories/forecast-runs.js";
import { getItem } from "../../db/repositories/items.js";
import { familyExists, locationExists } from "../../db/repositories/kpi.js";
import { LOCK, lockXact } from "../../db/repositories/locks.js";
import { activeHolders, getPerson } from "../../db/repositories/people.js";
import { bumpDataVersion } from "../../db/repositories/plan.js";
import { getCompany } from "../../db/repositories/settings.js";
import { localPeriod } from "../domain/calendar.js";
import { consensusOf, spreadUnits } from "../domain/override-spread.js";
import {
  addMonths,
  firstDayOfPeriod,
  monthsBetween,
  type Period,
  periodFromIndex,
  toPeriod,
} from "../domain/periods.js";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from "../errors.js";

/** Roles that submit overrides. */
export const OVERRIDE_ROLES = ["sales", "marketing"] as const;
/** Roles that may withdraw someone else's override. */
const WITHDRAW_ROLES = ["planner", "admin"];
/** The default location, as in the CSV formats. */
const MAIN = "MAIN";
/** Overrides reach this many months past the cycle month (the plan holds 24). */
export const MAX_OVERRIDE_LAG = 23;

const monthKey = (p: Period) => firstDayOfPeriod(p);

/**
 * The cycle a planning action belongs to when none is named: the cycle of the company's current
 * month if it is open, else the latest open cycle before it, else the current month.
 */
export async function planningCycle(db: Db, now: Date): Promise<Period> {
  const company = await getCompany(db);
  const period = localPeriod(now, company.timezone);
  const own = await getCycle(db, monthKey(period));
  if (own) return period;
  const earlier = await latestOpenCycleBefore(db, monthKey(period));
  return earlier ? toPeriod(earlier) : period;
}

/**
 * Why the cycle's consensus plan may not change (409), or null when it may: the cycle is
 * closed, or the executive sign-off has locked it. Holds the cycle's row until the transaction
 * ends, so a sign-off and a change of the plan never cross.
 */
export async function planLock(tx: Db, cycle: Period): Promise<ConflictError | null> {
  const row = await lockCycle(tx, monthKey(cycle));
  if (!row) return null;
  if (row.status === "closed") {
    return new ConflictError(`the cycle ${cycle} is closed: its plan can no longer change`, { cycle });
  }
  if (row.planLockedAt) {
    return new ConflictError(
      `the consensus plan of ${cycle} is locked by the executive sign-off${
        row.planLockedByName ? ` of ${row.planLockedByName}` : ""
      }; an executive must request changes on the executive step to reopen it`,
      { cycle, planLocked: { at: row.planLockedAt.toISOString(), by: row.planLockedBy } },
    );
  }
  return null;
}

/** Refuses (409) when the cycle's consensus plan may not change (see {@link planLock}). */
export async function assertPlanOpen(tx: Db, cycle: Period): Promise<void> {
  const refusal = await planLock(tx, cycle);
  if (refusal) throw refusal;
}

/** The cells an override puts units in; empty when a family has no SKU-location to spread over. */
async function allocate(tx: Db, o: OverrideRow): Promise<OverrideCell[]> {
  if (o.scope === "sku" && o.location) {
    return [
      { overrideId: o.id, sku: o.sku!, location: o.location, units: o.units, share: 1, basis: "single" },
    ];
  }
  const cells = await candidateCells(tx, {
    cycle: o.cycle,
    period: o.period,
    target: o.scope === "sku" ? { sku: o.sku! } : { family: o.family! },
  });
  if (cells.length === 0) {
    if (o.scope === "family") return [];
    return [{ overrideId: o.id, sku: o.sku!, location: MAIN, units: o.units, share: 1, basis: "single" }];
  }
  const spread = spreadUnits(o.units, cells);
  return cells.map((c, i) => ({
    overrideId: o.id,
    sku: c.sku,
    location: c.location,
    units: spread.cells[i]!.units,
    share: spread.cells[i]!.share,
    basis: spread.basis,
  }));
}

/**
 * Rebuilds the cycle's consensus inside `tx` (which must hold LOCK.consensus): keeps an imported
 * consensus as the base, spreads every accepted override again over the current statistical
 * forecast, and writes the rows that change. Bumps the data version when anything changed.
 */
export async function rebuildCycleConsensus(tx: Db, cycle: Period): Promise<ConsensusCounts> {
  const month = monthKey(cycle);
  await tuneBulkWrite(tx);
  await captureImportedConsensus(tx, month);
  const overrides = await acceptedOverrides(tx, month);
  const cells: OverrideCell[] = [];
  for (const o of overrides) cells.push(...(await allocate(tx, o)));
  await replaceOverrideCells(
    tx,
    overrides.map((o) => o.id),
    cells,
  );
  const counts = await rebuildConsensusRows(tx, month);
  if (counts.inserted + counts.updated + counts.deleted > 0) await bumpDataVersion(tx);
  await markConsensusWhole(tx, month);
  return counts;
}

/**
 * After one override was written or withdrawn (its cells given), inside `tx` holding
 * LOCK.consensus: when the consensus was whole and nothing else changed the fact base since,
 * only those cells are rebuilt, so an override costs what it covers rather than the whole cycle
 * (2 s at 30,000 SKU-locations); otherwise the whole cycle is. Bumps the data version when
 * anything changed.
 */
async function rebuildAfterOverride(tx: Db, cycle: Period, only: ConsensusCells): Promise<ConsensusCounts> {
  const month = monthKey(cycle);
  if (!(await consensusIsWhole(tx, month))) return rebuildCycleConsensus(tx, cycle);
  const counts = await rebuildConsensusRows(tx, month, only);
  if (counts.inserted + counts.updated + counts.deleted > 0) await bumpDataVersion(tx);
  await markConsensusWhole(tx, month);
  return counts;
}

// ---------------------------------------------------------------- overrides

export interface OverrideJson {
  id: number;
  /** 'YYYY-MM' */
  cycle: string;
  /** 'YYYY-MM' */
  period: string;
  /** Periods after the cycle month: 0 for the cycle's own month. */
  lag: number;
  scope: "sku" | "family";
  sku: string | null;
  location: string | null;
  family: string | null;
  /** Units for the month: the SKU's (at the location, when given) or the family's total. */
  units: number;
  reason: string;
  person: { slackUserId: string; name: string };
  role: "sales" | "marketing";
  status: "accepted" | "withdrawn";
  source: string;
  createdAt: string;
  withdrawn: { at: string; by: string | null; reason: string | null } | null;
}

export function overrideJson(o: OverrideRow): OverrideJson {
  const cycle = toPeriod(o.cycle);
  const period = toPeriod(o.period);
  return {
    id: o.id,
    cycle,
    period,
    lag: monthsBetween(cycle, period),
    scope: o.scope,
    sku: o.sku,
    location: o.location,
    family: o.family,
    units: o.units,
    reason: o.reason,
    person: { slackUserId: o.slackUserId, name: o.personName },
    role: o.role,
    status: o.status,
    source: o.source,
    createdAt: o.createdAt.toISOString(),
    withdrawn: o.withdrawnAt
      ? { at: o.withdrawnAt.toISOString(), by: o.withdrawnBy, reason: o.withdrawReason }
      : null,
  };
}

export interface OverrideInput {
  /** 'YYYY-MM'; default: {@link planningCycle}. */
  cycle?: Period | undefined;
  period: Period;
  /** Exactly one of family, sku and target (a family code, else a SKU). */
  family?: string | undefined;
  sku?: string | undefined;
  target?: string | undefined;
  /** One location of a SKU; else the SKU's units are spread over its locations. */
  location?: string | undefined;
  units: number;
  reason: string;
  /** Slack user id of the person submitting. */
  person: string;
  /** Which of the person's roles speaks (when they hold both sales and marketing). */
  role?: "sales" | "marketing" | undefined;
  source: string;
  idempotencyKey?: string | undefined;
}

export interface CellChange {
  sku: string;
  location: string;
  /** Consensus units before and after, null where there was none. */
  before: number | null;
  after: number | null;
  /** The override's units for the cell and its share (a fraction) of the override. */
  units: number;
  share: number;
  basis: OverrideCell["basis"];
}

export interface OverrideResult {
  /** 201 for a new override, 200 for a repeated idempotency key with the same content. */
  status: 200 | 201;
  override: OverrideJson;
  cells: CellChange[];
  consensus: ConsensusCounts;
}

async function resolveTarget(
  db: Db,
  input: Pick<OverrideInput, "family" | "sku" | "target">,
): Promise<{ scope: "sku" | "family"; code: string }> {
  if (input.family !== undefined) {
    if (!(await familyExists(db, input.family))) {
      throw new NotFoundError(`there is no family ${input.family}`, { family: input.family });
    }
    return { scope: "family", code: input.family };
  }
  if (input.sku !== undefined) {
    if (!(await getItem(db, input.sku)))
      throw new NotFoundError(`there is no SKU ${input.sku}`, { sku: input.sku });
    return { scope: "sku", code: input.sku };
  }
  const code = input.target!;
  const [family, item] = await Promise.all([familyExists(db, code), getItem(db, code)]);
  if (family && item) {
    throw new UnprocessableError(
      `${code} is both a family and a SKU: say which (family: ${code} or sku: ${code})`,
      { target: code },
    );
  }
  if (family) return { scope: "family", code };
  if (item) return { scope: "sku", code };
  throw new NotFoundError(`${code} is neither a family nor a SKU`, { target: code });
}

/** Refuses a cycle in the past that is not open any more: its plan is history. */
async function checkCycleTime(db: Db, cycle: Period, now: Date): Promise<void> {
  const company = await getCompany(db);
  const current = localPeriod(now, company.timezone);
  if (cycle >= current) return;
  const row = await getCycle(db, monthKey(cycle));
  if (row?.status === "open") return;
  throw new ConflictError(
    `the cycle ${cycle} is in the past${row ? " and closed" : ""}: override the plan of the current cycle (${current}) or a later one`,
    { cycle, current },
  );
}

async function checkPerson(
  db: Db,
  slackUserId: string,
  role: OverrideInput["role"],
): Promise<{ slackUserId: string; name: string; role: "sales" | "marketing" }> {
  const person = await getPerson(db, slackUserId);
  const held = person?.active ? OVERRIDE_ROLES.filter((r) => person.roles.includes(r)) : [];
  if (!person || held.length === 0) {
    const holders = await activeHolders(db, [...OVERRIDE_ROLES]);
    const who =
      holders.length > 0
        ? `overrides come from ${holders.map((h) => `${h.name} (${h.role})`).join(", ")}`
        : "nobody holds the sales or marketing role yet (give it with PUT /api/people/{slackUserId})";
    const subject = !person
      ? `${slackUserId} is not a known person`
      : !person.active
        ? `${person.name} (${slackUserId}) is inactive`
        : `${person.name} (${slackUserId}) holds neither the sales nor the marketing role`;
    throw new ForbiddenError(`${subject}; ${who}`, { roles: OVERRIDE_ROLES });
  }
  if (role !== undefined && !held.includes(role)) {
    throw new ForbiddenError(
      `${person.name} does not hold the ${role} role (they hold ${held.join(" and ")})`,
      {
        role,
      },
    );
  }
  return { slackUserId: person.slackUserId, name: person.name, role: role ?? held[0]! };
}

function sameOverride(
  o: OverrideRow,
  input: OverrideInput,
  cycle: Period,
  target: { scope: string; code: string },
) {
  return (
    toPeriod(o.cycle) === cycle &&
    toPeriod(o.period) === input.period &&
    o.scope === target.scope &&
    (o.scope === "sku" ? o.sku : o.family) === target.code &&
    (o.location ?? undefined) === input.location &&
    o.units === input.units &&
    o.reason === input.reason.trim() &&
    o.slackUserId === input.person
  );
}

/** Submits an override: validated, spread, applied to the consensus, audited, in one transaction. */
export async function submitOverride(sql: Sql, input: OverrideInput, now: Date): Promise<OverrideResult> {
  const cycle = input.cycle ?? (await planningCycle(sql, now));
  const lag = monthsBetween(cycle, input.period);
  if (lag < 0 || lag > MAX_OVERRIDE_LAG) {
    throw new BadRequestError(
      `period: ${input.period} is ${lag < 0 ? "before" : "too far after"} the cycle ${cycle}: override a month from ${cycle} to ${addMonths(cycle, MAX_OVERRIDE_LAG)}`,
      {
        problems: [
          {
            parameter: "period",
            message: `must be between ${cycle} and ${addMonths(cycle, MAX_OVERRIDE_LAG)}`,
          },
        ],
      },
    );
  }
  const target = await resolveTarget(sql, input);
  if (input.location !== undefined) {
    if (target.scope === "family") {
      throw new BadRequestError(
        "location: a family override covers every location; name a SKU for one location",
        {
          problems: [{ parameter: "location", message: "only with a SKU" }],
        },
      );
    }
    if (!(await locationExists(sql, input.location))) {
      throw new NotFoundError(`there is no location ${input.location}`, { location: input.location });
    }
  }

  if (input.idempotencyKey) {
    const earlier = await getOverrideByKey(sql, input.idempotencyKey);
    if (earlier) return replay(sql, earlier, input, cycle, target);
  }
  const person = await checkPerson(sql, input.person, input.role);
  await checkCycleTime(sql, cycle, now);

  try {
    return await sql.begin(async (tx) => {
      await lockXact(tx, LOCK.consensus);
      await assertPlanOpen(tx, cycle);
      const id = await insertOverride(tx, {
        cycle: monthKey(cycle),
        period: monthKey(input.period),
        scope: target.scope,
        sku: target.scope === "sku" ? target.code : null,
        location: input.location ?? null,
        family: target.scope === "family" ? target.code : null,
        units: input.units,
        reason: input.reason.trim(),
        slackUserId: person.slackUserId,
        role: person.role,
        source: input.source,
        idempotencyKey: input.idempotencyKey ?? null,
        at: now,
      });
      const row = (await getOverride(tx, id))!;
      await captureImportedConsensus(tx, monthKey(cycle));
      const mine = await allocate(tx, row);
      if (mine.length === 0) {
        throw new UnprocessableError(
          `no SKU-location of ${target.code} has a statistical forecast or an imported consensus for ${input.period}, sales in the 12 months before ${cycle}, stock or open supply to spread ${input.units} units over: override its SKUs one by one`,
          { family: target.code },
        );
      }
      const key = { cycle: monthKey(cycle), period: monthKey(input.period), keys: mine };
      const before = await consensusUnits(tx, key);
      await replaceOverrideCells(tx, [id], mine);
      const consensus = await rebuildAfterOverride(tx, cycle, { period: key.period, cells: mine });
      const after = await consensusUnits(tx, key);
      await appendAudit(tx, {
        at: now,
        actor: person.slackUserId,
        action: "override.accepted",
        entity: "override",
        entityId: String(id),
        source: input.source,
        details: {
          cycle,
          period: input.period,
          scope: target.scope,
          target: target.code,
          location: input.location ?? null,
          units: input.units,
          reason: row.reason,
          role: person.role,
          cells: mine.length,
        },
      });
      return {
        status: 201 as const,
        override: overrideJson(row),
        cells: cellChanges(mine, before, after),
        consensus,
      };
    });
  } catch (error) {
    // Two requests raced with one idempotency key: the loser answers the winner's record.
    const e = error as { code?: string; constraint_name?: string };
    if (input.idempotencyKey && e?.code === "23505" && (e.constraint_name ?? "").includes("idempotency")) {
      const winner = await getOverrideByKey(sql, input.idempotencyKey);
      if (winner) return replay(sql, winner, input, cycle, target);
    }
    throw error;
  }
}

function cellChanges(
  cells: OverrideCell[],
  before: Map<string, number>,
  after: Map<string, number>,
): CellChange[] {
  return cells.map((c) => {
    const k = `${c.sku}\t${c.location}`;
    return {
      sku: c.sku,
      location: c.location,
      before: before.get(k) ?? null,
      after: after.get(k) ?? null,
      units: c.units,
      share: c.share,
      basis: c.basis,
    };
  });
}

async function replay(
  sql: Sql,
  existing: OverrideRow,
  input: OverrideInput,
  cycle: Period,
  target: { scope: string; code: string },
): Promise<OverrideResult> {
  if (!sameOverride(existing, input, cycle, target)) {
    throw new ConflictError(
      `the idempotency key ${JSON.stringify(input.idempotencyKey)} was already used for a different override (#${existing.id}); use a new key for a new override`,
      { idempotencyKey: input.idempotencyKey, override: overrideJson(existing) },
    );
  }
  const cells = await overrideCells(sql, existing.id);
  const now = await consensusUnits(sql, { cycle: existing.cycle, period: existing.period, keys: cells });
  return {
    status: 200,
    override: overrideJson(existing),
    cells: cellChanges(cells, new Map(), now).map((c) => ({ ...c, before: null })),
    consensus: { inserted: 0, updated: 0, deleted: 0 },
  };
}

/**
 * Withdraws an accepted override (its submitter, a planner or an admin): the cells it decided
 * go back to what is beneath it. The record stays, marked withdrawn.
 */
export async function withdrawOverride(
  sql: Sql,
  id: number,
  by: { person: string; reason: string | null; source: string },
  now: Date,
): Promise<{ override: OverrideJson; cells: CellChange[]; consensus: ConsensusCounts }> {
  const existing = await getOverride(sql, id);
  if (!existing) throw new NotFoundError(`there is no override ${id}`);
  const person = await getPerson(sql, by.person);
  const allowed =
    person?.active &&
    (person.slackUserId === existing.slackUserId || person.roles.some((r) => WITHDRAW_ROLES.includes(r)));
  if (!allowed) {
    throw new ForbiddenError(
      `${person ? `${person.name} (${person.slackUserId})` : `${by.person} (not a known person)`} may not withdraw override #${id}: its submitter (${existing.personName}), a planner or an admin may`,
      { override: id },
    );
  }
  if (existing.status === "withdrawn") {
    throw new ConflictError(`override #${id} was already withdrawn`, { override: overrideJson(existing) });
  }
  const cycle = toPeriod(existing.cycle);
  return sql.begin(async (tx) => {
    await lockXact(tx, LOCK.consensus);
    await assertPlanOpen(tx, cycle);
    const cells = await overrideCells(tx, id);
    const key = { cycle: existing.cycle, period: existing.period, keys: cells };
    const before = await consensusUnits(tx, key);
    await withdrawOverrideRow(tx, id, { at: now, by: person!.slackUserId, reason: by.reason });
    const consensus = await rebuildAfterOverride(tx, cycle, { period: existing.period, cells });
    const after = await consensusUnits(tx, key);
    await appendAudit(tx, {
      at: now,
      actor: person!.slackUserId,
      action: "override.withdrawn",
      entity: "override",
      entityId: String(id),
      source: by.source,
      details: { cycle, period: toPeriod(existing.period), reason: by.reason },
    });
    return {
      override: overrideJson((await getOverride(tx, id))!),
      cells: cellChanges(cells, before, after),
      consensus,
    };
  });
}

export async function listOverridesJson(sql: Sql, filter: OverrideFilter): Promise<OverrideJson[]> {
  return (await listOverrides(sql, filter)).map(overrideJson);
}

export async function overrideDetail(
  sql: Sql,
  id: number,
): Promise<{ override: OverrideJson; cells: Omit<OverrideCell, "overrideId">[] }> {
  const o = await getOverride(sql, id);
  if (!o) throw new NotFoundError(`there is no override ${id}`);
  const cells = await overrideCells(sql, id);
  return { override: overrideJson(o), cells: cells.map(({ overrideId: _, ...c }) => c) };
}

// ---------------------------------------------------------------- reading the plan

export interface Provenance {
  cycle: string;
  sku: string;
  location: string;
  period: string;
  /** The consensus number, units; null when the cycle has none for the cell. */
  consensus: number | null;
  /** Where the consensus number comes from. */
  decidedBy:
    | { kind: "override"; overrideId: number }
    | { kind: "import"; importRunId: number | null }
    | { kind: "statistical"; runId: number | null }
    | { kind: "none" };
  statistical: {
    units: number;
    method: string | null;
    members: string[];
    backtestError: number | null;
    run: { id: number; finishedAt: string | null; actor: string | null; source: string } | null;
  } | null;
  imported: { units: number; importRunId: number | null; fileName: string | null; at: string | null } | null;
  /** Every override that covered the cell, oldest first; `effective` marks the one that decides it. */
  overrides: (OverrideJson & {
    cellUnits: number | null;
    share: number | null;
    basis: string | null;
    effective: boolean;
  })[];
}

/** Who and why behind one consensus number. */
export async function provenance(
  sql: Sql,
  key: { cycle: Period; sku: string; location: string; period: Period },
): Promise<Provenance> {
  if (!(await getItem(sql, key.sku))) throw new NotFoundError(`there is no SKU ${key.sku}`, { sku: key.sku });
  const month = monthKey(key.cycle);
  const facts: CellFacts = await cellFacts(sql, {
    cycle: month,
    sku: key.sku,
    location: key.location,
    period: monthKey(key.period),
  });
  const model = await forecastModel(sql, { cycle: month, sku: key.sku, location: key.location });
  const run = model ? await getForecastRun(sql, model.runId) : undefined;
  const accepted = facts.overrides
    .filter((o) => o.status === "accepted" && o.cellUnits !== null)
    .map((o) => ({ overrideId: o.id, units: o.cellUnits }));
  const base = facts.imported?.units ?? facts.statistical;
  const decided = consensusOf(base, accepted);
  const decidedBy: Provenance["decidedBy"] =
    decided.overrideId !== null
      ? { kind: "override", overrideId: decided.overrideId }
      : facts.imported
        ? { kind: "import", importRunId: facts.imported.importId }
        : facts.consensus?.importId
          ? { kind: "import", importRunId: facts.consensus.importId }
          : facts.statistical !== null
            ? { kind: "statistical", runId: model?.runId ?? null }
            : { kind: "none" };
  return {
    cycle: key.cycle,
    sku: key.sku,
    location: key.location,
    period: key.period,
    consensus: facts.consensus?.units ?? null,
    decidedBy,
    statistical:
      facts.statistical === null
        ? null
        : {
            units: facts.statistical,
            method: model?.method ?? null,
            members: model?.members ?? [],
            backtestError: model?.backtestError ?? null,
            run: run
              ? {
                  id: run.id,
                  finishedAt: run.finishedAt?.toISOString() ?? null,
                  actor: run.actor,
                  source: run.source,
                }
              : null,
          },
    imported: facts.imported
      ? {
          units: facts.imported.units,
          importRunId: facts.imported.importId,
          fileName: facts.imported.fileName,
          at: facts.imported.finishedAt?.toISOString() ?? null,
        }
      : null,
    overrides: facts.overrides.map((o) => ({
      ...overrideJson(o),
      cellUnits: o.cellUnits,
      share: o.share,
      basis: o.basis,
      effective: o.id === decided.overrideId,
    })),
  };
}

export interface ConsensusLineJson {
  sku: string;
  name: string;
  family: string;
  location: string;
  method: string | null;
  backtestError: number | null;
  months: {
    period: string;
    statistical: number | null;
    consensus: number | null;
    /** Where the consensus number comes from: statistical, import or override. */
    basis: "statistical" | "import" | "override";
    overrideId: number | null;
  }[];
}

/** A page of the cycle's plan: each SKU-location's statistical and consensus numbers by month. */
export async function consensusPage(
  sql: Sql,
  q: { cycle: Period; sku?: string; family?: string; location?: string; limit: number; offset: number },
): Promise<{ lines: ConsensusLineJson[]; total: number }> {
  const { lines, total } = await consensusLines(sql, { ...q, cycle: monthKey(q.cycle) });
  const BASIS = { s: "statistical", i: "import", o: "override" } as const;
  return {
    total,
    lines: lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      family: l.family,
      location: l.location,
      method: l.method,
      backtestError: l.backtestError,
      months: l.months.map((m, i) => ({
        period: periodFromIndex(m),
        statistical: l.statistical[i] ?? null,
        consensus: l.consensus[i] ?? null,
        basis: BASIS[l.basis[i] as "s" | "i" | "o"] ?? "statistical",
        overrideId: l.overrideIds[i] ?? null,
      })),
    })),
  };
}

export interface ConsensusSummaryJson {
  key: string;
  name: string | null;
  family: string | null;
  months: {
    period: Period;
    statistical: number | null;
    consensus: number | null;
    /** SKU-location cells whose consensus an accepted override decides. */
    overridden: number;
  }[];
}

/** A cycle's plan summed per family, SKU or location and month (see {@link consensusTotals}). */
export async function consensusSummary(
  sql: Sql,
  q: { cycle: Period; by: ConsensusGrouping; sku?: string; family?: string; location?: string },
): Promise<ConsensusSummaryJson[]> {
  const rows = await consensusTotals(sql, { ...q, cycle: monthKey(q.cycle) });
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    family: r.family,
    months: r.months.map((m, i) => ({
      period: periodFromIndex(m),
      statistical: r.statistical[i] ?? null,
      consensus: r.consensus[i] ?? null,
      overridden: r.overridden[i] ?? 0,
    })),
  }));
}
