/** The page's HTML: static markup only; /app.js fills it in. No external resources (works offline). */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>digit-lab · draw a digit</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%234f46e5'/%3E%3Cpath d='M10 9h12l-7 15' stroke='white' stroke-width='3.5' fill='none' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header class="masthead">
  <div class="brand"><span class="logo" aria-hidden="true">7</span><div><h1>digit-lab</h1><p class="tagline">Draw a digit, or drop in a picture of one.</p></div></div>
  <div class="run-picker">
    <label for="run">Model</label>
    <select id="run" disabled><option>loading runs…</option></select>
  </div>
</header>
<main class="layout">
  <section class="card" aria-labelledby="draw-title">
    <div class="card-head">
      <h2 id="draw-title">Your digit</h2>
      <button type="button" id="clear" class="button secondary">Clear</button>
    </div>
    <div id="dropzone" class="dropzone">
      <canvas id="pad" width="280" height="280" role="img" aria-label="Drawing area: draw one digit with the mouse, a pen or a finger"></canvas>
      <p class="hint" id="pad-hint">Draw here</p>
      <div class="drop-overlay" aria-hidden="true">Drop the image to predict it</div>
    </div>
    <div class="upload-row">
      <input type="file" id="file" accept="image/png,image/jpeg,image/webp,image/gif,image/tiff" class="visually-hidden">
      <label class="button" for="file">Upload an image…</label>
      <span class="muted">PNG, JPEG, WebP, GIF or TIFF, up to 5 MB — or drag one onto the pad.</span>
    </div>
  </section>
  <section class="card" aria-labelledby="result-title">
    <div class="card-head"><h2 id="result-title">Prediction</h2><span id="busy" class="busy" hidden>predicting…</span></div>
    <div id="error" class="error" role="alert" hidden></div>
    <div class="result" aria-live="polite">
      <div class="answer" id="answer">
        <div id="digit" class="digit" aria-label="predicted digit">–</div>
        <div id="unsure" class="unsure-note" hidden>Unsure: the model's confidence is below what it needs to be right 99.5% of the time. Try writing it again.</div>
        <div id="confidence" class="confidence">Draw a digit to see what the model thinks.</div>
      </div>
      <figure class="model-input">
        <img id="input" alt="The 28 by 28 pixel image the model received" width="112" height="112" hidden>
        <div id="input-empty" class="input-empty" aria-hidden="true">28×28</div>
        <figcaption>What the model sees</figcaption>
      </figure>
    </div>
    <ol id="bars" class="bars" aria-label="Probability of each digit"></ol>
    <p id="run-note" class="muted run-note"></p>
  </section>
</main>
<footer class="foot muted">Preprocessed like MNIST: grayscale, inverted to white ink on black, cropped, scaled into 20×20 and centred by mass in 28×28.</footer>
<script src="/app.js"></script>
</body>
</html>
`;
