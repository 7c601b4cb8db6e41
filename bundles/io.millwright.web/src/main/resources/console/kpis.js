'use strict';
// KPIs (ISO 22400-2) on the asset and line pages: a period picker (the reader's buckets, hours, shifts, days), OEE and
// its three factors per period as a chart (uPlot) and a table with MTBF, MTTR, downtime by reason, energy per unit and
// what downtime cost and planned repairs would have saved. Uses el, api, $, showError from console.js.

const kpiView = {period: 'shift', chart: null};
const pct = v => v === null || v === undefined ? '—' : (v * 100).toFixed(1) + ' %';
const hours = v => v === null || v === undefined ? '—' : v < 1 ? (v * 60).toFixed(1) + ' min' : v.toFixed(2) + ' h';
const money = (v, c) => v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US') + ' ' + (c || '');
const SPAN_HOURS = {bucket: 2, hour: 24, shift: 72, day: 336};

async function kpiSection(box, path, scope) {
  if (!box) return;
  const period = kpiView.period;
  const to = new Date(), from = new Date(to.getTime() - SPAN_HOURS[period] * 3600e3);
  let r;
  try { r = await api(path + '?period=' + period + '&from=' + from.toISOString() + '&to=' + to.toISOString()); }
  catch (e) { if (e.status === 404 || e.status === 503) { box.replaceChildren(); return; } showError(e); return; }
  const picker = el('p', {}, 'per ', ...['bucket', 'hour', 'shift', 'day'].flatMap(p => [el('button', {'data-kpi-period': p, class: p === period ? 'current' : '',
      onclick: () => { kpiView.period = p; kpiSection(box, path, scope); }}, p === 'bucket' ? 'bucket' : p), ' ']));
  const rows = r.periods.slice().reverse().map(k => {
    const reasons = Object.entries(k.downtimeByReason).sort((a, b) => b[1] - a[1]);
    return el('tr', {'data-kpi': k.label},
      el('td', {}, k.label), el('td', {class: 'num'}, pct(k.availability)), el('td', {class: 'num'}, pct(k.performance)), el('td', {class: 'num'}, pct(k.quality)),
      el('td', {class: 'num', 'data-oee': k.oee === null ? '' : k.oee}, el('b', {}, pct(k.oee))), el('td', {class: 'num'}, hours(k.mtbfHours)), el('td', {class: 'num'}, hours(k.mttrHours)),
      el('td', {class: 'num'}, k.failures), el('td', {class: 'muted'}, reasons.length ? reasons.slice(0, 2).map(([why, ms]) => why + ' ' + hours(ms / 3.6e6)).join('; ') : ''),
      el('td', {class: 'num'}, k.energyPerUnit === null ? '—' : k.energyPerUnit.toPrecision(3) + ' kWh/' + (k.unit || 'unit').replace(/[{}]/g, '')),
      el('td', {class: 'num'}, money(k.downtimeCost, k.currency)), el('td', {class: 'num'}, money(k.savingIfPlanned, k.currency)));
  });
  const chartBox = el('div', {id: 'kpi-chart'});
  const cost = r.costModel ? el('p', {class: 'muted'}, 'cost model: downtime ' + money(r.costModel.downtimeCostPerHour, r.costModel.currency) + '/h · energy '
      + r.costModel.energyPricePerKwh + ' ' + r.costModel.currency + '/kWh · planned repair ' + money(r.costModel.plannedRepairCost, r.costModel.currency)
      + ' + ' + r.costModel.plannedRepairHours + ' h · unplanned repair ' + money(r.costModel.unplannedRepairCost, r.costModel.currency)) : '';
  box.replaceChildren(el('h3', {}, 'KPIs'), picker, chartBox,
      rows.length ? el('table', {id: 'kpi-table'}, el('thead', {}, el('tr', {}, ...['period', 'availability', 'performance', 'quality', 'OEE', 'MTBF', 'MTTR', 'failures',
          'downtime by reason', 'energy per unit', 'downtime cost', 'saving if planned'].map(h => el('th', {}, h)))), el('tbody', {}, ...rows))
        : el('p', {class: 'muted'}, 'no KPI data in the last ' + SPAN_HOURS[period] + ' h yet'), cost);
  if (kpiView.chart) { kpiView.chart.destroy(); kpiView.chart = null; }
  if (r.periods.length > 1 && typeof uPlot !== 'undefined') {
    const xs = r.periods.map(k => k.startMs / 1000);
    const series = ['oee', 'availability', 'performance', 'quality'].map(f => r.periods.map(k => k[f] === null ? null : k[f] * 100));
    kpiView.chart = new uPlot({width: Math.min(900, box.clientWidth || 900), height: 180, scales: {y: {range: [0, 110]}},
        series: [{}, {label: 'OEE %', stroke: '#1b6e2a', width: 2}, {label: 'availability %', stroke: '#2563eb'}, {label: 'performance %', stroke: '#a35c00'},
          {label: 'quality %', stroke: '#7c3aed'}]}, [xs, ...series], chartBox);
  }
}

function assetKpis(asset) {
  return kpiSection($('#kpis'), '/assets/' + encodeURIComponent(asset) + '/kpis', asset);
}

async function linePage(line) {
  const model = await api('/asset-model').catch(() => null);
  const members = model ? model.assets.filter(a => a.line === line) : [];
  $('#page').replaceChildren(el('h2', {}, 'Line ' + line), el('p', {}, 'assets: ', ...members.flatMap(a => [el('a', {href: '#/assets/' + encodeURIComponent(a.id)}, a.id), ' '])),
      el('div', {id: 'kpis'}));
  await kpiSection($('#kpis'), '/lines/' + encodeURIComponent(line) + '/kpis', line);
}
