import type {ShopRecord} from '../storage/storage.ts';

/**
 * What the merchant (settings page) and the operator (`shops show`) read
 * about finding callers without an order number: the switch, whether
 * Shopify grants the customer data it needs, and what to do about it.
 */
export interface CallerLookupStatus {
  setting: ShopRecord['callerLookup'];
  /** As Shopify last answered a caller lookup: 'unknown' until one ran. */
  access: ShopRecord['customerAccess'];
  note: string;
}

export function callerLookupStatus(shop: Pick<ShopRecord, 'callerLookup' | 'customerAccess'>): CallerLookupStatus {
  const {callerLookup: setting, customerAccess: access} = shop;
  let note: string;
  if (setting === 'off') note = 'Off: callers without an order number are asked for it.';
  else if (access === 'denied')
    note =
      'Shopify withholds customer data from the app, so callers are asked for their order number. Grant the optional read_customers scope ' +
      '(settings page: "Grant access"); a public app also needs Shopify\'s protected customer data approval (Level 2: phone and email).';
  else if (access === 'granted') note = 'On: callers are found by the number they call from, or by the email they say.';
  else note = 'On: Shopify\'s access is checked with the first caller without an order number.';
  return {setting, access, note};
}
