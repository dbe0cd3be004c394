// The settings page: every call goes to /api/* with App Bridge's session token.
'use strict';

const $ = (id) => document.getElementById(id);

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
  return iso ? new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'}) : '–';
}

/** Field messages under their fields; a field without a message is cleared. */
function showFieldErrors(fieldIds, fields = {}) {
  for (const [name, id] of Object.entries(fieldIds)) {
    const input = $(id);
    const error = $(`${id}-error`);
    const message = fields[name];
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
  badge.textContent = ok ? 'Connected' : 'Needs reconnection';
  badge.className = `badge ${ok ? 'badge-success' : 'badge-critical'}`;
  $('reconnect-hint').hidden = ok;
  $('shop-domain').textContent = s.shop;
  $('time-zone').textContent = s.timeZone ?? 'not known yet';
  $('token-expiry').textContent = s.connection.tokenExpiresAt ? formatDate(s.connection.tokenExpiresAt) : 'does not expire';
  $('webhook-url').value = s.webhookUrl;
  $('secret-value').textContent = s.signingSecret.masked;
  const previous = $('previous-secret');
  previous.hidden = !s.signingSecret.previousValidUntil;
  previous.textContent = s.signingSecret.previousValidUntil
    ? `The previous secret keeps working until ${formatDate(s.signingSecret.previousValidUntil)}, so Callina can be updated without failed calls.`
    : '';
  $('store-phone').value = s.storePhone ?? '';
  $('default-language').value = s.defaultLanguage ?? '';
  $('verification').value = s.verification;
  $('caller-lookup').value = s.callerLookup;
  $('contact-hint').value = s.contactHint ?? '';
  $('customer-access').textContent = s.customerAccess.note;
  $('grant-customer-access').hidden = !(s.callerLookup === 'on' && s.customerAccess.state === 'denied');
}

/** read_customers is an optional scope: App Bridge asks the merchant, then the next caller checks again. */
async function grantCustomerAccess() {
  try {
    const result = await window.shopify.scopes.request(['read_customers']);
    if (result?.result !== 'granted-all') return;
    const res = await api('/api/settings', {method: 'PUT', json: settingsBody()});
    if (res.ok) renderSettings(res.body);
    toast('Access granted');
  } catch {
    toast('Access could not be requested', true);
  }
}

async function loadSettings() {
  const res = await api('/api/settings');
  if (!res.ok) {
    showPageError(res.body.message ?? `The settings could not be loaded (${res.status}).`);
    return;
  }
  showPageError('');
  renderSettings(res.body);
}

const KIND = {silence: 'Caller went silent', escalation: 'Asked for a human'};
const REASON = {caller_request: 'the caller asked', low_confidence: 'Anna was unsure'};

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
    cell.textContent = res.ok ? 'No abandoned calls or escalations yet.' : 'Recent calls could not be loaded.';
    return;
  }
  for (const call of calls) {
    const row = body.insertRow();
    const detail = call.kind === 'silence' && call.silenceMs ? `silent for ${Math.round(call.silenceMs / 1000)} s` : (REASON[call.reason] ?? call.reason ?? '');
    for (const text of [formatDate(call.occurredAt), KIND[call.kind] ?? call.kind, call.caller ?? 'unknown', detail]) {
      row.insertCell().textContent = text;
    }
  }
}

const SETTINGS_FIELDS = {
  storePhone: 'store-phone',
  defaultLanguage: 'default-language',
  verification: 'verification',
  callerLookup: 'caller-lookup',
  contactHint: 'contact-hint',
};

function settingsBody() {
  return {
    storePhone: $('store-phone').value,
    defaultLanguage: $('default-language').value,
    verification: $('verification').value,
    callerLookup: $('caller-lookup').value,
    contactHint: $('contact-hint').value,
  };
}

async function saveSettings(event) {
  event.preventDefault();
  const button = $('save-settings');
  const status = $('settings-status');
  button.disabled = true;
  status.textContent = 'Saving…';
  try {
    const res = await api('/api/settings', {
      method: 'PUT',
      json: settingsBody(),
    });
    if (res.status === 422) {
      showFieldErrors(SETTINGS_FIELDS, res.body.fields);
      status.textContent = 'Not saved: please correct the marked fields.';
      return;
    }
    if (!res.ok) {
      status.textContent = `Not saved: ${res.body.message ?? res.status}`;
      return;
    }
    showFieldErrors(SETTINGS_FIELDS);
    renderSettings(res.body);
    status.textContent = 'Settings saved';
    toast('Settings saved');
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
  $('copy-status').textContent = 'Copied';
  toast('Webhook URL copied');
}

async function revealSecret() {
  const res = await api('/api/secret');
  if (res.ok) $('secret-value').textContent = res.body.secret;
}

async function rotateSecret() {
  if (!window.confirm('Generate a new signing secret? The current one keeps working for a grace period while you update Callina.')) return;
  const res = await api('/api/secret/rotate', {method: 'POST'});
  if (!res.ok) {
    $('secret-status').textContent = res.body.message ?? 'The secret could not be changed.';
    return;
  }
  renderSettings(res.body);
  $('secret-value').textContent = res.body.secret;
  $('secret-status').textContent = 'New secret generated: paste it into Callina now.';
}

async function setSecret(event) {
  event.preventDefault();
  const res = await api('/api/secret', {method: 'PUT', json: {secret: $('secret-input').value}});
  if (res.status === 422) {
    showFieldErrors({secret: 'secret-input'}, res.body.fields);
    return;
  }
  showFieldErrors({secret: 'secret-input'});
  if (!res.ok) {
    $('secret-status').textContent = res.body.message ?? 'The secret could not be changed.';
    return;
  }
  $('secret-input').value = '';
  renderSettings(res.body);
  $('secret-status').textContent = 'Secret set.';
  toast('Signing secret set');
}

async function testLookup(event) {
  event.preventDefault();
  const button = $('run-test');
  button.disabled = true;
  try {
    const res = await api('/api/test-lookup', {method: 'POST', json: {orderNumber: $('order-number').value}});
    if (res.status === 422) {
      showFieldErrors({orderNumber: 'order-number'}, res.body.fields);
      return;
    }
    showFieldErrors({orderNumber: 'order-number'});
    $('test-result').hidden = false;
    if (!res.ok) {
      $('test-say').textContent = res.body.message ?? `The test failed (${res.status}).`;
      $('test-meta').textContent = '';
      return;
    }
    const r = res.body;
    $('test-say').textContent = r.say ? `“${r.say}”` : `The endpoint answered ${r.status} without words.`;
    const action = r.nextAction === 'transfer' ? `transfer to ${r.transferTo}` : (r.nextAction ?? '–');
    $('test-meta').textContent = `Answered in ${r.latencyMs} ms · HTTP ${r.status} · next action: ${action}`;
  } finally {
    button.disabled = false;
  }
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
});
