'use strict';
// The gateway's health in the header (every page, refreshed every 15 s) and the health page (#/health): Apache Felix
// Health Checks of the gateway (tag millwright) from /system/health.json — journal, uplink, devices, components,
// bundles, disk space, clock — each with its status and what it found.
async function healthChecks() {
  const r = await fetch('/system/health.json', {cache: 'no-store', headers: {'Accept': 'application/json'}});
  if (r.status === 401) throw new Error('login needed');
  return r.json(); // 503 for CRITICAL still carries the results
}
async function healthBadge() {
  try {
    const h = await healthChecks();
    const a = $('#health');
    a.textContent = 'health ' + h.overallResult;
    a.className = h.overallResult === 'OK' ? 'ok' : (h.overallResult === 'WARN' ? 'refused' : 'failed');
    a.dataset.health = h.overallResult;
  } catch (e) { /* the badge stays as it was */ }
}
async function healthPage() {
  const h = await healthChecks();
  const body = el('tbody');
  for (const r of h.results) {
    const problems = r.messages.filter(m => m.status !== 'OK' && m.status !== 'DEBUG');
    const shown = problems.length ? problems : r.messages.filter(m => m.status !== 'DEBUG').slice(0, 3);
    body.append(el('tr', {'data-check': r.name, 'data-status': r.status}, el('td', {}, r.name), el('td', {class: r.status === 'OK' ? 'ok' : (r.status === 'WARN' ? 'refused' : 'failed')}, r.status),
        el('td', {}, el('ul', {}, ...shown.map(m => el('li', {class: m.status === 'OK' || m.status === 'INFO' ? 'muted' : ''}, m.message)))),
        el('td', {class: 'muted'}, (r.tags || []).join(', '))));
  }
  $('#page').replaceChildren(el('h2', {}, 'Health: ', el('span', {id: 'overall', class: h.overallResult === 'OK' ? 'ok' : 'refused'}, h.overallResult)),
      el('p', {class: 'muted'}, 'Apache Felix Health Checks of the gateway; the same checks gate every deployment. JSON: ', el('a', {href: '/system/health.json'}, '/system/health.json')),
      el('table', {id: 'checks'}, el('thead', {}, el('tr', {}, ...['check', 'status', 'found', 'tags'].map(x => el('th', {}, x)))), body));
  healthBadge();
}
healthBadge();
setInterval(healthBadge, 15000);
