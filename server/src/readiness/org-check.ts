import type { CheckResult, ReadinessCheck } from './readiness.ts';

/** The one thing the org check needs: the Salesforce gateway's ping, or a fake in tests. */
export interface OrgPinger {
  ping(): Promise<CheckResult>;
}

/** Ready only when the org answers an authenticated API call. */
export function createOrgReadinessCheck(gateway: OrgPinger): ReadinessCheck {
  return { name: 'org', check: () => gateway.ping() };
}
