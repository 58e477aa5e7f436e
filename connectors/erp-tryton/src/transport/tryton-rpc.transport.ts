import type { TenantContext } from '@tradelane/core';
import { trytonBadResponse, trytonHttpError, trytonLoginError, trytonNetworkError, trytonRpcError } from '../errors.js';

/** Where and as whom the transport talks to trytond. */
export interface TrytonRpcOptions {
  url: string;
  database: string;
  user: string;
  password: string;
  timeoutMs: number;
}

/** Tryton JSON-RPC: `call('model.sale.sale.search', [domain, 0, 10, null])` with the user context appended. */
export interface TrytonRpc {
  /** Calls a model method; `args` without the trailing context, which the transport adds (merged with `context`). */
  call<T = unknown>(ctx: TenantContext | undefined, method: string, args: unknown[], context?: Record<string, unknown>): Promise<T>;
  /** The user's preferences context (language, company, …), read at login. */
  userContext(): Promise<Record<string, unknown>>;
  /** Cheap liveness call (`common.server.version`, no session needed). */
  ping(): Promise<string>;
  /** Ends the session on the server (best effort). */
  close(): Promise<void>;
}

interface Session {
  userId: number;
  token: string;
  header: string;
  context: Record<string, unknown>;
}

/**
 * JSON-RPC client of trytond with one session per instance: logs in on first use, logs in again once when the
 * server answers 401/403 (session expired or server restarted), classifies failures as transient or permanent.
 */
export function createTrytonRpc(options: TrytonRpcOptions): TrytonRpc {
  const root = `${options.url.replace(/\/+$/, '')}/`;
  const endpoint = `${root}${encodeURIComponent(options.database)}/`;
  let session: Promise<Session> | null = null;
  let sequence = 0;

  async function post(method: string, params: unknown[], header: string | null, ctx?: TenantContext, url = endpoint): Promise<{ status: number; body: { result?: unknown; error?: unknown } | null; text: string; retryAfter: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (header) headers.authorization = header;
    if (ctx) headers['x-correlation-id'] = ctx.correlationId;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: ++sequence, method, params }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw trytonNetworkError(err);
    }
    let body: { result?: unknown; error?: unknown } | null = null;
    if (res.status === 200) {
      try {
        body = JSON.parse(text) as { result?: unknown; error?: unknown };
      } catch {
        throw trytonBadResponse(text.slice(0, 120));
      }
      if (!body || typeof body !== 'object') throw trytonBadResponse(text.slice(0, 120));
    }
    return { status: res.status, body, text, retryAfter: res.headers.get('retry-after') };
  }

  async function login(): Promise<Session> {
    const answer = await post('common.db.login', [options.user, { password: options.password }, 'en'], null);
    if (answer.status !== 200) throw answer.status === 401 || answer.status === 403 ? trytonLoginError(options.user) : trytonHttpError(answer.status, answer.text, answer.retryAfter);
    if (answer.body?.error) {
      const name = Array.isArray(answer.body.error) ? answer.body.error[0] : undefined;
      if (name === 'LoginException' || name === 'AccessError') throw trytonLoginError(options.user);
      throw trytonRpcError('common.db.login', answer.body.error);
    }
    const result = answer.body?.result;
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') throw trytonLoginError(options.user);
    const [userId, token] = result as [number, string];
    const header = `Session ${Buffer.from(`${options.user}:${userId}:${token}`).toString('base64')}`;
    const prefs = await post('model.res.user.get_preferences', [true, {}], header);
    const context = prefs.status === 200 && prefs.body?.result && typeof prefs.body.result === 'object' ? (prefs.body.result as Record<string, unknown>) : {};
    return { userId, token, header, context };
  }

  function currentSession(): Promise<Session> {
    if (!session) {
      session = login();
      session.catch(() => {
        session = null;
      });
    }
    return session;
  }

  async function call<T>(ctx: TenantContext | undefined, method: string, args: unknown[], context: Record<string, unknown> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const s = await currentSession();
      const answer = await post(method, [...args, { ...s.context, ...context }], s.header, ctx);
      if ((answer.status === 401 || answer.status === 403) && attempt === 0) {
        session = null; // expired or the server restarted: log in once more
        continue;
      }
      if (answer.status !== 200) throw trytonHttpError(answer.status, answer.text, answer.retryAfter);
      if (answer.body?.error !== undefined && answer.body.error !== null) throw trytonRpcError(method, answer.body.error);
      return answer.body?.result as T;
    }
  }

  return {
    call,
    async userContext() {
      return (await currentSession()).context;
    },
    async ping() {
      const answer = await post('common.server.version', [], null, undefined, root);
      if (answer.status !== 200) throw trytonHttpError(answer.status, answer.text, answer.retryAfter);
      return String(answer.body?.result ?? '');
    },
    async close() {
      const s = session;
      session = null;
      if (!s) return;
      try {
        const live = await s;
        await post('common.db.logout', [{}], live.header);
      } catch {
        // best effort: the session expires on its own
      }
    },
  };
}
