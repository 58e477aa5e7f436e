/**
 * Writes the published JSON Schemas (draft 2020-12):
 *   docs/schemas/<document>.v1.json        one per canonical document
 *   docs/schemas/events/<type>.v<n>.json   one per cataloged event payload
 * Run from the repository root with `npm run schemas`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DOCUMENT_SCHEMA_VERSION, documentSchemas, documentTitles, eventCatalog, eventTypes, type DocumentName } from '../src/index.js';

const BASE_URL = 'https://tradelane.dev/schemas';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = join(repoRoot, 'docs', 'schemas');

function render(schema: z.ZodType, id: string, title: string, description: string): string {
  const { $schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return `${JSON.stringify({ $schema, $id: id, title, description, ...rest }, null, 2)}\n`;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${relative(repoRoot, path)}`);
}

for (const name of Object.keys(documentSchemas) as DocumentName[]) {
  const file = `${name}.v${DOCUMENT_SCHEMA_VERSION}.json`;
  write(
    join(outDir, file),
    render(
      documentSchemas[name],
      `${BASE_URL}/${file}`,
      documentTitles[name],
      `Tradelane canonical document: ${documentTitles[name]}, schema version ${DOCUMENT_SCHEMA_VERSION}. Money amounts and quantities are decimal strings, never JSON numbers.`,
    ),
  );
}

for (const type of eventTypes) {
  const { version, schema } = eventCatalog[type];
  const file = `${type}.v${version}.json`;
  write(
    join(outDir, 'events', file),
    render(schema, `${BASE_URL}/events/${file}`, `${type} v${version}`, `Payload (CloudEvents data) of the ${type} event, dataversion ${version}.`),
  );
}
