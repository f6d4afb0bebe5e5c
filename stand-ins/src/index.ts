export { startXStandIn, xDate } from './x.ts';
export type {
  AddMentionInput,
  AddedMention,
  RateLimitSetting,
  WebhookDelivery,
  XEndpoint,
  XFaults,
  XRequestRecord,
  XStandIn,
  XStandInOptions,
  XTweet,
  XUser,
} from './x.ts';
export { metaJson, startMetaStandIn } from './meta.ts';
export type {
  FacebookAuthor,
  MetaChange,
  MetaDelivery,
  MetaFaults,
  MetaObject,
  MetaReply,
  MetaStandIn,
  MetaStandInOptions,
} from './meta.ts';
export { startMastodonStandIn } from './mastodon.ts';
export type { MastodonStandIn } from './mastodon.ts';
export { startLocalBluesky } from './bluesky.ts';
export type { LocalAccount, LocalBluesky } from './bluesky.ts';
