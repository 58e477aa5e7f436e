import type { EventEnvelope } from '@tradelane/canonical';
import type { EventPosition } from '@tradelane/core';
import type { DeliveryOutcome } from './dispatcher.js';

/** What a transport reports after accepting an event. */
export interface PublishOutcome {
  /** The id the message travels under: the outbox id (Nats-Msg-Id on JetStream). */
  readonly messageId: string;
  /** True when the broker already had this message id (a republish after a crash). */
  readonly duplicate: boolean;
  /** Per-consumer outcomes, when the transport delivers in-process. */
  readonly deliveries?: readonly DeliveryOutcome[] | undefined;
}

/**
 * Carries published events to consumers: in-process ({@link createLocalTransport}) or through a broker. A transport
 * throws when it could not take the event (a TransientError from core for a broker that is down); the relay then
 * keeps the outbox row and tries again later. The outbox id is the message id, so brokers can deduplicate.
 */
export interface Transport {
  /** Short name for logs and metrics, e.g. `local`, `nats`. */
  readonly name: string;
  publish(envelope: EventEnvelope, position: EventPosition): Promise<PublishOutcome>;
  /** Releases connections. */
  close?(): Promise<void>;
}
