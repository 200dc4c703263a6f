/**
 * The page's interactive part (inlined after client.ts, in the same script): filter and tick runs in
 * the table and have every chart follow (the `shown` signal, specs/select.ts); redraw the confusion
 * charts for the ticked runs A and B; a confusion cell's click shows its mistakes; PNG/SVG export of
 * each chart and CSV of the table; the live page's reload, keeping filter, ticks and scroll.
 * The confusion and per-class rows repeat specs/best.ts's row builders: the page has no module system.
 */
export const REPORT_TOOL_JS = `
(function () {
  'use strict';
  var state = window.digitReport;
  var payload = state.payload;
  var data = payload.data;
  var byId = {};
  data.runs.forEach(function (r) { byId[r.id] = r; });
  var indexOf = {}; // run id -> the r of its chart rows
  data.ids.forEach(function (id, i) { indexOf[id] = i; });
  var table = document.getElementById('runs-table');
  var filterBox = document.getElementById('runs-filter');
  var countEl = document.getElementById('runs-count');
  var selected = [];
  var lastPair = (data.a || '') + '|' + (data.b || ''); // what the page was written with
  var KEY = 'digit-lab-report:' + location.pathname;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function rows() { return table ? Array.prototype.slice.call(table.tBodies[0].rows) : []; }
  function terms() { return filterBox ? filterBox.value.trim().toLowerCase().split(/\\s+/).filter(Boolean) : []; }
  function matches(row, words) {
    var text = (row.getAttribute('data-search') || row.textContent).toLowerCase();
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function setSignal(view, name, value) {
    try { view.signal(name); } catch (e) { return false; } // this chart has no such signal
    view.signal(name, value);
    return true;
  }

  /** Applies the filter to the table, then tells every chart which runs to draw. */
  function update() {
    var words = terms();
    if (words.length && state.expand) state.expand('runs-more');
    var matched = [];
    rows().forEach(function (row) {
      var ok = !words.length || matches(row, words);
      row.style.display = ok ? '' : 'none';
      if (ok) matched.push(row.getAttribute('data-run'));
    });
    var total = table ? Number(table.getAttribute('data-total')) : 0;
    if (countEl) {
      countEl.textContent = (words.length ? matched.length + ' of ' + total + ' runs match' : total + ' runs') +
        (selected.length ? ' · ' + selected.length + ' ticked (the charts show those)' : words.length ? ' (the charts show those)' : '');
    }
    var ids = selected.length ? selected : words.length ? matched : null;
    var shown = null;
    if (ids) { shown = {}; ids.forEach(function (id) { shown[indexOf[id]] = true; }); }
    Object.keys(state.views).forEach(function (id) {
      if (setSignal(state.views[id], 'shown', shown)) state.views[id].runAsync();
    });
    updateConfusion();
    save();
  }

  function pair() {
    var picks = selected.filter(function (id) { return byId[id]; });
    var a = picks[0] || data.a;
    var b = picks[1] || (a !== data.a ? data.a : data.b);
    return { a: byId[a] || null, b: b && b !== a ? byId[b] || null : null };
  }

  function cell(run, t, p) { return run.confusion[t * 10 + p]; }
  function confusionRows(run) {
    var out = [];
    for (var t = 0; t < 10; t++) {
      var total = 0;
      for (var q = 0; q < 10; q++) total += cell(run, t, q);
      for (var p = 0; p < 10; p++) {
        var count = cell(run, t, p);
        out.push({ truth: t, predicted: p, count: count, share: total > 0 ? Number((count / total).toPrecision(4)) : 0, diagonal: t === p });
      }
    }
    return out;
  }
  function diffRows(a, b) {
    var out = [];
    for (var t = 0; t < 10; t++) for (var p = 0; p < 10; p++) {
      var diff = cell(b, t, p) - cell(a, t, p);
      out.push({ truth: t, predicted: p, a: cell(a, t, p), b: cell(b, t, p), diff: diff, gain: t === p ? diff : -diff, diagonal: t === p });
    }
    return out;
  }
  function perClass(run) {
    var out = [], f1Sum = 0;
    for (var c = 0; c < 10; c++) {
      var support = 0, predicted = 0, right = cell(run, c, c);
      for (var k = 0; k < 10; k++) { support += cell(run, c, k); predicted += cell(run, k, c); }
      var precision = predicted ? right / predicted : 0, recall = support ? right / support : 0;
      var f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      f1Sum += f1;
      [['precision', precision], ['recall', recall], ['F1', f1]].forEach(function (m) {
        out.push({ label: c, metric: m[0], value: Number(m[1].toPrecision(4)), support: support });
      });
    }
    return { rows: out, macroF1: f1Sum / 10 };
  }

  function setData(chartId, dataName, values, caption) {
    var view = state.views[chartId];
    if (!view) return;
    view.data(dataName, values);
    setSignal(view, 'caption', caption);
    view.resize().runAsync(); // lay out again: a longer title must not be cut
  }

  /** Redraws the confusion charts for runs A and B (the first two ticked, else the best two). */
  function updateConfusion() {
    var p = pair();
    var note = document.getElementById('compare-note');
    if (!p.a) return;
    var key = p.a.id + '|' + (p.b ? p.b.id : '');
    if (note) note.textContent = 'A = ' + p.a.name + (p.b ? ' · B = ' + p.b.name : '') +
      (selected.length < 2 ? ' (tick runs in the table to choose A, then B)' : '');
    if (key === lastPair) return;
    lastPair = key;
    setData('confusion', 'cells', confusionRows(p.a), 'Test confusion matrix · A = ' + p.a.name);
    var scores = perClass(p.a);
    setData('per-class', 'classes', scores.rows, 'Per-class test scores · A = ' + p.a.name + ' · macro F1 ' + scores.macroF1.toFixed(4));
    if (p.b) setData('confusion-diff', 'cells', diffRows(p.a, p.b), 'B − A · B = ' + p.b.name + ' · A = ' + p.a.name);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Shows the test images each run misclassified as truth -> predicted, under the charts. */
  function showMistakes(runs, truth, predicted) {
    var view = document.getElementById('mistakes-view');
    if (!view) return;
    view.textContent = '';
    runs.forEach(function (run) {
      var head = el('h3', null, run.name + ': true ' + truth + ' → predicted ' + predicted);
      view.appendChild(head);
      if (truth === predicted) {
        view.appendChild(el('p', 'empty', cell(run, truth, truth) + ' right answers; click a cell off the diagonal to see mistakes.'));
        return;
      }
      var list = data.mistakes.byRun[run.id];
      if (!list) {
        view.appendChild(el('p', 'empty', cell(run, truth, predicted) + ' images; this run\\'s predictions are not in the report ' +
          '(it embeds those of the best runs by validation accuracy; digits report --runs ' + run.id + ' shows this one).'));
        return;
      }
      var gallery = el('div', 'gallery');
      var found = 0;
      for (var i = 0; i < list.length; i += 4) {
        if (list[i + 1] !== truth || list[i + 2] !== predicted) continue;
        found += 1;
        var fig = el('figure');
        var picture = data.mistakes.images[list[i]];
        if (picture) {
          var img = el('img');
          img.src = 'data:image/png;base64,' + picture;
          img.alt = 'test image #' + list[i] + ': true ' + truth + ', predicted ' + predicted;
          fig.appendChild(img);
        }
        var caption = el('figcaption', null, truth + ' → ' + predicted);
        caption.appendChild(el('span', 'p', (list[i + 3] / 10).toFixed(1) + '% · #' + list[i]));
        fig.appendChild(caption);
        gallery.appendChild(fig);
      }
      head.textContent += ' · ' + found + ' image' + (found === 1 ? '' : 's') + (found < cell(run, truth, predicted) ? ' of ' + cell(run, truth, predicted) : '');
      view.appendChild(found ? gallery : el('p', 'empty', 'No such mistakes among those the report keeps.'));
    });
    view.scrollIntoView({ block: 'nearest' });
  }

  state.onView = function (id, view) {
    if (id !== 'confusion' && id !== 'confusion-diff') return;
    view.addEventListener('click', function (event, item) {
      var d = item && item.datum;
      if (!d || d.truth === undefined || d.predicted === undefined) return;
      var p = pair();
      showMistakes(id === 'confusion-diff' && p.b ? [p.a, p.b] : [p.a], d.truth, d.predicted);
    });
  };

  function download(url, name) {
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
  }

  function csvField(value) {
    // A text starting like a formula (=, +, -, @) would run in a spreadsheet: a quote mark keeps it text.
    if (/^[=+\\-@\\t\\r]/.test(value) && isNaN(Number(value))) value = "'" + value;
    return /[",\\n\\r]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  /** The table's rows that pass the filter, every column, as CSV (sort values, not display text). */
  function tableCsv() {
    if (state.expand) state.expand('runs-more');
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var cols = [];
    heads.forEach(function (th, i) { if (!th.hasAttribute('data-nosort')) cols.push(i); });
    var lines = [['id'].concat(cols.map(function (i) { return heads[i].textContent; })).map(csvField).join(',')];
    rows().forEach(function (row) {
      if (row.style.display === 'none') return;
      var values = [row.getAttribute('data-run')].concat(cols.map(function (i) {
        var td = row.cells[i];
        var v = td.getAttribute('data-v');
        return v === null ? td.textContent.trim() : v;
      }));
      lines.push(values.map(csvField).join(','));
    });
    return lines.join('\\r\\n') + '\\r\\n';
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest ? e.target.closest('button') : null;
    if (!button) return;
    var type = button.getAttribute('data-export');
    if (type) {
      var id = button.getAttribute('data-chart');
      var view = state.views[id];
      if (!view) return;
      view.toImageURL(type, type === 'png' ? 2 : 1).then(function (url) { download(url, 'digit-lab-' + id + '.' + type); })
        .catch(function (err) { state.errors.push(id + ' export: ' + err.message); });
    } else if (button.id === 'runs-csv') {
      download(URL.createObjectURL(new Blob([tableCsv()], { type: 'text/csv' })), 'digit-lab-runs.csv');
    } else if (button.id === 'runs-clear') {
      selected = [];
      each(document.querySelectorAll('#runs-table input.pick'), function (box) { box.checked = false; box.closest('tr').classList.remove('picked'); });
      update();
    }
  });

  function tick(box, on) {
    var id = box.closest('tr').getAttribute('data-run');
    box.checked = on;
    box.closest('tr').classList.toggle('picked', on);
    if (on && selected.indexOf(id) < 0) selected.push(id);
    if (!on) selected = selected.filter(function (x) { return x !== id; });
  }

  if (table) {
    table.addEventListener('change', function (e) {
      if (!e.target.classList.contains('pick')) return;
      tick(e.target, e.target.checked);
      update();
    });
  }
  if (filterBox) filterBox.addEventListener('input', update);

  function save() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ filter: filterBox ? filterBox.value : '', selected: selected, y: window.scrollY }));
    } catch (e) { /* storage off: a reload forgets the view */ }
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { saved = null; }
    if (!saved) return null;
    if (filterBox && saved.filter) filterBox.value = saved.filter;
    if (saved.selected && saved.selected.length && state.expand) state.expand('runs-more');
    (saved.selected || []).forEach(function (id) {
      var box = table && table.querySelector('tr[data-run="' + String(id).replace(/["\\\\]/g, '') + '"] input.pick');
      if (box) tick(box, true);
    });
    return saved;
  }

  var saved = restore();
  update();
  state.ready.then(function () {
    update();
    if (saved && saved.y) window.scrollTo(0, saved.y);
    document.body.setAttribute('data-tool-ready', 'true');
  });
  window.addEventListener('scroll', function () { if (payload.live) save(); }, { passive: true });
  // The period counts from when every chart is drawn: a page slow to draw (a busy machine, a big
  // grid) is still read between reloads instead of reloading before it shows anything.
  if (payload.live) {
    state.ready.then(function () {
      setTimeout(function () { save(); location.reload(); }, payload.live.every * 1000);
    });
  }
})();
`;
