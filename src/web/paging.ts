/**
 * The devices list pages by cursor, never by offset: page 1 is asked with no cursor, page n+1 with the `next`
 * cursor page n returned. Going back means remembering the cursors that led here, as a stack. Immutable, so it
 * can live in React state.
 */
export interface CursorStack {
  /** The `after` cursor of each page visited; the first page's is null. */
  readonly cursors: readonly (string | null)[];
}

export const firstPage = (): CursorStack => ({ cursors: [null] });

/** The cursor to ask the current page with. */
export const currentCursor = (s: CursorStack): string | null => s.cursors[s.cursors.length - 1] ?? null;

/** 1-based number of the current page. */
export const pageNumber = (s: CursorStack): number => s.cursors.length;

export const hasPrevious = (s: CursorStack): boolean => s.cursors.length > 1;

/** Forward to the page `next` (the current page's `next`); a null cursor means there is none. */
export function pushNext(s: CursorStack, next: string | null): CursorStack {
  return next === null ? s : { cursors: [...s.cursors, next] };
}

/** Back one page; the first page stays the first page. */
export function popPrevious(s: CursorStack): CursorStack {
  return hasPrevious(s) ? { cursors: s.cursors.slice(0, -1) } : s;
}
