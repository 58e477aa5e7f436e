/**
 * How tests find the real services they need. Tests read service locations from the environment only here;
 * when a service is absent they skip with a printed reason, unless TRADELANE_REQUIRE_SERVICES=1, where they fail.
 */
export const requireServices = process.env.TRADELANE_REQUIRE_SERVICES === '1';

/** Result of looking for a service: its location, or why the test is skipped. */
export type ServiceLookup = { available: true; value: string } | { available: false; skip: string };

/**
 * Looks up the environment variable naming a service. Throws when it is missing and services are required.
 * @example const pg = lookupService('TRADELANE_TEST_DATABASE_URL', 'Postgres')
 */
export function lookupService(envVar: string, what: string): ServiceLookup {
  const value = process.env[envVar];
  if (value) return { available: true, value };
  const reason = `${what} tests skipped: ${envVar} is not set`;
  if (requireServices) throw new Error(`${reason}, and TRADELANE_REQUIRE_SERVICES=1 requires it`);
  console.log(`# ${reason}`);
  return { available: false, skip: reason };
}
