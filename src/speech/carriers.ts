/**
 * Carrier names as a caller should hear them. Shops type the tracking
 * company freely or pick it from Shopify's list ("DHL Express",
 * "Österreichische Post", "Deutsche Post (DE)"); integrations send
 * "DHL EXPRESS" or "dhl". The table maps Shopify's names and the common
 * variants, case-folded, to spoken forms per language and, in German, per
 * grammatical case ("mit der Österreichischen Post", "die Deutsche Post").
 *
 * A name not in the table is spoken in a neutral frame that is grammatical
 * whatever the name ("mit dem Paketdienst Blitzkurier"); a name that is no
 * name (empty, "Other", "N/A", another script) is just "the carrier".
 * Source of the names: Shopify Admin API, FulfillmentTrackingInfo.company,
 * "Supported tracking companies" (2025-10), plus variants seen in shops.
 */

export interface GermanForms {
  /** Nominative: "die Deutsche Post konnte … nicht zustellen". */
  nom: string;
  /** Accusative: "an die Deutsche Post übergeben". */
  acc: string;
  /** Dative: "mit der Deutschen Post", "bei der Deutschen Post". */
  dat: string;
}

export interface SpokenCarrier {
  /** False for the neutral "the carrier" / "der Paketdienst": sentences then leave the name out where they can. */
  named: boolean;
  en: string;
  de: GermanForms;
}

/** A brand is the same word in every case and both languages: "mit DHL", "DHL konnte …". */
function brand(name: string): Omit<SpokenCarrier, 'named'> {
  return {en: name, de: {nom: name, acc: name, dat: name}};
}

/** A feminine noun phrase ("die Deutsche Post"): article and adjective decline. */
function feminine(en: string, nom: string, dat: string): Omit<SpokenCarrier, 'named'> {
  return {en, de: {nom, acc: nom, dat}};
}

const DEUTSCHE_POST = feminine('Deutsche Post', 'die Deutsche Post', 'der Deutschen Post');
const AUSTRIAN_POST = feminine('Austrian Post', 'die Österreichische Post', 'der Österreichischen Post');
const SWISS_POST = feminine('Swiss Post', 'die Schweizerische Post', 'der Schweizerischen Post');
const THE_POST = feminine('the postal service', 'die Post', 'der Post');

/** [spoken forms, names and variants as shops write them]. Keys are folded by {@link foldCarrier}. */
const ENTRIES: readonly [Omit<SpokenCarrier, 'named'>, readonly string[]][] = [
  [brand('DHL'), ['DHL', 'DHL Paket', 'DHL Germany', 'DHL Deutschland', 'DHL Austria', 'DHL Parcel', 'DHL Parcel UK', 'DHL UK', 'DHL Freight']],
  [brand('DHL Express'), ['DHL Express', 'DHL Express Austria', 'DHL Express Germany', 'DHL Express Worldwide']],
  [brand('DHL eCommerce'), ['DHL eCommerce', 'DHL e-Commerce', 'DHL eCommerce Asia', 'DHL eCommerce US', 'DHL Global Mail']],
  [DEUTSCHE_POST, ['Deutsche Post', 'Deutsche Post (DE)', 'Deutsche Post (EN)', 'Deutsche Post DHL', 'Deutsche Post AG']],
  [AUSTRIAN_POST, ['Österreichische Post', 'Oesterreichische Post', 'Österreichische Post AG', 'Post AT', 'post.at', 'Austrian Post', 'Austria Post']],
  [SWISS_POST, ['Swiss Post', 'Schweizerische Post', 'Die Schweizerische Post', 'Post CH', 'PostCH', 'La Poste Suisse', 'Posta Svizzera']],
  [THE_POST, ['Post', 'Die Post']],
  [brand('UPS'), ['UPS', 'United Parcel Service', 'UPS Standard', 'UPS Express', 'UPS Mail Innovations']],
  [brand('FedEx'), ['FedEx', 'Fed Ex', 'Federal Express', 'FedEx UK', 'FedEx Ground']],
  [brand('GLS'), ['GLS', 'GLS Austria', 'GLS Germany', 'GLS Italy', 'GLS (US)', 'GLS US', 'General Logistics Systems']],
  [brand('DPD'), ['DPD', 'DPD Austria', 'DPD Germany', 'DPD Local', 'DPD UK', 'DPD Ireland', 'DPD Schweiz']],
  [brand('Hermes'), ['Hermes', 'Hermes Germany', 'Hermes Logistik Gruppe', 'myHermes']],
  [brand('Evri'), ['Evri']],
  [brand('USPS'), ['USPS', 'US Postal Service', 'United States Postal Service']],
  [brand('Amazon'), ['Amazon', 'Amazon Logistics', 'Amazon Logistics US', 'Amazon Logistics UK', 'Amazon Shipping']],
  [brand('TNT'), ['TNT', 'TNT Express', 'TNT Australia']],
  [brand('Royal Mail'), ['Royal Mail']],
  [brand('Parcelforce'), ['Parcelforce', 'Parcelforce Worldwide']],
  [brand('Yodel'), ['Yodel']],
  [brand('PostNL'), ['PostNL']],
  [brand('PostNord'), ['PostNord', 'PostNord DK', 'PostNord NO', 'PostNord SE', 'Portal PostNord']],
  [brand('bpost'), ['BPost', 'BPost International']],
  [brand('La Poste'), ['La Poste']],
  [brand('Colissimo'), ['Colissimo']],
  [brand('Chronopost'), ['Chronopost']],
  [brand('Mondial Relay'), ['Mondial Relay']],
  [brand('Poste Italiane'), ['Poste Italiane']],
  [brand('BRT'), ['BRT', 'Bartolini']],
  [brand('SEUR'), ['SEUR']],
  [brand('Correos'), ['Correos']],
  [brand('Correios'), ['Correios']],
  [brand('CTT'), ['CTT', 'CTT Express']],
  [brand('An Post'), ['An Post']],
  [brand('Bring'), ['Bring']],
  [brand('InPost'), ['InPost']],
  [brand('Packeta'), ['Packeta', 'Zásilkovna']],
  [brand('Canada Post'), ['Canada Post']],
  [brand('Purolator'), ['Purolator']],
  [brand('Australia Post'), ['Australia Post']],
  [brand('New Zealand Post'), ['New Zealand Post', 'NZ Post']],
  [brand('Japan Post'), ['Japan Post', 'Japan Post (EN)', 'Japan Post (JA)']],
  [brand('China Post'), ['China Post']],
  [brand('SF Express'), ['SF Express']],
  [brand('YunExpress'), ['YunExpress']],
  [brand('4PX'), ['4PX']],
  [brand('OnTrac'), ['OnTrac']],
  [brand('LaserShip'), ['Lasership']],
  [brand('Sendle'), ['Sendle']],
  [brand('Aramex'), ['Aramex', 'Aramex Australia']],
  [brand('Asendia'), ['Asendia', 'Asendia USA']],
  [brand('Gebrüder Weiss'), ['Gebrüder Weiss', 'Gebruder Weiss', 'Gebrueder Weiss']],
  [brand('Dachser'), ['Dachser']],
  [brand('DB Schenker'), ['DB Schenker', 'Schenker']],
];

/** Placeholders shops and integrations store instead of a name: no name at all. */
const NAMELESS: readonly string[] = [
  'other', 'others', 'andere', 'sonstige', 'sonstiges', 'custom', 'custom company', 'carrier', 'paketdienst',
  'null', 'undefined', 'nan', 'none', 'n a', 'na', 'unknown', 'keine', 'kein', 'unbekannt', 'tbd', 'test',
];

/** Company forms that add nothing spoken: "Österreichische Post AG" is the Österreichische Post. */
const LEGAL_FORMS = /\b(gmbh|ag|kg|se|inc|ltd|llc|co|sa|bv|nv)\b/g;

/**
 * The key a name is looked up by: parentheses dropped, accents and case
 * folded, punctuation as spaces, legal forms removed. "DHL EXPRESS",
 * "dhl-express" and "DHL Express GmbH" are one key.
 */
export function foldCarrier(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(LEGAL_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const TABLE: ReadonlyMap<string, SpokenCarrier> = new Map(
  ENTRIES.flatMap(([forms, names]) => names.map((n) => [foldCarrier(n), {named: true, ...forms}] as const)),
);
const NAMELESS_KEYS: ReadonlySet<string> = new Set(NAMELESS.map(foldCarrier));

export const NEUTRAL_CARRIER: SpokenCarrier = Object.freeze({
  named: false,
  en: 'the carrier',
  de: Object.freeze({nom: 'der Paketdienst', acc: 'den Paketdienst', dat: 'dem Paketdienst'}),
});

/** An unknown name safe to read aloud: Latin letters, digits, a few joiners; short. */
const SPEAKABLE = /^[\p{Script=Latin}0-9][\p{Script=Latin}0-9 &'+-]*$/u;
const MAX_NAME_LENGTH = 40;
const MAX_NAME_WORDS = 5;

/** The carrier as Anna says it; never throws, never returns an empty name. */
export function spokenCarrier(raw: string | null | undefined): SpokenCarrier {
  if (!raw) return NEUTRAL_CARRIER;
  const key = foldCarrier(raw);
  if (key === '' || NAMELESS_KEYS.has(key)) return NEUTRAL_CARRIER;
  const known = TABLE.get(key);
  if (known) return known;
  // Sentence punctuation would split the sentence: "GLS. Fast!" is "GLS Fast".
  const name = raw.normalize('NFC').replace(/[^\p{L}\p{N} &'+-]/gu, ' ').replace(/\s+/g, ' ').trim();
  const speakable =
    SPEAKABLE.test(name) && /\p{L}/u.test(name) && name.length <= MAX_NAME_LENGTH && name.split(' ').length <= MAX_NAME_WORDS;
  if (!speakable) return NEUTRAL_CARRIER;
  return {
    named: true,
    en: name,
    de: {nom: `der Paketdienst ${name}`, acc: `den Paketdienst ${name}`, dat: `dem Paketdienst ${name}`},
  };
}

/** Every spoken form in the table, for the speech table and tests. */
export function knownCarriers(): {names: readonly string[]; spoken: SpokenCarrier}[] {
  return ENTRIES.map(([forms, names]) => ({names, spoken: {named: true, ...forms}}));
}
