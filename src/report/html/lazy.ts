/**
 * Long tables that open fast: rows past the first few sit in an inert <template> (parsed, but not
 * styled, laid out or run) until the page's script appends them, on a "show all" click, on the
 * first sort, or when a <details> around the table opens. A 1,000-run report opens ~2x faster.
 */

/** Rows shown straight away in the runs table. */
export const VISIBLE_ROWS = 100;

/**
 * A table whose rows after the first `visible` wait in `<template id="{moreId}">`.
 * `attrs` is trusted markup (attributes of the <table>); `head` and `rows` are escaped HTML.
 */
export function lazyTable(attrs: string, head: string, rows: string[], visible: number, moreId: string): string {
  const shown = rows.slice(0, visible).join('\n');
  const rest = rows.slice(visible);
  const table = `<table ${attrs}${rest.length ? ` data-more="${moreId}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${shown}\n</tbody></table>`;
  return rest.length ? `${table}<template id="${moreId}">\n${rest.join('\n')}\n</template>` : table;
}

/** A button that appends the waiting rows of `moreId` (nothing when all rows are shown). */
export function showAllButton(moreId: string, total: number, visible: number, noun: string): string {
  if (total <= visible) return '';
  return `<button type="button" class="more" data-expand="${moreId}">Show all ${total.toLocaleString('en-US')} ${noun} (${visible} shown)</button>`;
}
