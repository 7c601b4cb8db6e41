'use strict';
// Setpoint writes on the asset page: every writable tag with a write policy gets a form (value, reason, write, dry
// run) that goes through the gateway's write guard (/api/v1/assets/{id}/tags/{tag}/write); the guard's answer names
// the rule that refused, the read-back that confirmed, or the approval that is awaited. Engineers approve or reject
// the requests of others here. Uses el, api, may, fmt, time and showError from console.js.

async function writeAnswer(r) {
  // a refusal or a device failure comes back as the write's record with a 4xx/5xx status: show it, do not throw
  const res = await fetch('/api/v1' + r.path, {method: 'POST', cache: 'no-store', headers: {'Accept': 'application/json', 'Content-Type': 'application/json'}, body: JSON.stringify(r.body)});
  if (res.status === 401) { location.href = '/login?next=' + encodeURIComponent(location.pathname + location.hash); return null; }
  const body = await res.json().catch(() => null);
  if (body && body.asset) return body;
  if (body && body.write) return body.write; // problem details carrying the refused or failed write
  throw new Error(body && body.detail ? body.detail : 'HTTP ' + res.status);
}

// the last answer per asset/tag: the form is drawn again after every write, and the answer must stay on it
const lastWriteAnswer = {};

function writeOutcome(rec) {
  const text = rec.status.replace(/_/g, ' ').toLowerCase() + (rec.rule ? ' by rule ' + rec.rule : '') + ': ' + rec.message;
  return el('span', {class: 'write-outcome ' + rec.status, 'data-write-status': rec.status, 'data-write-id': rec.id}, text);
}

async function assetSetpoints(asset) {
  const box = $('#setpoints');
  if (!box) return;
  let policies, writes;
  try { [policies, writes] = await Promise.all([api('/write-policies'), api('/writes?max=200')]); }
  catch (e) { if (e.status !== 503) showError(e); return; }
  const mine = policies.policies.filter(p => p.asset === asset);
  if (!mine.length) { box.replaceChildren(); return; }
  const rows = mine.map(p => {
    const value = el('input', {type: 'number', step: 'any', min: p.min, max: p.max, 'data-setpoint': p.tag, size: 8});
    const reason = el('input', {type: 'text', placeholder: 'reason', 'data-reason': p.tag, size: 18});
    const key = asset + '/' + p.tag;
    const out = el('span', {'data-write-result': p.tag}, lastWriteAnswer[key] ? writeOutcome(lastWriteAnswer[key]) : '');
    const send = dryRun => async () => {
      out.replaceChildren('…');
      try {
        const rec = await writeAnswer({path: '/assets/' + encodeURIComponent(asset) + '/tags/' + encodeURIComponent(p.tag) + '/write',
          body: {value: Number(value.value), dryRun, reason: reason.value}});
        if (rec) { lastWriteAnswer[key] = rec; out.replaceChildren(writeOutcome(rec)); }
        await assetSetpoints(asset);
      } catch (e) { out.replaceChildren(String(e.message || e)); }
    };
    const rules = p.min + '–' + p.max + (p.maxStep ? ' · step ≤ ' + p.maxStep : '') + (p.maxChangePerMinute ? ' · ≤ ' + p.maxChangePerMinute + '/min' : '')
        + (p.interlocks.length ? ' · interlocks: ' + p.interlocks.map(i => i.text).join(', ') : '') + (p.approval ? ' · needs a second person' : '')
        + ' · role ' + p.role.toLowerCase();
    const allowed = may(p.role.toLowerCase());
    return el('tr', {'data-policy': p.tag}, el('td', {}, p.tag), el('td', {class: 'muted'}, rules),
        el('td', {}, allowed ? value : '', ' ', allowed ? reason : ''),
        el('td', {}, allowed ? el('button', {'data-write': p.tag, onclick: send(false)}, 'write') : el('span', {class: 'muted'}, 'needs ' + p.role.toLowerCase()),
            ' ', allowed ? el('button', {'data-dry-run': p.tag, onclick: send(true)}, 'dry run') : ''),
        el('td', {}, out));
  });
  const recent = writes.filter(w => w.asset === asset).slice(0, 8).map(w => el('tr', {'data-write': w.id, 'data-status': w.status},
      el('td', {class: 'time'}, time(w.requestedMs)), el('td', {}, w.tag), el('td', {class: 'num'}, fmt(w.value) + ' ' + w.unit),
      el('td', {}, w.requestedBy + (w.approvedBy ? ' / ' + w.approvedBy : '')), el('td', {}, writeOutcome(w)),
      el('td', {}, w.status === 'AWAITING_APPROVAL' && may('engineer') && w.requestedBy !== me.name
          ? el('span', {}, el('button', {'data-approve': w.id, onclick: () => decide(asset, w.id, 'approve')}, 'approve'), ' ',
             el('button', {'data-reject': w.id, onclick: () => decide(asset, w.id, 'reject')}, 'reject'))
          : w.status === 'AWAITING_APPROVAL' && w.requestedBy === me.name ? el('button', {'data-reject': w.id, onclick: () => decide(asset, w.id, 'reject')}, 'withdraw') : '')));
  box.replaceChildren(el('h3', {}, 'Setpoints'),
      el('table', {id: 'setpoint-forms'}, el('thead', {}, el('tr', {}, ...['tag', 'policy', 'value', '', 'answer'].map(h => el('th', {}, h)))), el('tbody', {}, ...rows)),
      recent.length ? el('table', {id: 'writes'}, el('thead', {}, el('tr', {}, ...['asked', 'tag', 'value', 'by / approved by', 'what became of it', ''].map(h => el('th', {}, h)))), el('tbody', {}, ...recent)) : '');
}

async function decide(asset, id, action) {
  const comment = prompt(action === 'approve' ? 'Approve: comment (optional)' : 'Why not?');
  if (comment === null) return;
  try { await writeAnswer({path: '/writes/' + encodeURIComponent(id) + '/' + action, body: {comment}}); }
  catch (e) { showError(e); }
  assetSetpoints(asset);
}
