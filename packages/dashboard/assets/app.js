// The dashboard page. A classic script (module scripts and fetch() are refused on file://): it
// reads window.RATCHET_SPECS (assets/charts.js) and window.RATCHET_DATA (data.js) and draws with
// window.vega (assets/vega.min.js).
// Charts are drawn only as their cards scroll into view, so a suite of a thousand benchmarks
// costs the first screen's charts, not a thousand.
(function () {
  'use strict';

  var data = window.RATCHET_DATA;
  var specs = window.RATCHET_SPECS;
  var rows = window.ratchetRows;
  var $ = function (id) { return document.getElementById(id); };

  function showError(message) {
    var box = $('error');
    box.textContent = message;
    box.hidden = false;
    console.error(message);
  }

  if (!window.vega || !data || !specs || !rows) {
    showError('The dashboard is incomplete: assets/vega.min.js, assets/charts.js, assets/rows.js or data.js did not load. Regenerate it with `ratchet dashboard`.');
    return;
  }

  // Parsed once; every chart of a kind is a new View over the same runtime.
  var runtimes = { overview: vega.parse(specs.overview), trendRoof: vega.parse(specs.trendRoof), trendMs: vega.parse(specs.trendMs) };
  var state = { device: 0, kernel: '', dtype: '', search: '', selected: null };
  var cards = [];
  var trendView = null;
  var drawn = 0;

  function device() { return data.devices[state.device]; }

  // A point's commit opens in a new tab: the dashboard keeps its place.
  var loader = vega.loader({ target: '_blank' });

  function draw(runtime, container, datasets) {
    var view = new vega.View(runtime, { renderer: 'svg', container: container, hover: true, loader: loader });
    Object.keys(datasets).forEach(function (name) { view.data(name, datasets[name]); });
    return view.runAsync().then(function () { return view; }, function (error) { showError('a chart failed to draw: ' + error.message); });
  }

  // Cards coming into view wait here and are drawn in slices of about 50 ms: a click or a
  // keystroke is answered between two slices, and the browser lays out and paints once per
  // slice rather than once per chart.
  var queue = [];
  var drawing = false;
  var sliceMs = 50;

  function drawNext(sliceStart) {
    var card = queue.shift();
    if (!card) return void (drawing = false);
    var next = function () {
      if (performance.now() - sliceStart < sliceMs) drawNext(sliceStart);
      else setTimeout(function () { drawNext(performance.now()); }, 0);
    };
    if (card.drawn || !card.el.isConnected) return void next();
    // Filtered out while it waited: drawn when it shows again.
    if (card.el.hidden) {
      observer.observe(card.el);
      return void next();
    }
    card.drawn = true;
    draw(runtimes.overview, card.el.querySelector('.spark'), { points: rows.pointRows(device(), card.benchmark, rows.overviewPoints, data.commitUrl) }).then(function () {
      drawn++;
      card.el.dataset.drawn = '1';
      card.el.dataset.drawnAt = String(Math.round(performance.now()));
      next();
    });
  }

  function drawCard(card) {
    queue.push(card);
    if (!drawing) {
      drawing = true;
      setTimeout(function () { drawNext(performance.now()); }, 0);
    }
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        drawCard(entry.target.card);
        observer.unobserve(entry.target);
      }
    });
  }, { rootMargin: '150px 0px' });

  function cardElement(b, index) {
    var el = document.createElement('article');
    var t = rows.tone(b);
    el.className = 'card ' + t;
    el.tabIndex = 0;
    el.dataset.index = String(index);
    el.dataset.id = b.id;
    var title = document.createElement('h3');
    title.textContent = b.id;
    title.title = b.id;
    var spark = document.createElement('div');
    spark.className = 'spark';
    var meta = document.createElement('p');
    var change = document.createElement('span');
    change.className = 'change ' + t;
    change.textContent = b.latest.changePct === null ? 'first run' : rows.pct(b.latest.changePct) + (b.latest.verdict ? ' ' + b.latest.verdict : '');
    meta.appendChild(change);
    var last = b.medianMs.length ? rows.fractionAt(b, b.medianMs.length - 1) : null;
    meta.appendChild(document.createTextNode([
      '', last != null ? (last * 100).toFixed(1) + '% of ' + b.roof + ' roof' : b.medianMs.length ? rows.ms(b.medianMs[b.medianMs.length - 1]) : 'never valid', rows.rateText(b),
    ].filter(function (s, i) { return i === 0 || s; }).join(' · ')));
    el.appendChild(title);
    el.appendChild(spark);
    el.appendChild(meta);
    return el;
  }

  function options(select, values, label) {
    select.innerHTML = '';
    [''].concat(values).forEach(function (v) {
      var option = document.createElement('option');
      option.value = v;
      option.textContent = v || 'all ' + label;
      select.appendChild(option);
    });
  }

  function unique(values) {
    return values.filter(function (v, i) { return v !== null && values.indexOf(v) === i; }).sort();
  }

  function visible(b) {
    return (!state.kernel || b.kernel === state.kernel) && (!state.dtype || b.dtype === state.dtype) &&
      (!state.search || b.id.toLowerCase().indexOf(state.search.toLowerCase()) !== -1);
  }

  function applyFilters() {
    var shown = 0;
    cards.forEach(function (card) {
      var show = visible(card.benchmark);
      card.el.hidden = !show;
      if (show) shown++;
    });
    $('count').textContent = shown + ' of ' + cards.length + ' benchmarks';
  }

  function renderDevice() {
    var dev = device();
    $('devices').querySelectorAll('button').forEach(function (button, i) { button.setAttribute('aria-selected', String(i === state.device)); });
    options($('kernel'), unique(dev.benchmarks.map(function (b) { return b.kernel; })), 'kernels');
    options($('dtype'), unique(dev.benchmarks.map(function (b) { return b.dtype; })), 'dtypes');
    $('kernel').value = state.kernel;
    $('dtype').value = state.dtype;
    var main = $('overview');
    cards.forEach(function (card) { observer.unobserve(card.el); });
    queue.length = 0;
    main.innerHTML = '';
    var fragment = document.createDocumentFragment();
    cards = dev.benchmarks.map(function (b, i) {
      var card = { benchmark: b, el: cardElement(b, i), drawn: false };
      card.el.card = card;
      fragment.appendChild(card.el);
      return card;
    });
    main.appendChild(fragment);
    applyFilters();
    cards.forEach(function (card) { observer.observe(card.el); });
    $('subtitle').textContent = dev.name + ' (' + dev.key + '): ' + dev.runs.t.length + ' runs, ' + dev.benchmarks.length + ' benchmarks, last ' +
      rows.day(dev.runs.t[dev.runs.t.length - 1]) + (data.project ? ' · ' + data.project : '') + ' · generated ' + data.generatedAt.slice(0, 10);
  }

  function select(b) {
    state.selected = b ? b.id : null;
    saveHash();
    var panel = $('detail');
    if (trendView) trendView.finalize();
    trendView = null;
    panel.hidden = !b;
    if (!b) return;
    var dev = device();
    var roof = rows.usesRoof(b);
    $('detail-title').textContent = b.id;
    $('detail-meta').textContent = [
      b.kernel + (b.dtype ? ' · ' + b.dtype : ''), b.variant ? 'variant ' + b.variant : '', rows.rateText(b),
      roof ? 'y: % of the ' + b.roof + ' roof' : 'y: median time (the device\u2019s peaks are unknown)', b.medianMs.length + ' runs',
    ].filter(Boolean).join(' · ');
    $('trend').innerHTML = '';
    draw(roof ? runtimes.trendRoof : runtimes.trendMs, $('trend'), { points: rows.pointRows(dev, b, 0, data.commitUrl), baseline: rows.baselineRows(b), peers: rows.peerRows(b) }).then(function (view) {
      trendView = view || null;
      $('trend').dataset.drawn = b.id;
    });
    panel.scrollIntoView({ block: 'start' });
  }

  function saveHash() {
    var parts = ['device=' + encodeURIComponent(device().key)];
    if (state.selected) parts.push('benchmark=' + encodeURIComponent(state.selected));
    history.replaceState(null, '', '#' + parts.join('&'));
  }

  function readHash() {
    var params = {};
    location.hash.slice(1).split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq > 0) params[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
    });
    var index = data.devices.findIndex(function (d) { return d.key === params.device; });
    if (index >= 0) state.device = index;
    return params.benchmark || null;
  }

  function start() {
    if (data.devices.length === 0) {
      $('subtitle').textContent = 'No runs in the history yet: `ratchet run` on main adds one per run.';
      window.ratchetDashboard = { ready: true, drawn: function () { return 0; } };
      return;
    }
    var wanted = readHash();
    data.devices.forEach(function (dev, i) {
      var button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'tab');
      button.textContent = dev.name + ' · ' + dev.key;
      button.addEventListener('click', function () { state.device = i; state.kernel = state.dtype = ''; renderDevice(); select(null); });
      $('devices').appendChild(button);
    });
    renderDevice();
    $('kernel').addEventListener('change', function (e) { state.kernel = e.target.value; applyFilters(); });
    $('dtype').addEventListener('change', function (e) { state.dtype = e.target.value; applyFilters(); });
    $('search').addEventListener('input', function (e) { state.search = e.target.value; applyFilters(); });
    var open = function (e) {
      var el = e.target.closest('.card');
      if (el && (e.type === 'click' || e.key === 'Enter')) select(cards[Number(el.dataset.index)].benchmark);
    };
    $('overview').addEventListener('click', open);
    $('overview').addEventListener('keydown', open);
    if (wanted) select(device().benchmarks.find(function (b) { return b.id === wanted; }) || null);
    // readyAt: ms since navigation when every control answers (scripts/bench-dashboard.mjs reads it).
    window.ratchetDashboard = {
      ready: true, readyAt: performance.now(), drawn: function () { return drawn; }, waiting: function () { return queue.length + (drawing ? 1 : 0); },
    };
  }

  start();
})();
