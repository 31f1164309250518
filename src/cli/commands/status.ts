import { describeStatus } from '../describe.js';
import { withStore, type StoreOptions } from '../with-store.js';

export async function statusCommand(db: StoreOptions, options: { json?: boolean }): Promise<void> {
  await withStore(db, async (store) => {
    const status = await store.status();
    console.log(options.json ? JSON.stringify(status, null, 2) : describeStatus(status));
  });
}
