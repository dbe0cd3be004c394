import type {ModeReport, SoakReport} from './soak.ts';

/** The soak's report as a terminal table: one column per mode, one row per goal. */
export function formatReport(report: SoakReport): string {
  const rows: [string, (m: ModeReport) => string, (m: ModeReport) => boolean | undefined][] = [
    ['requests (per s)', (m) => `${m.requests} (${m.requests_per_s})`, () => undefined],
    ['5xx to signed events', (m) => String(m.signed_5xx), (m) => m.signed_5xx === 0],
    ['other non-200 to signed', (m) => `${m.signed_other_non_200} (+${m.signed_bad_body} bad bodies)`, (m) => m.signed_other_non_200 + m.signed_bad_body === 0],
    ['connection errors', (m) => String(m.connection_errors), (m) => m.connection_errors === 0],
    [`within budget + 50 ms`, (m) => `${m.within_budget_pct} %`, (m) => m.within_budget_pct === 100],
    ['latency p50/p90/p99/max', (m) => `${m.latency_ms.p50}/${m.latency_ms.p90}/${m.latency_ms.p99}/${m.latency_ms.max} ms`, () => undefined],
    ['bad input, wrong 4xx', (m) => `${m.bad_input}, ${m.bad_input_wrong}`, (m) => m.bad_input_wrong === 0],
    ['in flight to killed (apart)', (m) => String(m.in_flight_to_killed), () => undefined],
    ['forced GC p50/max, excused', (m) => `${m.forced_gc.pause_ms_p50}/${m.forced_gc.pause_ms_max} ms, ${m.forced_gc.answers_excused}`, () => undefined],
    ['not sent: instance down', (m) => String(m.not_sent_instance_down), () => undefined],
    ['events acked / stored', (m) => `${m.events_sent} / ${m.events_stored}`, (m) => m.events_missing === 0],
    ['events dup / unexpected', (m) => `${m.events_duplicated} / ${m.events_unexpected}`, (m) => m.events_duplicated + m.events_unexpected === 0],
    ['escalation result wrong', (m) => String(m.escalation_result_wrong), (m) => m.escalation_result_wrong === 0],
    ['call report = answers', (m) => (m.report_ok ? 'yes' : 'no'), (m) => m.report_ok],
    // No figure when no instance ran from warm-up to the end (restarted) with enough samples.
    ['heap growth after warm-up', (m) => (Object.keys(m.memory).length ? `${m.heap_growth_pct} %` : '-'), (m) => m.heap_growth_pct <= 5],
    ['RSS growth after warm-up', (m) => (Object.keys(m.memory).length ? `${m.rss_growth_pct} %` : '-'), () => undefined],
    ['PG connections min-max', (m) => (m.pg_connections ? Object.entries(m.pg_connections).map(([n, c]) => `${n} ${c.min}-${c.max}`).join(', ') : '-'), (m) => m.pg_connections_ok],
    ['unhandled rejections', (m) => String(m.unhandled_rejections), (m) => m.unhandled_rejections === 0],
    ['crashes', (m) => String(m.crashes), (m) => m.crashes === 0],
    ['error log lines', (m) => String(m.error_log_lines), () => undefined],
    ['outage: cached/cold wrong', (m) => `${m.outage.cached_wrong}/${m.outage.cold_wrong} of ${m.outage.judged}`, (m) => m.outage.cached_wrong + m.outage.cold_wrong === 0],
    ['real answers again after', (m) => `${m.outage.recovery_ms === null ? '-' : `${m.outage.recovery_ms} ms`}${m.outage.recovery_judged ? '' : ' (not judged)'}`, () => undefined],
    ['setting applied after', (m) => (m.setting_applied_ms === null ? '-' : `${m.setting_applied_ms} ms`), (m) => m.stale_setting_answers === 0],
    ['old secret accepted', (m) => String(m.old_secret_accepted), () => undefined],
    ['CLI writes (failed)', (m) => `${m.cli_writes} (${m.cli_failures})`, (m) => m.cli_failures === 0],
    ['ok', (m) => (m.ok ? 'yes' : 'NO'), (m) => m.ok],
  ];
  const width = 30;
  const col = 34;
  const lines = [`${'goal'.padEnd(width)}${report.modes.map((m) => m.mode.padEnd(col)).join('')}`];
  for (const [label, value, good] of rows) {
    lines.push(`${label.padEnd(width)}${report.modes.map((m) => `${good(m) === false ? '✗ ' : '  '}${value(m)}`.padEnd(col)).join('')}`);
  }
  lines.push('');
  for (const m of report.modes) {
    lines.push(`${m.mode} faults: ${m.faults.join('; ') || 'none'}`);
    if (Object.keys(m.error_log_messages).length) lines.push(`${m.mode} error log: ${Object.entries(m.error_log_messages).map(([k, n]) => `${n}× ${k}`).join('; ')}`);
    for (const f of m.failures) lines.push(`${m.mode} ✗ ${f}`);
  }
  lines.push(`Shopify answered: ${Object.entries(report.shopify).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(`overall: signed_5xx ${report.signed_5xx}, within_budget_pct ${report.within_budget_pct}, events ${report.events_sent} sent / ${report.events_stored} stored, heap_growth_pct ${report.heap_growth_pct}, ok ${report.ok}`);
  return lines.join('\n');
}
