import {describe, expect, it} from 'vitest';
import type {OrderStatus} from '../../src/orders/order-status.ts';
import type {Locale} from '../../src/speech/locale.ts';
import {needsAttention, renderOrderStatus, type RenderOptions} from '../../src/speech/render-order.ts';
import {countSentences, daysFromNow, NOW, order, parcel, speechProblems, VIENNA} from './speech-fixtures.ts';

type Extra = Partial<Omit<RenderOptions, 'locale'>>;

function render(status: OrderStatus, locale: Locale, extra: Extra = {}): string {
  return renderOrderStatus(status, {
    locale,
    timeZone: VIENNA,
    now: NOW,
    spokenName: 'ORD-12345',
    verified: false,
    ...extra,
  });
}

const noCarrier = {carrier: null};
const at = (iso: string): Date => new Date(iso);
const OFFER_EN = "The store's team will be glad to help you with this.";
const OFFER_DE = 'Das Team des Shops hilft Ihnen dabei gern weiter.';
const TRANSFER_EN = 'If you like, I can connect you with our team.';
const TRANSFER_DE = 'Wenn Sie möchten, verbinde ich Sie gern mit unserem Team.';

// Now is Wednesday 13 May 2026, 12:00 in Vienna. German is spoken as de-AT.
// [case, order, options, English, German]
const CASES: [string, OrderStatus, Extra, string, string][] = [
  // Shipped and on the way
  [
    'the contract’s example: in transit, no carrier',
    order({shipments: [parcel(noCarrier)]}),
    {},
    'Order ORD-12345 was shipped yesterday and arrives tomorrow.',
    'Ihre Bestellung ORD-12345 wurde gestern verschickt und kommt morgen an.',
  ],
  [
    'in transit with a carrier',
    order({shipments: [parcel()]}),
    {},
    'Order ORD-12345 was shipped yesterday with DHL and arrives tomorrow.',
    'Ihre Bestellung ORD-12345 wurde gestern mit DHL verschickt und kommt morgen an.',
  ],
  [
    'a verified caller hears the tracking number’s end',
    order({shipments: [parcel()]}),
    {verified: true},
    'Order ORD-12345 was shipped yesterday with DHL and arrives tomorrow. The tracking number ends in 4 7 1 1.',
    'Ihre Bestellung ORD-12345 wurde gestern mit DHL verschickt und kommt morgen an. Die Sendungsnummer endet auf 4 7 1 1.',
  ],
  [
    'in transit without an estimate',
    order({shipments: [parcel({shippedAt: daysFromNow(-2), estimatedDeliveryAt: null})]}),
    {},
    'Order ORD-12345 was shipped the day before yesterday with DHL and is on its way.',
    'Ihre Bestellung ORD-12345 wurde vorgestern mit DHL verschickt und ist unterwegs.',
  ],
  [
    'a passed estimate is left out',
    order({shipments: [parcel({shippedAt: daysFromNow(-4), estimatedDeliveryAt: daysFromNow(-1)})]}),
    {},
    'Order ORD-12345 was shipped last Saturday with DHL and is on its way.',
    'Ihre Bestellung ORD-12345 wurde letzten Samstag mit DHL verschickt und ist unterwegs.',
  ],
  [
    'arrives on a weekday this week',
    order({shipments: [parcel({estimatedDeliveryAt: daysFromNow(4)})]}),
    {},
    'Order ORD-12345 was shipped yesterday with DHL and arrives on Sunday.',
    'Ihre Bestellung ORD-12345 wurde gestern mit DHL verschickt und kommt am Sonntag an.',
  ],
  [
    'arrives on a date',
    order({shipments: [parcel({estimatedDeliveryAt: daysFromNow(20)})]}),
    {},
    'Order ORD-12345 was shipped yesterday with DHL and arrives on 2 June.',
    'Ihre Bestellung ORD-12345 wurde gestern mit DHL verschickt und kommt am 2. Juni an.',
  ],
  [
    'fulfilled without tracking details',
    order({
      shipments: [parcel({state: 'fulfilled', shippedAt: daysFromNow(-10), estimatedDeliveryAt: null, carrier: 'Österreichische Post'})],
    }),
    {},
    'Order ORD-12345 was shipped on 3 May with Österreichische Post.',
    'Ihre Bestellung ORD-12345 wurde am 3. Mai mit Österreichische Post verschickt.',
  ],
  [
    'a parcel in a state Shopify added later',
    order({shipments: [parcel({state: 'unknown'})]}),
    {},
    'Order ORD-12345 was shipped yesterday with DHL and arrives tomorrow.',
    'Ihre Bestellung ORD-12345 wurde gestern mit DHL verschickt und kommt morgen an.',
  ],
  [
    'out for delivery',
    order({shipments: [parcel({state: 'out_for_delivery'})]}),
    {},
    'Order ORD-12345 is out for delivery with DHL and should arrive today.',
    'Ihre Bestellung ORD-12345 wird heute von DHL zugestellt.',
  ],
  // Delivered and picked up
  [
    'delivered today',
    order({shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(0)})]}),
    {},
    'Order ORD-12345 was delivered today.',
    'Ihre Bestellung ORD-12345 wurde heute zugestellt.',
  ],
  [
    'delivered in January: Austrians hear Jänner',
    order({shipments: [parcel({state: 'delivered', deliveredAt: at('2026-01-20T10:00:00Z')})]}),
    {},
    'Order ORD-12345 was delivered on 20 January.',
    'Ihre Bestellung ORD-12345 wurde am 20. Jänner zugestellt.',
  ],
  [
    'delivered last year',
    order({shipments: [parcel({state: 'delivered', deliveredAt: at('2025-12-22T10:00:00Z')})]}),
    {},
    'Order ORD-12345 was delivered on 22 December 2025.',
    'Ihre Bestellung ORD-12345 wurde am 22. Dezember 2025 zugestellt.',
  ],
  [
    'delivered, date unknown',
    order({shipments: [parcel({state: 'delivered', deliveredAt: null})]}),
    {},
    'Order ORD-12345 has been delivered.',
    'Ihre Bestellung ORD-12345 wurde zugestellt.',
  ],
  [
    'ready for pickup',
    order({shipments: [parcel({state: 'ready_for_pickup'})]}),
    {},
    'Order ORD-12345 is ready for pickup.',
    'Ihre Bestellung ORD-12345 liegt zur Abholung bereit.',
  ],
  [
    'picked up',
    order({shipments: [parcel({state: 'picked_up', deliveredAt: daysFromNow(-1)})]}),
    {},
    'Order ORD-12345 was picked up yesterday.',
    'Ihre Bestellung ORD-12345 wurde gestern abgeholt.',
  ],
  // Delivery problems
  [
    'attempted delivery',
    order({shipments: [parcel({state: 'attempted_delivery'})]}),
    {},
    'DHL tried to deliver order ORD-12345 but could not hand it over. Please look out for a notice from DHL about the next attempt or where to pick it up.',
    'DHL konnte Ihre Bestellung ORD-12345 beim Zustellversuch nicht übergeben. Bitte achten Sie auf eine Benachrichtigung von DHL zum nächsten Zustellversuch oder zur Abholstelle.',
  ],
  [
    'delayed, no new estimate',
    order({shipments: [parcel({state: 'delayed', shippedAt: daysFromNow(-4), estimatedDeliveryAt: null})]}),
    {},
    `Order ORD-12345 was shipped last Saturday with DHL but is delayed. ${OFFER_EN}`,
    `Ihre Bestellung ORD-12345 wurde letzten Samstag mit DHL verschickt, verzögert sich aber. ${OFFER_DE}`,
  ],
  [
    'delayed with a new estimate, transfer possible',
    order({shipments: [parcel({state: 'delayed', estimatedDeliveryAt: daysFromNow(2)})]}),
    {canTransfer: true},
    `Order ORD-12345 is delayed and should now arrive the day after tomorrow. ${TRANSFER_EN}`,
    `Ihre Bestellung ORD-12345 verzögert sich und kommt voraussichtlich übermorgen an. ${TRANSFER_DE}`,
  ],
  [
    'delivery failed, carrier unknown',
    order({shipments: [parcel({state: 'failure', carrier: null})]}),
    {},
    `Unfortunately, the carrier could not deliver order ORD-12345. ${OFFER_EN}`,
    `Leider konnte der Paketdienst Ihre Bestellung ORD-12345 nicht zustellen. ${OFFER_DE}`,
  ],
  [
    'not delivered: the offer of help beats the tracking number',
    order({shipments: [parcel({state: 'not_delivered'})]}),
    {verified: true, canTransfer: true},
    `Unfortunately, DHL could not deliver order ORD-12345. ${TRANSFER_EN}`,
    `Leider konnte DHL Ihre Bestellung ORD-12345 nicht zustellen. ${TRANSFER_DE}`,
  ],
  // Before the carrier has it
  [
    'label created',
    order({shipments: [parcel({state: 'label_created'})]}),
    {},
    'Order ORD-12345 is ready to ship and will be handed to DHL soon.',
    'Ihre Bestellung ORD-12345 ist versandbereit und wird in Kürze an DHL übergeben.',
  ],
  [
    'label voided',
    order({shipments: [parcel({state: 'label_voided'})]}),
    {},
    'Order ORD-12345 is not on its way yet because its shipping label was cancelled.',
    'Ihre Bestellung ORD-12345 ist noch nicht unterwegs, weil das Versandetikett storniert wurde.',
  ],
  [
    'submitted to the warehouse',
    order({shipments: [parcel({state: 'submitted'})]}),
    {},
    'Order ORD-12345 has been passed to the warehouse for shipping.',
    'Ihre Bestellung ORD-12345 wurde zum Versand an das Lager übergeben.',
  ],
  [
    'confirmed by the warehouse',
    order({shipments: [parcel({state: 'confirmed'})]}),
    {},
    'The warehouse has confirmed order ORD-12345 and is preparing it for shipping.',
    'Das Lager hat Ihre Bestellung ORD-12345 bestätigt und bereitet den Versand vor.',
  ],
  // Not shipped yet
  [
    'unfulfilled',
    order({fulfillment: 'unfulfilled'}),
    {},
    'Order ORD-12345 is being prepared and has not been shipped yet.',
    'Ihre Bestellung ORD-12345 wird gerade vorbereitet und wurde noch nicht verschickt.',
  ],
  [
    'in progress, payment authorized',
    order({fulfillment: 'in_progress', payment: 'authorized'}),
    {},
    'Order ORD-12345 is being prepared and has not been shipped yet. Your payment has been authorized and will be charged later.',
    'Ihre Bestellung ORD-12345 wird gerade vorbereitet und wurde noch nicht verschickt. Ihre Zahlung ist autorisiert und wird später abgebucht.',
  ],
  [
    'scheduled',
    order({fulfillment: 'scheduled'}),
    {},
    'Order ORD-12345 is scheduled to be shipped at a later date.',
    'Ihre Bestellung ORD-12345 ist für einen späteren Versand eingeplant.',
  ],
  [
    'on hold',
    order({fulfillment: 'on_hold'}),
    {},
    `Order ORD-12345 is on hold at the moment and has not been shipped yet. ${OFFER_EN}`,
    `Ihre Bestellung ORD-12345 ist zurzeit angehalten und wurde noch nicht verschickt. ${OFFER_DE}`,
  ],
  [
    'request declined, transfer possible',
    order({fulfillment: 'request_declined'}),
    {canTransfer: true},
    `Order ORD-12345 could not be accepted by the warehouse yet, so it has not been shipped. ${TRANSFER_EN}`,
    `Das Lager konnte Ihre Bestellung ORD-12345 noch nicht annehmen, daher wurde sie noch nicht verschickt. ${TRANSFER_DE}`,
  ],
  [
    'payment pending',
    order({fulfillment: 'unfulfilled', payment: 'pending'}),
    {},
    'Order ORD-12345 has not been shipped yet because the payment has not arrived.',
    'Ihre Bestellung ORD-12345 wurde noch nicht verschickt, weil die Zahlung noch nicht eingegangen ist.',
  ],
  [
    'partially paid',
    order({fulfillment: 'open', payment: 'partially_paid'}),
    {},
    'Order ORD-12345 has not been shipped yet because the payment is not complete.',
    'Ihre Bestellung ORD-12345 wurde noch nicht verschickt, weil die Zahlung noch nicht vollständig ist.',
  ],
  [
    'payment authorization expired',
    order({fulfillment: 'pending', payment: 'expired'}),
    {},
    `Order ORD-12345 has not been shipped because the payment authorization has expired. ${OFFER_EN}`,
    `Ihre Bestellung ORD-12345 wurde nicht verschickt, weil die Zahlungsfreigabe abgelaufen ist. ${OFFER_DE}`,
  ],
  [
    'payment voided',
    order({fulfillment: 'unfulfilled', payment: 'voided'}),
    {},
    `Order ORD-12345 will not be shipped because the payment was cancelled. ${OFFER_EN}`,
    `Ihre Bestellung ORD-12345 wird nicht verschickt, weil die Zahlung storniert wurde. ${OFFER_DE}`,
  ],
  [
    'nothing to ship',
    order({fulfillment: 'not_required'}),
    {},
    'Nothing in order ORD-12345 needs to be shipped.',
    'Für Ihre Bestellung ORD-12345 ist kein Versand nötig.',
  ],
  [
    'marked fulfilled without parcel details',
    order({fulfillment: 'fulfilled', shipments: []}),
    {},
    'Order ORD-12345 has been shipped.',
    'Ihre Bestellung ORD-12345 wurde verschickt.',
  ],
  [
    'marked partially fulfilled without parcel details',
    order({fulfillment: 'partially_fulfilled', shipments: []}),
    {},
    'Part of order ORD-12345 has been shipped, and the rest will follow.',
    'Ein Teil Ihrer Bestellung ORD-12345 wurde bereits verschickt, der Rest folgt.',
  ],
  [
    'restocked',
    order({fulfillment: 'restocked'}),
    {},
    `The items in order ORD-12345 were put back into stock, so it will not be shipped. ${OFFER_EN}`,
    `Die Artikel Ihrer Bestellung ORD-12345 wurden wieder eingelagert, daher wird sie nicht verschickt. ${OFFER_DE}`,
  ],
  [
    'status unknown',
    order({fulfillment: 'unknown'}),
    {},
    `I found order ORD-12345, but I can't see its current status right now. ${OFFER_EN}`,
    `Ich habe Ihre Bestellung ORD-12345 gefunden, kann ihren aktuellen Stand aber gerade nicht sehen. ${OFFER_DE}`,
  ],
  // Cancelled and refunded
  [
    'cancelled and refunded',
    order({cancelledAt: daysFromNow(-1), payment: 'refunded', fulfillment: 'unfulfilled'}),
    {},
    'Order ORD-12345 was cancelled yesterday. The payment has been refunded.',
    'Ihre Bestellung ORD-12345 wurde gestern storniert. Die Zahlung wurde Ihnen erstattet.',
  ],
  [
    'cancelled, payment voided',
    order({cancelledAt: daysFromNow(0), payment: 'voided', fulfillment: 'unfulfilled'}),
    {},
    'Order ORD-12345 was cancelled today. Nothing was charged.',
    'Ihre Bestellung ORD-12345 wurde heute storniert. Es wurde Ihnen nichts abgebucht.',
  ],
  [
    'cancelled, partially refunded',
    order({cancelledAt: daysFromNow(-9), payment: 'partially_refunded'}),
    {},
    'Order ORD-12345 was cancelled on 4 May. Part of the payment has been refunded.',
    'Ihre Bestellung ORD-12345 wurde am 4. Mai storniert. Ein Teil des Betrags wurde Ihnen bereits erstattet.',
  ],
  [
    'cancelled, still paid: only what we know',
    order({cancelledAt: daysFromNow(-1), payment: 'paid', shipments: [parcel()]}),
    {verified: true},
    'Order ORD-12345 was cancelled yesterday.',
    'Ihre Bestellung ORD-12345 wurde gestern storniert.',
  ],
  [
    'refunded in full',
    order({payment: 'refunded', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-5)})]}),
    {},
    'Order ORD-12345 has been refunded in full.',
    'Ihre Bestellung ORD-12345 wurde vollständig erstattet.',
  ],
  [
    'delivered and partially refunded',
    order({payment: 'partially_refunded', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-1)})]}),
    {},
    'Order ORD-12345 was delivered yesterday. Part of the payment has been refunded.',
    'Ihre Bestellung ORD-12345 wurde gestern zugestellt. Ein Teil des Betrags wurde Ihnen bereits erstattet.',
  ],
  // Partly shipped
  [
    'partly shipped, one parcel',
    order({fulfillment: 'partially_fulfilled', shipments: [parcel({quantity: 2})]}),
    {verified: true},
    '2 of 3 items in order ORD-12345 have been shipped, and the rest will follow. The parcel was shipped yesterday with DHL and arrives tomorrow.',
    'Von Ihrer Bestellung ORD-12345 wurden bisher 2 von 3 Artikeln verschickt, der Rest folgt. Das Paket wurde gestern mit DHL verschickt und kommt morgen an.',
  ],
  [
    'partly shipped, one item delivered',
    order({
      fulfillment: 'partially_fulfilled',
      shipments: [parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-1)})],
    }),
    {},
    'One of 3 items in order ORD-12345 has been shipped, and the rest will follow. The parcel was delivered yesterday.',
    'Von Ihrer Bestellung ORD-12345 wurde bisher einer von 3 Artikeln verschickt, der Rest folgt. Das Paket wurde gestern zugestellt.',
  ],
  [
    'partly shipped, quantities do not add up',
    order({fulfillment: 'partially_fulfilled', totalQuantity: 3, shipments: [parcel({quantity: 3})]}),
    {},
    'Part of order ORD-12345 has been shipped, and the rest will follow. The parcel was shipped yesterday with DHL and arrives tomorrow.',
    'Ein Teil Ihrer Bestellung ORD-12345 wurde bereits verschickt, der Rest folgt. Das Paket wurde gestern mit DHL verschickt und kommt morgen an.',
  ],
  [
    'partly shipped in two parcels',
    order({
      fulfillment: 'partially_fulfilled',
      totalQuantity: 4,
      shipments: [parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-2)}), parcel({quantity: 1})],
    }),
    {},
    '2 of 4 items in order ORD-12345 have been shipped, and the rest will follow. The items shipped so far are in 2 parcels: one has been delivered and one is on its way.',
    'Von Ihrer Bestellung ORD-12345 wurden bisher 2 von 4 Artikeln verschickt, der Rest folgt. Die bisher verschickten Artikel sind in 2 Paketen: eines wurde zugestellt und eines ist unterwegs.',
  ],
  // Several parcels
  [
    'two parcels, both delivered',
    order({
      shipments: [
        parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-3)}),
        parcel({quantity: 2, state: 'delivered', deliveredAt: daysFromNow(-1)}),
      ],
    }),
    {verified: true},
    'Order ORD-12345 was sent in 2 parcels: both have been delivered. The last one was delivered yesterday.',
    'Ihre Bestellung ORD-12345 wurde in 2 Paketen verschickt: beide wurden zugestellt. Das letzte wurde gestern zugestellt.',
  ],
  [
    'three parcels, two on their way',
    order({
      shipments: [
        parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-1)}),
        parcel({quantity: 1, estimatedDeliveryAt: daysFromNow(3)}),
        parcel({quantity: 1, state: 'out_for_delivery', estimatedDeliveryAt: daysFromNow(0)}),
      ],
    }),
    {},
    'Order ORD-12345 was sent in 3 parcels: one has been delivered and 2 are on their way. The last one should arrive on Saturday.',
    'Ihre Bestellung ORD-12345 wurde in 3 Paketen verschickt: eines wurde zugestellt und 2 sind unterwegs. Das letzte kommt voraussichtlich am Samstag an.',
  ],
  [
    'two parcels, one estimate missing: no "last one"',
    order({
      shipments: [
        parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-1)}),
        parcel({quantity: 2, estimatedDeliveryAt: null}),
      ],
    }),
    {},
    'Order ORD-12345 was sent in 2 parcels: one has been delivered and one is on its way.',
    'Ihre Bestellung ORD-12345 wurde in 2 Paketen verschickt: eines wurde zugestellt und eines ist unterwegs.',
  ],
  [
    'three parcels, one delayed and one not yet handed over',
    order({
      shipments: [
        parcel({quantity: 1, state: 'delayed'}),
        parcel({quantity: 1, state: 'label_created'}),
        parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-1)}),
      ],
    }),
    {},
    `Order ORD-12345 was split into 3 parcels: one has been delivered, one is being prepared and one is delayed. ${OFFER_EN}`,
    `Ihre Bestellung ORD-12345 wurde auf 3 Pakete aufgeteilt: eines wurde zugestellt, eines wird noch vorbereitet und eines verzögert sich. ${OFFER_DE}`,
  ],
  [
    'a cancelled parcel does not count',
    order({shipments: [parcel({state: 'canceled'}), parcel({state: 'delivered', deliveredAt: daysFromNow(-1)})]}),
    {},
    'Order ORD-12345 was delivered yesterday.',
    'Ihre Bestellung ORD-12345 wurde gestern zugestellt.',
  ],
];

describe('renderOrderStatus: exact sentences', () => {
  it.each(CASES)('%s', (_case, status, extra, english, german) => {
    expect(render(status, 'en', extra)).toBe(english);
    expect(render(status, 'de-AT', extra)).toBe(german);
  });

  it.each(CASES)('%s: speakable in both languages', (_case, status, extra) => {
    expect(speechProblems(render(status, 'en', extra), 'en')).toEqual([]);
    expect(speechProblems(render(status, 'de-AT', extra), 'de-AT')).toEqual([]);
  });
});

describe('German regions', () => {
  const january = order({shipments: [parcel({state: 'delivered', deliveredAt: at('2026-01-20T10:00:00Z')})]});
  it.each<[Locale, string]>([
    ['de', 'Ihre Bestellung ORD-12345 wurde am 20. Januar zugestellt.'],
    ['de-DE', 'Ihre Bestellung ORD-12345 wurde am 20. Januar zugestellt.'],
    ['de-CH', 'Ihre Bestellung ORD-12345 wurde am 20. Januar zugestellt.'],
    ['de-AT', 'Ihre Bestellung ORD-12345 wurde am 20. Jänner zugestellt.'],
  ])('%s', (locale, expected) => {
    expect(render(january, locale)).toBe(expected);
  });
});

describe('the order number', () => {
  const shipped = order({shipments: [parcel(noCarrier)]});
  it.each<[string, Locale, string]>([
    ['1001', 'en', 'Order 1001 was shipped yesterday and arrives tomorrow.'],
    ['#1001', 'en', 'Order 1001 was shipped yesterday and arrives tomorrow.'],
    ['  #1001 ', 'de', 'Ihre Bestellung 1001 wurde gestern verschickt und kommt morgen an.'],
    ['', 'en', 'Your order was shipped yesterday and arrives tomorrow.'],
    ['', 'de', 'Ihre Bestellung wurde gestern verschickt und kommt morgen an.'],
  ])('%j in %s', (spokenName, locale, expected) => {
    expect(render(shipped, locale, {spokenName})).toBe(expected);
  });
});

describe('what is and is not spoken', () => {
  it.each<[string, string | null, string]>([
    ['digits', '4711', 'The tracking number ends in 4 7 1 1.'],
    ['letters, upper-cased', '0a9z', 'The tracking number ends in 0 A 9 Z.'],
    ['only the last four of a longer value', 'AB-12x9', 'The tracking number ends in 1 2 X 9.'],
  ])('tracking number to a verified caller: %s', (_case, trackingLast4, expected) => {
    const text = render(order({shipments: [parcel({trackingLast4})]}), 'en', {verified: true});
    expect(text.endsWith(expected)).toBe(true);
  });

  it.each<[string, boolean, string | null]>([
    ['not verified', false, '4711'],
    ['verified, but no tracking number', true, null],
    ['verified, tracking number without letters or digits', true, '--'],
  ])('no tracking sentence when %s', (_case, verified, trackingLast4) => {
    const text = render(order({shipments: [parcel({trackingLast4})]}), 'en', {verified});
    expect(text).toBe('Order ORD-12345 was shipped yesterday with DHL and arrives tomorrow.');
  });

  it('never speaks the phone number or the shop’s order name when a spoken name is given', () => {
    const status = order({name: '#SECRET-NAME', phone: '+43660123456789', shipments: [parcel()]});
    for (const locale of ['en', 'de'] as const) {
      const text = render(status, locale, {verified: true});
      expect(text).not.toMatch(/660|SECRET/);
    }
  });

  it.each<[string | null, string]>([
    ['Other', 'Order ORD-12345 was shipped yesterday and arrives tomorrow.'],
    ['  ', 'Order ORD-12345 was shipped yesterday and arrives tomorrow.'],
    ['DHL. Express!', 'Order ORD-12345 was shipped yesterday with DHL Express and arrives tomorrow.'],
    ['  UPS  ', 'Order ORD-12345 was shipped yesterday with UPS and arrives tomorrow.'],
  ])('carrier %j', (carrier, expected) => {
    expect(render(order({shipments: [parcel({carrier})]}), 'en')).toBe(expected);
  });
});

describe('dates that cannot be trusted', () => {
  it('an event "in the future" (clock skew) is spoken as today', () => {
    const status = order({shipments: [parcel({shippedAt: daysFromNow(1), estimatedDeliveryAt: daysFromNow(3)})]});
    expect(render(status, 'en')).toBe('Order ORD-12345 was shipped today with DHL and arrives on Saturday.');
  });

  it('invalid dates are left out', () => {
    const bad = new Date(Number.NaN);
    const status = order({
      cancelledAt: null,
      shipments: [parcel({shippedAt: bad, estimatedDeliveryAt: bad})],
    });
    expect(render(status, 'en')).toBe('Order ORD-12345 has been shipped with DHL and is on its way.');
    expect(render(status, 'de')).toBe('Ihre Bestellung ORD-12345 wurde mit DHL verschickt und ist unterwegs.');
    expect(render(order({cancelledAt: bad}), 'en')).toBe('Order ORD-12345 has been cancelled.');
  });

  it('an invalid clock leaves every date out instead of throwing', () => {
    const text = render(order({shipments: [parcel()]}), 'en', {now: new Date('garbage')});
    expect(text).toBe('Order ORD-12345 has been shipped with DHL and is on its way.');
  });
});

describe('the shop’s time zone decides "yesterday"', () => {
  // Shipped 2026-05-12 23:30 UTC, asked 2026-05-13 10:00 UTC.
  const status = order({
    shipments: [parcel({shippedAt: at('2026-05-12T23:30:00Z'), estimatedDeliveryAt: at('2026-05-14T02:00:00Z')})],
  });
  it.each<[string, string]>([
    // Vienna: shipped 01:30 today, arrives 04:00 tomorrow.
    [VIENNA, 'Order ORD-12345 was shipped today with DHL and arrives tomorrow.'],
    // New York: now 06:00; shipped 19:30 yesterday, arrives 22:00 today.
    ['America/New_York', 'Order ORD-12345 was shipped yesterday with DHL and arrives today.'],
    // Kiritimati: now 00:00 on the 14th; shipped 13:30 on the 13th, arrives 16:00 on the 14th.
    ['Pacific/Kiritimati', 'Order ORD-12345 was shipped yesterday with DHL and arrives today.'],
    // Pago Pago: now 23:00 on the 12th; shipped 12:30 on the 12th, arrives 15:00 on the 13th.
    ['Pacific/Pago_Pago', 'Order ORD-12345 was shipped today with DHL and arrives tomorrow.'],
  ])('%s', (timeZone, expected) => {
    expect(render(status, 'en', {timeZone})).toBe(expected);
  });
});

describe('needsAttention', () => {
  it.each<[string, OrderStatus, boolean]>([
    ['in transit', order({shipments: [parcel()]}), false],
    ['delivered', order({shipments: [parcel({state: 'delivered'})]}), false],
    ['attempted delivery', order({shipments: [parcel({state: 'attempted_delivery'})]}), false],
    ['delayed', order({shipments: [parcel({state: 'delayed'})]}), true],
    ['failed', order({shipments: [parcel({state: 'failure'})]}), true],
    ['not delivered', order({shipments: [parcel({state: 'not_delivered'})]}), true],
    ['one of several parcels failed', order({shipments: [parcel(), parcel({state: 'failure'})]}), true],
    ['partly shipped, parcel delayed', order({fulfillment: 'partially_fulfilled', shipments: [parcel({state: 'delayed', quantity: 1})]}), true],
    ['on hold', order({fulfillment: 'on_hold'}), true],
    ['request declined', order({fulfillment: 'request_declined'}), true],
    ['restocked', order({fulfillment: 'restocked'}), true],
    ['payment expired', order({fulfillment: 'unfulfilled', payment: 'expired'}), true],
    ['payment pending', order({fulfillment: 'unfulfilled', payment: 'pending'}), false],
    ['unknown', order({fulfillment: 'unknown'}), true],
    ['unfulfilled', order({fulfillment: 'unfulfilled'}), false],
    ['cancelled', order({cancelledAt: daysFromNow(-1), fulfillment: 'on_hold'}), false],
  ])('%s → %s', (_case, status, expected) => {
    expect(needsAttention(status)).toBe(expected);
  });
});

it('counts German dates as part of a sentence, not as sentence ends', () => {
  expect(countSentences('Ihre Bestellung wurde am 3. Mai verschickt.')).toBe(1);
  expect(countSentences('Sie kam am 3. Jänner 2025 an. Die Sendungsnummer endet auf 4 7 1 1.')).toBe(2);
  expect(countSentences('Eins. Zwei. Drei.')).toBe(3);
});
