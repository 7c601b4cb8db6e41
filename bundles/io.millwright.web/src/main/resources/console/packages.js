'use strict';
// The packages page (#/packages, engineers and admins): deployments with their phases, the deploy form with its dry run
// (admins), the bundles the framework runs and what each configured repository offers. Over /api/v1/deployments and
// /api/v1/packages; a deployment under way is followed until it ends.
const FINAL_PHASES = ['HEALTHY', 'FAILED', 'ROLLED_BACK'];
let packagesTimer = null;

async function packagesPage() {
  if (packagesTimer) { clearTimeout(packagesTimer); packagesTimer = null; }
  if (!may('engineer')) { $('#page').replaceChildren(el('h2', {}, 'Packages'), el('p', {class: 'refused'}, 'Packages need the engineer role; you are ' + me.role + '.')); return; }
  const [packages, deployments] = await Promise.all([api('/packages'), api('/deployments')]);
  const history = el('div', {id: 'deployments'});
  renderDeployments(history, deployments);
  const bundles = el('tbody');
  for (const b of packages.bundles) {
    bundles.append(el('tr', {'data-bundle': b.name, 'data-deployed': String(b.deployed)}, el('td', {class: 'num'}, b.id), el('td', {}, b.name), el('td', {}, b.version),
        el('td', {class: b.state === 'ACTIVE' ? 'ok' : (b.state === 'RESOLVED' ? 'muted' : 'refused')}, b.state), el('td', {}, b.deployed ? 'deployed' : 'base')));
  }
  const repos = el('div', {id: 'repositories'});
  for (const r of packages.repositories) {
    repos.append(el('details', {'data-repository': r.name}, el('summary', {}, el('b', {}, r.name), ' ', el('span', {class: r.usable ? 'ok' : 'refused'}, r.usable ? 'signed by ' + r.signer : r.signer),
        el('span', {class: 'muted'}, ' · ' + r.url + ' · ' + r.bundles.length + ' bundles')), el('ul', {class: 'muted'}, ...r.bundles.map(x => el('li', {}, x)))));
  }
  if (!packages.repositories.length) repos.append(el('p', {class: 'muted'}, 'No repository is configured (io.millwright.deploy.repository~<name> with url=…).'));
  $('#page').replaceChildren(el('h2', {}, 'Packages'),
      el('h3', {}, 'Deployments'), history,
      may('admin') ? deployForm(packages.repositories) : el('p', {class: 'muted'}, 'Deploying needs the admin role.'),
      el('h3', {}, 'Committed deployment'), el('p', {id: 'committed'}, packages.deployed.length ? packages.deployed.join(', ') : 'nothing beyond the base'),
      el('h3', {}, 'Repositories'), repos,
      el('h3', {}, 'Bundles in the framework'),
      el('table', {id: 'bundles'}, el('thead', {}, el('tr', {}, ...['id', 'bundle', 'version', 'state', ''].map(h => el('th', {}, h)))), bundles));
  followDeployments(deployments);
}

function renderDeployments(target, deployments) {
  if (!deployments.length) { target.replaceChildren(el('p', {class: 'muted'}, 'No deployment yet.')); return; }
  const body = el('tbody');
  for (const d of deployments) {
    const cls = d.phase === 'HEALTHY' ? 'ok' : (d.phase === 'FAILED' || d.phase === 'ROLLED_BACK' ? 'refused' : '');
    const phases = el('ol', {class: 'phases'}, ...d.phases.map(p => el('li', {'data-phase': p.phase}, el('b', {}, p.phase), ' ', el('span', {class: 'muted'}, p.at.replace('T', ' ').slice(0, 19) + ' — ' + p.detail))));
    body.append(el('tr', {'data-deployment': d.id, 'data-phase': d.phase}, el('td', {}, d.id), el('td', {class: cls}, d.phase + (FINAL_PHASES.includes(d.phase) ? '' : ' ' + d.progress + ' %')),
        el('td', {}, d.request.bundles.map(b => b.name).concat(d.request.configurations.map(c => c.factoryPid + '~' + c.name)).join(', ')),
        el('td', {}, d.actor + ' (' + d.source + ')'), el('td', {class: 'reason'}, d.reason),
        el('td', {}, el('details', {}, el('summary', {}, d.phases.length + ' phases'), phases))));
  }
  target.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, ...['deployment', 'phase', 'what', 'by', 'reason', ''].map(h => el('th', {}, h)))), body));
}

function followDeployments(deployments) {
  if (!deployments.some(d => !FINAL_PHASES.includes(d.phase))) return;
  packagesTimer = setTimeout(async () => {
    if (!location.hash.startsWith('#/packages')) return;
    try {
      const next = await api('/deployments');
      renderDeployments($('#deployments'), next);
      if (!next.some(d => !FINAL_PHASES.includes(d.phase))) return packagesPage(); // over: the bundles and the committed set changed
      followDeployments(next);
    } catch (e) { showError(e); }
  }, 1000);
}

function deployForm(repositories) {
  const repo = el('select', {name: 'repository'}, ...repositories.filter(r => r.usable).map(r => el('option', {value: r.name}, r.name)));
  const name = el('input', {type: 'text', name: 'bundle', size: 40, placeholder: 'symbolic name, e.g. io.millwright.driver.modbus'});
  const version = el('input', {type: 'text', name: 'version', size: 12, placeholder: 'range, e.g. [0.1,1)'});
  const configs = el('textarea', {name: 'configurations', rows: 3, cols: 80, placeholder: '[{"factoryPid": "…", "name": "…", "properties": {…}}] (optional)'});
  const windowS = el('input', {type: 'number', name: 'healthWindowSeconds', min: 0, max: 3600, value: 0, size: 6});
  const allow = el('input', {type: 'checkbox', name: 'allowRestart'});
  const plan = el('div', {id: 'plan'});
  const request = dryRun => {
    const r = {repository: repo.value, bundles: name.value.trim() ? [{name: name.value.trim(), version: version.value.trim()}] : [],
      configurations: configs.value.trim() ? JSON.parse(configs.value) : [], healthWindowSeconds: Number(windowS.value || 0), allowRestart: allow.checked};
    if (dryRun) r.dryRun = true;
    return r;
  };
  const show = p => plan.replaceChildren(el('table', {}, el('tbody', {}, ...[['signed by', p.signer], ['install', p.install], ['update', p.update], ['refresh', p.refresh],
      ['restart', p.restart], ['unchanged', p.unchanged], ['configurations', p.configurations], ['protected bundles touched', p.protectedTouched], ['download', fmt(p.downloadBytes) + ' bytes']]
      .map(([k, v]) => el('tr', {'data-plan': k.split(' ')[0]}, el('th', {}, k), el('td', {class: k.startsWith('protected') && v.length ? 'refused' : ''}, Array.isArray(v) ? (v.length ? v.join(', ') : '—') : v))))));
  const run = async dryRun => {
    showError(null);
    try {
      const r = await api('/deployments', {method: 'POST', body: JSON.stringify(request(dryRun))});
      if (dryRun) show(r); else { plan.replaceChildren(el('p', {class: 'muted'}, 'queued as ' + r.id)); renderDeployments($('#deployments'), await api('/deployments')); followDeployments([r]); }
    } catch (e) { plan.replaceChildren(el('p', {class: 'refused', id: 'plan-error'}, e.message)); }
  };
  return el('form', {id: 'deploy', onsubmit: ev => ev.preventDefault()}, el('h3', {}, 'Deploy'),
      el('p', {}, el('label', {}, 'repository ', repo), ' ', el('label', {}, 'bundle ', name), ' ', el('label', {}, 'version ', version)),
      el('p', {}, el('label', {}, 'configurations (JSON) ', configs)),
      el('p', {}, el('label', {}, 'health window (s, 0: default) ', windowS), ' ', el('label', {}, allow, ' may restart protected bundles')),
      el('p', {}, el('button', {type: 'button', id: 'dry-run', onclick: () => run(true)}, 'Plan (dry run)'), ' ',
          el('button', {type: 'button', id: 'deploy-now', onclick: () => { if (confirm('Deploy to this gateway?')) run(false); }}, 'Deploy')), plan);
}
