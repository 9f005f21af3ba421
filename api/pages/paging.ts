/**
 * Paging of a list page: the slice to show and the govuk pagination's items, with every link
 * keeping the page's other query parameters (filters, sort).
 */
export const PAGE_SIZE = 20;

export function pagination<T>(rows: readonly T[], requestedPage: unknown, hrefFor: (page: number) => string, size = PAGE_SIZE) {
  const count = Math.max(1, Math.ceil(rows.length / size));
  const parsed = Number.parseInt(String(requestedPage ?? '1'), 10);
  const current = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 1), count) : 1;
  const items: ({ ellipsis: true } | { number: number; href: string; current: boolean; visuallyHiddenText: string })[] = [];
  for (let page = 1; page <= count; page++) {
    if (page === 1 || page === count || Math.abs(page - current) <= 1) {
      items.push({ number: page, href: hrefFor(page), current: page === current, visuallyHiddenText: `Page ${page}` });
    } else if (!('ellipsis' in (items[items.length - 1] ?? {}))) {
      items.push({ ellipsis: true });
    }
  }
  return {
    rows: rows.slice((current - 1) * size, current * size),
    current,
    count,
    total: rows.length,
    from: rows.length ? (current - 1) * size + 1 : 0,
    to: Math.min(current * size, rows.length),
    previous: current > 1 ? hrefFor(current - 1) : undefined,
    next: current < count ? hrefFor(current + 1) : undefined,
    items,
  };
}

/** The current query string with some parameters replaced (undefined removes one). */
export function withQuery(path: string, query: Record<string, string | undefined>, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...changes })) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
