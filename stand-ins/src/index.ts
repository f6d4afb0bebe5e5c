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
export { LOCAL_HANDLE_DOMAINS } from './bluesky.ts';
export { withLoopbackListeners } from './loopback.ts';
export { BRAND, startDemoNetworks } from './demo-networks.ts';
export type { DemoNetworks, DemoNetworksOptions } from './demo-networks.ts';
export { DemoTraffic } from './demo-traffic.ts';
export type { PlayedBeat } from './demo-traffic.ts';
export { DEMO_WEEK } from './demo-week.ts';
export type { DemoBeat, DemoIntent } from './demo-week.ts';
export { STRANGERS, castProblems, demoCast, findAccount, knownCast } from './demo-cast.ts';
export type { DemoAccount, DemoPerson, OrgPerson, OrgPersona } from './demo-cast.ts';
