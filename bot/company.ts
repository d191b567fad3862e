/**
 * The company's name and time zone, read through the API and kept for a minute: every answer
 * shows times in the company's zone, and settings change rarely.
 */
import { type ApiClient, data } from "./api.js";
import type { Formats } from "./blocks/format.js";
import type { Render } from "./blocks/render.js";

export interface Company {
  name: string | null;
  timezone: string;
}

export class CompanyCache {
  #value: { company: Company; at: number } | undefined;
  #pending: Promise<Company> | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The company; UTC and no name when the settings cannot be read (answers still work). */
  async get(): Promise<Company> {
    const cached = this.#value;
    if (cached && this.clock() - cached.at < this.ttlMs) return cached.company;
    this.#pending ??= data(this.api.api.settings.$get())
      .then((s) => ({ name: s.company.name, timezone: s.company.timezone }))
      .catch(() => cached?.company ?? { name: null, timezone: "UTC" })
      .then((company) => {
        this.#value = { company, at: this.clock() };
        return company;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}

/** What builders need for one answer: formats in the company's zone, the clock, the base URL. */
export async function renderFor(
  company: CompanyCache,
  options: { formats: Omit<Formats, "timezone">; now: Date; publicUrl: string },
): Promise<Render> {
  const { timezone } = await company.get();
  return { formats: { ...options.formats, timezone }, now: options.now, publicUrl: options.publicUrl };
}
