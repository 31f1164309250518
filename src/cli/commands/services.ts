import { describeService } from '../../catalog/describe-service.js';
import { findService, loadCatalogue } from '../../catalog/load-catalogue.js';
import { formatTable } from '../format-table.js';

export async function servicesCommand(catalogFiles: string[], id: string | undefined, options: { json?: boolean; lang: 'nb' | 'en' }): Promise<void> {
  const catalogue = await loadCatalogue(catalogFiles);
  if (id) {
    const service = findService(catalogue, id);
    console.log(options.json ? JSON.stringify(service, null, 2) : describeService(service, options.lang));
    return;
  }
  if (options.json) {
    console.log(JSON.stringify(catalogue.services, null, 2));
    return;
  }
  console.log(
    formatTable(
      ['id', 'name', 'specialty', 'contract volume', 'confirm locally'],
      catalogue.services.map((s) => [s.id, s.name[options.lang], s.specialty, s.contractVolume ?? null, s.confirm ? 'yes' : '']),
    ),
  );
  console.log(`\n${catalogue.services.length} services from ${catalogue.files.join(', ')}; varatlas services show ID explains one.`);
}
