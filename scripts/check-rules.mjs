#!/usr/bin/env node
// House rules that dependency-cruiser cannot express:
//  1. only apps/server/src/config.ts reads process.env in production source (tests, fixtures and testkit may);
//  2. one zod major version in the whole install.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}
const allowedEnv = (f) =>
  f === 'apps/server/src/config.ts' || /\.(test|fixture|test-support)\.ts$/.test(f) || f.startsWith('packages/testkit/') || f.includes('/scripts/') || f.startsWith('bench/');
for (const root of ['packages', 'connectors', 'apps']) {
  for (const f of walk(root)) {
    if (!f.includes('/src/') || allowedEnv(f)) continue;
    const text = readFileSync(f, 'utf8');
    if (/process\.env\b/.test(text)) problems.push(`${f}: reads process.env (only apps/server/src/config.ts may)`);
  }
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const zodMajors = new Set(
  Object.entries(lock.packages ?? {})
    .filter(([path]) => /(^|\/)node_modules\/zod$/.test(path))
    .map(([, v]) => String(v.version).split('.')[0]),
);
if (zodMajors.size > 1) problems.push(`more than one zod major version installed: ${[...zodMajors].join(', ')}`);
if (problems.length) {
  console.error(problems.map((p) => `✖ ${p}`).join('\n'));
  process.exit(1);
}
console.log('✔ house rules hold (process.env only in config.ts; one zod major)');
