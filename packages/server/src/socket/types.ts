import type { ErrorCode, ServerEvents } from '@kindred/protocol';
import type { Server, Socket } from 'socket.io';
import type { Caller } from '../services/caller.js';

export type ServerToClient = { [K in keyof ServerEvents]: (payload: ServerEvents[K]) => void };
/** Client events are declared loosely here: each payload is parsed by the wrapper before use. */
export type ClientToServer = Record<string, (...args: unknown[]) => void>;

export interface SocketData {
  caller: Caller;
  /** Why a credential the client sent was not accepted, for the `session` event. */
  sessionReason?: ErrorCode;
}

export type KindredServer = Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
export type KindredSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
