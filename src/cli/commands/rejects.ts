import { formatTable } from '../format-table.js';
import { withReadStore, type StoreOptions } from '../with-store.js';

export async function rejectsCommand(db: StoreOptions, options: { import?: number; limit: number; json?: boolean }): Promise<void> {
  await withReadStore(db, async (store) => {
    const rows = await store.rejects({ importId: options.import, limit: options.limit });
    if (options.json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      console.log('No rejected rows.');
      return;
    }
    console.log(
      formatTable(
        ['import', 'file', 'line', 'column', 'reason', 'value'],
        rows.map((r) => [String(r.importId), r.fileName, String(r.line), r.column, r.reason, r.value]),
      ),
    );
    if (rows.length === options.limit) console.log(`(first ${options.limit}; use --limit for more)`);
  });
}
