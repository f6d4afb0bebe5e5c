/**
 * How to name an org back to the admin in a next step ("run sf social status --target-org …"): its alias
 * when it has one — what they typed, and shorter — else its username, else its id.
 */
import { StateAggregator, type Org } from '@salesforce/core';

export async function orgName(org: Org): Promise<string> {
  const username = org.getUsername();
  if (!username) return org.getOrgId();
  const { aliases } = await StateAggregator.getInstance();
  return aliases.get(username) ?? username;
}
