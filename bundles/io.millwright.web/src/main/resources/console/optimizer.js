'use strict';
// The bounded closed loop on the asset page: the optimizer's state (off, active, stopped, and why), the envelope an
// engineer enabled it with, its decisions with every candidate, the revert to the last human-set value, and the kill
// switch (operators and above). Engineers enable it with an envelope. Refreshed every 5 s while the page shows.
// Uses el, api, $, may, fmt, time and showError from console.js.

const optimizerView = {timer: null, asset: null};

async function assetOptimizer(asset) {
  optimizerView.asset = asset;
  if (optimizerView.timer) clearTimeout(optimizerView.timer);
  const box = $('#optimizer');
  if (!box) return;
  let s;
  try { s = await api('/assets/' + encodeURIComponent(asset) + '/optimizer'); }
  catch (e) { if (e.status !== 404 && e.status !== 503) showError(e); box.replaceChildren(); return; }
  if (!$('#optimizer') || optimizerView.asset !== asset) return;
  const e = s.envelope || {};
  const state = s.state.toLowerCase();
  const head = el('p', {}, el('span', {class: 'optimizer-state ' + state, 'data-optimizer-state': state}, state), ' ',
      s.state === 'ACTIVE' ? 'writes ' + e.tag + ' as ' + s.actor + ' through the write guard, every ' + e.periodSeconds + ' s' :
      s.state === 'STOPPED' ? el('span', {'data-optimizer-stop-reason': ''}, 'stopped by ' + s.stoppedBy + ' at ' + time(s.stoppedMs) + ': ' + s.stopReason) :
      'off: it writes nothing until an engineer enables it');
  const facts = el('p', {class: 'muted'},
      'envelope ' + fmt(e.min) + '–' + fmt(e.max) + ' · ≤ ' + fmt(e.maxChangePerHour) + ' per hour · the most output with projected life ≥ ' + fmt(e.rulTargetHours) + ' h',
      ' · now ' + fmt(s.value) + ' · last human-set value ', el('span', {'data-optimizer-human': ''}, fmt(s.humanValue)),
      s.enabledBy ? ' · enabled by ' + s.enabledBy + ' at ' + time(s.enabledMs) : '', s.model ? ' · model ' + s.model : '');
  const parts = [el('h3', {}, 'Optimizer (bounded closed loop)'), head, facts];
  if (s.lastCheck) parts.push(el('p', {class: 'muted', 'data-optimizer-check': ''}, 'twin vs plant ' + s.lastCheck));
  if (s.revert) parts.push(el('p', {'data-optimizer-revert': ''}, 'revert: ' + s.revert));
  if (s.problem) parts.push(el('p', {class: 'error'}, s.problem));
  if (may('operator') && (s.state === 'ACTIVE')) {
    parts.push(el('p', {}, el('button', {class: 'kill', 'data-optimizer-stop': '', onclick: async () => {
      const reason = prompt('Stop the optimizer and revert to the last human-set value. Why?', '');
      if (reason === null) return;
      try { await api('/assets/' + encodeURIComponent(asset) + '/optimizer/stop', {method: 'POST', body: JSON.stringify({reason})}); }
      catch (err) { showError(err); }
      assetOptimizer(asset);
    }}, 'STOP optimizer'), ' ', el('span', {class: 'muted'}, 'kill switch: stops it at once and reverts ' + e.tag + ' to ' + fmt(s.humanValue))));
  }
  if (may('engineer')) {
    const input = (name, value) => el('input', {type: 'number', step: 'any', size: 6, value, 'data-envelope': name});
    const fields = {min: input('min', e.min), max: input('max', e.max), maxChangePerHour: input('maxChangePerHour', e.maxChangePerHour),
      rulTargetHours: input('rulTargetHours', e.rulTargetHours), periodSeconds: input('periodSeconds', e.periodSeconds)};
    const answer = el('span', {'data-optimizer-answer': ''});
    parts.push(el('p', {}, 'min ', fields.min, ' max ', fields.max, ' change ≤ ', fields.maxChangePerHour, '/h · life ≥ ', fields.rulTargetHours,
        ' h · every ', fields.periodSeconds, ' s ', el('button', {'data-optimizer-enable': '', onclick: async () => {
          const body = {tag: e.tag};
          for (const [k, f] of Object.entries(fields)) body[k] = Number(f.value);
          try { await api('/assets/' + encodeURIComponent(asset) + '/optimizer/enable', {method: 'POST', body: JSON.stringify(body)}); answer.replaceChildren(''); }
          catch (err) { answer.replaceChildren(el('span', {class: 'error'}, String(err.message || err))); return; }
          assetOptimizer(asset);
        }}, s.state === 'ACTIVE' ? 'change envelope' : 'enable'), ' ', answer));
  }
  if (s.decisions.length) {
    const life = h => h === null ? '> ' + fmt(e.rulTargetHours) + ' h' : fmt(Math.round(h)) + ' h';
    parts.push(el('table', {id: 'optimizer-decisions'}, el('thead', {}, el('tr', {}, ...['decided', 'from → to', 'projected life', 'output', 'write', 'why'].map(h => el('th', {}, h)))),
        el('tbody', {}, ...s.decisions.slice(0, 8).map(d => el('tr', {'data-decision': d.timeMs},
            el('td', {class: 'time'}, time(d.timeMs)), el('td', {class: 'num'}, fmt(d.from) + ' → ' + fmt(d.to)), el('td', {class: 'num'}, life(d.projectedRulHours)),
            el('td', {class: 'num'}, fmt(Math.round(d.output)) + ' ' + d.unit), el('td', {}, d.writeStatus || 'kept'),
            el('td', {class: 'muted', title: d.candidates.map(c => fmt(c.value) + ': ' + life(c.projectedRulHours) + ', ' + fmt(Math.round(c.output))).join('\n')}, d.why))))));
  }
  box.replaceChildren(...parts);
  optimizerView.timer = setTimeout(() => { if ($('#optimizer') && optimizerView.asset === asset) assetOptimizer(asset); }, 5000);
}
