'use strict';
// The data-quality page (#/quality): every measured channel's status over its last window — OK, or the most severe of
// STALE, OUT_OF_RANGE, FLATLINE, DRIFT, TIME_REGRESSION, DUPLICATES, BAD, UNCERTAIN, JITTER — with the figures behind it,
// from /api/v1/quality (the data-quality reader; the same status is journaled as <asset>/q.<tag> and alarmable), and
// below it the physical-consistency verdicts from /api/v1/quality/consistency: a drifting sensor told from a changed machine.
const CONSISTENCY_CLASS = {CONSISTENT: 'ok', LEARNING: 'muted', OUTSIDE_REFERENCE: 'muted', DEVIATING: 'DEGRADED', SENSOR_DRIFT: 'failed',
  MACHINE_CHANGE: 'failed'};
const CONSISTENCY_TEXT = {CONSISTENT: 'follows its rule', LEARNING: 'learning the reference', OUTSIDE_REFERENCE: 'outside the reference (cannot judge)',
  DEVIATING: 'deviates from its rule', SENSOR_DRIFT: 'sensor drift: the machine shows no change', MACHINE_CHANGE: 'machine change: corroborated'};
function consistencyNumber(x, digits) { return x === null || x === undefined ? '—' : x.toFixed(digits); }
function qualityShare(x) { return (100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 0) + ' %'; }
async function qualityPage() {
  const [reports, consistency] = await Promise.all([api('/quality'), api('/quality/consistency')]);
  const rules = el('tbody');
  for (const c of consistency) {
    rules.append(el('tr', {'data-channel': c.asset + '/' + c.tag, 'data-verdict': c.verdict},
        el('td', {}, el('a', {href: '#/assets/' + encodeURIComponent(c.asset)}, c.asset)), el('td', {}, c.tag),
        el('td', {class: CONSISTENCY_CLASS[c.verdict] || ''}, c.verdict), el('td', {class: 'muted'}, CONSISTENCY_TEXT[c.verdict] || ''),
        el('td', {class: 'num'}, consistencyNumber(c.measured, 2)), el('td', {class: 'num'}, consistencyNumber(c.expected, 2)),
        el('td', {class: 'num'}, consistencyNumber(c.residual, 2)), el('td', {class: 'num'}, c.shift ? c.shift.toFixed(2) : '—'),
        el('td', {}, c.moved.join(', ')), el('td', {class: 'muted'}, c.rule),
        el('td', {}, may('engineer') ? el('button', {'data-relearn': c.asset + '/' + c.tag, onclick: async () => {
          if (!confirm('Forget the reference of ' + c.asset + '/' + c.tag + ' and learn it again from the next windows (after a repair, a '
              + 'recalibration or a planned new operating point)?')) return;
          try { await api('/quality/consistency/' + encodeURIComponent(c.asset) + '/' + encodeURIComponent(c.tag) + '/relearn', {method: 'POST', body: '{}'});
            qualityPage(); } catch (e) { showError(e); }
        }}, 'relearn') : '')));
  }
  const bad = reports.filter(r => r.status !== 'OK');
  const body = el('tbody');
  // problems first, then by asset and tag (the API's order)
  for (const r of [...bad, ...reports.filter(r => r.status === 'OK')]) {
    const [asset, tag] = r.channel.split('/');
    body.append(el('tr', {'data-channel': r.channel, 'data-status': r.status},
        el('td', {}, el('a', {href: '#/assets/' + encodeURIComponent(asset)}, asset)), el('td', {}, tag),
        el('td', {class: r.status === 'OK' ? 'ok' : 'failed'}, r.status),
        el('td', {class: 'muted'}, r.issues.slice(1).join(', ')),
        el('td', {class: 'num'}, String(r.samples)), el('td', {class: 'num'}, qualityShare(r.badShare)), el('td', {class: 'num'}, qualityShare(r.outOfRangeShare)),
        el('td', {class: 'num'}, String(r.duplicates + r.timeRegressions)), el('td', {class: 'num'}, r.jitter.toFixed(2)),
        el('td', {}, r.status === 'STALE' ? 'no sample for ' + Math.round(r.staleSeconds) + ' s' : new Date(r.time).toLocaleTimeString())));
  }
  $('#page').replaceChildren(el('h2', {}, 'Data quality: ', el('span', {id: 'quality-summary', class: bad.length ? 'failed' : 'ok'},
          bad.length ? bad.length + ' of ' + reports.length + ' channels with an issue' : 'all ' + reports.length + ' channels OK')),
      el('p', {class: 'muted'}, 'Each measured channel over its last window: stale, out of its engineering range, flat (a stuck sensor), time going '
          + 'backwards, duplicates, BAD or UNCERTAIN samples, irregular sampling. Journaled as <asset>/q.<tag>; alarms can watch it.'),
      el('table', {id: 'quality'}, el('thead', {}, el('tr', {}, ...['asset', 'channel', 'status', 'also', 'samples', 'BAD', 'out of range',
          'duplicates / backwards', 'jitter', 'window end'].map(x => el('th', {}, x)))), body),
      el('h3', {}, 'Physical consistency'),
      el('p', {class: 'muted'}, consistency.length ? 'Measurements against what their asset class\'s rule expects from the other tags (fitted on a '
          + 'reference period). A lasting difference with the corroborating channels unchanged is a drifting sensor; with them moved, a '
          + 'changed machine. Journaled as <asset>/q.<tag>.consistency and .residual.' : 'No asset class has a consistency rule.'),
      el('table', {id: 'consistency'}, el('thead', {}, el('tr', {}, ...['asset', 'tag', 'verdict', 'meaning', 'measured', 'expected',
          'residual', 'shift', 'moved', 'rule', ''].map(x => el('th', {}, x)))), rules));
}
