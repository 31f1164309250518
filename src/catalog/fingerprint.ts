import { createHash } from 'node:crypto';
import type { LowValueMeasure } from './measure.js';
import type { ServiceDefinition } from './service.js';

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/**
 * What decides which episodes a service holds, as a short hash: its codes, limits and counting
 * rules, not its names or notes. The strata cube keeps each service's rows under this fingerprint,
 * so editing one definition refreshes that service only.
 */
export const serviceFingerprint = (s: ServiceDefinition): string =>
  hash([s.include, s.age ?? null, s.sex ?? null, s.careLevels ?? null, s.providerTypes ?? null]);

/** A low-value measure's fingerprint covers its own rules and its service's. */
export const measureFingerprint = (m: LowValueMeasure, service: ServiceDefinition): string =>
  hash([m.age ?? null, m.exclude, serviceFingerprint(service)]);
