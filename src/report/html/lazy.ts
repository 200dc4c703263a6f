/**
 * Long tables that open fast: rows past the first few travel as raw text in
 * `<script type="text/html" id="{moreId}">`, which the browser neither runs nor parses into
 * elements (a <template> would still build every row), until the page's script appends them on a
 * "show all" click, on the first sort, or when a <details> around the table opens.
 */

/** Rows shown straight away in the runs table (its box shows about 15; "show all" appends the rest). */
export const VISIBLE_ROWS = 50;

/**
 * A table whose rows after the first `visible` wait as raw HTML text in a non-running script element.
 * `attrs` is trusted markup (attributes of the <table>); `head` and `rows` are escaped HTML, so no
 * user string can contain `<` and end that element early.
 */
export function lazyTable(attrs: string, head: string, rows: string[], visible: number, moreId: string): string {
  const shown = rows.slice(0, visible).join('\n');
  const rest = rows.slice(visible).join('\n');
  const table = `<table ${attrs}${rest ? ` data-more="${moreId}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${shown}\n</tbody></table>`;
  if (!rest) return table;
  // Raw text ends at the first "</script" and changes mode after "<!--": escaped rows have neither.
  if (/<\/script|<!--/i.test(rest)) throw new Error(`lazyTable ${moreId}: rows contain markup that would end a raw-text element`);
  return `${table}<script type="text/html" id="${moreId}">\n${rest}\n</script>`;
}

/** A button that appends the waiting rows of `moreId` (nothing when all rows are shown). */
export function showAllButton(moreId: string, total: number, visible: number, noun: string): string {
  if (total <= visible) return '';
  return `<button type="button" class="more" data-expand="${moreId}">Show all ${total.toLocaleString('en-US')} ${noun} (${visible} shown)</button>`;
}
