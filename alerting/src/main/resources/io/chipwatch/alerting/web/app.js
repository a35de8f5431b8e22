// Chipwatch on-call page: signs in with the API token (kept in this tab's sessionStorage), lists active alerts by
// severity with their evidence and links, and acknowledges or silences them through the JSON API. Under a storm it
// stays readable: within a severity, an alert name with more than GROUP_ABOVE active alerts collapses into one
// group (count, newest first, PAGE_SIZE a page); the resolved history is one line per alert name with its count,
// opened a page at a time.
'use strict';

const TOKEN_KEY = 'chipwatch.alerting.token';
const NAME_KEY = 'chipwatch.alerting.operator';
const SEVERITIES = ['critical', 'warning', 'info'];
const HIERARCHY = ['pod', 'rack', 'node', 'chip', 'link', 'peer', 'job'];
const GROUP_ABOVE = 5;
const PAGE_SIZE = 20;
let timer = null;
// Which groups are open and on which page, kept across refreshes: 'active:<severity>:<alertname>' or
// 'resolved:<alertname>' -> page index.
const openGroups = new Map();

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function safeLink(url, text) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return null;
  return el('a', {href: url, target: '_blank', rel: 'noopener noreferrer'}, text);
}

function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return (s / 3600).toFixed(1) + ' h ago';
  return (s / 86400).toFixed(1) + ' d ago';
}

class Unauthorized extends Error {}

async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const opts = {method, headers: {'Authorization': 'Bearer ' + token}};
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  if (res.status === 401) throw new Unauthorized('invalid token');
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error((data && data.error) || ('HTTP ' + res.status));
  return data;
}

function operator() {
  const v = $('operator').value.trim();
  return v || 'on-call';
}

function alertCard(a) {
  const classes = ['alert', a.severity];
  if (a.suppressed) classes.push('suppressed');
  if (a.acknowledged) classes.push('acknowledged');
  if (location.hash === '#alert=' + a.fingerprint) classes.push('highlight');
  const labels = el('div', {class: 'labels'});
  for (const k of HIERARCHY) {
    if (a.labels[k]) labels.append(el('span', {}, k + '=' + a.labels[k]));
  }
  const badges = [];
  if (a.acknowledged) badges.push(el('span', {class: 'badge ack'}, 'acknowledged by ' + a.acknowledged.by + ' ' + ago(a.acknowledged.at)));
  if (a.silencedBy.length) badges.push(el('span', {class: 'badge'}, 'silenced'));
  if (a.inhibitedBy.length) badges.push(el('span', {class: 'badge'}, 'inhibited by a root cause'));

  const actions = el('div', {class: 'actions'});
  if (!a.acknowledged) {
    const ack = el('button', {type: 'button', class: 'ack-button'}, 'Acknowledge');
    ack.addEventListener('click', () => act(ack, () => api('POST', '/api/alerts/' + a.fingerprint + '/ack', {by: operator(), comment: ''})));
    actions.append(ack);
  }
  const duration = el('select', {class: 'silence-duration', 'aria-label': 'silence duration'},
    ...['1h', '4h', '1d'].map((d) => el('option', {value: d}, d)));
  const silence = el('button', {type: 'button', class: 'silence-button'}, 'Silence');
  silence.addEventListener('click', () => act(silence, () => api('POST', '/api/silences', {
    matchers: [{name: 'alertname', value: a.alertname, isRegex: false, isEqual: true},
               {name: 'entity', value: a.entity, isRegex: false, isEqual: true}],
    duration: duration.value, createdBy: operator(), comment: 'from the on-call page'})));
  actions.append(silence, duration);
  const runbook = safeLink(a.annotations.runbook_url, 'Runbook');
  const dashboard = safeLink(a.annotations.dashboard, 'Dashboard');
  if (runbook) actions.append(runbook);
  if (dashboard) actions.append(dashboard);

  return el('article', {class: classes.join(' '), 'data-fingerprint': a.fingerprint, 'data-severity': a.severity,
      id: 'alert-' + a.fingerprint},
    el('div', {class: 'title'}, a.alertname + ' — ' + (a.entity || ''), ' ', ...badges),
    el('div', {class: 'summary'}, a.annotations.summary || ''),
    el('div', {class: 'description'}, a.annotations.description || ''),
    labels,
    el('div', {class: 'meta'}, 'since ' + a.startsAt + ' (' + ago(a.startsAt) + ') · fingerprint ' + a.fingerprint),
    actions);
}

async function act(button, call) {
  button.disabled = true;
  try {
    await call();
    await refresh();
  } catch (e) {
    handleError(e);
  } finally {
    button.disabled = false;
  }
}

function renderAlerts(alerts) {
  const box = $('alerts');
  box.replaceChildren();
  if (!alerts.length) {
    box.append(el('p', {class: 'empty', id: 'no-alerts'}, 'No active alerts.'));
    return;
  }
  for (const sev of SEVERITIES.concat(['other'])) {
    const list = alerts.filter((a) => (SEVERITIES.includes(a.severity) ? a.severity : 'other') === sev);
    if (!list.length) continue;
    const section = el('section', {class: 'severity', 'data-severity': sev},
      el('h2', {class: 'severity-' + sev}, sev.charAt(0).toUpperCase() + sev.slice(1) + ' (' + list.length + ')'));
    const byName = new Map();
    for (const a of list) {
      if (!byName.has(a.alertname)) byName.set(a.alertname, []);
      byName.get(a.alertname).push(a);
    }
    for (const [name, same] of byName) {
      if (same.length > GROUP_ABOVE) section.append(activeGroup(sev, name, same));
      else same.forEach((a) => section.append(alertCard(a)));
    }
    box.append(section);
  }
}

// Pager buttons for a list of `total` items shown PAGE_SIZE at a time; `go(page)` shows another page.
function pager(page, total, go) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const newer = el('button', {type: 'button', class: 'page-newer', disabled: page <= 0}, 'Newer');
  const older = el('button', {type: 'button', class: 'page-older', disabled: page >= pages - 1}, 'Older');
  newer.addEventListener('click', () => go(page - 1));
  older.addEventListener('click', () => go(page + 1));
  return el('div', {class: 'pager'}, newer, el('span', {class: 'page-info'}, 'page ' + (page + 1) + ' of ' + pages), older);
}

// A <details> group: one line with the name and count; its body is filled when opened and on every page change.
function group(key, cls, attrs, title, fill) {
  const details = el('details', Object.assign({class: 'group ' + cls}, attrs), el('summary', {}, ...title));
  const body = el('div', {class: 'group-body'});
  details.append(body);
  const show = async (page) => {
    openGroups.set(key, page);
    try {
      await fill(body, page, show);
    } catch (e) {
      handleError(e);
    }
  };
  details.addEventListener('toggle', () => {
    if (details.open) show(openGroups.get(key) || 0);
    else openGroups.delete(key);
  });
  if (openGroups.has(key)) {
    details.open = true;
  }
  return details;
}

function activeGroup(sev, name, alerts) {
  const newest = alerts.slice().sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  const unacked = alerts.filter((a) => !a.acknowledged && !a.suppressed).length;
  return group('active:' + sev + ':' + name, 'alert-group ' + sev, {'data-alertname': name, 'data-count': alerts.length},
    [el('span', {class: 'group-name'}, name), ' ', el('span', {class: 'count'}, '× ' + alerts.length),
     ' · ' + unacked + ' unacknowledged · newest ' + ago(newest[0].startsAt)],
    async (body, page, show) => {
      const from = Math.min(page, Math.ceil(alerts.length / PAGE_SIZE) - 1) * PAGE_SIZE;
      body.replaceChildren(...newest.slice(from, from + PAGE_SIZE).map(alertCard),
        pager(from / PAGE_SIZE, alerts.length, show));
    });
}

function renderSilences(silences) {
  const box = $('silences');
  box.replaceChildren();
  const live = silences.filter((s) => s.state !== 'expired');
  if (!live.length) {
    box.append(el('p', {class: 'empty'}, 'No active silences.'));
    return;
  }
  for (const s of live) {
    const expire = el('button', {type: 'button', class: 'expire-button'}, 'Expire');
    expire.addEventListener('click', () => act(expire, () => api('DELETE', '/api/silences/' + encodeURIComponent(s.id))));
    const matchers = s.matchers.map((m) => m.name + (m.isEqual ? '' : '!') + (m.isRegex ? '=~' : '=') + '"' + m.value + '"').join(', ');
    box.append(el('div', {class: 'alert info silence', 'data-silence': s.id},
      el('div', {class: 'title'}, matchers),
      el('div', {class: 'meta'}, s.state + ' until ' + s.endsAt + ' · by ' + s.createdBy + (s.comment ? ' · ' + s.comment : '')
        + (s.origin === 'alertmanager' ? ' · made in Alertmanager' : '')),
      el('div', {class: 'actions'}, expire)));
  }
}

function resolvedCard(a) {
  return el('div', {class: 'alert resolved ' + a.severity, 'data-fingerprint': a.fingerprint},
    el('div', {class: 'title'}, a.alertname + ' — ' + (a.entity || '')),
    el('div', {class: 'summary'}, a.annotations.summary || ''),
    el('div', {class: 'meta'}, a.startsAt + ' → ' + a.endsAt + ' (' + ago(a.endsAt) + ')'));
}

// The resolved history, one group per alert name (from /api/alerts/resolved/groups), latest end first; opening a
// group fetches its entries a page at a time.
function renderResolved(groups) {
  const box = $('resolved');
  box.replaceChildren();
  if (!groups.length) {
    box.append(el('p', {class: 'empty'}, 'Nothing resolved recently.'));
    return;
  }
  for (const g of groups) {
    const latest = g.latest;
    box.append(group('resolved:' + g.alertname, 'resolved-group ' + latest.severity,
      {'data-alertname': g.alertname, 'data-count': g.count},
      [el('span', {class: 'group-name'}, g.alertname), ' ', el('span', {class: 'count'}, '× ' + g.count),
       ' · last ' + (latest.entity || '') + ' resolved ' + ago(latest.endsAt)],
      async (body, page, show) => {
        const last = Math.max(0, Math.ceil(g.count / PAGE_SIZE) - 1);
        const p = Math.min(page, last);
        const entries = await api('GET', '/api/alerts/resolved?alertname=' + encodeURIComponent(g.alertname)
          + '&offset=' + (p * PAGE_SIZE) + '&limit=' + PAGE_SIZE);
        body.replaceChildren(...entries.map(resolvedCard), pager(p, g.count, show));
      }));
  }
}

async function refresh() {
  try {
    const [alerts, silences, resolved] = await Promise.all([
      api('GET', '/api/alerts'), api('GET', '/api/silences'), api('GET', '/api/alerts/resolved/groups')]);
    renderAlerts(alerts);
    renderSilences(silences);
    renderResolved(resolved);
    const crit = alerts.filter((a) => a.severity === 'critical' && !a.suppressed).length;
    $('summary').textContent = alerts.length + ' active alert(s), ' + crit + ' critical · updated ' + new Date().toLocaleTimeString();
    $('error').textContent = '';
  } catch (e) {
    handleError(e);
  }
}

function handleError(e) {
  if (e instanceof Unauthorized) {
    signOut('The token was refused; sign in again.');
  } else {
    $('error').textContent = 'Error: ' + e.message;
  }
}

function showBoard() {
  $('signin').hidden = true;
  $('board').hidden = false;
  $('who').hidden = false;
  refresh();
  if (timer) clearInterval(timer);
  timer = setInterval(refresh, 5000);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (timer) clearInterval(timer);
  timer = null;
  $('board').hidden = true;
  $('who').hidden = true;
  $('signin').hidden = false;
  $('summary').textContent = '';
  $('signin-error').textContent = message || '';
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await api('GET', '/api/status');
    $('token').value = '';
    $('signin-error').textContent = '';
    showBoard();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('signin-error').textContent = e instanceof Unauthorized ? 'That token is not valid.' : 'Cannot reach the service: ' + e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('signin-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut(''));
  $('refresh').addEventListener('click', refresh);
  $('operator').value = sessionStorage.getItem(NAME_KEY) || '';
  $('operator').addEventListener('change', () => sessionStorage.setItem(NAME_KEY, $('operator').value.trim()));
  window.addEventListener('hashchange', refresh);
  if (sessionStorage.getItem(TOKEN_KEY)) showBoard(); else signOut('');
});
