// The settings page: every call goes to /api/* with App Bridge's session token.
'use strict';

const $ = (id) => document.getElementById(id);

/** The page's words in the admin's language (page-text.ts), with "{name}" filled in. */
const TEXT = JSON.parse(document.getElementById('page-text').textContent);
const LANG = TEXT.lang;
function t(key, values = {}) {
  return (TEXT[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** An API field error in the page's language: by its stable code, field-specific first; the API's English message last. */
function errorText(field, code, part, fallback) {
  const key = [`error.${field}.${code}`, `error.${code}`].find((k) => k in TEXT);
  return key ? t(key, {part}) : fallback;
}

async function api(path, options = {}) {
  const token = await window.shopify.idToken();
  const headers = {Authorization: `Bearer ${token}`};
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const body = await res.json().catch(() => ({}));
  return {ok: res.ok, status: res.status, body};
}

function toast(message, isError = false) {
  window.shopify?.toast?.show?.(message, {isError});
}

function showPageError(message) {
  const banner = $('page-error');
  banner.textContent = message;
  banner.hidden = !message;
}

function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString(LANG, {dateStyle: 'medium', timeStyle: 'short'}) : '–';
}

/** Field messages under their fields, translated by code; a field without a message is cleared. */
function showFieldErrors(fieldIds, body = {}) {
  const {fields = {}, codes = {}, parts = {}} = body;
  for (const [name, id] of Object.entries(fieldIds)) {
    const input = $(id);
    const error = $(`${id}-error`);
    const message = fields[name] === undefined ? undefined : errorText(name, codes[name], parts[name], fields[name]);
    error.textContent = message ? `${label(id)} ${message}` : '';
    error.hidden = !message;
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
}

function label(id) {
  const element = document.querySelector(`label[for="${id}"]`);
  return element ? element.textContent.trim() : $(id).getAttribute('aria-label') ?? '';
}

function renderSettings(s) {
  const badge = $('connection-badge');
  const ok = s.connection.state === 'ok';
  badge.textContent = ok ? t('connected') : t('needsReconnection');
  badge.className = `badge ${ok ? 'badge-success' : 'badge-critical'}`;
  $('reconnect-hint').hidden = ok;
  $('shop-domain').textContent = s.shop;
  $('time-zone').textContent = s.timeZone ?? t('tzUnknown');
  $('token-expiry').textContent = s.connection.tokenExpiresAt ? formatDate(s.connection.tokenExpiresAt) : t('doesNotExpire');
  $('webhook-url').value = s.webhookUrl;
  $('secret-value').textContent = s.signingSecret.masked;
  const previous = $('previous-secret');
  previous.hidden = !s.signingSecret.previousValidUntil;
  previous.textContent = s.signingSecret.previousValidUntil
    ? t('previousSecret', {date: formatDate(s.signingSecret.previousValidUntil)})
    : '';
  $('store-phone').value = s.storePhone ?? '';
  $('default-language').value = s.defaultLanguage ?? '';
  $('verification').value = s.verification;
  $('business-hours').value = s.businessHours === 'always' ? '' : s.businessHours;
  $('closed-dates').value = s.closedDates.join(', ');
  $('after-hours-phone').value = s.afterHoursPhone ?? '';
  const open = $('open-badge');
  open.hidden = false;
  open.textContent = s.openNow ? t('openNow') : t('closedNow');
  open.className = `badge ${s.openNow ? 'badge-success' : ''}`;
  $('caller-lookup').value = s.callerLookup;
  $('contact-hint').value = s.contactHint ?? '';
  // The API's note is English: the page says the same in its own language, keyed by setting and state.
  const accessKey = s.callerLookup === 'off' ? 'customerAccess_off' : `customerAccess_${s.customerAccess.state}`;
  $('customer-access').textContent = accessKey in TEXT ? t(accessKey) : s.customerAccess.note;
  $('grant-customer-access').hidden = !(s.callerLookup === 'on' && s.customerAccess.state === 'denied');
}

/** read_customers is an optional scope: App Bridge asks the merchant, then the next caller checks again. */
async function grantCustomerAccess() {
  try {
    const result = await window.shopify.scopes.request(['read_customers']);
    if (result?.result !== 'granted-all') return;
    const res = await api('/api/settings', {method: 'PUT', json: settingsBody()});
    if (res.ok) renderSettings(res.body);
    toast(t('accessGranted'));
  } catch {
    toast(t('accessNotRequested'), true);
  }
}

async function loadSettings() {
  const res = await api('/api/settings');
  if (!res.ok) {
    showPageError(res.body.message ?? t('loadFailed', {status: res.status}));
    return;
  }
  showPageError('');
  renderSettings(res.body);
}

const KIND = {silence: 'kindSilence', escalation: 'kindEscalation'};
const REASON = {caller_request: 'reasonCaller', low_confidence: 'reasonLowConfidence'};
const RESULT = {transferred: 'resultTransferred', after_hours: 'resultAfterHours', nowhere: 'resultNowhere'};

async function loadCalls() {
  const res = await api('/api/calls');
  const body = $('calls-body');
  body.replaceChildren();
  const calls = res.ok ? res.body.calls : [];
  if (calls.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 4;
    cell.className = 'subdued';
    cell.textContent = res.ok ? t('noCalls') : t('callsFailed');
    return;
  }
  for (const call of calls) {
    const row = body.insertRow();
    const reason = REASON[call.reason] ? t(REASON[call.reason]) : (call.reason ?? '');
    const result = RESULT[call.result] ? t(RESULT[call.result]) : '';
    const detail = call.kind === 'silence' && call.silenceMs
      ? t('silentFor', {seconds: Math.round(call.silenceMs / 1000)})
      : [reason, result].filter(Boolean).join(' · ');
    for (const text of [formatDate(call.occurredAt), KIND[call.kind] ? t(KIND[call.kind]) : call.kind, call.caller ?? t('unknownCaller'), detail]) {
      row.insertCell().textContent = text;
    }
  }
}

const SETTINGS_FIELDS = {
  storePhone: 'store-phone', defaultLanguage: 'default-language', verification: 'verification',
  callerLookup: 'caller-lookup', contactHint: 'contact-hint',
  businessHours: 'business-hours', closedDates: 'closed-dates', afterHoursPhone: 'after-hours-phone',
};

function settingsBody() {
  return {
    storePhone: $('store-phone').value, defaultLanguage: $('default-language').value, verification: $('verification').value,
    callerLookup: $('caller-lookup').value, contactHint: $('contact-hint').value,
    businessHours: $('business-hours').value, closedDates: $('closed-dates').value, afterHoursPhone: $('after-hours-phone').value,
  };
}

async function saveSettings(event) {
  event.preventDefault();
  const button = $('save-settings');
  const status = $('settings-status');
  button.disabled = true;
  status.textContent = t('saving');
  try {
    const res = await api('/api/settings', {
      method: 'PUT',
      json: settingsBody(),
    });
    if (res.status === 422) {
      showFieldErrors(SETTINGS_FIELDS, res.body);
      status.textContent = t('notSavedFields');
      return;
    }
    if (!res.ok) {
      status.textContent = t('notSaved', {message: res.body.message ?? res.status});
      return;
    }
    showFieldErrors(SETTINGS_FIELDS);
    renderSettings(res.body);
    status.textContent = t('saved');
    toast(t('saved'));
  } finally {
    button.disabled = false;
  }
}

async function copyWebhookUrl() {
  const input = $('webhook-url');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand('copy');
  }
  $('copy-status').textContent = t('copied');
  toast(t('webhookCopied'));
}

async function revealSecret() {
  const res = await api('/api/secret');
  if (res.ok) $('secret-value').textContent = res.body.secret;
}

async function rotateSecret() {
  if (!window.confirm(t('confirmRotate'))) return;
  const res = await api('/api/secret/rotate', {method: 'POST'});
  if (!res.ok) {
    $('secret-status').textContent = res.body.message ?? t('secretFailed');
    return;
  }
  renderSettings(res.body);
  $('secret-value').textContent = res.body.secret;
  $('secret-status').textContent = t('secretGenerated');
}

async function setSecret(event) {
  event.preventDefault();
  const res = await api('/api/secret', {method: 'PUT', json: {secret: $('secret-input').value}});
  if (res.status === 422) {
    showFieldErrors({secret: 'secret-input'}, res.body);
    return;
  }
  showFieldErrors({secret: 'secret-input'});
  if (!res.ok) {
    $('secret-status').textContent = res.body.message ?? t('secretFailed');
    return;
  }
  $('secret-input').value = '';
  renderSettings(res.body);
  $('secret-status').textContent = t('secretSet');
  toast(t('secretSetToast'));
}

async function testLookup(event) {
  event.preventDefault();
  const button = $('run-test');
  button.disabled = true;
  try {
    const res = await api('/api/test-lookup', {method: 'POST', json: {orderNumber: $('order-number').value}});
    if (res.status === 422) {
      showFieldErrors({orderNumber: 'order-number'}, res.body);
      return;
    }
    showFieldErrors({orderNumber: 'order-number'});
    $('test-result').hidden = false;
    if (!res.ok) {
      $('test-say').textContent = res.body.message ?? t('testFailed', {status: res.status});
      $('test-meta').textContent = '';
      return;
    }
    const r = res.body;
    $('test-say').textContent = r.say ? `“${r.say}”` : t('noWords', {status: r.status});
    const action = r.nextAction === 'transfer' ? t('transferTo', {to: r.transferTo}) : (r.nextAction ?? '–');
    $('test-meta').textContent = t('testMeta', {ms: r.latencyMs, status: r.status, action});
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- the call report

/** Series of the chart, bottom to top, with their colours; the table shows every counter. */
const SERIES = [
  ['ordersFound', '#29845a'],
  ['foundByCaller', '#0e8a8a'],
  ['ordersNotFound', '#e8a33d'],
  ['noNumber', '#b98900'],
  ['fallbacks', '#c70a24'],
  ['transfers', '#005bd3'],
  ['afterHours', '#5c6ac4'],
  ['silences', '#8a8a8a'],
];
const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function dayLabel(day, options) {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(LANG, {timeZone: 'UTC', ...options});
}

/** Stacked bars, one per day, drawn here: no chart library, nothing from a CDN. */
function drawChart(days) {
  const width = 720;
  const height = 180;
  const pad = {top: 8, right: 8, bottom: 22, left: 28};
  const totals = days.map((d) => SERIES.reduce((sum, [key]) => sum + d[key], 0));
  const max = Math.max(1, ...totals);
  const slot = (width - pad.left - pad.right) / days.length;
  const scale = (n) => (n / max) * (height - pad.top - pad.bottom);
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true'});
  for (const tick of [0, max]) {
    const y = height - pad.bottom - scale(tick);
    chart.append(svg('line', {x1: pad.left, x2: width - pad.right, y1: y, y2: y, stroke: '#e3e3e3'}));
    const label = svg('text', {x: pad.left - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#616161'});
    label.textContent = String(tick);
    chart.append(label);
  }
  days.forEach((d, i) => {
    const x = pad.left + i * slot + slot * 0.15;
    let y = height - pad.bottom;
    for (const [key, colour] of SERIES) {
      if (!d[key]) continue;
      const h = scale(d[key]);
      y -= h;
      const bar = svg('rect', {x, y, width: slot * 0.7, height: h, fill: colour, 'data-series': key});
      const title = svg('title');
      title.textContent = `${dayLabel(d.day, {day: 'numeric', month: 'short'})} · ${t(key)}: ${d[key]}`;
      bar.append(title);
      chart.append(bar);
    }
    if (i % 7 === days.length % 7 || i === days.length - 1) {
      const label = svg('text', {x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle', 'font-size': 10, fill: '#616161'});
      label.textContent = dayLabel(d.day, {day: 'numeric', month: 'numeric'});
      chart.append(label);
    }
  });
  $('report-chart').replaceChildren(chart);
  $('report-legend').replaceChildren(...SERIES.map(([key, colour]) => {
    const item = document.createElement('li');
    item.style.setProperty('--swatch', colour);
    item.textContent = t(key);
    return item;
  }));
}

/** Newest day first; the days without calls are left out of the table (the chart shows them). */
function fillReportTable(days) {
  const head = $('report-head');
  head.replaceChildren(head.firstElementChild);
  for (const [key] of SERIES) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(key);
    head.append(th);
  }
  const body = $('report-body');
  body.replaceChildren();
  const active = days.filter((d) => SERIES.some(([key]) => d[key] > 0)).reverse();
  if (active.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = SERIES.length + 1;
    cell.className = 'subdued';
    cell.textContent = t('reportEmpty');
    return;
  }
  for (const d of active) {
    const row = body.insertRow();
    row.insertCell().textContent = dayLabel(d.day, {weekday: 'short', day: 'numeric', month: 'short'});
    for (const [key] of SERIES) row.insertCell().textContent = String(d[key]);
  }
}

async function loadReport() {
  const res = await api('/api/report?days=30');
  if (!res.ok) {
    const cell = $('report-body').rows[0]?.cells[0];
    if (cell) cell.textContent = t('reportFailed');
    return;
  }
  drawChart(res.body.days);
  fillReportTable(res.body.days);
}

document.addEventListener('DOMContentLoaded', () => {
  $('settings-form').addEventListener('submit', saveSettings);
  $('grant-customer-access').addEventListener('click', grantCustomerAccess);
  $('copy-webhook').addEventListener('click', copyWebhookUrl);
  $('reveal-secret').addEventListener('click', revealSecret);
  $('rotate-secret').addEventListener('click', rotateSecret);
  $('secret-form').addEventListener('submit', setSecret);
  $('test-form').addEventListener('submit', testLookup);
  loadSettings().catch((error) => showPageError(`The settings could not be loaded: ${error.message}`));
  loadCalls().catch(() => {});
  loadReport().catch(() => {});
});
