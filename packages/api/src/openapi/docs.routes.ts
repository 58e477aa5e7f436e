import type { FastifyPluginAsync } from 'fastify';
import type { OpenApiDocument, OpenApiOperation } from './openapi.js';

/** What the document routes need: how to get the (lazily built) OpenAPI document. */
export interface DocsRoutesDeps {
  document(): OpenApiDocument;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function schemaSummary(schema: unknown): string {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown[]; pattern?: string; format?: string };
  const type = Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? 'any');
  return [type, s.format, s.enum ? `one of ${s.enum.join(', ')}` : undefined, s.pattern ? `pattern ${s.pattern}` : undefined].filter(Boolean).join(', ');
}

function renderOperation(method: string, path: string, op: OpenApiOperation): string {
  const params = (op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  const rows = params
    .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(schemaSummary(p.schema))}</td><td>${esc(p.description ?? '')}</td></tr>`)
    .join('');
  const body = op.requestBody ? Object.keys((op.requestBody as { content?: object }).content ?? {}).join(', ') : '';
  const auth = op['x-authenticated']
    ? `Bearer token (OAuth JWT or API key) or X-API-Key${op['x-required-scopes'].length ? `; scope ${op['x-required-scopes'].map((s) => `<code>${esc(s)}</code>`).join(' or ')}` : ''}`
    : op.security.some((r) => Object.keys(r).length > 0) ? `${op.security.map((r) => Object.keys(r).join(' + ') || 'none').join(' or ')}` : 'none (public)';
  return `<section class="op${op.deprecated ? ' deprecated' : ''}" id="${esc(op.operationId)}">
<h3><span class="m m-${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code>${op.deprecated ? ' <span class="dep">deprecated</span>' : ''}</h3>
${op.summary ? `<p><strong>${esc(op.summary)}</strong></p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}
<p class="meta">Authentication: ${auth}${op['x-sunset'] ? ` · Sunset: ${esc(op['x-sunset'])}` : ''}${body ? ` · Body: ${esc(body)}` : ''} · Responses: ${Object.keys(op.responses).map(esc).join(', ')} · <code>${esc(op.operationId)}</code></p>
${rows ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
</section>`;
}

/** Renders the OpenAPI document as one self-contained HTML page (no scripts, no external assets). */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const list = byTag.get(tag) ?? [];
      list.push(renderOperation(method, path, op));
      byTag.set(tag, list);
    }
  }
  const sections = [...byTag.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, ops]) => `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>\n${ops.join('\n')}`)
    .join('\n');
  const toc = [...byTag.keys()].sort().map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code{font:13px ui-monospace,monospace;background:#f1f3f6;padding:0 .25rem;border-radius:3px}
.op{border:1px solid #dfe3ea;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
.op.deprecated{opacity:.75;border-style:dashed}.dep{color:#a33;font-size:.8rem;text-transform:uppercase}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .4rem}
.m-get{background:#2b6cb0}.m-post{background:#2f855a}.m-put{background:#b7791f}.m-patch{background:#6b46c1}.m-delete{background:#c53030}
.meta{color:#555;font-size:.9rem}table{border-collapse:collapse;font-size:.9rem}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left}
</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
${doc.info.description ? `<p>${esc(doc.info.description)}</p>` : ''}
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). Get a token at <code>POST /oauth/token</code>
(client credentials) or use an API key; send it as <code>Authorization: Bearer &lt;credential&gt;</code>.</p>
<nav>${toc}</nav>
${sections}
</body></html>
`;
}

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (a self-contained HTML page rendering it). Both are
 * public: the document describes routes, never data.
 * @example await app.register(docsRoutes({ document: () => openapi.document({ title: 'Tradelane API', version }) }))
 */
export function docsRoutes(deps: DocsRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    let cached: { doc: OpenApiDocument; json: string; html: string } | undefined;
    const get = () => {
      if (!cached) {
        const doc = deps.document();
        cached = { doc, json: JSON.stringify(doc), html: renderDocsPage(doc) };
      }
      return cached;
    };
    app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send(get().json),
    );
    app.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=300')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .type('text/html; charset=utf-8')
        .send(get().html),
    );
  };
}
