/** The page's stylesheet (served as /app.css). */
export const PAGE_CSS = `
:root {
  --bg: #f5f6fa; --card: #fff; --text: #1d2130; --muted: #5b6275; --line: #e2e5ee;
  --accent: #4f46e5; --accent-soft: #e0e7ff; --on-accent: #fff; --bar: #c7cbe0; --danger: #b42318; --danger-soft: #fef3f2;
  --radius: 14px; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 4px 16px rgba(16,24,40,.06);
  color-scheme: light;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #12141c; --card: #1b1e29; --text: #e8eaf2; --muted: #a1a7b8; --line: #2c3040;
    --accent: #818cf8; --accent-soft: #2e3266; --on-accent: #12141c; --bar: #3a3f55; --danger: #fda29b; --danger-soft: #3b1a18; color-scheme: dark; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.masthead { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; justify-content: space-between;
  max-width: 980px; margin: 0 auto; padding: 24px 20px 8px; }
.brand { display: flex; gap: 12px; align-items: center; }
.logo { display: grid; place-items: center; width: 44px; height: 44px; border-radius: 12px; background: var(--accent);
  color: var(--on-accent); font-weight: 700; font-size: 24px; }
h1 { margin: 0; font-size: 22px; letter-spacing: -.01em; }
h2 { margin: 0; font-size: 17px; }
.tagline { margin: 0; color: var(--muted); font-size: 14px; }
.run-picker { display: flex; gap: 8px; align-items: center; font-size: 14px; color: var(--muted); }
select { font: inherit; color: var(--text); background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 7px 10px; max-width: 320px; }
.layout { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 20px;
  max-width: 980px; margin: 0 auto; padding: 12px 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 18px 20px 20px; }
.card-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 14px; min-height: 36px; }
.dropzone { position: relative; width: 100%; max-width: 340px; aspect-ratio: 1; margin: 0 auto; border-radius: 12px;
  border: 2px dashed var(--line); overflow: hidden; background: #fff; }
.dropzone.dragging { border-color: var(--accent); }
#pad { width: 100%; height: 100%; display: block; touch-action: none; cursor: crosshair; }
.hint { position: absolute; inset: 0; display: grid; place-items: center; margin: 0; color: #9aa0b3; font-size: 18px; pointer-events: none; }
.drop-overlay { position: absolute; inset: 0; display: none; place-items: center; background: rgba(79,70,229,.12); color: var(--accent); font-weight: 600; }
.dropzone.dragging .drop-overlay { display: grid; }
.upload-row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-top: 16px; }
.button { display: inline-flex; align-items: center; gap: 6px; font: inherit; font-size: 14px; font-weight: 600; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--on-accent); border-radius: 10px; padding: 7px 14px; }
.button.secondary { background: transparent; color: var(--accent); }
.button:hover { filter: brightness(1.08); }
.button:focus-visible, select:focus-visible, #file:focus-visible + .button { outline: 3px solid var(--accent); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.muted { color: var(--muted); font-size: 13px; }
.busy { font-size: 13px; color: var(--accent); }
.error { background: var(--danger-soft); color: var(--danger); border-radius: 10px; padding: 10px 12px; margin-bottom: 14px; font-size: 14px; }
.result { display: flex; gap: 20px; align-items: center; justify-content: space-between; }
.answer { min-width: 0; }
.digit { font-size: 88px; font-weight: 700; line-height: 1; letter-spacing: -.04em; color: var(--accent); font-variant-numeric: tabular-nums; }
.confidence { color: var(--muted); font-size: 14px; margin-top: 6px; }
.model-input { margin: 0; text-align: center; }
.model-input img, .input-empty { width: 112px; height: 112px; border-radius: 8px; image-rendering: pixelated; background: #000; display: block; }
.input-empty { display: grid; place-items: center; color: #5b6275; font-size: 13px; }
.model-input figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
.bars { list-style: none; margin: 20px 0 0; padding: 0; display: grid; gap: 5px; }
.bars li { display: grid; grid-template-columns: 18px 1fr 52px; gap: 10px; align-items: center; font-size: 14px; font-variant-numeric: tabular-nums; }
.bars .label { font-weight: 600; text-align: right; }
.bars .track { height: 14px; background: var(--bg); border-radius: 7px; overflow: hidden; }
.bars .track, .bars .fill { display: block; }
.bars .fill { height: 100%; width: 0; background: var(--bar); border-radius: 7px; transition: width .25s ease; }
.bars li.best .fill { background: var(--accent); }
.bars li.best .label, .bars li.best .value { color: var(--accent); font-weight: 600; }
.bars .value { text-align: right; color: var(--muted); }
.run-note { margin: 14px 0 0; }
.foot { max-width: 980px; margin: 4px auto 28px; padding: 0 20px; }
@media (prefers-reduced-motion: reduce) { .bars .fill { transition: none; } }
.answer.unsure .digit { color: var(--muted); }
.answer.unsure .digit::after { content: '?'; font-size: .5em; vertical-align: super; }
.unsure-note { font-size: 13px; font-weight: 600; color: var(--danger); margin-top: 6px; max-width: 22em; }
/* A phone: the pad, the answer and all ten bars on one screen, without scrolling. */
@media (max-width: 600px) {
  .masthead { padding: 10px 12px 4px; gap: 8px; }
  .tagline, .upload-row .muted, .foot, .model-input figcaption { display: none; }
  .logo { width: 32px; height: 32px; font-size: 18px; }
  h1 { font-size: 18px; }
  .layout { gap: 10px; padding: 6px 12px; }
  .card { padding: 10px 12px 12px; }
  .card-head { margin-bottom: 6px; min-height: 28px; }
  .dropzone { max-width: min(100%, 34vh); }
  .upload-row { margin-top: 8px; }
  .result { gap: 12px; }
  .digit { font-size: 52px; }
  .model-input img, .input-empty { width: 56px; height: 56px; }
  .bars { margin-top: 8px; gap: 2px; }
  .bars li { font-size: 12px; }
  .bars .track { height: 10px; }
  .run-note { margin-top: 6px; }
}
`;
