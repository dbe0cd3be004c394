import {parseArgs} from 'node:util';
import {z} from 'zod';
import {ConfigError, loadConfig} from './config.ts';
import {createLogger} from './log.ts';
import {callerLookupStatus} from './shops/caller-lookup-status.ts';
import {businessHoursOf} from './shops/shop-hours.ts';
import {isOpen, nextOpening} from './hours/business-hours.ts';
import {formatWeeklyHours, parseClosedDates, parseWeeklyHours, type Parsed} from './hours/schedule.ts';
import {reportDays} from './shops/report-days.ts';
import {callerLookup, contactHint, e164Phone, language, shopDomain, timeZone, verification} from './shops/shop-fields.ts';
import {registerShop, rotateSigningSecret, webhookUrl} from './shops/shop-registry.ts';
import {EncryptionKeyError} from './storage/encryption-key.ts';
import {openStorage} from './storage/open-storage.ts';
import {ShopExistsError, type ShopRecord, type Storage} from './storage/storage.ts';

const USAGE = `Usage: npm run cli -- shops <command> [options]

  shops add --shop NAME.myshopify.com [--access-token TOKEN] [--secret SECRET]
            [--phone +43…] [--language de|en] [--verification none|caller_phone] [--timezone Europe/Vienna]
            [--caller-lookup on|off] [--contact-hint "hello@shop.at"]
  shops set --shop NAME.myshopify.com [--access-token …] [--phone …|--phone none] [--language …] [--verification …] [--timezone …]
            [--caller-lookup on|off] [--contact-hint "…"|--contact-hint none]
            [--hours "Mon-Fri 09:00-17:00, Sat 10:00-13:00"|always|never] [--closed 2026-12-24,2026-12-25|none]
            [--after-hours-phone +43…|none]
  shops list
  shops show --shop NAME.myshopify.com
  shops rotate-secret --shop NAME.myshopify.com [--secret SECRET]
  shops remove --shop NAME.myshopify.com

Output is JSON. Secrets are printed only by add and rotate-secret. Hours are in the shop's time zone:
day names in English, several ranges a day, a range may cross midnight ("Fri 22:00-02:00").`;

class UsageError extends Error {}

const OPTIONS = {
  shop: {type: 'string'},
  'access-token': {type: 'string'},
  secret: {type: 'string'},
  phone: {type: 'string'},
  language: {type: 'string'},
  verification: {type: 'string'},
  timezone: {type: 'string'},
  'caller-lookup': {type: 'string'},
  'contact-hint': {type: 'string'},
  hours: {type: 'string'},
  closed: {type: 'string'},
  'after-hours-phone': {type: 'string'},
  help: {type: 'boolean', short: 'h'},
} as const;

const secretSchema = z.string().min(16, 'must be at least 16 characters').max(256);
const tokenSchema = z.string().min(8, 'does not look like an Admin API token').max(512);

/** Validates one option with its zod schema; the message names the option. */
function field<T>(name: string, schema: z.ZodType<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

/** A schedule option: the message quotes the option's value and names the part at fault. */
function scheduleField<T>(name: string, parse: (text: string) => Parsed<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const parsed = parse(value);
  if (!parsed.ok) throw new UsageError(`--${name} "${value}": ${parsed.error.message}`);
  return parsed.value;
}

function requiredShop(value: string | undefined): string {
  if (!value) throw new UsageError('--shop is required');
  return field('shop', shopDomain, value)!;
}

/** What the CLI prints about a shop: everything an operator needs, no secret in clear. */
function describe(shop: ShopRecord, appUrl: string) {
  return {
    shop: shop.shop,
    webhook_url: webhookUrl(appUrl, shop.hookId),
    signing_secret: `${shop.secret.slice(0, 4)}…`,
    previous_secret_valid_until: shop.previousSecretExpiresAt?.toISOString() ?? null,
    store_phone: shop.storePhone,
    default_language: shop.defaultLanguage,
    verification: shop.verification,
    contact_hint: shop.contactHint,
    time_zone: shop.timeZone,
    access_token: shop.accessToken ? 'set' : 'not set',
    connection: shop.connection,
    caller_lookup: callerLookupStatus(shop),
    business_hours: formatWeeklyHours(shop.businessHours),
    closed_dates: shop.closedDates,
    after_hours_phone: shop.afterHoursPhone,
    installed_at: shop.installedAt.toISOString(),
  };
}

/** Open now, and when next, by the shop's hours; the report's last 7 local days with their counts. */
async function hoursAndReport(storage: Storage, shop: ShopRecord) {
  const now = new Date();
  const hours = businessHoursOf(shop);
  const open = isOpen(hours, now);
  const days = await reportDays(storage, shop, 7, now);
  return {
    open_now: open,
    next_opening: open ? null : (nextOpening(hours, now)?.toISOString() ?? null),
    report_last_7_days: days.map((d) => ({
      day: d.day, orders_found: d.ordersFound, found_by_caller: d.foundByCaller, orders_not_found: d.ordersNotFound, no_number: d.noNumber,
      fallbacks: d.fallbacks, transfers: d.transfers, after_hours: d.afterHours, silences: d.silences,
    })),
  };
}

async function run(args: string[], storage: Storage, appUrl: string, graceMs: number): Promise<unknown> {
  const {values, positionals} = parseArgs({args, options: OPTIONS, allowPositionals: true, strict: true});
  const [group, command, ...rest] = positionals;
  if (values.help || group === undefined) throw new UsageError('');
  if (group !== 'shops' || rest.length > 0) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  const settings = () => ({
    accessToken: field('access-token', tokenSchema, values['access-token']),
    storePhone: values.phone === 'none' ? null : field('phone', e164Phone, values.phone),
    defaultLanguage: field('language', language, values.language),
    verification: field('verification', verification, values.verification),
    timeZone: field('timezone', timeZone, values.timezone),
    callerLookup: field('caller-lookup', callerLookup, values['caller-lookup']),
    contactHint: values['contact-hint'] === 'none' ? null : field('contact-hint', contactHint, values['contact-hint']),
    businessHours: scheduleField('hours', parseWeeklyHours, values.hours),
    closedDates: scheduleField('closed', parseClosedDates, values.closed),
    afterHoursPhone: values['after-hours-phone'] === 'none' ? null : field('after-hours-phone', e164Phone, values['after-hours-phone']),
  });

  switch (command) {
    case 'add': {
      const shop = requiredShop(values.shop);
      const secret = field('secret', secretSchema, values.secret);
      const {callerLookup: lookupMode, businessHours, closedDates, afterHoursPhone, ...initial} = settings();
      if (businessHours !== undefined || closedDates !== undefined || afterHoursPhone !== undefined) {
        throw new UsageError('--hours, --closed and --after-hours-phone go with shops set, once the shop is added');
      }
      let created = await registerShop(storage, {shop, secret, ...initial});
      if (lookupMode) created = (await storage.updateShop(shop, {callerLookup: lookupMode})) ?? created;
      return {...describe(created, appUrl), signing_secret: created.secret};
    }
    case 'set': {
      const shop = requiredShop(values.shop);
      const patch = {...settings()};
      const current = await storage.getShop(shop);
      if (!current) throw new UsageError(`no shop ${shop}`);
      if (patch.businessHours && !(patch.timeZone ?? current.timeZone)) {
        throw new UsageError('--hours are read in the shop\'s time zone, which is not known yet: add --timezone, e.g. --timezone Europe/Vienna');
      }
      // Turned on again: let the next caller find out afresh whether Shopify grants the access (it may have been granted meanwhile).
      if (patch.callerLookup === 'on') Object.assign(patch, {customerAccess: 'unknown'});
      // A new token is a fresh start: the lookup tries Shopify again.
      const updated = await storage.updateShop(shop, patch.accessToken ? {...patch, connection: 'ok'} : patch);
      if (!updated) throw new UsageError(`no shop ${shop}`);
      return describe(updated, appUrl);
    }
    case 'list':
      return (await storage.listShops()).map((s) => describe(s, appUrl));
    case 'show': {
      const shop = await storage.getShop(requiredShop(values.shop));
      if (!shop) throw new UsageError(`no shop ${values.shop}`);
      const recent = await storage.listCallEvents(shop.shop, {limit: 20});
      return {...describe(shop, appUrl), ...(await hoursAndReport(storage, shop)), recent_call_events: recent.map(({shop: _, ...e}) => e)};
    }
    case 'rotate-secret': {
      const shop = requiredShop(values.shop);
      const secret = field('secret', secretSchema, values.secret);
      const rotated = await rotateSigningSecret(storage, shop, graceMs, secret);
      if (!rotated) throw new UsageError(`no shop ${shop}`);
      return {...describe(rotated, appUrl), signing_secret: rotated.secret};
    }
    case 'remove': {
      const shop = requiredShop(values.shop);
      if (!(await storage.deleteShop(shop))) throw new UsageError(`no shop ${shop}`);
      return {removed: shop};
    }
    default:
      throw new UsageError(`unknown command: shops ${command ?? ''}`.trim());
  }
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  const log = createLogger('error', process.stderr as never);
  let storage;
  try {
    storage = await openStorage({databaseUrl: config.databaseUrl, encryptionKey: config.encryptionKey, log});
  } catch (error) {
    if (error instanceof EncryptionKeyError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  try {
    const result = await run(process.argv.slice(2), storage, config.appUrl, config.secretGraceMs);
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`error: ${error.message}\n`);
      console.error(USAGE);
      return error.message ? 64 : 0; // EX_USAGE
    }
    if (error instanceof ShopExistsError) {
      console.error(`error: ${error.message}`);
      return 65;
    }
    if ((error as {code?: string}).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 64;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

process.exitCode = await main();
