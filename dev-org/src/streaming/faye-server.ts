// The part of faye's server API the dev org uses (faye ships no types; jsforce declares only its Client).
import type { IncomingMessage, Server } from 'node:http';

export interface BayeuxMessage {
  channel: string;
  clientId?: string;
  subscription?: string | string[];
  data?: unknown;
  ext?: Record<string, unknown>;
  error?: string;
  successful?: boolean;
  advice?: Record<string, unknown>;
}

export interface Extension {
  incoming?: (
    message: BayeuxMessage,
    request: IncomingMessage,
    callback: (message: BayeuxMessage) => void,
  ) => void;
  outgoing?: (
    message: BayeuxMessage,
    request: IncomingMessage,
    callback: (message: BayeuxMessage) => void,
  ) => void;
}

export interface NodeAdapter {
  attach(server: Server): void;
  addExtension(extension: Extension): void;
  getClient(): { publish(channel: string, data: unknown): unknown };
  close(): void;
  on(event: 'subscribe' | 'unsubscribe', listener: (clientId: string, channel: string) => void): void;
}

export interface FayeServerModule {
  NodeAdapter: new (options: { mount: string; timeout?: number; ping?: number }) => NodeAdapter;
}
