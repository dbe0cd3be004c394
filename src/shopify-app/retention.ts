import type {Logger} from '../log.ts';
import type {Storage} from '../storage/storage.ts';

const DAY_MS = 86_400_000;
/** Shopify retries a failed delivery for up to 48 hours (8 tries over 4 h now); a week covers every duplicate. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 7;

/** The merchant's call report keeps 90 days (the settings page shows 30, the API up to 90). */
export const REPORT_RETENTION_DAYS = 90;

/** Deletes call events older than the retention, webhook ids no retry can repeat, and report days past 90. */
export async function purgeExpired(options: {storage: Storage; retentionDays: number; now?: number}) {
  const now = options.now ?? Date.now();
  const callEvents = await options.storage.deleteCallEventsBefore(new Date(now - options.retentionDays * DAY_MS));
  const webhookDeliveries = await options.storage.deleteWebhookDeliveriesBefore(new Date(now - WEBHOOK_DELIVERY_RETENTION_DAYS * DAY_MS));
  // Report days are shop-local dates; a UTC cutoff is off by at most a day, on the side of keeping.
  const cutoffDay = new Date(now - (REPORT_RETENTION_DAYS + 1) * DAY_MS).toISOString().slice(0, 10);
  const reportDays = await options.storage.deleteReportBefore(cutoffDay);
  return {callEvents, webhookDeliveries, reportDays};
}

/**
 * Runs the purge now and then every `intervalMs` (default hourly). Started by
 * server.ts, not by createApp, so tests and the CLI never get a timer.
 * The timer does not keep the process alive; `stop()` ends it.
 */
export function startRetentionPurge(options: {storage: Storage; log: Logger; retentionDays: number; intervalMs?: number}): {stop(): void} {
  const run = async () => {
    try {
      const deleted = await purgeExpired(options);
      if (deleted.callEvents || deleted.webhookDeliveries || deleted.reportDays) options.log.info({deleted, retentionDays: options.retentionDays}, 'retention purge');
    } catch (error) {
      options.log.error({err: error}, 'retention purge failed; trying again at the next interval');
    }
  };
  void run();
  const timer = setInterval(() => void run(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return {stop: () => clearInterval(timer)};
}
