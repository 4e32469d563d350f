/* Streamcast's charts on uPlot, shared by the report and the live page. For one series: a value chart (actual,
   one-step forecast with its interval band, and on the live page the forecast ahead) above an anomaly-score chart;
   the two share cursor and zoom (drag to zoom, double-click to reset); alert spans are shaded (amber: warning,
   red: critical), model-version changes marked with dashed green lines and drift events (the trainer found the
   serving model's loss rising and retrained at once) with solid orange ones. Times are seconds, shown in UTC. */
(function (global) {
  'use strict';
  var C = {
    actual: '#111827',
    forecast: '#2563eb',
    band: 'rgba(37, 99, 235, 0.16)',
    bandEdge: 'rgba(37, 99, 235, 0.35)',
    ahead: '#9333ea',
    aheadBand: 'rgba(147, 51, 234, 0.18)',
    aheadEdge: 'rgba(147, 51, 234, 0.4)',
    score: '#dc2626',
    scoreFill: 'rgba(220, 38, 38, 0.08)',
    warning: 'rgba(245, 158, 11, 0.20)',
    critical: 'rgba(220, 38, 38, 0.22)',
    version: 'rgba(5, 150, 105, 0.85)',
    drift: 'rgba(234, 88, 12, 0.9)'
  };
  var counter = 0;

  function utc(ts) {
    return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
  }

  function isoSeconds(ts) {
    return ts == null ? '' : new Date(ts * 1e3).toISOString().replace('.000Z', 'Z');
  }

  function drawSpans(u, spans) {
    if (!spans || !spans.length || u.scales.x.min == null) return;
    var ctx = u.ctx, b = u.bbox, xmin = u.scales.x.min, xmax = u.scales.x.max;
    ctx.save();
    for (var i = 0; i < spans.length; i++) {
      var s = spans[i], from = s[0], to = s[1] == null ? xmax : s[1];
      if (to < xmin || from > xmax) continue;
      var x0 = Math.max(b.left, u.valToPos(Math.max(from, xmin), 'x', true));
      var x1 = Math.min(b.left + b.width, u.valToPos(Math.min(to, xmax), 'x', true));
      ctx.fillStyle = s[2] === 'critical' ? C.critical : C.warning;
      ctx.fillRect(x0, b.top, Math.max(x1 - x0, 2 * devicePixelRatio), b.height);
    }
    ctx.restore();
  }

  /* Vertical lines at marks[i][0]: model versions ([[t, v]], dashed, labelled 'vN' at the top) and drift
     events ([[t, version promoted or -1]], solid, labelled 'drift' at the bottom); labels only on the value
     chart, and not closer than 30 px to the previous one. */
  var MARKS = {
    versions: {color: 'version', width: 1, dash: [4, 3], top: true, label: function (m) { return 'v' + m[1]; }},
    drifts: {color: 'drift', width: 1.5, dash: [], top: false, label: function () { return 'drift'; }}
  };

  function drawMarks(u, marks, kind, labels) {
    if (!marks || !marks.length || u.scales.x.min == null) return;
    var style = MARKS[kind], ctx = u.ctx, b = u.bbox, px = devicePixelRatio, lastLabel = -Infinity;
    ctx.save();
    ctx.strokeStyle = C[style.color];
    ctx.fillStyle = C[style.color];
    ctx.lineWidth = style.width * px;
    ctx.setLineDash(style.dash.map(function (d) { return d * px; }));
    ctx.font = (10 * px) + 'px sans-serif';
    ctx.textBaseline = style.top ? 'top' : 'bottom';
    for (var i = 0; i < marks.length; i++) {
      var t = marks[i][0];
      if (t < u.scales.x.min || t > u.scales.x.max) continue;
      var x = Math.round(u.valToPos(t, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x, b.top);
      ctx.lineTo(x, b.top + b.height);
      ctx.stroke();
      if (labels && x - lastLabel > 30 * px) {
        ctx.fillText(style.label(marks[i]), x + 2 * px, style.top ? b.top + 2 * px : b.top + b.height - 2 * px);
        lastLabel = x;
      }
    }
    ctx.restore();
  }

  /* d: {t, actual, expected, lower, upper, score, alerts: [[from, to|null, severity, ...]], versions: [[t, v]],
     drifts: [[t, version promoted or -1]],
     ahead: {t, mean, lower, upper} (live page only)}. opts: {ahead: bool, height, scoreHeight}. */
  function SeriesCharts(el, opts, d) {
    var self = this;
    this.el = el;
    this.opts = opts || {};
    this.marks = {alerts: [], versions: [], drifts: []};
    this.zoomed = false;
    this.syncing = false;
    var key = 'streamcast-' + (++counter);
    var width = Math.max(320, el.clientWidth || 800);

    function hooks(labels) {
      return {
        drawClear: [function (u) { drawSpans(u, self.marks.alerts); }],
        draw: [function (u) {
          drawMarks(u, self.marks.versions, 'versions', labels);
          drawMarks(u, self.marks.drifts, 'drifts', labels);
        }],
        setSelect: [function (u) { if (u.select.width > 0) self.zoomed = true; }],
        setScale: [function (u, scale) { if (scale === 'x') self.syncX(u); }]
      };
    }
    // uPlot keeps and changes its option objects: each chart gets its own.
    function cursor() { return {sync: {key: key, setSeries: false}, drag: {x: true, y: false}}; }
    function axes() { return [{}, {size: 64}]; }

    var series = [
      {},
      {label: 'actual', stroke: C.actual, width: 1.25},
      {label: 'forecast', stroke: C.forecast, width: 1.25},
      {label: 'lower', stroke: C.bandEdge, width: 0.75},
      {label: 'upper', stroke: C.bandEdge, width: 0.75}
    ];
    var bands = [{series: [4, 3], fill: C.band}];
    if (this.opts.ahead) {
      series.push({label: 'ahead', stroke: C.ahead, width: 1.75, dash: [6, 4]},
          {label: 'ahead lower', stroke: C.aheadEdge, width: 0.75},
          {label: 'ahead upper', stroke: C.aheadEdge, width: 0.75});
      bands.push({series: [7, 6], fill: C.aheadBand});
    }
    var main = document.createElement('div');
    main.className = 'chart-main';
    var score = document.createElement('div');
    score.className = 'chart-score';
    el.appendChild(main);
    el.appendChild(score);
    var cols = this.columns(d);
    this.marks.alerts = d.alerts || [];
    this.marks.versions = d.versions || [];
    this.marks.drifts = d.drifts || [];
    this.main = new uPlot({
      width: width, height: this.opts.height || 260, tzDate: utc, cursor: cursor(), axes: axes(),
      series: series, bands: bands, hooks: hooks(true), legend: {live: true}
    }, cols.main, main);
    this.score = new uPlot({
      width: width, height: this.opts.scoreHeight || 120, tzDate: utc, cursor: cursor(), axes: axes(),
      scales: {y: {range: [0, 1]}},
      series: [{}, {label: 'anomaly score', stroke: C.score, width: 1, fill: C.scoreFill}],
      hooks: hooks(false), legend: {live: true}
    }, cols.score, score);
    // Not redraw(): uPlot commits a new chart's scales a moment later, and an earlier redraw leaves them unset.
    this.ready = true;
    el.addEventListener('dblclick', function () { self.zoomed = false; });
    global.addEventListener('resize', function () {
      var w = Math.max(320, el.clientWidth);
      self.main.setSize({width: w, height: self.main.height});
      self.score.setSize({width: w, height: self.score.height});
    });
  }

  /* The uPlot data arrays: x shared by all columns; on the live page the forecast ahead extends x past the last
     reading and starts at it, so the dashed line continues from the last actual value. */
  SeriesCharts.prototype.columns = function (d) {
    var t = d.t || [];
    if (!this.opts.ahead) {
      return {main: [t, d.actual, d.expected, d.lower, d.upper], score: [t, d.score]};
    }
    var ahead = d.ahead || {t: [], mean: [], lower: [], upper: []};
    var n = t.length, m = ahead.t.length;
    var x = t.concat(ahead.t);
    function pad(a, fill) { return a.concat(new Array(m).fill(fill)); }
    var am = new Array(n).fill(null).concat(ahead.mean);
    var al = new Array(n).fill(null).concat(ahead.lower);
    var au = new Array(n).fill(null).concat(ahead.upper);
    if (n > 0 && m > 0) {
      am[n - 1] = d.actual[n - 1];
      al[n - 1] = d.actual[n - 1];
      au[n - 1] = d.actual[n - 1];
    }
    return {
      main: [x, pad(d.actual, null), pad(d.expected, null), pad(d.lower, null), pad(d.upper, null), am, al, au],
      score: [x, pad(d.score, null)]
    };
  };

  SeriesCharts.prototype.syncX = function (src) {
    if (this.syncing || !this.ready || src.scales.x.min == null || src.scales.x.max == null) return;
    var other = src === this.main ? this.score : this.main;
    this.syncing = true;
    other.setScale('x', {min: src.scales.x.min, max: src.scales.x.max});
    this.syncing = false;
  };

  /* New data (live page); keeps the user's zoom while zoomed. */
  SeriesCharts.prototype.setData = function (d) {
    this.marks.alerts = d.alerts || [];
    this.marks.versions = d.versions || [];
    this.marks.drifts = d.drifts || [];
    var cols = this.columns(d);
    var keep = this.zoomed;
    this.main.setData(cols.main, !keep);
    this.score.setData(cols.score, !keep);
  };

  SeriesCharts.prototype.destroy = function () {
    this.main.destroy();
    this.score.destroy();
    this.el.innerHTML = '';
  };

  global.StreamcastCharts = {SeriesCharts: SeriesCharts, utc: utc, isoSeconds: isoSeconds};
})(window);
