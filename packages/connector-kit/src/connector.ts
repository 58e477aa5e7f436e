import { describeError, InputError, type Clock } from '@tradelane/core';
import type { CapabilityMap, CapabilityName } from './capabilities/index.js';

/** Structured logging a connector may use; secrets must never be passed in. */
export interface ConnectorLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A log that drops everything (the default in tests). */
export const silentLog: ConnectorLog = { debug() {}, info() {}, warn() {}, error() {} };

/** What the composition root gives every connector instance. */
export interface ConnectorDeps {
  clock: Clock;
  log: ConnectorLog;
}

/** Liveness of the external system as the connector sees it. */
export interface ConnectorHealth {
  ok: boolean;
  detail?: string;
}

/**
 * Health from a cheap call to the external system: healthy when `ping` resolves, otherwise the failure described.
 * @example health: () => healthFromPing(() => transport.ping())
 */
export async function healthFromPing(ping: () => Promise<unknown>): Promise<ConnectorHealth> {
  try {
    await ping();
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: describeError(err) };
  }
}

/** Lifecycle every connector instance has, whatever its capabilities. */
export interface ConnectorLifecycle {
  /** Asks the external system whether it answers (cheap call). */
  health(): Promise<ConnectorHealth>;
  /** Releases sockets, timers and files. */
  close(): Promise<void>;
}

/** Anything with zod's `safeParse` (the connector's configuration schema). */
export interface ConfigSchema<C> {
  safeParse(input: unknown): { success: true; data: C } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** A connector instance: its declared capabilities plus its lifecycle. */
export type ConnectorInstance<K extends CapabilityName> = Pick<CapabilityMap, K> & ConnectorLifecycle;

/** What a connector author writes. */
export interface ConnectorSpec<C, K extends CapabilityName> {
  /** Stable id, also the key of this system in documents' `externalIds` (e.g. `erp-sim`). */
  id: string;
  title: string;
  configSchema: ConfigSchema<C>;
  capabilities: readonly K[];
  create(deps: ConnectorDeps, config: C): Promise<ConnectorInstance<K>> | ConnectorInstance<K>;
}

/** A defined connector: the spec plus `instantiate`, which validates config and capabilities. */
export interface ConnectorDefinition<C, K extends CapabilityName> extends ConnectorSpec<C, K> {
  /** Parses `rawConfig` (throws `TL_CONNECTOR_CONFIG_INVALID` naming each field) and creates the instance. */
  instantiate(deps: ConnectorDeps, rawConfig: unknown): Promise<ConnectorInstance<K>>;
}

/**
 * Declares a connector.
 * @example
 * export const erpSimConnector = defineConnector({
 *   id: 'erp-sim', title: 'Reference ERP simulator', configSchema: erpSimConfigSchema,
 *   capabilities: ['erpSalesOrders', 'erpChangeFeed'] as const,
 *   create: (deps, config) => createErpSimClient(deps, config),
 * });
 */
export function defineConnector<C, K extends CapabilityName>(spec: ConnectorSpec<C, K>): ConnectorDefinition<C, K> {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(spec.id)) throw new RangeError(`connector id must be a lower-case identifier: ${spec.id}`);
  if (spec.capabilities.length === 0) throw new RangeError(`connector ${spec.id} declares no capability`);
  return {
    ...spec,
    async instantiate(deps, rawConfig) {
      const parsed = spec.configSchema.safeParse(rawConfig);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
        throw new InputError('TL_CONNECTOR_CONFIG_INVALID', `connector ${spec.id}: invalid configuration: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, {
          connector: spec.id,
          errors,
        });
      }
      const instance = await spec.create(deps, parsed.data);
      for (const cap of spec.capabilities) {
        if (typeof (instance as unknown as Record<string, unknown>)[cap] !== 'object' || (instance as unknown as Record<string, unknown>)[cap] === null) {
          await instance.close().catch(() => {});
          throw new RangeError(`connector ${spec.id} declares capability ${cap} but its instance does not provide it`);
        }
      }
      return instance;
    },
  };
}
