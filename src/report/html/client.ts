/**
 * The page's own script (inlined): embeds every chart (Vega specs, compiled from Vega-Lite when the
 * page was written) from the JSON data element and makes the tables sortable; html/tool.ts adds
 * the rest (filter, selection, comparison, export, live reload). Written in plain ES2017 so it runs
 * in any current browser without a build.
 */
export const REPORT_CLIENT_JS = `
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('report-charts').textContent);
  var state = { views: {}, errors: [], timings: {}, payload: payload };
  window.digitReport = state;
  function embed(chart) {
    var el = document.getElementById('chart-' + chart.id);
    var started = performance.now();
    return vegaEmbed(el, chart.spec, { actions: false, mode: 'vega', renderer: payload.renderer })
      .then(function (result) {
        state.timings[chart.id] = Math.round(performance.now() - started); // bench:report prints them
        state.views[chart.id] = result.view;
        if (state.onView) state.onView(chart.id, result.view);
      })
      .catch(function (err) {
        state.errors.push(chart.id + ': ' + err.message);
        el.textContent = 'This chart could not be drawn: ' + err.message;
        el.className += ' chart-error';
        console.error(err);
      });
  }
  // One chart at a time, after one yield so the header and the table paint first. No yield between
  // charts: each would lay out and paint the growing page again (measured: slower to the last chart).
  var yieldOnce = new Promise(function (resolve) { setTimeout(resolve, 0); });
  state.ready = payload.charts.reduce(function (previous, chart) {
    return previous.then(function () { return embed(chart); });
  }, yieldOnce).then(function () { document.body.setAttribute('data-charts-ready', 'true'); });

  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell ? cell.getAttribute('data-v') : null;
    if (v === null) v = cell ? cell.textContent : '';
    if (!numeric) return v.toLowerCase();
    return v === '' ? NaN : parseFloat(v);
  }

  // Rows waiting as text in a text/html script element (see lazy.ts) join their table on demand.
  function expand(id) {
    var rows = document.getElementById(id);
    if (!rows) return;
    var table = document.querySelector('table[data-more="' + id + '"]');
    table.tBodies[0].insertAdjacentHTML('beforeend', rows.textContent);
    rows.parentNode.removeChild(rows);
    Array.prototype.forEach.call(document.querySelectorAll('[data-expand="' + id + '"]'), function (b) {
      b.parentNode.removeChild(b);
    });
  }
  state.expand = expand;
  Array.prototype.forEach.call(document.querySelectorAll('button[data-expand]'), function (b) {
    b.addEventListener('click', function () { expand(b.getAttribute('data-expand')); });
  });
  Array.prototype.forEach.call(document.querySelectorAll('details[data-more]'), function (d) {
    d.addEventListener('toggle', function () { if (d.open) expand(d.getAttribute('data-more')); });
  });

  function sortBy(table, th, col) {
    if (table.getAttribute('data-more')) expand(table.getAttribute('data-more'));
    var numeric = th.getAttribute('data-type') === 'num';
    var current = th.getAttribute('aria-sort');
    var dir = current ? (current === 'descending' ? 'ascending' : 'descending') : (numeric ? 'descending' : 'ascending');
    var sign = dir === 'ascending' ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
      if (numeric) {
        if (isNaN(x) || isNaN(y)) return isNaN(x) ? (isNaN(y) ? 0 : 1) : -1;
        return (x - y) * sign;
      }
      return x < y ? -sign : x > y ? sign : 0;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      if (th.hasAttribute('data-nosort')) return;
      th.tabIndex = 0;
      th.title = 'Sort by ' + th.textContent;
      th.addEventListener('click', function () { sortBy(table, th, col); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, th, col); }
      });
    });
  });
})();
`;
