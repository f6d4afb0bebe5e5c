/**
 * Queue metadata (`queues/<DeveloperName>.queue`) as an org applies a deploy of it: the queue is a `Group`
 * of Type `Queue` (DeveloperName = the component's name, Name = `<name>`, `<email>`,
 * `<doesSendEmailToMembers>`, `<description>`), with one `QueueSobject` per `<queueSobject><sobjectType>`;
 * `<queueMembers>` add users (`<users><user>` by username) and public groups (`<publicGroups><publicGroup>`
 * by DeveloperName) as `GroupMember`s. Members not named are left alone: membership is org data, changed in
 * Setup. A redeploy of the same queue writes nothing.
 */
import type { RecordStore, Stored } from '../store/record-store.ts';
import { children, text, type XmlNode } from './validate.ts';

export type QueueOutcome = 'created' | 'changed' | 'unchanged';

function sobjectTypes(root: XmlNode | undefined): string[] {
  return children(root, 'queueSobject')
    .map((node) => text(node, 'sobjectType') ?? '')
    .filter((name) => name !== '');
}

function memberNames(root: XmlNode | undefined, list: string, item: string): string[] {
  return children(root, 'queueMembers').flatMap((members) =>
    children(members, list).flatMap((node) =>
      children(node, item).filter((name): name is string => typeof name === 'string'),
    ),
  );
}

function one(
  store: RecordStore,
  soqlTable: string,
  where: string,
  ...params: (string | number)[]
): string | undefined {
  const row = store.db.prepare(`SELECT "Id" FROM "${soqlTable}" WHERE ${where} LIMIT 1`).get(...params) as
    { Id: string } | undefined;
  return row?.Id;
}

function userId(store: RecordStore, username: string): string | undefined {
  return one(store, 'User', '"Username" = ?', username);
}

function publicGroupId(store: RecordStore, developerName: string): string | undefined {
  return one(store, 'Group', `"DeveloperName" = ? AND "Type" = 'Regular'`, developerName);
}

/** What the org would refuse in a queue component, in its words. */
export function queueProblems(store: RecordStore, fullName: string, root: XmlNode | undefined): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(fullName) || fullName.endsWith('_')) {
    problems.push(
      `The Queue Name ${fullName} can only contain underscores and alphanumeric characters. It must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
    );
  }
  if (!text(root, 'name')) problems.push('Required field is missing: name');
  const allowed = store.schema.field('QueueSobject', 'SobjectType')?.picklistValues.map((p) => p.value) ?? [];
  for (const type of sobjectTypes(root)) {
    if (!allowed.includes(type)) problems.push(`In field: sobjectType - no CustomObject named ${type} found`);
  }
  for (const username of memberNames(root, 'users', 'user')) {
    if (!userId(store, username)) problems.push(`In field: user - no User named ${username} found`);
  }
  for (const group of memberNames(root, 'publicGroups', 'publicGroup')) {
    if (!publicGroupId(store, group)) problems.push(`In field: publicGroup - no Group named ${group} found`);
  }
  return problems;
}

/** Creates or updates the queue, its objects and its named members. */
export function applyQueue(store: RecordStore, fullName: string, root: XmlNode | undefined): QueueOutcome {
  const group = store.schema.object('Group');
  if (!group) throw new Error('the dev org has no Group object');
  const wanted: Record<string, string | boolean | null> = {
    Name: text(root, 'name') ?? fullName,
    Email: text(root, 'email') ?? null,
    DoesSendEmailToMembers: text(root, 'doesSendEmailToMembers') === 'true',
    Description: text(root, 'description')?.slice(0, 255) ?? null,
  };
  let outcome: QueueOutcome = 'unchanged';
  let queueId = one(store, 'Group', `"DeveloperName" = ? AND "Type" = 'Queue'`, fullName);
  if (!queueId) {
    queueId = store.create('Group', { DeveloperName: fullName, Type: 'Queue', ...wanted });
    outcome = 'created';
  } else {
    const row = store.getStored(group, queueId) ?? {};
    const stored = (value: string | boolean | null): Stored =>
      typeof value === 'boolean' ? (value ? 1 : 0) : value;
    const changed = Object.fromEntries(
      Object.entries(wanted).filter(([name, value]) => (row[name] ?? null) !== stored(value)),
    );
    if (Object.keys(changed).length > 0) {
      store.update('Group', queueId, changed);
      outcome = 'changed';
    }
  }

  const types = sobjectTypes(root);
  const current = store.db
    .prepare('SELECT "Id", "SobjectType" FROM "QueueSobject" WHERE "QueueId" = ?')
    .all(queueId) as { Id: string; SobjectType: string }[];
  for (const type of types) {
    if (current.some((row) => row.SobjectType === type)) continue;
    store.create('QueueSobject', { QueueId: queueId, SobjectType: type });
    if (outcome === 'unchanged') outcome = 'changed';
  }
  for (const row of current) {
    if (types.includes(row.SobjectType)) continue;
    store.delete('QueueSobject', row.Id);
    if (outcome === 'unchanged') outcome = 'changed';
  }

  const members = [
    ...memberNames(root, 'users', 'user').map((name) => userId(store, name)),
    ...memberNames(root, 'publicGroups', 'publicGroup').map((name) => publicGroupId(store, name)),
  ].filter((id): id is string => id !== undefined);
  for (const member of members) {
    if (one(store, 'GroupMember', '"GroupId" = ? AND "UserOrGroupId" = ?', queueId, member)) continue;
    store.create('GroupMember', { GroupId: queueId, UserOrGroupId: member });
    if (outcome === 'unchanged') outcome = 'changed';
  }
  return outcome;
}
