import type { Dispatcher } from './dispatcher.js';
import type { Transport } from './transport.js';

/**
 * The in-process transport: publishing an event delivers it to the consumer registry at once. A consumer that fails
 * does not fail the publish: its retry is kept in the delivery store and run by the relay's retry pass.
 * @example const relay = createRelay({ outbox, transport: createLocalTransport(dispatcher), dispatcher })
 */
export function createLocalTransport(dispatcher: Dispatcher): Transport {
  return {
    name: 'local',
    async publish(envelope, position) {
      const deliveries = await dispatcher.deliver(envelope, position);
      return { messageId: envelope.id, duplicate: false, deliveries };
    },
  };
}
