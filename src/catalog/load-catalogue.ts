import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { VaratlasError } from '../errors.js';
import type { Catalogue, ServiceDefinition } from './service.js';
import { validateService } from './validate-service.js';

/** The catalogue shipped with varatlas: the services of the Helse Midt-Norge analysis model (source 004). */
export const defaultCataloguePath = new URL('../../catalog/default.yaml', import.meta.url).pathname;

/**
 * Read the default catalogue and any user catalogues after it. A user entry with the id of an
 * earlier one replaces it (say so with the same id); new ids are added.
 */
export async function loadCatalogue(extraFiles: string[] = []): Promise<Catalogue> {
  const files = [defaultCataloguePath, ...extraFiles];
  const byId = new Map<string, ServiceDefinition>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new VaratlasError('input', `cannot read the catalogue ${file}`);
    }
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (error) {
      throw new VaratlasError('input', `${basename(file)} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    const services = (doc as { services?: unknown })?.services;
    if (!Array.isArray(services)) throw new VaratlasError('input', `${basename(file)}: expected a top-level 'services:' list`);
    const seen = new Set<string>();
    services.forEach((raw, i) => {
      const service = validateService(raw, basename(file), i);
      if (seen.has(service.id)) throw new VaratlasError('input', `${basename(file)}: service '${service.id}' is defined twice`);
      seen.add(service.id);
      byId.set(service.id, service);
    });
  }
  const services = [...byId.values()];
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(services.map(({ file: _file, ...rest }) => rest)))
    .digest('hex')
    .slice(0, 16);
  return { services, fingerprint, files };
}

export function findService(catalogue: Catalogue, id: string): ServiceDefinition {
  const service = catalogue.services.find((s) => s.id === id);
  if (!service) {
    throw new VaratlasError('usage', `no service '${id}' in the catalogue; see varatlas services for the list`);
  }
  return service;
}
