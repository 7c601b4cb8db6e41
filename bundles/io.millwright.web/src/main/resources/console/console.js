'use strict';
// The Millwright console: a small static app over /api/v1 (no framework, uPlot from its webjar). Pages are hash
// routes; live values come by Server-Sent Events, history by /api/v1/history at the resolution the chart needs.
const ROLES = ['viewer', 'operator', 'engineer', 'admin'];
const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c === undefined || c === null ? '' : String(c)));
  return e;
};
let me = null;
let events = null;
let chart = null;
const may = role => me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);

async function api(path, options = {}) {
  const r = await fetch('/api/v1' + path, Object.assign({cache: 'no-store', headers: {'Accept': 'application/json', 'Content-Type': 'application/json'}}, options));
  if (r.status === 401) { location.href = '/login?next=' + encodeURIComponent(location.pathname + location.hash); throw new Error('login needed'); }
  const text = await r.text();
  const body = text ? JSON.parse(text) : null;
  if (!r.ok) { const e = new Error(body && body.detail ? body.detail : 'HTTP ' + r.status); e.problem = body; e.status = r.status; throw e; }
  return body;
}
function showError(e) { $('#error').textContent = e ? String(e.message || e) : ''; }
function fmt(v) {
  if (typeof v !== 'number') return v === undefined || v === null ? '—' : String(v);
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toLocaleString('en-US', {maximumFractionDigits: 1}) : v.toFixed(3);
}
function field(lineage, name) {
  const m = new RegExp('(?:^| )' + name + '=(\\[[^\\]]*\\]|\\S+)').exec(lineage || '');
  return m ? m[1].replace(/^\[|\]$/g, '') : '';
}
// features and scores (their own cards), and the twin's journaled state, health and alarm transitions (the twin panel)
const derived = tag => tag.startsWith('f.') || tag.startsWith('s.') || tag.startsWith('twin.') || tag.startsWith('alarm.');

// ------------------------------------------------------------------ tree and routing
async function tree(current) {
  const [assets, model] = await Promise.all([api('/assets'), api('/asset-model').catch(() => null)]);
  const known = new Set(assets.map(a => a.asset));
  const link = id => el('a', {href: '#/assets/' + encodeURIComponent(id), class: id === current ? 'current' : '', 'data-asset': id}, id);
  const parts = [];
  const modelled = new Set();
  if (model) {
    const names = Object.fromEntries(model.assets.map(a => [a.id, a]));
    for (const site of model.hierarchy) {
      const areas = el('ul');
      for (const area of site.areas) {
        const lines = el('ul');
        for (const line of area.lines) {
          const items = el('ul');
          for (const id of line.assets) {
            modelled.add(id);
            items.append(el('li', {title: (names[id] && names[id].name) || id}, el('span', {class: 'dot', 'data-dot': id}), ' ', link(id)));
          }
          lines.append(el('li', {class: 'line'}, el('a', {class: 'muted', href: '#/lines/' + encodeURIComponent(line.line), 'data-line': line.line}, line.line), items));
        }
        areas.append(el('li', {class: 'area'}, el('span', {}, area.area), lines));
      }
      parts.push(el('div', {class: 'site'}, el('b', {}, site.site)), areas);
    }
  }
  const others = assets.filter(a => !modelled.has(a.asset));
  if (others.length) parts.push(el('div', {class: 'muted'}, model ? 'not in the asset model' : 'plant'), el('ul', {}, ...others.map(a => el('li', {}, link(a.asset)))));
  $('#tree').replaceChildren(...parts);
  refreshAlarmBadge();
  api('/twins').then(list => {
    for (const t of list) {
      const dot = document.querySelector('[data-dot="' + CSS.escape(t.asset) + '"]');
      const alarms = Object.entries(t.activeAlarms).filter(([, n]) => n > 0).map(([p, n]) => 'P' + p + ' ×' + n).join(', ');
      if (dot) { dot.className = 'dot ' + t.operatingState; dot.title = t.operatingState.toLowerCase() + (alarms ? ' · alarms ' + alarms : ''); }
    }
  }).catch(() => {});
  return assets.filter(a => known.has(a.asset));
}
async function route() {
  if (events) { events.close(); events = null; }
  if (chart) { chart.destroy(); chart = null; }
  showError(null);
  const [, page, arg] = (location.hash || '#/').slice(1).split('/');
  try {
    const assets = await tree(page === 'assets' ? decodeURIComponent(arg || '') : null);
    if (page !== undefined && page !== '' && page !== 'assets') await whoAmI;
    if (page === 'devices') return arg ? devicePage(decodeURIComponent(arg)) : devicesPage();
    if (page === 'audit') return auditPage();
    if (page === 'packages') return packagesPage();
    if (page === 'health') return healthPage();
    if (page === 'quality') return qualityPage();
    if (page === 'models') return modelsPage();
    if (page === 'me') return mePage();
    if (page === 'users') return usersPage();
    if (page === 'alarms') return alarmsPage(arg === 'history' ? 'history' : 'current');
    if (page === 'lines' && arg) return linePage(decodeURIComponent(arg));
    const asset = page === 'assets' && arg ? decodeURIComponent(arg) : (assets[0] && assets[0].asset);
    // the tree's answer already holds the asset's channels and latest values: no second request before the trend
    if (asset) return assetPage(asset, assets.find(a => a.asset === asset));
    $('#page').replaceChildren(el('p', {}, 'No assets yet.'));
  } catch (e) { showError(e); }
}

// ------------------------------------------------------------------ asset page
const trend = {asset: null, channels: [], from: 0, to: 0, live: true, data: null};

async function assetPage(name, known) {
  const a = known || await api('/assets/' + encodeURIComponent(name));
  const byTag = Object.fromEntries(a.channels.map(c => [c.tag, c]));
  const values = el('tbody');
  for (const c of a.channels.filter(c => !derived(c.tag))) {
    values.append(el('tr', {'data-tag': c.tag, class: c.stale ? 'stale' : ''}, el('td', {}, c.tag), el('td', {class: 'num'}, fmt(c.value)),
        el('td', {}, c.unit || ''), el('td', {class: c.quality || ''}, c.quality || '—'), el('td', {class: 'muted'}, c.time ? c.time.replace('T', ' ').slice(0, 19) : '')));
  }
  const numeric = a.channels.filter(c => !derived(c.tag) && (typeof c.value === 'number'));
  const picks = el('div', {id: 'picks'});
  const preferred = numeric.filter(c => /temperature|speed/.test(c.tag)).map(c => c.tag);
  const chosen = new Set(preferred.length ? preferred.slice(0, 2) : numeric.slice(0, 1).map(c => c.tag));
  for (const c of numeric) {
    const box = el('input', {type: 'checkbox', 'data-channel': c.tag, onchange: () => { box.checked ? chosen.add(c.tag) : chosen.delete(c.tag); loadTrend([...chosen]); }});
    box.checked = chosen.has(c.tag);
    picks.append(el('label', {}, box, ' ' + c.tag + ' '));
  }
  const nav = el('div', {},
      el('button', {onclick: () => pan(-0.5)}, '◀'), ' ', el('button', {onclick: () => pan(0.5)}, '▶'), ' ',
      el('button', {onclick: () => zoomOut()}, 'zoom out'), ' ', el('button', {id: 'live', onclick: () => { trend.live = true; loadTrend(trend.channels); }}, 'live'),
      el('span', {id: 'resolution', class: 'muted'}, ''));
  $('#page').replaceChildren(el('h2', {}, name), el('div', {id: 'banner'}), el('div', {id: 'cards'}), el('div', {id: 'twin'}), el('div', {id: 'setpoints'}), el('div', {id: 'optimizer'}), el('div', {id: 'whatif'}), el('div', {id: 'kpis'}), el('h3', {}, 'Trend'), picks, nav, el('div', {id: 'chart'}),
      el('h3', {}, 'Live values'), el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'tag'), el('th', {}, 'value'), el('th', {}, 'unit'), el('th', {}, 'quality'), el('th', {}, 'source time'))), values),
      el('h3', {}, 'Recently'), el('ul', {id: 'recent'}));
  renderCards(byTag);
  trend.asset = name;
  assetAlarms(name);
  assetSetpoints(name);
  assetOptimizer(name);
  assetKpis(name);
  assetWhatIf(name);
  trend.live = true;
  trend.to = Date.now();
  trend.from = trend.to - 15 * 60_000;
  await loadTrend([...chosen]);
  listen(name, byTag);
}

function renderCards(byTag) {
  const cards = $('#cards');
  if (!cards) return;
  const prefixes = Object.keys(byTag).filter(t => t.startsWith('s.') && t.endsWith('.urgency')).map(t => t.slice(0, -'.urgency'.length));
  cards.replaceChildren(...prefixes.map(p => scoreCard(p, byTag)));
}
function scoreCard(prefix, byTag) {
  const urgency = String(byTag[prefix + '.urgency'].value);
  const result = byTag[prefix + '.result'];
  const lineage = byTag[prefix + '.lineage'] ? String(byTag[prefix + '.lineage'].value) : '';
  const model = field(lineage, 'model') || prefix;
  const rul = field(lineage, 'policy').startsWith('rul');
  return el('div', {class: 'card ' + urgency, 'data-model': model, 'data-urgency': urgency},
      el('div', {class: 'muted'}, rul ? 'remaining useful life' : 'score'),
      el('div', {class: 'big'}, result ? (rul ? Math.round(result.value) + ' h' : fmt(result.value)) : '—', ' ', el('span', {class: urgency}, urgency)),
      el('div', {}, field(lineage, 'action')),
      el('div', {class: 'muted'}, model + ' ' + field(lineage, 'version') + ' · ' + field(lineage, 'featureSet') + ' · window ending '
          + (result && result.time ? result.time.replace('T', ' ').slice(0, 19) : '—')));
}
function recent(text) {
  const ul = $('#recent');
  if (!ul) return;
  ul.prepend(el('li', {}, new Date().toISOString().replace('T', ' ').slice(0, 19) + '  ' + text));
  while (ul.children.length > 20) ul.lastChild.remove();
}

async function loadTrend(channels) {
  trend.channels = channels;
  if (trend.live) { const span = trend.to - trend.from; trend.to = Date.now(); trend.from = trend.to - span; }
  const width = Math.max(400, ($('#chart') && $('#chart').clientWidth) || 800);
  // a point per two pixels is all a line needs: the request carries no more than the chart draws
  const points = Math.min(1000, Math.round(width / 2));
  const from = new Date(trend.from).toISOString(), to = new Date(trend.to).toISOString();
  const series = await Promise.all(channels.map(c => api('/history?channel=' + encodeURIComponent(trend.asset + '/' + c) + '&from=' + from + '&to=' + to + '&points=' + points)));
  // one time axis: the union of the channels' times; each channel's mean, min and max aligned on it
  const times = [...new Set(series.flatMap(s => s.time))].sort((x, y) => x - y);
  const index = new Map(times.map((t, i) => [t, i]));
  const data = [times.map(t => t / 1000)];
  const opts = {width, height: 280, series: [{}], axes: [{}], scales: {x: {time: true}}, cursor: {drag: {x: true, y: false}},
    hooks: {setSelect: [u => { if (u.select.width > 5) { trend.live = false; trend.from = u.posToVal(u.select.left, 'x') * 1000; trend.to = u.posToVal(u.select.left + u.select.width, 'x') * 1000; loadTrend(trend.channels); } }]}};
  const colours = ['#1d4f91', '#11734b', '#a35c00', '#6b21a8', '#0e7490'];
  series.forEach((s, k) => {
    const mean = new Array(times.length).fill(null), min = mean.slice(), max = mean.slice(), bad = mean.slice();
    s.time.forEach((t, i) => { const j = index.get(t); mean[j] = s.mean[i]; min[j] = s.min[i]; max[j] = s.max[i]; if (s.badShare[i] > 0) bad[j] = s.mean[i]; });
    const scale = 'y' + k, colour = colours[k % colours.length];
    data.push(mean, min, max, bad);
    opts.series.push({label: channels[k], scale, stroke: colour, spanGaps: false},
        {label: channels[k] + ' min', scale, stroke: colour + '55', width: 1},
        {label: channels[k] + ' max', scale, stroke: colour + '55', width: 1},
        {label: channels[k] + ' BAD', scale, stroke: '#b3261e', width: 0, points: {show: true, size: 6, fill: '#b3261e'}});
    if (k < 2) opts.axes.push({scale, side: k === 0 ? 3 : 1, stroke: colour, grid: {show: k === 0}});
  });
  trend.data = {data, index: new Map(index), channels};
  $('#resolution').textContent = ' ' + (series[0] ? series[0].resolution.toLowerCase() + (series[0].bucketSeconds ? ' · ' + series[0].bucketSeconds + ' s per point' : ' samples') : '')
      + ' · ' + new Date(trend.from).toISOString().slice(0, 19).replace('T', ' ') + ' – ' + new Date(trend.to).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  if (chart) chart.destroy();
  const target = $('#chart');
  if (!target) return;
  chart = new uPlot(opts, data, target);
  target.dataset.points = String(times.length);
  if (!document.body.dataset.firstTrendMs) document.body.dataset.firstTrendMs = String(Math.round(performance.now()));
}
function pan(share) { const span = trend.to - trend.from; trend.live = false; trend.from += span * share; trend.to += span * share; loadTrend(trend.channels); }
function zoomOut() { const span = trend.to - trend.from; trend.from -= span / 2; trend.to += span / 2; if (trend.to > Date.now()) trend.live = true; loadTrend(trend.channels); }

function listen(asset, byTag) {
  events = new EventSource('/api/v1/events?asset=' + encodeURIComponent(asset));
  let devices = null;
  events.addEventListener('devices', m => {
    const now = JSON.parse(m.data);
    if (devices) for (const d of now) { const old = devices.find(x => x.id === d.id); if (old && old.state !== d.state) recent('device ' + d.id + ' ' + old.state + ' → ' + d.state); }
    devices = now;
  });
  events.addEventListener('reset', () => loadTrend(trend.channels));
  events.addEventListener('values', m => {
    const samples = JSON.parse(m.data)[asset] || [];
    let scores = false;
    for (const s of samples) {
      const old = byTag[s.tag];
      if (s.tag.endsWith('.urgency') && old && old.value !== s.v) recent('urgency ' + old.value + ' → ' + s.v);
      if (s.tag.endsWith('.lineage') && old && field(String(old.value), 'version') !== field(String(s.v), 'version')) recent('model switched to ' + field(String(s.v), 'model') + ' ' + field(String(s.v), 'version'));
      byTag[s.tag] = Object.assign({}, old, {tag: s.tag, value: s.v, quality: s.q, time: new Date(s.t).toISOString()});
      if (s.tag.startsWith('s.')) scores = true;
      const row = document.querySelector('tr[data-tag="' + CSS.escape(s.tag) + '"]');
      if (row) { row.children[1].textContent = fmt(s.v); row.children[3].textContent = s.q; row.children[3].className = s.q; row.children[4].textContent = new Date(s.t).toISOString().replace('T', ' ').slice(0, 19); row.className = ''; }
      appendLive(s);
    }
    if (scores) renderCards(byTag);
  });
}
function appendLive(s) {
  if (!chart || !trend.live || !trend.data) return;
  const k = trend.data.channels.indexOf(s.tag);
  if (k < 0 || typeof s.v !== 'number') return;
  const t = s.t / 1000;
  const d = trend.data.data;
  // the channels of one device tick share a source time: one row for them, so lines join up
  let row = d[0].length - 1;
  if (row < 0 || d[0][row] !== t) {
    if (row >= 0 && t < d[0][row]) return; // older than what is drawn: history has it
    d[0].push(t);
    for (let i = 1; i < d.length; i++) d[i].push(null);
    row++;
  }
  const base = 1 + k * 4;
  d[base][row] = s.v; d[base + 1][row] = s.v; d[base + 2][row] = s.v;
  if (s.q === 'BAD') d[base + 3][row] = s.v;
  chart.setData(d);
  $('#chart').dataset.live = String(Number($('#chart').dataset.live || 0) + 1);
}

// ------------------------------------------------------------------ devices
async function devicesPage() {
  const devices = await api('/devices');
  const body = el('tbody');
  for (const d of devices) {
    body.append(el('tr', {'data-device': d.id}, el('td', {}, d.id), el('td', {}, d.driver), el('td', {class: d.status.state}, d.status.state),
        el('td', {class: 'muted'}, d.status.message || d.status.detail || ''), el('td', {class: 'num'}, fmt(d.counters.samples)), el('td', {class: 'num'}, fmt(d.counters.errors)),
        el('td', {}, d.configurable && may('engineer') ? el('a', {href: '#/devices/' + encodeURIComponent(d.id)}, 'configure') : '')));
  }
  $('#page').replaceChildren(el('h2', {}, 'Devices'), el('table', {}, el('thead', {}, el('tr', {}, ...['device', 'driver', 'state', '', 'samples', 'errors', ''].map(h => el('th', {}, h)))), body));
}
async function devicePage(id) {
  if (!may('engineer')) { $('#page').replaceChildren(el('h2', {}, id), el('p', {class: 'refused'}, 'Configuration needs the engineer role; you are ' + me.role + '.')); return; }
  let form;
  try { form = await api('/devices/' + encodeURIComponent(id) + '/configuration'); } catch (e) {
    $('#page').replaceChildren(el('h2', {}, id), el('p', {class: 'refused'}, e.message)); return;
  }
  const f = el('form', {class: 'config', 'data-pid': form.pid});
  for (const a of form.fields) {
    let input;
    const value = a.value !== undefined ? a.value : (a.default || '');
    if (a.options) { input = el('select', {name: a.id}); for (const o of a.options) { const opt = el('option', {value: o.value}, o.label); if (o.value === value) opt.selected = true; input.append(opt); } }
    else if (a.type === 'boolean') { input = el('input', {type: 'checkbox', name: a.id}); input.checked = value === 'true'; }
    else input = el('input', {type: 'text', name: a.id, value, inputmode: a.type === 'string' ? 'text' : 'decimal', size: 40});
    input.dataset.initial = a.type === 'boolean' ? String(input.checked) : value;
    f.append(el('label', {for: a.id}, a.name + ' ', el('span', {class: 'hint'}, a.description || '')), input, el('span', {class: 'field-error', 'data-error-for': a.id}));
    input.id = a.id;
  }
  const status = el('span', {id: 'saved', class: 'muted'});
  f.append(el('p', {}, el('button', {type: 'submit'}, 'Save'), ' ', status));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    const change = {};
    for (const input of f.querySelectorAll('input, select')) {
      const v = input.type === 'checkbox' ? String(input.checked) : input.value;
      input.removeAttribute('aria-invalid');
      if (v !== input.dataset.initial) change[input.name] = v;
    }
    f.querySelectorAll('.field-error').forEach(s => s.textContent = '');
    try {
      const r = await api('/devices/' + encodeURIComponent(id) + '/configuration', {method: 'PUT', body: JSON.stringify(change)});
      status.textContent = r.changed.length ? 'saved: ' + r.changed.join(', ') : 'nothing changed';
      for (const input of f.querySelectorAll('input, select')) input.dataset.initial = input.type === 'checkbox' ? String(input.checked) : input.value;
    } catch (e) {
      status.textContent = e.message;
      for (const err of (e.problem && e.problem.errors) || []) {
        const span = f.querySelector('[data-error-for="' + CSS.escape(err.field) + '"]');
        if (span) span.textContent = err.message;
        const input = f.querySelector('[name="' + CSS.escape(err.field) + '"]');
        if (input) input.setAttribute('aria-invalid', 'true');
      }
    }
  });
  $('#page').replaceChildren(el('h2', {}, 'Device ' + id), el('p', {class: 'muted'}, form.name + ' · ' + form.pid), f);
}

// ------------------------------------------------------------------ models
async function modelsPage() {
  const models = await api('/models');
  const sections = [];
  for (const m of models) {
    const answers = el('tbody');
    for (const a of m.assets) answers.append(el('tr', {}, el('td', {}, a.asset), el('td', {class: 'num'}, a.result === undefined ? '—' : fmt(a.result)),
        el('td', {class: a.urgency || ''}, a.urgency || ''), el('td', {class: 'muted'}, (a.time || '').replace('T', ' ').slice(0, 19)), el('td', {class: 'muted'}, a.lineage)));
    const shadow = el('tbody');
    for (const c of m.comparisons) shadow.append(el('tr', {}, el('td', {}, c.asset), el('td', {class: 'muted'}, c.windowEnd.replace('T', ' ').slice(0, 19)),
        el('td', {class: 'num'}, c.activeVersion + ': ' + fmt(c.active)), el('td', {class: 'num'}, c.candidateVersion + ': ' + fmt(c.candidate))));
    const history = el('ul', {class: 'events'});
    for (const e of [...m.events].reverse()) history.append(el('li', {}, e.time.replace('T', ' ').slice(0, 19) + '  ' + e.what));
    for (const p of [...m.packages].reverse()) history.append(el('li', {class: p.result}, p.time.replace('T', ' ').slice(0, 19) + '  ' + p.action + ' ' + p.target + (p.detail ? ' — ' + p.detail : '')));
    // the model card and the feature drift of the version in service (monitoring: its latest windows against its training reference)
    const mon = m.monitoring || {card: {}, features: [], liveWindows: 0, retraining: ''};
    const card = el('dl', {class: 'card-text', 'data-card': m.id}, ...[['intendedUse', 'intended use'], ['trainingData', 'training data'], ['limitations', 'limitations']]
        .filter(([k]) => mon.card[k]).flatMap(([k, label]) => [el('dt', {}, label), el('dd', {}, mon.card[k])]),
        ...Object.keys(mon.card).filter(k => k.startsWith('metrics.')).length ? [el('dt', {}, 'training metrics'), el('dd', {}, Object.keys(mon.card)
            .filter(k => k.startsWith('metrics.')).sort().map(k => k.slice(8) + ' ' + mon.card[k]).join(' · '))] : []);
    const drift = el('tbody');
    for (const d of mon.features) drift.append(el('tr', {'data-feature': d.feature}, el('td', {}, d.feature),
        el('td', {class: 'num ' + (d.psi > 0.25 ? 'failed' : d.psi > 0.1 ? 'DEGRADED' : 'ok')}, d.psi === null ? '—' : d.psi.toFixed(2)),
        el('td', {class: 'num ' + (d.outsideShare > 0.05 ? 'failed' : '')}, Math.round(100 * d.outsideShare) + ' %'),
        el('td', {class: 'num muted'}, fmt(d.trainingMin) + ' … ' + fmt(d.trainingMax)), el('td', {class: 'num'}, fmt(d.liveMean))));
    sections.push(el('section', {'data-model': m.id},
      el('h3', {}, m.id + ' ', el('span', {class: 'muted'}, m.kind)),
      el('p', {}, 'in service: ', el('b', {'data-version': m.version}, m.version), ' · sha256 ', el('code', {}, m.sha256.slice(0, 16) + '…'), ' · feature set ' + m.featureSet
          + (m.previousVersion ? ' · replaced ' + m.previousVersion : '') + (m.candidateVersion ? ' · in shadow: ' + m.candidateVersion + ' (' + m.shadowLeft + ' windows left)' : '')),
      el('table', {}, el('thead', {}, el('tr', {}, ...['asset', 'answer', 'urgency', 'window ending', 'lineage'].map(h => el('th', {}, h)))), answers),
      m.comparisons.length ? el('div', {}, el('h4', {}, 'Shadow comparison'), el('table', {}, el('thead', {}, el('tr', {}, ...['asset', 'window ending', 'in service', 'candidate'].map(h => el('th', {}, h)))), shadow)) : '',
      Object.keys(mon.card).length ? el('div', {}, el('h4', {}, 'Model card'), card) : el('p', {class: 'muted'}, 'This package has no model card.'),
      el('h4', {}, 'Feature drift ', el('span', {class: 'muted'}, mon.features.length ? 'over the last ' + mon.liveWindows + ' windows, against the training reference'
          : 'none measured (no training reference in this package, or nothing scored yet)')),
      mon.retraining ? el('p', {class: 'failed', 'data-retraining': m.id}, mon.retraining) : '',
      mon.scores && mon.scores.windows ? el('p', {'data-scores': m.id}, 'answers over the last ' + mon.scores.windows + ' windows: 10 % ' + fmt(mon.scores.p10)
          + ' · median ' + fmt(mon.scores.p50) + ' · 90 % ' + fmt(mon.scores.p90) + ' · NORMAL ' + Math.round(100 * mon.scores.normal) + ' %, WARNING '
          + Math.round(100 * mon.scores.warning) + ' %, CRITICAL ' + Math.round(100 * mon.scores.critical) + ' %') : '',
      mon.features.length ? el('table', {'data-drift': m.id}, el('thead', {}, el('tr', {}, ...['feature', 'PSI', 'outside training range', 'training range', 'live mean'].map(h => el('th', {}, h)))), drift) : '',
      el('h4', {}, 'Realised accuracy'), realised(m.id, m.kind, mon.accuracy),
      el('h4', {}, 'History'), history));
  }
  $('#page').replaceChildren(el('h2', {}, 'Models'), ...(sections.length ? sections : [el('p', {}, 'No model is served.')]));
}

/** A model's answers judged after failures and maintenance (the twin tells the scoring engine of each trip and maintenance). */
function realised(id, kind, a) {
  const pct = x => x === null || x === undefined ? '–' : Math.round(100 * x) + ' %';
  if (!a || (!a.failures && !a.maintenances)) {
    return el('p', {class: 'muted', 'data-accuracy': id}, 'Nothing judged yet: realised accuracy comes once an asset it scores fails (trips) or is maintained.');
  }
  const judged = a.failures + ' failure(s), ' + a.maintenances + ' maintenance(s) set scores aside';
  if (kind === 'ANOMALY') {
    return el('p', {'data-accuracy': id}, judged + ' · raised at ' + a.detected + ' of ' + a.failures + ' failures'
        + (a.leadHoursMedian === null ? '' : ', from ' + fmt(a.leadHoursMedian) + ' h before them (median)'));
  }
  return el('p', {'data-accuracy': id}, judged + ' · ' + a.windows + ' windows judged · RUL error ' + (a.rulMaeHours === null ? '–' : fmt(a.rulMaeHours) + ' h')
      + ' (mean absolute, below the training cap) · CRITICAL precision ' + pct(a.criticalPrecision) + ', recall ' + pct(a.criticalRecall)
      + ' · WARNING or worse precision ' + pct(a.warningPrecision) + ', recall ' + pct(a.warningRecall));
}

// ------------------------------------------------------------------ audit, account, users
/** A configuration change as "attribute: before → after", one per attribute. */
function changes(e) {
  const keys = [...new Set([...Object.keys(e.before || {}), ...Object.keys(e.after || {})])];
  return keys.map(k => k + ': ' + (k in e.before ? e.before[k] : '—') + ' → ' + (k in e.after ? e.after[k] : '—')).join('; ');
}
async function auditPage() {
  const a = await api('/audit?max=200');
  const body = el('tbody');
  for (const e of a.entries) {
    body.append(el('tr', {}, el('td', {class: 'num'}, e.sequence), el('td', {class: 'time'}, e.time.replace('T', ' ').slice(0, 19)), el('td', {}, e.actor), el('td', {}, e.role),
        el('td', {}, e.source), el('td', {}, e.action), el('td', {}, e.target), el('td', {class: e.result}, e.result), el('td', {class: 'muted'}, changes(e) || e.detail)));
  }
  $('#page').replaceChildren(el('h2', {}, 'Audit log'), el('p', {class: 'muted'}, 'newest first; verify the chain with distribution/bin/millwright-audit verify'),
      el('table', {}, el('thead', {}, el('tr', {}, ...['#', 'time', 'who', 'role', 'source', 'action', 'target', 'result', 'detail'].map(h => el('th', {}, h)))), body));
}
function mePage() {
  const f = el('form', {class: 'config'},
      el('label', {for: 'current'}, 'Current password'), el('input', {type: 'password', id: 'current', name: 'current', autocomplete: 'current-password'}), el('span', {class: 'field-error', 'data-error-for': 'current'}),
      el('label', {for: 'password'}, 'New password ', el('span', {class: 'hint'}, 'at least 12 characters')), el('input', {type: 'password', id: 'password', name: 'password', autocomplete: 'new-password'}),
      el('span', {class: 'field-error', 'data-error-for': 'password'}), el('p', {}, el('button', {type: 'submit'}, 'Change password'), ' ', el('span', {id: 'saved', class: 'muted'})));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    f.querySelectorAll('.field-error').forEach(s => s.textContent = '');
    try { await api('/me/password', {method: 'POST', body: JSON.stringify({current: $('#current').value, password: $('#password').value})}); $('#saved').textContent = 'password changed'; }
    catch (e) { $('#saved').textContent = e.message; for (const err of (e.problem && e.problem.errors) || []) { const s = f.querySelector('[data-error-for="' + err.field + '"]'); if (s) s.textContent = err.message; } }
  });
  $('#page').replaceChildren(el('h2', {}, 'Account: ' + me.name + ' (' + me.role + ')'), f);
}
async function usersPage() {
  if (!may('admin')) { $('#page').replaceChildren(el('p', {class: 'refused'}, 'User management needs the admin role.')); return; }
  const users = await api('/users');
  const body = el('tbody');
  for (const u of users) body.append(el('tr', {}, el('td', {}, u.name), el('td', {}, u.role), el('td', {class: 'muted'}, u.created),
      el('td', {}, u.name === me.name ? '' : el('button', {onclick: async () => { if (confirm('Remove ' + u.name + '?')) { try { await api('/users/' + encodeURIComponent(u.name), {method: 'DELETE'}); usersPage(); } catch (e) { showError(e); } } }}, 'remove'))));
  const role = el('select', {name: 'role'}, ...ROLES.map(r => el('option', {value: r}, r)));
  const f = el('form', {class: 'config'}, el('label', {}, 'Name'), el('input', {name: 'name'}), el('span', {class: 'field-error', 'data-error-for': 'name'}),
      el('label', {}, 'Role'), role, el('label', {}, 'Password ', el('span', {class: 'hint'}, 'at least 12 characters')), el('input', {type: 'password', name: 'password', autocomplete: 'new-password'}),
      el('span', {class: 'field-error', 'data-error-for': 'password'}), el('p', {}, el('button', {type: 'submit'}, 'Add user')));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    f.querySelectorAll('.field-error').forEach(s => s.textContent = '');
    try { await api('/users', {method: 'POST', body: JSON.stringify({name: f.querySelector('[name=name]').value, role: role.value, password: f.querySelector('[name=password]').value})}); usersPage(); }
    catch (e) { for (const err of (e.problem && e.problem.errors) || []) { const s = f.querySelector('[data-error-for="' + err.field + '"]'); if (s) s.textContent = err.message; } showError(e); }
  });
  $('#page').replaceChildren(el('h2', {}, 'Users'), el('table', {}, el('thead', {}, el('tr', {}, ...['user', 'role', 'created', ''].map(h => el('th', {}, h)))), body), el('h3', {}, 'Add a user'), f);
}

// who is signed in, asked for beside the first page's data (one round trip less before the first trend)
const whoAmI = api('/me').then(m => {
  me = m;
  $('#who').textContent = me.name + ' (' + me.role + ')';
  document.querySelectorAll('[data-role]').forEach(a => { if (!may(a.dataset.role)) a.remove(); });
}).catch(showError);
window.addEventListener('hashchange', route);
route();
