import {z} from 'zod';

/**
 * Callina's events, parsed leniently: extra fields are ignored, fields we
 * do not need may be malformed without failing the call. Only the envelope
 * (event, call_id, occurred_at) is strict.
 */

/** A field we can live without: a wrong type becomes undefined instead of a 400. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const context = z
  .object({
    caller_phone: lenient(z.string().max(40)),
    caller_name: lenient(z.string()),
    language: lenient(z.string().max(35)),
    locale: lenient(z.string().max(35)),
  })
  .catch({});

const params = z.record(z.string(), z.unknown()).catch({});

export const envelopeSchema = z.object({
  event: z.string().min(1).max(100),
  call_id: z.string().min(1).max(200),
  occurred_at: z.iso.datetime({offset: true}),
  context: context.optional().transform((c) => c ?? {}),
});

const intentDetected = envelopeSchema.extend({
  event: z.literal('intent.detected'),
  intent: lenient(z.string().max(100)),
  params: params.optional().transform((p) => p ?? {}),
});

const toolInvoked = envelopeSchema.extend({
  event: z.literal('tool.invoked'),
  tool: lenient(z.string().max(100)),
  params: params.optional().transform((p) => p ?? {}),
});

const escalationRequested = envelopeSchema.extend({
  event: z.literal('escalation.requested'),
  reason: lenient(z.string().max(100)),
  confidence: lenient(z.number().min(0).max(1)),
});

const silenceDetected = envelopeSchema.extend({
  event: z.literal('silence.detected'),
  silence_ms: lenient(z.number().int().nonnegative().max(86_400_000)),
});

export const EVENT_SCHEMAS = {
  'intent.detected': intentDetected,
  'tool.invoked': toolInvoked,
  'escalation.requested': escalationRequested,
  'silence.detected': silenceDetected,
} as const;

export type EventName = keyof typeof EVENT_SCHEMAS;
export type CallinaEvent<E extends EventName = EventName> = z.output<(typeof EVENT_SCHEMAS)[E]>;
export type Envelope = z.output<typeof envelopeSchema>;

export function isKnownEvent(name: string): name is EventName {
  return Object.hasOwn(EVENT_SCHEMAS, name);
}
