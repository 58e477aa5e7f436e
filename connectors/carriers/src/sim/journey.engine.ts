import { hashSeed, seededRandom, type SeededRandom } from '../shared/seeded-random.js';

/** How a simulated shipment's journey ends: delivered first time, after an exception, or back to the shipper. */
export const carrierScenarios = ['normal', 'address_issue', 'delivery_attempted', 'return_to_sender'] as const;

/** A scenario a simulated shipment follows. */
export type CarrierScenario = (typeof carrierScenarios)[number];

/** One planned step of a journey: the carrier's own code and how to build its native event at a given time. */
export interface PlannedStep<N> {
  code: string;
  build(at: Date): N;
}

/** What a carrier simulator plugs into the engine: its numbering, its journeys, its raw event builder. */
export interface CarrierScript<C, N> {
  /** Number a new shipment; `random` is the simulator's seeded generator. */
  newTrackingNumber(random: SeededRandom): string;
  /** Every step of a shipment's journey, the first emitted at creation. Same input, same plan. */
  plan(scenario: CarrierScenario, trackingNumber: string, request: C, random: SeededRandom): Array<PlannedStep<N>>;
  /** Builds a native event with an arbitrary code (admin injection, to exercise unknown codes). */
  raw(code: string, detail: string | undefined, at: Date): N;
}

/** One event a simulated carrier emitted, with its global sequence number. */
export interface JourneyEvent<N> {
  seq: number;
  trackingNumber: string;
  code: string;
  at: Date;
  data: N;
}

/** A simulated shipment. */
export interface JourneyShipment<C, N> {
  trackingNumber: string;
  reference: string;
  request: C;
  scenario: CarrierScenario;
  createdAt: Date;
  plan: Array<PlannedStep<N>>;
  /** How many planned steps were emitted. */
  emitted: number;
  events: Array<JourneyEvent<N>>;
}

/** A summary line of a simulated shipment (admin listing, advance results). */
export interface JourneySummary {
  trackingNumber: string;
  reference: string;
  scenario: CarrierScenario;
  code: string;
  final: boolean;
}

/** A refusal by the simulator, with the HTTP status it answers with. */
export class CarrierSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CarrierSimError';
  }
}

/** Engine options. */
export interface JourneyEngineOptions {
  seed: number;
  /** Scenario per tracking number or shipper reference; others follow `normal`. */
  scenarios?: Record<string, CarrierScenario>;
  /** Clock of the simulated carrier. @default () => new Date() */
  now?: () => Date;
}

/** The carrier-neutral core of a carrier simulator: shipments, deterministic journeys, one global event log. */
export interface JourneyEngine<C, N> {
  /** Creates a shipment, or returns the existing one for this reference (`duplicate: true`). */
  create(reference: string, request: C): { shipment: JourneyShipment<C, N>; duplicate: boolean };
  get(trackingNumber: string): JourneyShipment<C, N> | undefined;
  /** Emits the next step of one shipment, or of every unfinished one; `toEnd` runs to the final step. */
  advance(trackingNumber?: string, options?: { toEnd?: boolean }): JourneySummary[];
  /** Changes the scenario of a shipment (by tracking number or reference) or of one not yet created. */
  setScenario(key: string, scenario: CarrierScenario): void;
  /** Appends a raw event with any code (to exercise unknown codes downstream). */
  inject(trackingNumber: string, code: string, detail?: string): JourneyEvent<N>;
  /** Events with `seq > after`, oldest first, at most `limit`; `more` says whether others follow. */
  eventsAfter(after: number, limit: number): { events: Array<JourneyEvent<N>>; more: boolean };
  list(): JourneySummary[];
  summary(shipment: JourneyShipment<C, N>): JourneySummary;
}

/** Creates the engine for one carrier script. */
export function createJourneyEngine<C, N>(script: CarrierScript<C, N>, options: JourneyEngineOptions): JourneyEngine<C, N> {
  const now = options.now ?? (() => new Date());
  const numbering = seededRandom(options.seed);
  const scenarios = new Map<string, CarrierScenario>(Object.entries(options.scenarios ?? {}));
  const byNumber = new Map<string, JourneyShipment<C, N>>();
  const byReference = new Map<string, JourneyShipment<C, N>>();
  const log: Array<JourneyEvent<N>> = [];

  const isFinal = (s: JourneyShipment<C, N>) => s.emitted >= s.plan.length;
  const lastCode = (s: JourneyShipment<C, N>) => s.events.at(-1)?.code ?? '';
  const summary = (s: JourneyShipment<C, N>): JourneySummary => ({
    trackingNumber: s.trackingNumber,
    reference: s.reference,
    scenario: s.scenario,
    code: lastCode(s),
    final: isFinal(s),
  });
  const eventTime = (s: JourneyShipment<C, N>): Date => {
    const wall = Math.floor(now().getTime() / 1000) * 1000;
    const last = s.events.at(-1)?.at.getTime() ?? 0;
    return new Date(Math.max(wall, last));
  };
  const append = (s: JourneyShipment<C, N>, code: string, data: N, at: Date): JourneyEvent<N> => {
    const event = { seq: log.length + 1, trackingNumber: s.trackingNumber, code, at, data };
    log.push(event);
    s.events.push(event);
    return event;
  };
  const emitNext = (s: JourneyShipment<C, N>): boolean => {
    const step = s.plan[s.emitted];
    if (!step) return false;
    const at = eventTime(s);
    append(s, step.code, step.build(at), at);
    s.emitted += 1;
    return true;
  };
  const planFor = (trackingNumber: string, scenario: CarrierScenario, request: C) =>
    script.plan(scenario, trackingNumber, request, seededRandom(hashSeed(options.seed, trackingNumber)));
  const find = (key: string) => byNumber.get(key) ?? byReference.get(key);
  const mustGet = (trackingNumber: string) => {
    const s = byNumber.get(trackingNumber);
    if (!s) throw new CarrierSimError(404, 'NOT_FOUND', `no shipment with tracking number ${trackingNumber}`);
    return s;
  };

  return {
    create(reference, request) {
      const existing = byReference.get(reference);
      if (existing) return { shipment: existing, duplicate: true };
      let trackingNumber = script.newTrackingNumber(numbering);
      while (byNumber.has(trackingNumber)) trackingNumber = script.newTrackingNumber(numbering);
      const scenario = scenarios.get(trackingNumber) ?? scenarios.get(reference) ?? 'normal';
      const shipment: JourneyShipment<C, N> = {
        trackingNumber,
        reference,
        request,
        scenario,
        createdAt: new Date(Math.floor(now().getTime() / 1000) * 1000),
        plan: planFor(trackingNumber, scenario, request),
        emitted: 0,
        events: [],
      };
      byNumber.set(trackingNumber, shipment);
      byReference.set(reference, shipment);
      emitNext(shipment);
      return { shipment, duplicate: false };
    },
    get: (trackingNumber) => byNumber.get(trackingNumber),
    advance(trackingNumber, advanceOptions) {
      const targets = trackingNumber === undefined ? [...byNumber.values()].filter((s) => !isFinal(s)) : [mustGet(trackingNumber)];
      const changed: JourneySummary[] = [];
      for (const s of targets) {
        let moved = emitNext(s);
        if (advanceOptions?.toEnd) while (emitNext(s)) moved = true;
        if (moved) changed.push(summary(s));
      }
      return changed;
    },
    setScenario(key, scenario) {
      const s = find(key);
      if (!s) {
        scenarios.set(key, scenario);
        return;
      }
      const plan = planFor(s.trackingNumber, scenario, s.request);
      const emittedCodes = s.plan.slice(0, s.emitted).map((p) => p.code);
      const sharedPrefix = plan.slice(0, s.emitted).map((p) => p.code);
      if (emittedCodes.join() !== sharedPrefix.join()) {
        throw new CarrierSimError(409, 'TOO_LATE', `shipment ${s.trackingNumber} is past the point where scenario ${scenario} diverges`);
      }
      s.scenario = scenario;
      s.plan = plan;
    },
    inject(trackingNumber, code, detail) {
      const s = mustGet(trackingNumber);
      const at = eventTime(s);
      return append(s, code, script.raw(code, detail, at), at);
    },
    eventsAfter(after, limit) {
      const start = Math.max(0, Math.min(after, log.length));
      const events = log.slice(start, start + limit);
      return { events, more: start + events.length < log.length };
    },
    list: () => [...byNumber.values()].map(summary),
    summary,
  };
}
