/**
 * The Identity URL (`/id/<orgId>/<userId>`): who a session belongs to, as the token endpoint's `id` and the
 * REST version root's `identity` name it and jsforce's `identity()` and the Salesforce CLI read it. A
 * session may read its own user's identity only.
 */
export interface IdentityUser {
  id: string;
  username: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  timeZone: string;
  locale: string;
  language: string;
  lastModifiedDate: string;
}

/** The zone's offset from UTC now, in milliseconds, as the identity service reports `utcOffset`. */
function utcOffset(timeZone: string, now: Date): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return (match[1] === '-' ? -minutes : minutes) * 60_000;
  } catch {
    return 0;
  }
}

export function identityUrl(instanceUrl: string, orgId: string, userId: string): string {
  return `${instanceUrl}/id/${orgId}/${userId}`;
}

/** The identity service's JSON answer; service URLs keep Salesforce's `{version}` placeholder. */
export function identityBody(
  instanceUrl: string,
  orgId: string,
  user: IdentityUser,
  now: Date,
): Record<string, unknown> {
  const data = `${instanceUrl}/services/data/v{version}`;
  const soap = (kind: string): string => `${instanceUrl}/services/Soap/${kind}/{version}/${orgId}`;
  return {
    id: identityUrl(instanceUrl, orgId, user.id),
    asserted_user: true,
    user_id: user.id,
    organization_id: orgId,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: user.name,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timeZone,
    photos: { picture: null, thumbnail: null },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: soap('c'),
      metadata: soap('m'),
      partner: soap('u'),
      rest: `${data}/`,
      sobjects: `${data}/sobjects/`,
      search: `${data}/search/`,
      query: `${data}/query/`,
      recent: `${data}/recent/`,
      tooling_soap: soap('T'),
      tooling_rest: `${data}/tooling/`,
      profile: `${instanceUrl}/${user.id}`,
      feeds: `${data}/chatter/feeds`,
      groups: `${data}/chatter/groups`,
      users: `${data}/chatter/users`,
      feed_items: `${data}/chatter/feed-items`,
      feed_elements: `${data}/chatter/feed-elements`,
      custom_domain: instanceUrl,
    },
    active: true,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffset(user.timeZone, now),
    last_modified_date: user.lastModifiedDate,
    is_app_installed: true,
  };
}
