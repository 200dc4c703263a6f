/**
 * The page's script (served as /app.js): drawing with pointer events, uploads, the run selector
 * and rendering the API's answer. Plain browser JavaScript, no libraries.
 */
export const PAGE_JS = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var pad = $('pad'), ctx = pad.getContext('2d'), runSelect = $('run');
  var lastInput = null; // {body, type} of the last thing predicted, re-sent when the run changes
  var drawing = false, dirty = false, seq = 0;

  // The canvas holds as many pixels as it shows (times the screen's density), and the brush is a
  // fixed share of the pad, so a digit looks the same, and reaches the model the same, on any screen.
  function fitPad() {
    var r = pad.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    var side = Math.max(56, Math.round(Math.min(r.width, r.height) * dpr));
    if (pad.width !== side) { pad.width = side; pad.height = side; resetPad(); }
  }

  function resetPad() {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#111';
    ctx.lineWidth = pad.width / 16;
    dirty = false;
    $('pad-hint').hidden = false;
  }

  function point(e) {
    var r = pad.getBoundingClientRect();
    return { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
  }

  pad.addEventListener('pointerdown', function (e) {
    if (e.button !== undefined && e.button > 0) return;
    drawing = true; dirty = true;
    $('pad-hint').hidden = true;
    pad.setPointerCapture(e.pointerId);
    var p = point(e);
    ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(p.x + 0.01, p.y); ctx.stroke();
    e.preventDefault();
  });
  pad.addEventListener('pointermove', function (e) {
    if (!drawing) return;
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    if (events.length === 0) events = [e];
    events.forEach(function (ev) { var p = point(ev); ctx.lineTo(p.x, p.y); });
    ctx.stroke();
  });
  function endStroke() {
    if (!drawing) return;
    drawing = false;
    predictCanvas(); // at once: each stroke updates the answer, the latest request wins
  }
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);

  // The pad's pixels go as JSON gray levels at SEND x SEND: no PNG encoding (canvas.toBlob took
  // ~1 s), and the server runs the same preprocessing as for an image file.
  var SEND = 112, small = document.createElement('canvas');
  small.width = SEND; small.height = SEND;
  var sctx = small.getContext('2d', { willReadFrequently: true });
  function padPixels() {
    sctx.imageSmoothingEnabled = true; sctx.imageSmoothingQuality = 'high';
    sctx.drawImage(pad, 0, 0, SEND, SEND);
    var data = sctx.getImageData(0, 0, SEND, SEND).data, pixels = new Array(SEND * SEND);
    for (var i = 0; i < pixels.length; i++) {
      var l = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
      pixels[i] = Math.round(l * 1000) / 1000;
    }
    return JSON.stringify({ pixels: pixels, width: SEND, height: SEND });
  }

  function predictCanvas() {
    if (!dirty) return;
    predict(padPixels(), 'application/json', false);
  }

  $('clear').addEventListener('click', function () {
    resetPad(); lastInput = null; seq++;
    showResult(null); showError(null);
  });

  function predictFile(file) {
    if (!file) return;
    showFileOnPad(file);
    predict(file, file.type, true);
  }
  $('file').addEventListener('change', function (e) { predictFile(e.target.files[0]); e.target.value = ''; });
  var zone = $('dropzone');
  ['dragenter', 'dragover'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('dragging'); });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove('dragging'); });
  });
  zone.addEventListener('drop', function (e) { predictFile(e.dataTransfer.files[0]); });

  function showFileOnPad(file) {
    var url = URL.createObjectURL(file), img = new Image();
    img.onload = function () {
      resetPad();
      var s = Math.min(pad.width / img.width, pad.height / img.height);
      var w = img.width * s, h = img.height * s;
      ctx.drawImage(img, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
      $('pad-hint').hidden = true;
      URL.revokeObjectURL(url);
    };
    img.onerror = function () { URL.revokeObjectURL(url); };
    img.src = url;
  }

  function predict(body, type, asFile) {
    lastInput = { body: body, type: type, asFile: asFile };
    var mine = ++seq;
    var init = { method: 'POST' };
    if (asFile) { var form = new FormData(); form.append('file', body, body.name || 'upload'); init.body = form; }
    else { init.body = body; init.headers = { 'content-type': type }; }
    var run = runSelect.value ? '?run=' + encodeURIComponent(runSelect.value) : '';
    $('busy').hidden = false;
    fetch('/api/predict' + run, init).then(function (res) {
      return res.json().then(function (data) { return { ok: res.ok, data: data }; });
    }).then(function (r) {
      if (mine !== seq) return;
      if (!r.ok) { showError(r.data.message || 'The prediction failed.'); showResult(null); return; }
      showError(null); showResult(r.data);
    }).catch(function (err) {
      if (mine === seq) showError('Could not reach the server: ' + err.message);
    }).then(function () { if (mine === seq) $('busy').hidden = true; });
  }

  function pct(p) { return p > 0.999 ? '>99.9%' : p < 0.001 ? (p > 0 ? '<0.1%' : '0%') : (p * 100).toFixed(1) + '%'; }

  function showResult(r) {
    var bars = $('bars');
    bars.textContent = '';
    for (var d = 0; d < 10; d++) {
      var p = r ? r.probabilities[d] : 0;
      var li = document.createElement('li');
      if (r && d === r.digit) li.className = 'best';
      li.setAttribute('aria-label', 'digit ' + d + ': ' + pct(p));
      li.innerHTML = '<span class="label">' + d + '</span><span class="track"><span class="fill"></span></span><span class="value">' + (r ? pct(p) : '') + '</span>';
      li.querySelector('.fill').style.width = (p * 100).toFixed(1) + '%';
      bars.appendChild(li);
    }
    $('digit').textContent = r ? String(r.digit) : '–';
    $('answer').classList.toggle('unsure', !!(r && r.unsure));
    $('unsure').hidden = !(r && r.unsure);
    var next = r && r.top3[1] && r.top3[1].probability >= 0.05 ? ' · next best ' + r.top3[1].digit + ' (' + pct(r.top3[1].probability) + ')' : '';
    $('confidence').textContent = r ? pct(r.probabilities[r.digit]) + (r.calibrated ? ' (calibrated)' : '') + next : 'Draw a digit to see what the model thinks.';
    var img = $('input');
    if (r) { img.src = r.input; img.hidden = false; $('input-empty').hidden = true; }
    else { img.removeAttribute('src'); img.hidden = true; $('input-empty').hidden = false; }
    $('run-note').textContent = r ? 'Model: ' + r.run.name + (r.run.testAccuracy != null ? ' · test accuracy ' + pct(r.run.testAccuracy) : '') : '';
  }

  function showError(message) {
    var el = $('error');
    el.hidden = !message;
    el.textContent = message || '';
  }

  runSelect.addEventListener('change', function () {
    if (lastInput) predict(lastInput.body, lastInput.type, lastInput.asFile);
  });

  function loadRuns() {
    fetch('/api/runs').then(function (res) { return res.json(); }).then(function (data) {
      runSelect.textContent = '';
      if (!data.runs || data.runs.length === 0) {
        runSelect.appendChild(new Option('no finished runs', ''));
        showError('No trained model yet: train one with "digits train" (or "npm run quickstart"), then reload this page.');
        return;
      }
      data.runs.forEach(function (r) {
        var label = r.name + (r.testAccuracy != null ? ' — test ' + pct(r.testAccuracy) : '');
        runSelect.appendChild(new Option(label, r.id, false, r.id === data.defaultRun));
      });
      runSelect.disabled = false;
    }).catch(function (err) { showError('Could not list the runs: ' + err.message); });
  }

  fitPad();
  window.addEventListener('resize', function () { if (!dirty) fitPad(); });
  resetPad();
  showResult(null);
  loadRuns();
})();
`;
