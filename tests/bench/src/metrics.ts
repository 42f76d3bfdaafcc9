// Counters read from a service's GET /metrics (Prometheus text), from outside like an operator:
// db_statements_total (every statement the process sent to PostgreSQL, BEGIN/COMMIT included)
// before and after a phase gives statements per event whatever the service's code does.

export const STATEMENTS = 'db_statements_total';

/** The sum of a counter's series in a Prometheus text exposition; null when it is absent. */
export function counterValue(text: string, name: string): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^(\S+?)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/** The counter's value at the service (`baseUrl`), null when it is unreachable or absent. */
export async function scrape(baseUrl: string, name = STATEMENTS): Promise<number | null> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return res.status === 200 ? counterValue(text, name) : null;
  } catch {
    return null;
  }
}

/** One counter of several services between two moments. */
export class CounterMeter {
  private constructor(
    private readonly urls: Record<string, string>,
    private readonly start: Record<string, number | null>,
    private readonly name: string,
  ) {}

  static async begin(urls: Record<string, string>, name = STATEMENTS): Promise<CounterMeter> {
    const start = await scrapeAll(urls, name);
    return new CounterMeter(urls, start, name);
  }

  /** How much each service's counter grew since begin (null when either read failed). */
  async delta(): Promise<Record<string, number | null>> {
    const now = await scrapeAll(this.urls, this.name);
    return Object.fromEntries(
      Object.keys(this.urls).map((k) => {
        const a = this.start[k];
        const b = now[k];
        return [k, a === null || b === null || a === undefined || b === undefined ? null : b - a];
      }),
    );
  }
}

async function scrapeAll(
  urls: Record<string, string>,
  name: string,
): Promise<Record<string, number | null>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([k, url]) => [k, await scrape(url, name)] as const),
  );
  return Object.fromEntries(entries);
}

/** a ÷ b, or null when a is unknown or b is not positive. */
export function per(a: number | null | undefined, b: number): number | null {
  return a === null || a === undefined || !(b > 0) ? null : a / b;
}
