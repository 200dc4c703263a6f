/** The report page's stylesheet (inlined, so the file works offline). */
export const REPORT_CSS = `
:root { --ink: #1d2330; --muted: #5f6b7a; --line: #e3e7ee; --accent: #1f5fa8; --best: #fff5d6; --bg: #f6f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
header.top { background: #17324f; color: #fff; }
header.top .inner { max-width: 1320px; margin: 0 auto; padding: 22px 28px 18px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; font-weight: 650; letter-spacing: .2px; }
header.top .meta { color: #c9d6e6; font-size: 13px; }
header.top nav { margin-top: 12px; display: flex; gap: 16px; flex-wrap: wrap; }
header.top nav a { color: #fff; opacity: .85; text-decoration: none; font-size: 13px; border-bottom: 1px solid transparent; }
header.top nav a:hover { opacity: 1; border-bottom-color: #fff; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 0 0 24px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
.card .v { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .s { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
section { margin: 0 0 32px; }
h2 { font-size: 17px; margin: 0 0 10px; font-weight: 650; }
h2 small { color: var(--muted); font-weight: 400; font-size: 13px; margin-left: 6px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.table-wrap { overflow: auto; max-height: 560px; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { position: sticky; top: 0; background: #eef2f7; font-weight: 600; z-index: 1; }
table.sortable thead th { cursor: pointer; user-select: none; }
table.sortable thead th:hover { background: #e2e9f2; }
th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 9px; color: var(--accent); }
th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 9px; color: var(--accent); }
tbody tr:hover { background: #f3f7fc; }
tr.best { background: var(--best); }
tr.best:hover { background: #ffefbf; }
tr.best td.name::before { content: "\\2605  "; color: #c98a00; }
td.name { font-weight: 550; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
td.clip { max-width: 140px; overflow: hidden; text-overflow: ellipsis; }
td.wrap { white-space: normal; min-width: 120px; max-width: 300px; overflow-wrap: anywhere; color: var(--muted); }
.id { color: var(--muted); font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eceff3; }
.status.finished { background: #e2f3e5; color: #1d6b2c; }
.status.failed { background: #fbe3e3; color: #9b1c1c; }
.status.running, .status.queued { background: #e4eefb; color: #1f5fa8; }
.status.interrupted { background: #fff0d9; color: #8a5300; }
.tag { display: inline-block; background: #eef2f7; border-radius: 4px; padding: 0 5px; margin: 0 3px 2px 0; font-size: 12px; color: var(--ink); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; max-width: 100%; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(86px, 1fr)); gap: 10px; }
.gallery figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px; text-align: center; }
.gallery img { width: 56px; height: 56px; image-rendering: pixelated; display: block; margin: 0 auto 4px; border-radius: 3px; }
.gallery figcaption { font-size: 12px; font-variant-numeric: tabular-nums; }
.gallery .p { color: var(--muted); font-size: 11px; display: block; }
button.more { margin-top: 8px; font: inherit; font-size: 13px; padding: 5px 12px; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; color: var(--accent); cursor: pointer; }
button.more:hover { background: #eef2f7; }
.note { color: var(--muted); margin: 0 0 10px; }
details.repro { background: #fff; border: 1px solid var(--line); border-radius: 8px; }
details.repro > summary { cursor: pointer; padding: 10px 16px; font-weight: 600; font-size: 15px; }
details.repro .table-wrap { border: 0; border-top: 1px solid var(--line); border-radius: 0 0 8px 8px; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 0 0 8px; }
.toolbar input[type=search] { flex: 1 1 320px; max-width: 560px; font: inherit; padding: 6px 10px; border: 1px solid #c9d1dc; border-radius: 6px; }
.toolbar .count { color: var(--muted); font-size: 13px; }
.toolbar .grow { flex: 1; }
.toolbar button, .chart-tools button { font: inherit; font-size: 12px; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--accent); cursor: pointer; }
.toolbar button:hover, .chart-tools button:hover { background: #eef2f7; }
td.pick, th.pick { width: 28px; padding-right: 0; }
tr.picked { background: #e4eefb; }
.chart-tools { display: flex; gap: 4px; justify-content: flex-end; margin: -4px 0 2px; }
h3 { font-size: 15px; margin: 18px 0 8px; font-weight: 600; }
.live { margin-top: 10px; display: inline-block; background: #fff3cd; color: #5c4400; border-radius: 12px; padding: 2px 12px; font-size: 13px; }
.live .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #d9480f; margin-right: 6px; vertical-align: 1px; }
#mistakes-view:empty { display: none; }
#mistakes-view { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 16px 14px; margin-bottom: 16px; }
.vega-bind { font-size: 12px; color: var(--muted); margin-top: 4px; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px; }
.empty { color: var(--muted); font-style: italic; }
.chart-error { color: #9b1c1c; }
`;
