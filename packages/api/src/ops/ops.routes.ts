import type { FastifyPluginAsync } from 'fastify';
import { NotAllowedError, type ApiKeyResolver, type ExceptionDesk, type IdempotencyStore } from '@tradelane/core';
import { authPlugin } from '../plugins/auth.plugin.js';
import type { AccessTokenVerifier } from '../identity/access-tokens.js';
import { idempotencyPlugin, type IdempotencyPluginOptions } from '../plugins/idempotency.plugin.js';
import { strictBodyTypes } from '../customer/strict-body.hook.js';
import { exceptionsRoutes } from './exceptions.routes.js';

/** Scopes an operations API client can hold. */
export type OpsScope = 'ops:exceptions';

/** Every operations scope, e.g. for the keys staff are issued. */
export const OPS_SCOPES: readonly OpsScope[] = ['ops:exceptions'];

/** What the operations API needs: the exception desk, the idempotency store and the API key resolver. */
export interface OpsRoutesDeps {
  exceptions: ExceptionDesk;
  apiKeys: ApiKeyResolver;
  /** Verifies OAuth access tokens; without it the tree accepts API keys only. */
  accessTokens?: AccessTokenVerifier | undefined;
  idempotency: IdempotencyStore;
  /** Idempotency lock and retention. @default { lockMs: 60000, ttlMs: 86400000 } */
  idempotencyOptions?: Pick<IdempotencyPluginOptions, 'lockMs' | 'ttlMs'> | undefined;
}

/**
 * The operations API tree (register under `/v1/ops`): API-key auth for the distributor's own staff only (a key that
 * speaks for a customer or supplier is refused with 403), per-route scopes, `Idempotency-Key` on resolve, strict JSON
 * body types, then the exceptions desk.
 * @example await app.register(opsRoutes({ exceptions, apiKeys, idempotency }), { prefix: '/v1/ops' })
 */
export function opsRoutes(deps: OpsRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(authPlugin, { apiKeys: deps.apiKeys, accessTokens: deps.accessTokens, requirePartner: false });
    app.addHook('onRequest', async (request) => {
      if (request.ctx.partnerId) {
        throw new NotAllowedError('TL_AUTH_SCOPE', 'This API key speaks for a partner; the operations API is for the distributor\'s staff.', {
          required: 'staff',
        });
      }
    });
    await app.register(idempotencyPlugin, { store: deps.idempotency, ...deps.idempotencyOptions });
    app.addHook('preValidation', strictBodyTypes);
    app.addHook('onRequest', async (_request, reply) => {
      void reply.header('cache-control', 'private, no-store');
    });
    await app.register(exceptionsRoutes(deps));
  };
}
