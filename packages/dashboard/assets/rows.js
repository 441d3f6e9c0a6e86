// The rows each chart draws (assets/charts.js names their fields), made from the columns of
// data.js. No DOM here: app.js draws them. A classic script, like every script of the page.
(function () {
  'use strict';

  var pct = function (x, digits) { return (x >= 0 ? '+' : '') + x.toFixed(digits === undefined ? 1 : digits) + '%'; };
  var ms = function (x) { return x.toPrecision(4) + ' ms'; };
  var day = function (t) { return new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; };


  /** worse / better / same for the latest point: the run's verdict where it was judged. */
  function tone(b) {
    if (b.latest.verdict === 'regression') return 'worse';
    if (b.latest.verdict === 'improvement') return 'better';
    if (b.latest.verdict || b.latest.changePct === null) return 'same';
    return b.latest.changePct > 3 ? 'worse' : b.latest.changePct < -3 ? 'better' : 'same';
  }

  /** Fraction of the roof at point i: per point, or the one work-per-call product over the median. */
  function fractionAt(b, i) {
    return b.roofFraction ? b.roofFraction[i] : b.roofMs !== null ? b.roofMs / b.medianMs[i] : null;
  }

  /** % of the roof on the y axis only when every point knows it; otherwise time, never a mix. */
  function usesRoof(b) {
    return b.medianMs.length > 0 && (b.roofMs !== null || (b.roofFraction !== null && b.roofFraction.every(function (f) { return f !== null; })));
  }

  /**
   * A rate in the unit that shows it: a CPU card's 0.0035 TFLOP/s printed as "0.0 TFLOP/s", so
   * it steps down by thousands (GFLOP/s, MFLOP/s; MB/s, kB/s) to three significant digits.
   */
  function scaledRate(value, units) {
    var i = 0;
    while (i < units.length - 1 && Math.abs(value) < 1 && value !== 0) {
      value *= 1000;
      i++;
    }
    return (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)) + ' ' + units[i];
  }

  /** `rate` is in TFLOP/s (compute roof) or GB/s (memory roof). */
  function rateText(b) {
    if (b.rate === null) return '';
    return b.roof === 'memory' ? scaledRate(b.rate, ['GB/s', 'MB/s', 'kB/s']) : scaledRate(b.rate, ['TFLOP/s', 'GFLOP/s', 'MFLOP/s', 'kFLOP/s']);
  }

  // A small chart is 240 px wide: more points than this would share pixels, and cost time.
  var overviewPoints = 120;

  /** The rows of one chart: every point, or only the last `limit` of them. */
  function pointRows(dev, b, limit, commitUrl) {
    var roof = usesRoof(b);
    var changed = {};
    b.codeChanged.forEach(function (i) { changed[i] = true; });
    var last = b.medianMs.length - 1;
    var first = limit ? Math.max(0, last + 1 - limit) : 0;
    var lastTone = tone(b);
    var rows = [];
    for (var i = first; i <= last; i++) {
      var m = b.medianMs[i];
      var low = m * (1 - b.ciBelow[i] / 1e4);
      var high = m * (1 + b.ciAbove[i] / 1e4);
      var f = fractionAt(b, i);
      var run = b.run ? b.run[i] : i;
      var commit = dev.runs.commit[run];
      var y = roof ? f * 100 : m;
      rows.push({
        t: dev.runs.t[run],
        y: y,
        // The CI of a rate comes from the CI of the time, inverted: the slow end is the low rate.
        yLow: roof ? (y * m) / high : low,
        yHigh: roof ? (y * m) / low : high,
        last: i === last,
        tone: i === last ? lastTone : 'same',
        code: changed[i] ? 'code changed' : 'same code',
        href: commit && commitUrl ? commitUrl + commit : null,
        tip: day(dev.runs.t[run]) + (commit ? ' · ' + commit.slice(0, 12) : ' · no commit') + (dev.runs.dirty[run] ? ' (uncommitted changes)' : '') +
          '\nmedian ' + ms(m) + ' (95% CI ' + low.toPrecision(4) + '…' + high.toPrecision(4) + ')' +
          (f !== null ? '\n' + (f * 100).toFixed(1) + '% of the ' + (b.roof || '') + ' roof' : '') + (changed[i] ? '\nthe machine code changed here' : ''),
      });
    }
    return rows;
  }

  function baselineRows(b) {
    return b.baseline.map(function (e) {
      var kind = e.kind !== 'accept' ? e.kind : e.fromMs !== null && e.toMs > e.fromMs ? 'accepted slower' : 'accepted';
      return {
        t: e.t, kind: kind,
        tip: 'baseline ' + kind + ' ' + day(e.t) + ': ' + (e.fromMs === null ? '' : ms(e.fromMs) + ' → ') + ms(e.toMs) + (e.reason ? '\nreason: ' + e.reason : '') + (e.sha ? '\n' + e.sha.slice(0, 12) : ''),
      };
    });
  }

  function peerRows(b) {
    var roof = usesRoof(b);
    return b.peers.filter(function (p) { return !roof || p.roofFraction !== null; }).map(function (p) {
      var y = roof ? p.roofFraction * 100 : p.medianMs;
      return { y: y, name: p.name + ' ' + (roof ? y.toFixed(1) + '%' : ms(p.medianMs)), tip: 'peer ' + p.name + ': ' + ms(p.medianMs) };
    });
  }

  window.ratchetRows = {
    pct: pct, ms: ms, day: day, tone: tone, fractionAt: fractionAt, usesRoof: usesRoof, rateText: rateText,
    overviewPoints: overviewPoints, pointRows: pointRows, baselineRows: baselineRows, peerRows: peerRows,
  };
})();
