// Kaminari-style pagination (docs/behaviour.md "Lists").

export const MAX_PER_PAGE = 100;

export interface PageRequest {
  page: number;
  perPage: number;
  offset: number;
}

export function pageRequest(query: { page: number; per_page: number }): PageRequest {
  const perPage = Math.min(query.per_page, MAX_PER_PAGE);
  return { page: query.page, perPage, offset: (query.page - 1) * perPage };
}

export function pageMeta(req: PageRequest, totalCount: number) {
  return {
    page: req.page,
    per_page: req.perPage,
    total_pages: Math.ceil(totalCount / req.perPage),
    total_count: totalCount,
  };
}
