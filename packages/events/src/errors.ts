import type { z } from 'zod';

/** One problem found in an event: where (dotted path, e.g. "data.gross.minor") and what. */
export type EventIssue = { path: string; message: string };

const MAX_LISTED_ISSUES = 20;

/**
 * An event that does not match the contract. The message is a single readable line listing
 * every problem — consumers put it on the dead-letter record as is.
 */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';

  constructor(
    readonly summary: string,
    readonly issues: readonly EventIssue[] = [],
    readonly eventType?: string,
    readonly eventId?: string,
  ) {
    super(EventValidationError.compose(summary, issues));
  }

  private static compose(summary: string, issues: readonly EventIssue[]): string {
    if (issues.length === 0) return summary;
    const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.path}: ${i.message}`);
    const more = issues.length - listed.length;
    if (more > 0) listed.push(`… and ${more} more`);
    return `${summary}: ${listed.join('; ')}`;
  }
}

/** "data.providerRefs.chargeId", "data.items[2]"; an issue about the whole event is "event". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || 'event';
}

export function issuesOf(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
