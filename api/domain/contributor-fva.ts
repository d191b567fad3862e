/**
 * Forecast value added by contributor (DOMAIN.md's FVA applied to one contributor's numbers):
 * on the cells a contributor changed, the WAPE of the statistical forecast minus the WAPE of the
 * contributor's numbers. Positive = the contributor's input made the forecast better. Units in,
 * fractions out.
 */

/** Additive sums over a contributor's cells (units). */
export interface ContributorSums {
  rows: number;
  /** ΣA. */
  actualUnits: number;
  /** Σ|statistical − A|. */
  statisticalAbsError: number;
  /** Σ|contributor − A|. */
  contributorAbsError: number;
  /** Σ(contributor − A). */
  contributorError: number;
}

export interface ContributorFva {
  rows: number;
  /** ΣA, units. */
  actualUnits: number;
  /** A fraction; null when ΣA = 0. */
  statisticalWape: number | null;
  /** A fraction; null when ΣA = 0. */
  contributorWape: number | null;
  /** WAPE(statistical) − WAPE(contributor), a fraction; positive = the input helped. */
  fva: number | null;
  /** Σ(contributor − A) / ΣA, a fraction; positive = over-forecast. */
  bias: number | null;
}

export const EMPTY_CONTRIBUTOR_SUMS: Readonly<ContributorSums> = {
  rows: 0,
  actualUnits: 0,
  statisticalAbsError: 0,
  contributorAbsError: 0,
  contributorError: 0,
};

export function addContributorSums(a: ContributorSums, b: ContributorSums): ContributorSums {
  return {
    rows: a.rows + b.rows,
    actualUnits: a.actualUnits + b.actualUnits,
    statisticalAbsError: a.statisticalAbsError + b.statisticalAbsError,
    contributorAbsError: a.contributorAbsError + b.contributorAbsError,
    contributorError: a.contributorError + b.contributorError,
  };
}

export function contributorFva(s: ContributorSums): ContributorFva {
  const per = (x: number) => (s.actualUnits > 0 ? x / s.actualUnits : null);
  const statisticalWape = per(s.statisticalAbsError);
  const contributorWape = per(s.contributorAbsError);
  return {
    rows: s.rows,
    actualUnits: s.actualUnits,
    statisticalWape,
    contributorWape,
    fva: statisticalWape === null || contributorWape === null ? null : statisticalWape - contributorWape,
    bias: per(s.contributorError),
  };
}
