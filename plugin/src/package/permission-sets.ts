/**
 * Permission set assignments, as `sf org assign permset` makes them: look the permission sets up by
 * `Name`, the users by `Username`, and insert a `PermissionSetAssignment` for each pair that is not there
 * yet, so running it again assigns nothing twice.
 */
import type { Connection } from '@salesforce/core';
import { errors } from '../shared/messages.ts';
import type { AssignmentRequest, AssignmentOutcome, PermissionSetState } from '../results.ts';

/** A SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function inList(values: readonly string[]): string {
  return `(${[...new Set(values)].map(soqlString).join(', ')})`;
}

async function permissionSetIds(conn: Connection, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const result = await conn.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM PermissionSet WHERE Name IN ${inList(names)}`,
  );
  return new Map(result.records.map((r) => [r.Name.toLowerCase(), r.Id]));
}

async function userIds(conn: Connection, usernames: readonly string[]): Promise<Map<string, string>> {
  if (usernames.length === 0) return new Map();
  const result = await conn.query<{ Id: string; Username: string }>(
    `SELECT Id, Username FROM User WHERE Username IN ${inList(usernames)}`,
  );
  return new Map(result.records.map((r) => [r.Username.toLowerCase(), r.Id]));
}

/**
 * Assigns what is missing. Unknown users fail the whole call (nothing assigned), naming them; so do
 * permission sets the org lacks, unless `dryRun` (they may arrive with the deploy being previewed).
 */
export async function assignPermissionSets(
  conn: Connection,
  requests: readonly AssignmentRequest[],
  options: { dryRun: boolean },
): Promise<AssignmentOutcome[]> {
  const sets = await permissionSetIds(
    conn,
    requests.map((r) => r.permissionSet),
  );
  const users = await userIds(
    conn,
    requests.map((r) => r.username),
  );
  const unknownUsers = [
    ...new Set(requests.map((r) => r.username).filter((u) => !users.has(u.toLowerCase()))),
  ];
  if (unknownUsers.length > 0) {
    throw errors.createError('error.UnknownUser', [unknownUsers.join(', ')]);
  }
  const missingSets = [
    ...new Set(requests.map((r) => r.permissionSet).filter((p) => !sets.has(p.toLowerCase()))),
  ];
  if (missingSets.length > 0 && !options.dryRun) {
    throw errors.createError('error.MissingPermissionSet', [missingSets.join(', ')]);
  }
  const existing = new Set<string>();
  if (sets.size > 0 && users.size > 0) {
    const result = await conn.query<{ AssigneeId: string; PermissionSetId: string }>(
      `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE PermissionSetId IN ${inList([
        ...sets.values(),
      ])} AND AssigneeId IN ${inList([...users.values()])}`,
    );
    for (const r of result.records) existing.add(`${r.AssigneeId}#${r.PermissionSetId}`);
  }

  const outcomes: AssignmentOutcome[] = [];
  const toCreate: { AssigneeId: string; PermissionSetId: string }[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const userId = users.get(request.username.toLowerCase())!;
    const setId = sets.get(request.permissionSet.toLowerCase());
    const key = `${userId}#${setId ?? request.permissionSet}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (setId && existing.has(key)) outcomes.push({ ...request, status: 'already-assigned' });
    else if (options.dryRun || !setId) outcomes.push({ ...request, status: 'would-assign' });
    else {
      toCreate.push({ AssigneeId: userId, PermissionSetId: setId });
      outcomes.push({ ...request, status: 'assigned' });
    }
  }
  if (toCreate.length > 0) {
    const results = await conn.sobject('PermissionSetAssignment').create(toCreate, { allOrNone: true });
    const failed = results.filter((r) => !r.success);
    if (failed.length > 0) {
      const reasons = failed.flatMap((r) => ('errors' in r ? r.errors : [])).map((e) => e.message);
      throw errors.createError('error.AssignFailed', [reasons.join('; ')]);
    }
  }
  return outcomes;
}

/** Each permission set: whether the org has it, and who is assigned. */
export async function permissionSetStates(
  conn: Connection,
  names: readonly string[],
): Promise<PermissionSetState[]> {
  const sets = await permissionSetIds(conn, names);
  const assignees = new Map<string, string[]>();
  if (sets.size > 0) {
    const result = await conn.query<{ PermissionSetId: string; Assignee: { Username: string } | null }>(
      `SELECT PermissionSetId, Assignee.Username FROM PermissionSetAssignment WHERE PermissionSetId IN ${inList(
        [...sets.values()],
      )}`,
    );
    for (const r of result.records) {
      const list = assignees.get(r.PermissionSetId) ?? [];
      if (r.Assignee?.Username) list.push(r.Assignee.Username);
      assignees.set(r.PermissionSetId, list);
    }
  }
  return names.map((name) => {
    const id = sets.get(name.toLowerCase());
    return {
      permissionSet: name,
      exists: id !== undefined,
      assignees: id ? (assignees.get(id) ?? []).sort() : [],
    };
  });
}
