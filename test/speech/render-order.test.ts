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
    'Your order O R D 1 2 3 4 5 was shipped yesterday and should arrive tomorrow.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern verschickt und kommt voraussichtlich morgen an.',
  ],
  [
    'in transit with a carrier',
    order({shipments: [parcel()]}),
    {},
    'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive tomorrow.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an.',
  ],
  [
    'a verified caller hears the tracking number’s end',
    order({shipments: [parcel()]}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive tomorrow. The tracking number ends in 4 7 1 1.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an. Die Sendungsnummer endet auf 4 7 1 1.',
  ],
  [
    'in transit without an estimate',
    order({shipments: [parcel({shippedAt: daysFromNow(-2), estimatedDeliveryAt: null})]}),
    {},
    'Your order O R D 1 2 3 4 5 was shipped the day before yesterday with DHL and is on its way.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde vorgestern mit DHL verschickt und ist unterwegs.',
  ],
  [
    'a passed estimate is admitted, not left out',
    order({shipments: [parcel({shippedAt: daysFromNow(-4), estimatedDeliveryAt: daysFromNow(-1)})]}),
    {},
    'Your order O R D 1 2 3 4 5 should have arrived yesterday and is running late.',
    'Ihre Bestellung O R D 1 2 3 4 5 hätte gestern ankommen sollen und verspätet sich.',
  ],
  [
    'arrives on a weekday this week',
    order({shipments: [parcel({estimatedDeliveryAt: daysFromNow(4)})]}),
    {},
    'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive on Sunday.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern mit DHL verschickt und kommt voraussichtlich am Sonntag an.',
  ],
  [
    'arrives on a date',
    order({shipments: [parcel({estimatedDeliveryAt: daysFromNow(20)})]}),
    {},
    'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive on 2 June.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern mit DHL verschickt und kommt voraussichtlich am 2. Juni an.',
  ],
  [
    'fulfilled without tracking details',
    order({
      shipments: [parcel({state: 'fulfilled', shippedAt: daysFromNow(-10), estimatedDeliveryAt: null, carrier: 'Österreichische Post'})],
    }),
    {},
    'Your order O R D 1 2 3 4 5 was shipped on 3 May with Austrian Post.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde am 3. Mai mit der Österreichischen Post verschickt.',
  ],
  [
    'a parcel in a state Shopify added later',
    order({shipments: [parcel({state: 'unknown'})]}),
    {},
    'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive tomorrow.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an.',
  ],
  [
    'out for delivery',
    order({shipments: [parcel({state: 'out_for_delivery'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is out for delivery with DHL and should arrive today.',
    'Ihre Bestellung O R D 1 2 3 4 5 ist bei DHL in der Zustellung und kommt voraussichtlich heute an.',
  ],
  // Delivered and picked up
  [
    'delivered today',
    order({shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(0)})]}),
    {},
    'Your order O R D 1 2 3 4 5 was delivered today.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde heute zugestellt.',
  ],
  [
    'delivered in January: Austrians hear Jänner',
    order({shipments: [parcel({state: 'delivered', deliveredAt: at('2026-01-20T10:00:00Z')})]}),
    {},
    'Your order O R D 1 2 3 4 5 was delivered on 20 January.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde am 20. Jänner zugestellt.',
  ],
  [
    'delivered last year',
    order({shipments: [parcel({state: 'delivered', deliveredAt: at('2025-12-22T10:00:00Z')})]}),
    {},
    'Your order O R D 1 2 3 4 5 was delivered on 22 December 2025.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde am 22. Dezember 2025 zugestellt.',
  ],
  [
    'delivered, date unknown',
    order({shipments: [parcel({state: 'delivered', deliveredAt: null})]}),
    {},
    'Your order O R D 1 2 3 4 5 has been delivered.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde zugestellt.',
  ],
  [
    'ready for pickup',
    order({shipments: [parcel({state: 'ready_for_pickup'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is ready for pickup.',
    'Ihre Bestellung O R D 1 2 3 4 5 liegt zur Abholung bereit.',
  ],
  [
    'picked up',
    order({shipments: [parcel({state: 'picked_up', deliveredAt: daysFromNow(-1)})]}),
    {},
    'Your order O R D 1 2 3 4 5 was picked up yesterday.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern abgeholt.',
  ],
  // Delivery problems
  [
    'attempted delivery',
    order({shipments: [parcel({state: 'attempted_delivery'})]}),
    {},
    'DHL tried to deliver your order O R D 1 2 3 4 5 but could not hand it over. Please look out for a notice from DHL about the next attempt or where to pick it up.',
    'DHL konnte Ihre Bestellung O R D 1 2 3 4 5 beim Zustellversuch nicht übergeben. Bitte achten Sie auf eine Benachrichtigung von DHL zum nächsten Zustellversuch oder zur Abholstelle.',
  ],
  [
    'delayed, no new estimate',
    order({shipments: [parcel({state: 'delayed', shippedAt: daysFromNow(-4), estimatedDeliveryAt: null})]}),
    {},
    `Your order O R D 1 2 3 4 5 was shipped last Saturday with DHL but is delayed.`,
    `Ihre Bestellung O R D 1 2 3 4 5 wurde letzten Samstag mit DHL verschickt, verzögert sich aber.`,
  ],
  [
    'delayed with a new estimate, transfer possible',
    order({shipments: [parcel({state: 'delayed', estimatedDeliveryAt: daysFromNow(2)})]}),
    {canTransfer: true},
    `Your order O R D 1 2 3 4 5 is delayed and should now arrive the day after tomorrow. ${TRANSFER_EN}`,
    `Ihre Bestellung O R D 1 2 3 4 5 verzögert sich und kommt voraussichtlich übermorgen an. ${TRANSFER_DE}`,
  ],
  [
    'delivery failed, carrier unknown',
    order({shipments: [parcel({state: 'failure', carrier: null})]}),
    {},
    `Unfortunately, the carrier could not deliver your order O R D 1 2 3 4 5.`,
    `Leider konnte der Paketdienst Ihre Bestellung O R D 1 2 3 4 5 nicht zustellen.`,
  ],
  [
    'not delivered: the offer of help beats the tracking number',
    order({shipments: [parcel({state: 'not_delivered'})]}),
    {verified: true, canTransfer: true},
    `Unfortunately, DHL could not deliver your order O R D 1 2 3 4 5. ${TRANSFER_EN}`,
    `Leider konnte DHL Ihre Bestellung O R D 1 2 3 4 5 nicht zustellen. ${TRANSFER_DE}`,
  ],
  // Before the carrier has it
  [
    'label created',
    order({shipments: [parcel({state: 'label_created'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is packed and should be handed to DHL shortly.',
    'Ihre Bestellung O R D 1 2 3 4 5 ist versandbereit und wird voraussichtlich in Kürze an DHL übergeben.',
  ],
  [
    'label voided',
    order({shipments: [parcel({state: 'label_voided'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is being prepared for shipping.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird für den Versand vorbereitet.',
  ],
  [
    'submitted to the warehouse',
    order({shipments: [parcel({state: 'submitted'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is being prepared for shipping.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird für den Versand vorbereitet.',
  ],
  [
    'confirmed by the warehouse',
    order({shipments: [parcel({state: 'confirmed'})]}),
    {},
    'Your order O R D 1 2 3 4 5 is being prepared for shipping.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird für den Versand vorbereitet.',
  ],
  // Not shipped yet
  [
    'unfulfilled',
    order({fulfillment: 'unfulfilled'}),
    {},
    'Your order O R D 1 2 3 4 5 is being prepared and has not been shipped yet.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird gerade vorbereitet und wurde noch nicht verschickt.',
  ],
  [
    'in progress, payment authorized',
    order({fulfillment: 'in_progress', payment: 'authorized'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 is being prepared and has not been shipped yet. The amount is reserved and will only be charged later.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird gerade vorbereitet und wurde noch nicht verschickt. Der Betrag ist für Sie reserviert und wird erst später abgebucht.',
  ],
  [
    'scheduled',
    order({fulfillment: 'scheduled'}),
    {},
    'Your order O R D 1 2 3 4 5 is scheduled to be shipped at a later date.',
    'Ihre Bestellung O R D 1 2 3 4 5 ist für einen späteren Versand eingeplant.',
  ],
  [
    'on hold',
    order({fulfillment: 'on_hold'}),
    {},
    'Your order O R D 1 2 3 4 5 has not been shipped yet because something still needs to be sorted out.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde noch nicht verschickt, weil noch etwas geklärt werden muss.',
  ],
  [
    'request declined, transfer possible',
    order({fulfillment: 'request_declined'}),
    {canTransfer: true},
    `There is a hold-up with your order O R D 1 2 3 4 5, and it has not been shipped yet. ${TRANSFER_EN}`,
    `Bei Ihrer Bestellung O R D 1 2 3 4 5 gibt es eine Verzögerung, sie wurde noch nicht verschickt. ${TRANSFER_DE}`,
  ],
  [
    'payment pending',
    order({fulfillment: 'unfulfilled', payment: 'pending'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 has not been shipped yet because the payment has not arrived.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde noch nicht verschickt, weil die Zahlung noch nicht eingegangen ist.',
  ],
  [
    'partially paid',
    order({fulfillment: 'open', payment: 'partially_paid'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 has not been shipped yet because the payment is not complete.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde noch nicht verschickt, weil die Zahlung noch nicht vollständig ist.',
  ],
  [
    'payment authorization expired',
    order({fulfillment: 'pending', payment: 'expired'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 has not been shipped because the payment did not go through.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde nicht verschickt, weil die Zahlung nicht durchgegangen ist.',
  ],
  [
    'payment voided',
    order({fulfillment: 'unfulfilled', payment: 'voided'}),
    {verified: true},
    `Your order O R D 1 2 3 4 5 will not be shipped because the payment was cancelled.`,
    `Ihre Bestellung O R D 1 2 3 4 5 wird nicht verschickt, weil die Zahlung storniert wurde.`,
  ],
  [
    'nothing to ship',
    order({fulfillment: 'not_required'}),
    {},
    'Nothing in your order O R D 1 2 3 4 5 needs to be shipped.',
    'Für Ihre Bestellung O R D 1 2 3 4 5 ist kein Versand nötig.',
  ],
  [
    'marked fulfilled without parcel details',
    order({fulfillment: 'fulfilled', shipments: []}),
    {},
    'Your order O R D 1 2 3 4 5 has been shipped.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde verschickt.',
  ],
  [
    'marked partially fulfilled without parcel details',
    order({fulfillment: 'partially_fulfilled', shipments: []}),
    {},
    'Part of your order O R D 1 2 3 4 5 has been shipped, and the rest will follow.',
    'Ein Teil Ihrer Bestellung O R D 1 2 3 4 5 wurde bereits verschickt, der Rest folgt.',
  ],
  [
    'restocked',
    order({fulfillment: 'restocked'}),
    {},
    'Your order O R D 1 2 3 4 5 will not be shipped.',
    'Ihre Bestellung O R D 1 2 3 4 5 wird nicht verschickt.',
  ],
  [
    'status unknown',
    order({fulfillment: 'unknown'}),
    {},
    `I found your order O R D 1 2 3 4 5, but I can't see its current status right now.`,
    `Ich habe Ihre Bestellung O R D 1 2 3 4 5 gefunden, kann ihren aktuellen Stand aber gerade nicht sehen.`,
  ],
  // Cancelled and refunded
  [
    'cancelled and refunded',
    order({cancelledAt: daysFromNow(-1), payment: 'refunded', fulfillment: 'unfulfilled'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was cancelled yesterday. The payment has been refunded.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern storniert. Die Zahlung wurde Ihnen erstattet.',
  ],
  [
    'cancelled, payment voided',
    order({cancelledAt: daysFromNow(0), payment: 'voided', fulfillment: 'unfulfilled'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was cancelled today. Nothing has been charged.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde heute storniert. Es wurde Ihnen nichts abgebucht.',
  ],
  [
    'cancelled, partially refunded',
    order({cancelledAt: daysFromNow(-9), payment: 'partially_refunded'}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was cancelled on 4 May. Part of the payment has been refunded.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde am 4. Mai storniert. Ein Teil des Betrags wurde Ihnen bereits erstattet.',
  ],
  [
    'cancelled, still paid, a parcel still travelling: said, with the money to a verified caller',
    order({cancelledAt: daysFromNow(-1), payment: 'paid', shipments: [parcel()]}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was cancelled yesterday, but a parcel is still on its way with DHL. The payment has not been refunded yet.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern storniert, ein Paket ist aber noch mit DHL unterwegs. Die Zahlung wurde Ihnen noch nicht erstattet.',
  ],
  [
    'refunded in full',
    order({payment: 'refunded', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-5)})]}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 has been refunded in full.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde vollständig erstattet.',
  ],
  [
    'delivered and partially refunded',
    order({payment: 'partially_refunded', shipments: [parcel({state: 'delivered', deliveredAt: daysFromNow(-1)})]}),
    {verified: true},
    'Your order O R D 1 2 3 4 5 was delivered yesterday. Part of the payment has been refunded.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern zugestellt. Ein Teil des Betrags wurde Ihnen bereits erstattet.',
  ],
  // Partly shipped
  [
    'partly shipped, one parcel',
    order({fulfillment: 'partially_fulfilled', shipments: [parcel({quantity: 2})]}),
    {verified: true},
    '2 of 3 items in your order O R D 1 2 3 4 5 have been shipped, and the rest will follow. The parcel was shipped yesterday with DHL and should arrive tomorrow.',
    'Von Ihrer Bestellung O R D 1 2 3 4 5 wurden bisher 2 von 3 Artikeln verschickt, der Rest folgt. Das Paket wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an.',
  ],
  [
    'partly shipped, one item delivered',
    order({
      fulfillment: 'partially_fulfilled',
      shipments: [parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-1)})],
    }),
    {},
    'One of 3 items in your order O R D 1 2 3 4 5 has been shipped, and the rest will follow. The parcel was delivered yesterday.',
    'Von Ihrer Bestellung O R D 1 2 3 4 5 wurde bisher einer von 3 Artikeln verschickt, der Rest folgt. Das Paket wurde gestern zugestellt.',
  ],
  [
    'partly shipped, quantities do not add up',
    order({fulfillment: 'partially_fulfilled', totalQuantity: 3, shipments: [parcel({quantity: 3})]}),
    {},
    'Part of your order O R D 1 2 3 4 5 has been shipped, and the rest will follow. The parcel was shipped yesterday with DHL and should arrive tomorrow.',
    'Ein Teil Ihrer Bestellung O R D 1 2 3 4 5 wurde bereits verschickt, der Rest folgt. Das Paket wurde gestern mit DHL verschickt und kommt voraussichtlich morgen an.',
  ],
  [
    'partly shipped in two parcels',
    order({
      fulfillment: 'partially_fulfilled',
      totalQuantity: 4,
      shipments: [parcel({quantity: 1, state: 'delivered', deliveredAt: daysFromNow(-2)}), parcel({quantity: 1})],
    }),
    {},
    '2 of 4 items in your order O R D 1 2 3 4 5 have been shipped, and the rest will follow. The items shipped so far are in 2 parcels: one has been delivered and one is on its way.',
    'Von Ihrer Bestellung O R D 1 2 3 4 5 wurden bisher 2 von 4 Artikeln verschickt, der Rest folgt. Die bisher verschickten Artikel sind in 2 Paketen: eines wurde zugestellt und eines ist unterwegs.',
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
    'Your order O R D 1 2 3 4 5 was sent in 2 parcels: both have been delivered. The last one was delivered yesterday.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde in 2 Paketen verschickt: beide wurden zugestellt. Das letzte wurde gestern zugestellt.',
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
    'Your order O R D 1 2 3 4 5 was sent in 3 parcels: one has been delivered and 2 are on their way. The last one should arrive on Saturday.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde in 3 Paketen verschickt: eines wurde zugestellt und 2 sind unterwegs. Das letzte kommt voraussichtlich am Samstag an.',
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
    'Your order O R D 1 2 3 4 5 was sent in 2 parcels: one has been delivered and one is on its way.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde in 2 Paketen verschickt: eines wurde zugestellt und eines ist unterwegs.',
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
    'One of the 3 parcels of your order O R D 1 2 3 4 5 is delayed.',
    'Eines der 3 Pakete Ihrer Bestellung O R D 1 2 3 4 5 verspätet sich.',
  ],
  [
    'a cancelled parcel does not count',
    order({shipments: [parcel({state: 'canceled'}), parcel({state: 'delivered', deliveredAt: daysFromNow(-1)})]}),
    {},
    'Your order O R D 1 2 3 4 5 was delivered yesterday.',
    'Ihre Bestellung O R D 1 2 3 4 5 wurde gestern zugestellt.',
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
    ['de', 'Ihre Bestellung O R D 1 2 3 4 5 wurde am 20. Januar zugestellt.'],
    ['de-DE', 'Ihre Bestellung O R D 1 2 3 4 5 wurde am 20. Januar zugestellt.'],
    ['de-CH', 'Ihre Bestellung O R D 1 2 3 4 5 wurde am 20. Januar zugestellt.'],
    ['de-AT', 'Ihre Bestellung O R D 1 2 3 4 5 wurde am 20. Jänner zugestellt.'],
  ])('%s', (locale, expected) => {
    expect(render(january, locale)).toBe(expected);
  });
});

describe('the order number', () => {
  const shipped = order({shipments: [parcel(noCarrier)]});
  it.each<[string, Locale, string]>([
    ['1001', 'en', 'Your order 1 0 0 1 was shipped yesterday and should arrive tomorrow.'],
    ['#1001', 'en', 'Your order 1 0 0 1 was shipped yesterday and should arrive tomorrow.'],
    ['  #1001 ', 'de', 'Ihre Bestellung 1 0 0 1 wurde gestern verschickt und kommt voraussichtlich morgen an.'],
    ['', 'en', 'Your order was shipped yesterday and should arrive tomorrow.'],
    ['', 'de', 'Ihre Bestellung wurde gestern verschickt und kommt voraussichtlich morgen an.'],
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
    expect(text).toBe('Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive tomorrow.');
  });

  it('never speaks the phone number or the shop’s order name when a spoken name is given', () => {
    const status = order({name: '#SECRET-NAME', phone: '+43660123456789', shipments: [parcel()]});
    for (const locale of ['en', 'de'] as const) {
      const text = render(status, locale, {verified: true});
      expect(text).not.toMatch(/660|SECRET/);
    }
  });

  it.each<[string | null, string]>([
    ['Other', 'Your order O R D 1 2 3 4 5 was shipped yesterday and should arrive tomorrow.'],
    ['  ', 'Your order O R D 1 2 3 4 5 was shipped yesterday and should arrive tomorrow.'],
    ['DHL. Express!', 'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL Express and should arrive tomorrow.'],
    ['  UPS  ', 'Your order O R D 1 2 3 4 5 was shipped yesterday with UPS and should arrive tomorrow.'],
  ])('carrier %j', (carrier, expected) => {
    expect(render(order({shipments: [parcel({carrier})]}), 'en')).toBe(expected);
  });
});

describe('dates that cannot be trusted', () => {
  it('an event "in the future" (clock skew) is spoken as today', () => {
    const status = order({shipments: [parcel({shippedAt: daysFromNow(1), estimatedDeliveryAt: daysFromNow(3)})]});
    expect(render(status, 'en')).toBe('Your order O R D 1 2 3 4 5 was shipped today with DHL and should arrive on Saturday.');
  });

  it('invalid dates are left out', () => {
    const bad = new Date(Number.NaN);
    const status = order({
      cancelledAt: null,
      shipments: [parcel({shippedAt: bad, estimatedDeliveryAt: bad})],
    });
    expect(render(status, 'en')).toBe('Your order O R D 1 2 3 4 5 is on its way with DHL.');
    expect(render(status, 'de')).toBe('Ihre Bestellung O R D 1 2 3 4 5 ist mit DHL unterwegs.');
    expect(render(order({cancelledAt: bad}), 'en')).toBe('Your order O R D 1 2 3 4 5 has been cancelled.');
  });

  it('an invalid clock leaves every date out instead of throwing', () => {
    const text = render(order({shipments: [parcel()]}), 'en', {now: new Date('garbage')});
    expect(text).toBe('Your order O R D 1 2 3 4 5 is on its way with DHL.');
  });
});

describe('the shop’s time zone decides "yesterday"', () => {
  // Shipped 2026-05-12 23:30 UTC, asked 2026-05-13 10:00 UTC.
  const status = order({
    shipments: [parcel({shippedAt: at('2026-05-12T23:30:00Z'), estimatedDeliveryAt: at('2026-05-14T02:00:00Z')})],
  });
  it.each<[string, string]>([
    // Vienna: shipped 01:30 today, arrives 04:00 tomorrow.
    [VIENNA, 'Your order O R D 1 2 3 4 5 was shipped today with DHL and should arrive tomorrow.'],
    // New York: now 06:00; shipped 19:30 yesterday, arrives 22:00 today.
    ['America/New_York', 'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive today.'],
    // Kiritimati: now 00:00 on the 14th; shipped 13:30 on the 13th, arrives 16:00 on the 14th.
    ['Pacific/Kiritimati', 'Your order O R D 1 2 3 4 5 was shipped yesterday with DHL and should arrive today.'],
    // Pago Pago: now 23:00 on the 12th; shipped 12:30 on the 12th, arrives 15:00 on the 13th.
    ['Pacific/Pago_Pago', 'Your order O R D 1 2 3 4 5 was shipped today with DHL and should arrive tomorrow.'],
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
    expect(needsAttention(status, {timeZone: VIENNA, now: NOW, verified: true})).toBe(expected);
  });
});

it('counts German dates as part of a sentence, not as sentence ends', () => {
  expect(countSentences('Ihre Bestellung wurde am 3. Mai verschickt.')).toBe(1);
  expect(countSentences('Sie kam am 3. Jänner 2025 an. Die Sendungsnummer endet auf 4 7 1 1.')).toBe(2);
  expect(countSentences('Eins. Zwei. Drei.')).toBe(3);
});
