// The document store of a running app: one per configuration (tests run several apps).
import { join } from 'node:path';
import type { Config } from '../../config';
import { EncryptedFileStorage, type DocumentStorage } from './storage';

const stores = new WeakMap<Config, DocumentStorage>();

export function documentStorage(config: Config): DocumentStorage {
  let store = stores.get(config);
  if (!store) {
    store = new EncryptedFileStorage(join(config.dataDir, 'documents'), config.secretKey);
    stores.set(config, store);
  }
  return store;
}
