'use strict';
// What-if on the asset page: up to three scenarios (a setpoint of the asset's writable tag, the ambient temperature,
// the duty cycle) run from the twin's state over a horizon with the asset's physics and its deployed model, side by
// side with the baseline: a table and the model's remaining life per scenario over the horizon. Nothing is written to
// the machine. Uses el, api, $, fmt, showError from console.js.

const whatIfView = {chart: null};

async function assetWhatIf(asset) {
  const box = $('#whatif');
  if (!box || !may('operator')) return;
  const model = await api('/asset-model').catch(() => null);
  const a = model && model.assets.find(x => x.id === asset);
  const writable = a ? a.tags.filter(t => t.writable).map(t => t.name) : [];
  if (!a) { box.replaceChildren(); return; }
  const horizon = el('input', {type: 'number', min: 1, step: 'any', value: 720, 'data-whatif-horizon': '', size: 6});
  const rows = [1, 2, 3].map(i => ({
    name: el('input', {type: 'text', value: i === 1 ? 'faster' : i === 2 ? 'slower' : '', size: 10, 'data-whatif-name': i}),
    setpoint: writable.length ? el('input', {type: 'number', step: 'any', size: 7, 'data-whatif-setpoint': i}) : null,
    ambient: el('input', {type: 'number', step: 'any', size: 5, 'data-whatif-ambient': i}),
    duty: el('input', {type: 'number', step: 'any', min: 0.01, max: 1, value: 1, size: 4, 'data-whatif-duty': i})}));
  const out = el('div', {id: 'whatif-result'});
  const run = el('button', {'data-whatif-run': '', onclick: async () => {
    const scenarios = rows.filter(r => r.name.value.trim()).map(r => {
      const s = {name: r.name.value.trim(), dutyCycle: Number(r.duty.value || 1)};
      if (r.setpoint && r.setpoint.value !== '') s.setpoints = {[writable[0]]: Number(r.setpoint.value)};
      if (r.ambient.value !== '') s.ambientC = Number(r.ambient.value);
      return s;
    });
    out.replaceChildren('running…');
    try { showResult(out, await api('/assets/' + encodeURIComponent(asset) + '/whatif', {method: 'POST', body: JSON.stringify({horizonHours: Number(horizon.value), scenarios})})); }
    catch (e) { out.replaceChildren(el('span', {class: 'error'}, String(e.message || e))); }
  }}, 'run');
  box.replaceChildren(el('h3', {}, 'What if'),
      el('p', {class: 'muted'}, 'Scenarios run from the twin with the asset\'s physics and its model; nothing is written to the machine.'),
      el('p', {}, 'horizon ', horizon, ' plant hours'),
      el('table', {id: 'whatif-form'}, el('thead', {}, el('tr', {}, ...['scenario', writable.length ? writable[0] : '', 'ambient °C', 'duty cycle'].map(h => el('th', {}, h)))),
          el('tbody', {}, ...rows.map(r => el('tr', {}, el('td', {}, r.name), el('td', {}, r.setpoint || ''), el('td', {}, r.ambient), el('td', {}, r.duty))))),
      el('p', {}, run), out);
}

function showResult(out, r) {
  const h = v => v === null || v === undefined ? '—' : v.toLocaleString('en-US', {maximumFractionDigits: 1}) + ' h';
  const body = r.results.map(s => el('tr', {'data-whatif-scenario': s.scenario, 'data-rul': s.projectedRulHours === null ? '' : s.projectedRulHours},
      el('td', {}, s.scenario), el('td', {}, Object.entries(s.setpoints).map(([k, v]) => k + ' ' + v).join(', ') + (s.dutyCycle < 1 ? ' · duty ' + s.dutyCycle : '')),
      el('td', {class: 'num'}, h(s.projectedRulHours)), el('td', {}, s.urgency), el('td', {class: 'num'}, h(s.tripAfterHours)),
      el('td', {class: 'num'}, fmt(s.output) + ' ' + (s.unit || '')), el('td', {class: 'num'}, s.outputDelta === null ? '—' : fmt(s.outputDelta)),
      el('td', {class: 'num'}, fmt(s.energyKwh) + ' kWh'), el('td', {class: 'num'}, s.meanVibrationRms === null ? '—' : s.meanVibrationRms.toFixed(3)),
      el('td', {class: 'num'}, s.maxBearingTemperatureC === null ? '—' : s.maxBearingTemperatureC.toFixed(1) + ' °C'),
      el('td', {class: 'num'}, s.rejectShare === null ? '—' : (s.rejectShare * 100).toFixed(2) + ' %'),
      el('td', {class: 'num'}, s.costDelta === null ? '—' : Math.round(s.costDelta).toLocaleString('en-US'))));
  const chartBox = el('div', {id: 'whatif-chart'});
  out.replaceChildren(el('table', {id: 'whatif-table'}, el('thead', {}, el('tr', {}, ...['scenario', 'changes', 'projected life', 'urgency', 'trip after', 'output',
      'Δ output', 'energy', 'vibration RMS', 'max bearing temp.', 'rejects', 'Δ cost'].map(x => el('th', {}, x)))), el('tbody', {}, ...body)),
      chartBox,
      el('p', {class: 'muted'}, 'physics ' + r.physics + (r.model ? ' · model ' + r.model + ' on ' + r.featureSet : ' · no model') + ' · twin at '
          + new Date(r.twinTimeMs).toISOString().slice(0, 19).replace('T', ' ') + ' · ' + r.elapsedMs + ' ms'));
  if (whatIfView.chart) { whatIfView.chart.destroy(); whatIfView.chart = null; }
  const base = r.results[0].trajectory;
  if (base.length > 1 && typeof uPlot !== 'undefined') {
    const xs = base.map(p => p.hours);
    const colors = ['#475569', '#1b6e2a', '#2563eb', '#a35c00'];
    const series = r.results.map(s => xs.map((x, i) => s.trajectory[i] && s.trajectory[i].rulHours !== null ? s.trajectory[i].rulHours : null));
    whatIfView.chart = new uPlot({width: Math.min(900, out.clientWidth || 900), height: 200, scales: {x: {time: false}},
        series: [{label: 'plant hours'}, ...r.results.map((s, i) => ({label: s.scenario + ': model RUL h', stroke: colors[i % colors.length], width: i ? 2 : 1}))]},
        [xs, ...series], chartBox);
  }
}
