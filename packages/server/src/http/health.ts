import type { ServerResponse } from 'node:http';
import { PROTOCOL_VERSION } from '@kindred/protocol';
import type { Store } from '../store/store.js';
import { sendJson } from './respond.js';

export async function serveHealth(res: ServerResponse, store: Store, version: string): Promise<void> {
  let ok = true;
  try {
    await store.check();
  } catch {
    ok = false;
  }
  sendJson(res, ok ? 200 : 503, {
    status: ok ? 'ok' : 'unavailable',
    version,
    protocol: PROTOCOL_VERSION,
    store: { kind: store.kind, ok },
  });
}
