import type Stripe from 'stripe';
import { PINNED_STRIPE_API_VERSION } from '../../core/stripe/objects.js';
import type { SimulatedClock } from './clock.js';
import type { FaultController } from './faults.js';
import type { SeededRandom } from './seeded-random.js';
import type { SimulatorStore, StoredEvent } from './store.js';

/** Stripe keeps events listable and retrievable for 30 days. */
export const EVENT_RETENTION_SECONDS = 30 * 86_400;

export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

const AUTOMATIC_REQUEST: EventRequest = { id: null, idempotency_key: null };

/** Turns object changes into stored snapshot events, applying the late-visibility fault. */
export class EventRecorder {
  constructor(
    private readonly store: SimulatorStore,
    private readonly faults: FaultController,
    private readonly random: SeededRandom,
  ) {}

  /** `type` is one of Stripe's event types (`Stripe.Event.Type`), so a misspelt one does not compile. */
  emit(
    type: Stripe.Event.Type,
    object: { id: string },
    created: number,
    options: { previousAttributes?: Record<string, unknown>; request?: EventRequest } = {},
  ): StoredEvent {
    const event: StoredEvent = {
      id: this.random.id('evt_'),
      created,
      type,
      objectJson: JSON.stringify(object),
      previousAttributesJson: options.previousAttributes ? JSON.stringify(options.previousAttributes) : null,
      request: options.request ?? AUTOMATIC_REQUEST,
      visibleAt: created + this.faults.nextEventVisibilityDelay(),
    };
    this.store.addEvent(event);
    return event;
  }
}

/** Serializes a stored event as Stripe's event JSON without re-parsing the snapshot. */
export function renderEvent(event: StoredEvent): string {
  // The envelope around the snapshot, checked against Stripe's event type; the snapshot is spliced in as stored.
  const envelope = {
    id: event.id,
    object: 'event' as const,
    api_version: PINNED_STRIPE_API_VERSION,
    created: event.created,
    livemode: false,
    pending_webhooks: 0,
    request: event.request,
    type: event.type,
  } satisfies Omit<Stripe.EventBase, 'data'>;
  const previous = event.previousAttributesJson === null ? '' : `,"previous_attributes":${event.previousAttributesJson}`;
  return (
    `{"id":"${envelope.id}","object":"${envelope.object}","api_version":"${envelope.api_version}",` +
    `"created":${envelope.created},"data":{"object":${event.objectJson}${previous}},"livemode":${envelope.livemode},` +
    `"pending_webhooks":${envelope.pending_webhooks},"request":${JSON.stringify(envelope.request)},"type":${JSON.stringify(envelope.type)}}`
  );
}

/** Whether an event is listable now: inside retention and past its visibility delay. */
export function isEventListable(event: StoredEvent, clock: SimulatedClock): boolean {
  return event.visibleAt <= clock.now() && isEventRetained(event, clock);
}

export function isEventRetained(event: StoredEvent, clock: SimulatedClock): boolean {
  return event.created >= clock.now() - EVENT_RETENTION_SECONDS;
}
