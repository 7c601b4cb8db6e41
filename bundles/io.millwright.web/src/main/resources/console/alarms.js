'use strict';
// Alarms in the console: the alarm list (current and history, filters by state, priority and area; acknowledge, shelve,
// unshelve and comment), the alarm banner and the twin on an asset page, the count of unacknowledged alarms in the menu.
// Uses el, api, fmt, may, showError and route from console.js.
const PRIORITY = {1: 'urgent', 2: 'high', 3: 'medium', 4: 'low'};
const time = ms => ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '—';
let alarmTimer = null;

async function refreshAlarmBadge() {
  try {
    const list = await api('/alarms?state=unacknowledged,rtn_unacknowledged');
    $('#alarm-count').textContent = list.length ? String(list.length) : '';
  } catch (e) { /* the engine may be absent: no badge */ }
}

function alarmActions(a, after) {
  if (!may('operator')) return el('span', {class: 'muted'}, '');
  const box = el('span', {class: 'actions'});
  const act = async (action, body) => {
    try { await api('/alarms/' + a.id.split('/').map(encodeURIComponent).join('/') + '/' + action, {method: 'POST', body: JSON.stringify(body)}); after(); }
    catch (e) { showError(e); }
  };
  const comment = el('input', {type: 'text', placeholder: 'comment / reason', 'data-comment': a.id});
  box.append(comment, ' ');
  if (a.state === 'UNACKNOWLEDGED' || a.state === 'RTN_UNACKNOWLEDGED') box.append(el('button', {'data-action': 'acknowledge', onclick: () => act('acknowledge', {comment: comment.value})}, 'acknowledge'), ' ');
  if (a.state === 'SHELVED') box.append(el('button', {'data-action': 'unshelve', onclick: () => act('unshelve', {comment: comment.value})}, 'unshelve'), ' ');
  else if (a.state !== 'OUT_OF_SERVICE') {
    const minutes = el('select', {'data-minutes': a.id}, ...[15, 60, 240, 480, 1440].map(m => el('option', {value: m}, m < 60 ? m + ' min' : m / 60 + ' h')));
    box.append(el('button', {'data-action': 'shelve', onclick: () => act('shelve', {reason: comment.value, minutes: Number(minutes.value)})}, 'shelve for'), ' ', minutes, ' ');
  }
  box.append(el('button', {'data-action': 'comment', onclick: () => act('comment', {comment: comment.value})}, 'comment'));
  return box;
}

function alarmRow(a, after) {
  const rb = a.runbook || {};
  return el('tr', {class: 'p' + a.priority + ' ' + a.state, 'data-alarm': a.id, 'data-state': a.state},
      el('td', {class: 'prio'}, a.priority + ' ' + PRIORITY[a.priority]),
      el('td', {}, el('a', {href: '#/assets/' + encodeURIComponent(a.asset)}, a.asset)),
      el('td', {}, a.name, a.firstOut ? el('span', {class: 'muted', title: 'first out: the first of its asset\'s alarms'}, ' ①') : '', a.chattering ? el('span', {class: 'refused', title: 'chattering'}, ' ≋') : ''),
      el('td', {class: 'state-' + a.state}, a.state.replace(/_/g, ' ').toLowerCase() + (a.shelf ? ' by ' + a.shelf.by + ' until ' + time(a.shelf.untilMs).slice(11, 16) + ' (' + a.shelf.reason + ')' : '')
          + (a.outOfService ? ' by ' + a.outOfService.by + ' (' + a.outOfService.reason + ')' : '')),
      el('td', {class: 'time'}, time(a.stateSinceMs)), el('td', {}, a.value), el('td', {class: 'muted'}, a.message),
      el('td', {}, rb.text ? el('span', {title: rb.text}, rb.link ? el('a', {href: rb.link, target: '_blank', rel: 'noopener'}, 'runbook') : 'runbook') : ''),
      el('td', {}, alarmActions(a, after)));
}

async function alarmsPage(tab) {
  if (alarmTimer) { clearInterval(alarmTimer); alarmTimer = null; }
  const state = el('select', {id: 'f-state'}, ...[['annunciated', 'needs attention'], ['', 'all'], ['active', 'active'], ['shelved', 'shelved'], ['suppressed_by_design', 'suppressed by design'], ['out_of_service', 'out of service']].map(([v, l]) => el('option', {value: v}, l)));
  const priority = el('select', {id: 'f-priority'}, el('option', {value: ''}, 'any priority'), ...[1, 2, 3, 4].map(p => el('option', {value: p}, p + ' ' + PRIORITY[p])));
  const model = await api('/asset-model').catch(() => null);
  const areas = model ? [...new Set(model.assets.map(a => a.area))].sort() : [];
  const area = el('select', {id: 'f-area'}, el('option', {value: ''}, 'every area'), ...areas.map(a => el('option', {value: a}, a)));
  const saved = JSON.parse(sessionStorage.getItem('alarm-filters') || '{}');
  state.value = saved.state !== undefined ? saved.state : 'annunciated'; priority.value = saved.priority || ''; area.value = saved.area || '';
  const body = el('tbody', {id: 'alarm-rows'});
  const kpis = el('div', {class: 'kpis', id: 'kpis'});
  const load = async () => {
    sessionStorage.setItem('alarm-filters', JSON.stringify({state: state.value, priority: priority.value, area: area.value}));
    const q = new URLSearchParams();
    if (state.value) q.set('state', state.value);
    if (priority.value) q.set('priority', priority.value);
    if (area.value) q.set('area', area.value);
    try {
      const [list, k] = await Promise.all([api('/alarms?' + q), api('/alarms/kpis')]);
      if (!document.body.contains(body)) { clearInterval(alarmTimer); return; }
      const typing = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.comment;
      if (!typing) body.replaceChildren(...(list.length ? list.map(a => alarmRow(a, load)) : [el('tr', {}, el('td', {colspan: 9, class: 'muted'}, 'No alarm matches.'))]));
      kpis.replaceChildren(el('span', {}, 'last 24 h: ', el('b', {}, fmt(k.activations)), ' alarms'),
          el('span', {title: 'ISA-18.2: about 1, at most 2'}, el('b', {}, k.perOperatorPer10Minutes.toFixed(2)), ' per operator per 10 min'),
          el('span', {title: 'more than 10 in 10 minutes'}, el('b', {}, fmt(k.floodPeriods)), ' floods'),
          el('span', {}, el('b', {}, fmt(k.standing)), ' standing'), el('span', {title: 'active for more than 24 h'}, el('b', {}, fmt(k.stale)), ' stale'),
          el('span', {}, el('b', {}, fmt(k.chattering)), ' chattering'),
          el('span', {}, 'top: ' + (k.topBadActors.slice(0, 3).map(b => b.alarmId + ' ×' + b.activations).join(', ') || '—')));
      refreshAlarmBadge();
    } catch (e) { showError(e); }
  };
  for (const s of [state, priority, area]) s.addEventListener('change', load);
  const tabs = el('p', {}, el('a', {href: '#/alarms', class: tab === 'current' ? 'current' : ''}, 'current'), ' · ', el('a', {href: '#/alarms/history', class: tab === 'history' ? 'current' : ''}, 'history'));
  if (tab === 'history') return alarmHistory(tabs);
  $('#page').replaceChildren(el('h2', {}, 'Alarms'), tabs, kpis, el('p', {}, state, ' ', priority, ' ', area),
      el('table', {id: 'alarms'}, el('thead', {}, el('tr', {}, ...['priority', 'asset', 'alarm', 'state', 'since', 'value', 'what happened', '', ''].map(h => el('th', {}, h)))), body));
  await load();
  alarmTimer = setInterval(load, 3000);
}

async function alarmHistory(tabs) {
  const r = await api('/alarms/events?max=300');
  const body = el('tbody');
  for (const e of r.events) body.append(el('tr', {'data-sequence': e.sequence, class: 'p' + e.priority},
      el('td', {class: 'num'}, e.sequence), el('td', {class: 'time'}, time(e.timeMs)), el('td', {}, e.alarmId), el('td', {}, e.transition.replace(/_/g, ' ').toLowerCase()),
      el('td', {}, e.from.replace(/_/g, ' ').toLowerCase() + ' → ' + e.to.replace(/_/g, ' ').toLowerCase()), el('td', {class: 'prio'}, e.priority),
      el('td', {}, e.actor || ''), el('td', {class: 'muted'}, e.cause + (e.comment ? ' — “' + e.comment + '”' : ''))));
  $('#page').replaceChildren(el('h2', {}, 'Alarm history'), tabs, el('p', {class: 'muted'}, 'newest first; every transition with its cause, from the durable alarm log'),
      el('table', {id: 'alarm-history'}, el('thead', {}, el('tr', {}, ...['#', 'time', 'alarm', 'what', 'state', 'priority', 'who', 'cause'].map(h => el('th', {}, h)))), body));
}

/** The banner of an asset's annunciated alarms and its twin, refreshed while the page is open. */
async function assetAlarms(asset) {
  if (alarmTimer) { clearInterval(alarmTimer); alarmTimer = null; }
  const refresh = async () => {
    const banner = $('#banner'), panel = $('#twin');
    if (!banner || !panel || trend.asset !== asset) { clearInterval(alarmTimer); return; }
    let list = [], twin = null;
    try { [list, twin] = await Promise.all([api('/alarms?state=annunciated&asset=' + encodeURIComponent(asset)), api('/assets/' + encodeURIComponent(asset) + '/twin')]); }
    catch (e) { if (e.status !== 404 && e.status !== 503) showError(e); return; }
    banner.replaceChildren(...list.map(a => el('div', {class: 'banner p' + a.priority, 'data-alarm': a.id, 'data-state': a.state},
        el('b', {}, 'P' + a.priority + ' ' + a.name), ' — ', a.message, ' · ', a.state.replace(/_/g, ' ').toLowerCase(), ' · ', el('a', {href: '#/alarms'}, 'alarm list'))));
    const h = twin.health;
    const dot = document.querySelector('[data-dot="' + CSS.escape(asset) + '"]');
    if (dot) dot.className = 'dot ' + twin.operatingState;
    const maint = may('operator') ? el('button', {id: 'maintenance', onclick: async () => {
      const note = prompt(twin.maintenance ? 'What was done?' : 'What is to be done?');
      if (note === null) return;
      try { await api('/assets/' + encodeURIComponent(asset) + '/maintenance', {method: 'POST', body: JSON.stringify({action: twin.maintenance ? 'end' : 'start', note})}); refresh(); }
      catch (e) { showError(e); }
    }}, twin.maintenance ? 'end maintenance' : 'start maintenance') : '';
    panel.replaceChildren(el('div', {class: 'twin', 'data-operating-state': twin.operatingState},
        el('div', {}, el('span', {class: 'dot ' + twin.operatingState}), ' ', el('b', {}, twin.operatingState.toLowerCase()), ' since ' + time(twin.operatingSinceMs), '  ', maint),
        el('div', {class: 'muted'}, 'data quality ' + (h.goodShare === null ? '—' : Math.round(h.goodShare * 100) + ' % good') + (h.staleTags.length ? ' · stale: ' + h.staleTags.join(', ') : '')
            + (h.badTags.length ? ' · BAD: ' + h.badTags.join(', ') : '') + ' · alarms ' + [1, 2, 3, 4].map(p => 'P' + p + ' ' + (h.activeAlarms[p] || 0)).join(' ')
            + (h.urgency ? ' · ' + h.urgency + (h.rul !== null ? ' (' + Math.round(h.rul) + ' ' + h.rulUnit + ')' : '') + ' by ' + h.model : '')),
        el('div', {class: 'muted'}, (twin.maintenance ? 'in maintenance since ' + time(twin.maintenance.startedMs) + ' by ' + twin.maintenance.by + ': ' + twin.maintenance.note + ' · ' : '')
            + (twin.lastMaintenance ? 'last maintenance ' + time(twin.lastMaintenance.startedMs) + ' – ' + time(twin.lastMaintenance.endedMs) + ': ' + twin.lastMaintenance.note : '')
            + (twin.desired.length ? ' · setpoints: ' + twin.desired.map(d => d.tag + ' ' + fmt(d.value) + ' ' + d.unit + ' (' + d.status + ')').join(', ') : ''))));
  };
  await refresh();
  alarmTimer = setInterval(refresh, 3000);
}
