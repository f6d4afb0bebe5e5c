/** Account Activity payloads as X documents them (v1.1 objects), built per test. */

export const BRAND_ID = '1100000000000000001';

export function v1User(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id_str: '6253282',
    name: 'Ann Lee',
    screen_name: 'ann_lee',
    location: 'Lisbon',
    url: 'https://annlee.example',
    description: 'Coffee first. Opinions my own.',
    verified: false,
    followers_count: 1520,
    friends_count: 310,
    created_at: 'Wed May 23 06:01:13 +0000 2007',
    profile_image_url_https: 'https://pbs.twimg.com/profile_images/1/ann_normal.jpg',
    ...overrides,
  };
}

export function v1Tweet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    created_at: 'Wed Oct 10 20:19:24 +0000 2018',
    id_str: '1050118621198921728',
    text: '@socialcrm_demo my order #A123 never arrived 😞 https://t.co/abcdefghij #fail',
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    truncated: false,
    in_reply_to_status_id: null,
    in_reply_to_status_id_str: null,
    in_reply_to_user_id: null,
    in_reply_to_user_id_str: null,
    in_reply_to_screen_name: null,
    user: v1User(),
    is_quote_status: false,
    quote_count: 1,
    reply_count: 2,
    retweet_count: 3,
    favorite_count: 4,
    entities: {
      hashtags: [
        { text: 'A123', indices: [25, 30] },
        { text: 'fail', indices: [71, 76] },
      ],
      urls: [
        {
          url: 'https://t.co/abcdefghij',
          expanded_url: 'https://shop.example/orders/A123',
          display_url: 'shop.example/orders/A123',
          indices: [47, 70],
        },
      ],
      user_mentions: [
        { screen_name: 'socialcrm_demo', name: 'Social CRM Demo', id_str: BRAND_ID, indices: [0, 15] },
      ],
      symbols: [],
    },
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: 'en',
    timestamp_ms: '1539202764000',
    ...overrides,
  };
}

export function activity(
  events: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { for_user_id: BRAND_ID, user_has_blocked: false, tweet_create_events: events, ...extra };
}
