import type { ConsumerRegistry, RegisteredHandler } from '@tradelane/bus';
import type { MessagingTx } from '@tradelane/core';

/**
 * One registry over the registries of several modules. A consumer name belongs to one module: the same name in two
 * registries is a configuration mistake and throws.
 * @example const consumers = mergeConsumers([orderToCashConsumers, searchConsumers]);
 */
export function mergeConsumers<Tx extends MessagingTx>(registries: readonly ConsumerRegistry<Tx>[]): ConsumerRegistry<Tx> {
  const owner = new Map<string, ConsumerRegistry<Tx>>();
  for (const registry of registries) {
    for (const name of registry.consumerNames) {
      if (owner.has(name)) throw new Error(`consumer "${name}" is defined by two modules; consumer names must be unique`);
      owner.set(name, registry);
    }
  }
  return {
    consumerNames: [...owner.keys()],
    subscribers: (eventType): readonly RegisteredHandler<Tx>[] => registries.flatMap((r) => r.subscribers(eventType)),
    handler: (consumer, eventType) => owner.get(consumer)?.handler(consumer, eventType),
  };
}
