import {describe, expect, it} from 'vitest';
import type {OrderStatus} from '../../src/orders/order-status.ts';
import {NEUTRAL_CARRIER, spokenCarrier} from '../../src/speech/carriers.ts';
import {LABEL_IDLE_DAYS, UNSHIPPED_LATE_DAYS} from '../../src/speech/classify-order.ts';
import type {Locale} from '../../src/speech/locale.ts';
import {renderOrderStatus, spellOrderNumber, type RenderOptions} from '../../src/speech/render-order.ts';
import {SPEECH_SITUATIONS, TABLE_CLOCK, TABLE_LOCALES} from '../../src/speech/speech-catalogue.ts';
import {daysFromNow, NOW, order, parcel, VIENNA} from './speech-fixtures.ts';

/** Issue 10, "Words a caller understands at once": one describe block per finding. */

type Extra = Partial<Omit<RenderOptions, 'locale'>>;
const say = (status: OrderStatus, locale: Locale, extra: Extra = {}): string =>
  renderOrderStatus(status, {locale, timeZone: VIENNA, now: NOW, spokenName: status.name, verified: false, ...extra});

const everySentence = (): string[] =>
  SPEECH_SITUATIONS.flatMap((s) => TABLE_LOCALES.map((locale) => s.say(locale, TABLE_CLOCK)));

describe('Order numbers are read as large numbers', () => {
  it.each([
    ['ORD-12345', 'O R D 1 2 3 4 5'],
    ['#1001', '1 0 0 1'],
    ['2024-00042', '2 0 2 4 0 0 0 4 2'],
    ['ord 12345/de', 'O R D 1 2 3 4 5 D E'],
    ['Straße-7', 'S T R A S S E 7'],
  ])('%j is spoken %j', (name, spoken) => {
    expect(spellOrderNumber(name)).toBe(spoken);
  });

  it('"order" is said once, and no voice can read a number as thousands', () => {
    const text = say(order({name: 'ORD-12345', shipments: [parcel()]}), 'en');
    expect(text).toBe('Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive tomorrow.');
    expect(text.match(/order/gi)).toHaveLength(1);
    expect(say(order({name: '2024-00042', shipments: [parcel()]}), 'de-AT')).toMatch(/^Ihre Bestellung 2 0 2 4 0 0 0 4 2 wurde/);
  });
});

describe('Carrier names break German grammar', () => {
  it.each<[string, string, string, string]>([
    ['Österreichische Post', 'Austrian Post', 'die Österreichische Post', 'der Österreichischen Post'],
    ['OESTERREICHISCHE POST AG', 'Austrian Post', 'die Österreichische Post', 'der Österreichischen Post'],
    ['Deutsche Post (DE)', 'Deutsche Post', 'die Deutsche Post', 'der Deutschen Post'],
    ['Swiss Post', 'Swiss Post', 'die Schweizerische Post', 'der Schweizerischen Post'],
    ['DHL EXPRESS', 'DHL Express', 'DHL Express', 'DHL Express'],
    ['dhl', 'DHL', 'DHL', 'DHL'],
    ['  ups ', 'UPS', 'UPS', 'UPS'],
    ['Blitzkurier', 'Blitzkurier', 'der Paketdienst Blitzkurier', 'dem Paketdienst Blitzkurier'],
  ])('%j: en %j, de nominative %j, dative %j', (raw, en, nom, dat) => {
    const c = spokenCarrier(raw);
    expect([c.en, c.de.nom, c.de.dat]).toEqual([en, nom, dat]);
  });

  it.each([null, '', 'Other', 'N/A', '順豐速運', 'x'.repeat(50), 'a b c d e f g'])('%j is the neutral carrier', (raw) => {
    expect(spokenCarrier(raw)).toBe(NEUTRAL_CARRIER);
  });

  it.each<[string, Partial<Parameters<typeof parcel>[0]>, string]>([
    ['shipped with', {carrier: 'Österreichische Post'}, 'Ihre Bestellung 1 0 0 1 wurde gestern mit der Österreichischen Post verschickt und kommt voraussichtlich morgen an.'],
    ['could not deliver', {state: 'failure', carrier: 'Deutsche Post'}, 'Leider konnte die Deutsche Post Ihre Bestellung 1 0 0 1 nicht zustellen.'],
    ['handed to', {state: 'label_created', shippedAt: daysFromNow(0), carrier: 'Deutsche Post'}, 'Ihre Bestellung 1 0 0 1 ist versandbereit und wird voraussichtlich in Kürze an die Deutsche Post übergeben.'],
    ['out for delivery with', {state: 'out_for_delivery', carrier: 'Post AT'}, 'Ihre Bestellung 1 0 0 1 ist bei der Österreichischen Post in der Zustellung und kommt voraussichtlich heute an.'],
    ['unknown name', {state: 'failure', carrier: 'Blitzkurier'}, 'Leider konnte der Paketdienst Blitzkurier Ihre Bestellung 1 0 0 1 nicht zustellen.'],
  ])('German: %s', (_case, p, expected) => {
    expect(say(order({name: '#1001', shipments: [parcel(p)]}), 'de-AT')).toBe(expected);
  });

  it('a notice "from" the carrier declines too: von der Deutschen Post, vom Paketdienst', () => {
    const attempted = (carrier: string | null) => say(order({name: '#1001', shipments: [parcel({state: 'attempted_delivery', carrier})]}), 'de-DE');
    expect(attempted('Deutsche Post')).toContain('Benachrichtigung von der Deutschen Post zum');
    expect(attempted(null)).toContain('Benachrichtigung vom Paketdienst zum');
    expect(attempted(null)).toMatch(/^Der Paketdienst konnte/);
  });
});

describe('Lateness is never admitted', () => {
  const transfer = {canTransfer: true};
  it('an estimate two weeks past says it is late, with the offer of help', () => {
    const status = order({name: '#1001', shipments: [parcel({shippedAt: daysFromNow(-18), estimatedDeliveryAt: daysFromNow(-14)})]});
    expect(say(status, 'en', transfer)).toBe('Your order 1 0 0 1 should have arrived on 29 April and is running late. If you like, I can connect you with our team.');
  });

  it(`a label printed ${LABEL_IDLE_DAYS} or more days ago without movement is late; one printed yesterday is not`, () => {
    const label = (days: number) => order({name: '#1001', shipments: [parcel({state: 'label_created', shippedAt: daysFromNow(-days), inTransitAt: null})]});
    expect(say(label(10), 'en', transfer)).toBe(
      'Your order 1 0 0 1 was packed on 3 May but has still not been handed to DHL, so it is running late. If you like, I can connect you with our team.',
    );
    expect(say(label(LABEL_IDLE_DAYS), 'de-AT')).toMatch(/verspätet sich daher\.$/);
    expect(say(label(LABEL_IDLE_DAYS - 1), 'en')).toBe('Your order 1 0 0 1 is packed and should be handed to DHL shortly.');
  });

  it(`an order unshipped for ${UNSHIPPED_LATE_DAYS} days or more is late; a scheduled one is not`, () => {
    const placed = (days: number, fulfillment: OrderStatus['fulfillment'] = 'unfulfilled') =>
      order({name: '#1001', fulfillment, createdAt: daysFromNow(-days)});
    expect(say(placed(40), 'de-AT', {contactHint: 'hallo@shop.at'})).toBe(
      'Ihre Bestellung 1 0 0 1 wurde am 3. April aufgegeben, aber noch nicht verschickt und verspätet sich daher. Unser Team hilft Ihnen gern weiter: hallo@shop.at.',
    );
    expect(say(placed(UNSHIPPED_LATE_DAYS - 1), 'en')).toBe('Your order 1 0 0 1 is being prepared and has not been shipped yet.');
    expect(say(placed(40, 'scheduled'), 'en')).toBe('Your order 1 0 0 1 is scheduled to be shipped at a later date.');
  });
});

describe('Estimates are stated as facts, inconsistently', () => {
  it('every sentence that names a coming day is hedged the same way', () => {
    const future = /\b(today|tomorrow|the day after tomorrow|on [A-Z]\w+day|on \d+ [A-Z]\w+|on [A-Z]\w+ \d+|heute|morgen|übermorgen|am [A-Z]\w+tag|am \d+\. \w+)\b.*\b(arrive|an)\b/;
    for (const text of everySentence()) {
      for (const sentence of text.split(/(?<=[.?!])\s/)) {
        if (/should arrive|kommt .* an\b/.test(sentence) || (future.test(sentence) && /arrive|kommt/.test(sentence))) {
          expect(sentence).toMatch(/should (now )?arrive|voraussichtlich/);
        }
      }
    }
  });

  it('out for delivery is not "will be delivered today"', () => {
    const text = say(order({shipments: [parcel({state: 'out_for_delivery'})]}), 'de-DE');
    expect(text).not.toMatch(/wird heute .*zugestellt/);
    expect(text).toMatch(/kommt voraussichtlich heute an/);
  });
});

describe('Problems hide behind parcel counts', () => {
  it('a failed parcel among three wins the first sentence and keeps the offer', () => {
    const status = order({name: '#1001', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-1)}), parcel(), parcel({state: 'failure'})]});
    expect(say(status, 'en', {canTransfer: true})).toBe(
      'Unfortunately, DHL could not deliver one of the 3 parcels of your order 1 0 0 1. If you like, I can connect you with our team.',
    );
  });

  it('an attempted delivery is not "delayed": it is named, with what to do', () => {
    const status = order({name: '#1001', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-1)}), parcel({state: 'attempted_delivery'})]});
    expect(say(status, 'de-AT')).toBe(
      'DHL konnte eines der 2 Pakete Ihrer Bestellung 1 0 0 1 beim Zustellversuch nicht übergeben. Bitte achten Sie auf eine Benachrichtigung von DHL zum nächsten Zustellversuch oder zur Abholstelle.',
    );
  });

  it('a failure outranks a delay, whatever the order of the parcels', () => {
    const status = order({name: '#1001', shipments: [parcel({state: 'delayed'}), parcel({state: 'not_delivered', carrier: 'GLS'})]});
    expect(say(status, 'en')).toBe('Unfortunately, GLS could not deliver one of the 2 parcels of your order 1 0 0 1.');
  });
});

describe('Cancelled or refunded orders hide a parcel still travelling', () => {
  it('a cancelled order with a parcel on its way says so and offers help', () => {
    const status = order({name: '#1001', cancelledAt: daysFromNow(-1), payment: 'refunded', shipments: [parcel()]});
    expect(say(status, 'de-AT', {canTransfer: true})).toBe(
      'Ihre Bestellung 1 0 0 1 wurde gestern storniert, ein Paket ist aber noch mit DHL unterwegs. Wenn Sie möchten, verbinde ich Sie gern mit unserem Team.',
    );
  });

  it('a refunded order with a parcel on its way says so to a verified caller', () => {
    const status = order({name: '#1001', payment: 'refunded', shipments: [parcel({carrier: 'UPS'})]});
    expect(say(status, 'en', {verified: true})).toBe('Your order 1 0 0 1 has been refunded in full, but a parcel is still on its way with UPS.');
  });

  it('cancelled but not refunded yet: the money is mentioned to a verified caller only', () => {
    const status = order({name: '#1001', cancelledAt: daysFromNow(-1), payment: 'paid', fulfillment: 'unfulfilled'});
    expect(say(status, 'en', {verified: true})).toBe('Your order 1 0 0 1 was cancelled yesterday. The payment has not been refunded yet.');
    expect(say(status, 'en', {verified: false})).toBe('Your order 1 0 0 1 was cancelled yesterday.');
  });
});

describe('Offers lead nowhere', () => {
  const failed = order({name: '#1001', shipments: [parcel({state: 'failure'})]});
  it('one voice: "our team", never "the store\'s team" or "the shop"', () => {
    for (const text of everySentence()) expect(text).not.toMatch(/store's team|the shop's|des Shops|dem Shop|the store\b/i);
  });

  it('a transfer where one is possible, else the merchant\'s contact as given, else nothing', () => {
    expect(say(failed, 'en', {canTransfer: true, contactHint: 'hello@shop.at'})).toMatch(/I can connect you with our team\.$/);
    expect(say(failed, 'de-CH', {contactHint: 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.'})).toBe(
      'Leider konnte DHL Ihre Bestellung 1 0 0 1 nicht zustellen. Unser Team hilft Ihnen gern weiter: Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.',
    );
    expect(say(failed, 'en')).toBe('Unfortunately, DHL could not deliver your order 1 0 0 1.');
  });

  it('no sentence promises an e-mail address nobody configured', () => {
    for (const text of everySentence()) expect(text.replace(/hello@shop\.at/g, '')).not.toMatch(/e-?mail (the|dem)|by email|eine E-Mail/i);
  });
});

describe('Jargon', () => {
  it.each(['authoriz', 'Zahlungsfreigabe', 'accepted by the warehouse', 'angehalten', 'restock', 'eingelagert', 'fulfil', 'autorisiert', 'shipping label', 'Versandetikett'])(
    'no sentence says %j',
    (word) => {
      for (const text of everySentence()) expect(text.toLowerCase()).not.toContain(word.toLowerCase());
    },
  );
});

describe('Dates', () => {
  it('"shipped" is when the carrier got the parcel (inTransitAt), not when the label was printed', () => {
    const status = order({name: '#1001', shipments: [parcel({shippedAt: daysFromNow(-5), inTransitAt: daysFromNow(-1)})]});
    expect(say(status, 'en')).toBe('Your order 1 0 0 1 was shipped yesterday with DHL and should arrive tomorrow.');
    const noScan = order({name: '#1001', shipments: [parcel({shippedAt: daysFromNow(-2), inTransitAt: null})]});
    expect(say(noScan, 'en')).toBe('Your order 1 0 0 1 is on its way with DHL and should arrive tomorrow.');
  });

  it('American callers hear American dates', () => {
    const status = order({name: '#1001', shipments: [parcel({estimatedDeliveryAt: daysFromNow(20)})]});
    expect(say(status, 'en-US')).toBe('Your order 1 0 0 1 was shipped yesterday with DHL and should arrive on June 2.');
    expect(say(status, 'en')).toBe('Your order 1 0 0 1 was shipped yesterday with DHL and should arrive on 2 June.');
  });
});

describe('Stale answers sound current', () => {
  it('an answer from an expired cache says "as of the last update" / "so der letzte Stand"', () => {
    const status = order({name: '#1001', shipments: [parcel()]});
    expect(say(status, 'en', {stale: true})).toBe('Your order 1 0 0 1 was shipped yesterday with DHL and should arrive tomorrow, as of the last update.');
    expect(say(status, 'de-AT', {stale: true})).toBe(
      'Ihre Bestellung 1 0 0 1 wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an, so der letzte Stand.',
    );
    expect(say(status, 'en')).not.toMatch(/last update/);
  });
});

describe('What unverified callers hear (issue 9 defect 8)', () => {
  const MONEY = /payment|refund|charged|amount|Zahlung|erstattet|abgebucht|Betrag/i;
  const cases: [string, OrderStatus][] = [
    ['refunded', order({name: '#1001', payment: 'refunded', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-2)})]})],
    ['partly refunded', order({name: '#1001', payment: 'partially_refunded', shipments: [parcel()]})],
    ['payment pending', order({name: '#1001', fulfillment: 'unfulfilled', payment: 'pending'})],
    ['payment failed', order({name: '#1001', fulfillment: 'unfulfilled', payment: 'expired'})],
    ['amount reserved', order({name: '#1001', fulfillment: 'unfulfilled', payment: 'authorized'})],
    ['cancelled, paid', order({name: '#1001', cancelledAt: daysFromNow(-1), payment: 'paid'})],
  ];

  it.each(cases)('%s: shipping status only, and a transfer for payment questions only when one is possible', (_case, status) => {
    for (const locale of ['en', 'de-AT'] as const) {
      const noPhone = say(status, locale, {verified: false, canTransfer: false});
      expect(noPhone).not.toMatch(MONEY);
      const withPhone = say(status, locale, {verified: false, canTransfer: true});
      expect(withPhone).toMatch(/For questions about the payment, I can connect you with our team\.|Bei Fragen zur Zahlung verbinde ich Sie gern mit unserem Team\./);
      expect(withPhone.replace(/For questions about the payment[^.]*\.|Bei Fragen zur Zahlung[^.]*\./, '')).not.toMatch(MONEY);
      expect(say(status, locale, {verified: true})).toMatch(MONEY);
    }
  });

  it('a paid order in transit needs no payment offer at all', () => {
    expect(say(order({name: '#1001', shipments: [parcel()]}), 'en', {canTransfer: true})).not.toMatch(/payment/);
  });
});
