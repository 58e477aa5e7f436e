import type { DemoTenant } from './demo.js';
import type { SimulatorInfo } from './simulators.js';
import { simulatedSuppliers } from './supplier-simulators.js';

/** What the start-up banner shows. */
export interface BannerInput {
  version: string;
  /** The hub's base URL as a user on this machine reaches it. */
  hubUrl: string;
  simulators: readonly SimulatorInfo[];
  /** Systems reached at a configured URL. */
  configured?: ReadonlyArray<{ name: string; url: string }> | undefined;
  /** The demo tenant, when order-to-cash runs. */
  demo?: DemoTenant | undefined;
}

/** A sample order a new user can place: an item every simulator seed has in stock. */
const SAMPLE_ORDER = '{"customerPoNumber":"PO-1001","lines":[{"sku":"FAS-1001","quantity":"5","unit":"EA"}]}';

/** `http://0.0.0.0:3000` → `http://localhost:3000`: the address a listener has is not one to paste. */
export function reachableUrl(listenUrl: string): string {
  return listenUrl.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\])(?=[:/]|$)/, '$1localhost');
}

/**
 * The text printed once the hub is up: its URL, the simulators and their admin endpoints, the demo customers' API
 * keys, and curl commands to paste.
 * @example process.stdout.write(startBanner({ version, hubUrl, simulators: sims.started, demo }));
 */
export function startBanner(input: BannerInput): string {
  const column = 23;
  const lines: string[] = ['', `Tradelane ${input.version} is running`, `  ${'hub'.padEnd(column)}${input.hubUrl}   (GET /health, /ready, /docs; APIs under /v1/customer, /v1/supplier, /v1/ops)`];
  for (const s of input.simulators) {
    lines.push(`  ${`${s.name} simulator`.padEnd(column)}${s.url}   admin: ${s.admin.join(', ')}`);
  }
  for (const s of input.configured ?? []) lines.push(`  ${s.name.padEnd(column)}${s.url}   (configured)`);
  const customers = input.demo?.customers ?? [];
  if (input.demo && customers.length > 0) {
    lines.push('', `Demo tenant "${input.demo.tenantId}": one API key per ERP customer (kept across restarts on this database)`);
    const width = Math.max(...customers.map((c) => c.name.length));
    for (const c of customers) lines.push(`  ${c.accountNumber.padEnd(6)} ${c.name.padEnd(width)}  ${c.apiKey}${c.onHold ? '   (on credit hold: its orders go OnHold)' : ''}`);
    const sample = customers.find((c) => !c.onHold) ?? customers[0]!;
    lines.push(
      '',
      `Try it as ${sample.accountNumber} ${sample.name}:`,
      `  export TL=${input.hubUrl}/v1/customer KEY=${sample.apiKey}`,
      `  curl -s "$TL/items?q=FAS-100&limit=3" -H "Authorization: Bearer $KEY"`,
      `  ORDER=$(curl -s -X POST "$TL/orders" -H "Authorization: Bearer $KEY" -H "Idempotency-Key: po-1001" -H "Content-Type: application/json" -d '${SAMPLE_ORDER}' | grep -o '"id":"so_[0-9A-Z]*"' | cut -d'"' -f4); echo $ORDER`,
      `  curl -s "$TL/orders/$ORDER" -H "Authorization: Bearer $KEY"`,
      `  curl -sN "$TL/orders/$ORDER/events" -H "Authorization: Bearer $KEY"     # live timeline (Ctrl-C to stop)`,
    );
  }
  const suppliers = input.demo?.suppliers ?? [];
  if (input.demo && suppliers.length > 0) {
    const played = new Map(simulatedSuppliers(suppliers).map((s) => [s.accountNumber, s.preset]));
    lines.push('', 'Suppliers: one API key each for the supplier API (/v1/supplier); the simulator plays some of them');
    const width = Math.max(...suppliers.map((c) => c.name.length));
    for (const s of suppliers) lines.push(`  ${s.accountNumber.padEnd(6)} ${s.name.padEnd(width)}  ${s.apiKey}${played.has(s.accountNumber) ? `   (simulated: ${played.get(s.accountNumber)})` : ''}`);
    const manual = suppliers.find((s) => !played.has(s.accountNumber)) ?? suppliers[0]!;
    lines.push(
      '',
      `Play supplier ${manual.accountNumber} ${manual.name} (see "Try the supplier side" in the README):`,
      `  export SUP=${input.hubUrl}/v1/supplier SKEY=${manual.apiKey}`,
      `  curl -s "$SUP/purchase-orders?awaitingAcknowledgment=true" -H "Authorization: Bearer $SKEY"`,
    );
    if (input.demo.staff) lines.push('', `Operations (exceptions under /v1/ops): OKEY=${input.demo.staff.apiKey}`);
  }
  lines.push('', 'Stop with Ctrl-C.', '');
  return lines.join('\n');
}
