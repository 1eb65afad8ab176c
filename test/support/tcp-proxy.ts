/**
 * A loopback TCP proxy in front of the Kindred server. `cut()` drops every
 * connection and refuses new ones, the way a train tunnel or a closed laptop
 * lid does; `restore()` lets traffic through again.
 */
import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './net.js';

export interface TcpProxy {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const open = new Set<Socket>();
  let online = true;
  const server = createServer((inbound) => {
    if (!online) {
      inbound.destroy();
      return;
    }
    const outbound = connect(targetPort, '127.0.0.1');
    open.add(inbound).add(outbound);
    const drop = (): void => {
      inbound.destroy();
      outbound.destroy();
      open.delete(inbound);
      open.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => {
      online = false;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore: () => {
      online = true;
    },
    close: () =>
      new Promise((resolve) => {
        online = false;
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
