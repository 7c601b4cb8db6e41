'use strict';
// The data-quality page (#/quality): every measured channel's status over its last window — OK, or the most severe of
// STALE, OUT_OF_RANGE, FLATLINE, TIME_REGRESSION, DUPLICATES, BAD, UNCERTAIN, JITTER — with the figures behind it,
// from /api/v1/quality (the data-quality reader; the same status is journaled as <asset>/q.<tag> and alarmable).
function qualityShare(x) { return (100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 0) + ' %'; }
async function qualityPage() {
  const reports = await api('/quality');
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
          'duplicates / backwards', 'jitter', 'window end'].map(x => el('th', {}, x)))), body));
}
