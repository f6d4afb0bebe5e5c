/** The Mastodon connector: what the composition root and tests need. */
export { MastodonConnector } from './mastodon-connector.ts';
export type { MastodonConnectorOptions } from './mastodon-connector.ts';
export {
  MastodonAccount,
  MastodonNotification,
  MastodonStatus,
  NOTIFICATION_TYPES,
  compareIds,
  normalizeAcct,
  toMention,
} from './status.ts';
export { htmlToText } from './html-text.ts';
export type { HtmlText } from './html-text.ts';
export { MastodonApiError, MastodonClient, parseLinkHeader } from './client.ts';
