/**
 * What the social inbox asks of the org, through jsforce and fetch over HTTP, with Salesforce's answers and
 * error bodies: queues (`Group` of Type `Queue`, `GroupMember`, `QueueSobject`) and the SOQL the sync
 * server runs on them, record owners (a user or a queue that takes the object; the refusals of a public
 * group, a queue that does not take the object, an inactive user and an unknown id), and `BusinessHours`.
 */
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import { startDevOrg, type DevOrg } from '../src/index.ts';

const API = '/services/data/v62.0';

interface ErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

function connect(org: DevOrg): Connection {
  return new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
  });
}

/** One REST call: its status and JSON body (null for 204). */
async function rest(
  org: DevOrg,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${org.url}${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** A refused call: its status and its one error. */
async function refused(
  org: DevOrg,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; error: ErrorBody }> {
  const { status, body: errors } = await rest(org, method, path, body);
  expect(status, JSON.stringify(errors)).to.be.at.least(400);
  expect(errors).to.be.an('array').with.length(1);
  return { status, error: (errors as ErrorBody[])[0]! };
}

async function idOf(conn: Connection, soql: string): Promise<string> {
  const result = await conn.query<{ Id: string }>(soql);
  const [first] = result.records;
  if (!first) throw new Error(`no record for ${soql}`);
  return first.Id;
}

describe('queues, record owners and business hours (jsforce over HTTP)', function () {
  this.timeout(30_000);
  let org: DevOrg;
  let conn: Connection;
  const ids: Record<string, string> = {};

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = connect(org);
    const queue = (name: string) =>
      idOf(conn, `SELECT Id FROM Group WHERE DeveloperName = '${name}' AND Type = 'Queue'`);
    const user = (name: string) => idOf(conn, `SELECT Id FROM User WHERE Username = '${name}'`);
    ids['support'] = await queue('Social_Support');
    ids['sales'] = await queue('Social_Sales');
    ids['vip'] = await queue('Social_VIP');
    ids['care'] = await queue('Social_Care');
    ids['priya'] = await user('priya.raman@acme-outdoor.example');
    ids['mateo'] = await user('mateo.alvarez@acme-outdoor.example');
    ids['admin'] = await user(org.adminUsername);
  });
  after(async () => {
    await org.close();
  });

  describe('Group, GroupMember and QueueSobject', () => {
    it('describes them as Salesforce does', async () => {
      const group = await conn.sobject('Group').describe();
      const field = (name: string) => group.fields.find((f) => f.name === name);
      expect(group.keyPrefix).to.equal('00G');
      expect(field('DeveloperName')).to.include({
        type: 'string',
        length: 80,
        createable: true,
        nillable: true,
      });
      expect(field('Type')).to.include({
        type: 'picklist',
        createable: true,
        updateable: false,
        restrictedPicklist: true,
      });
      expect((field('Type')?.picklistValues ?? []).map((p) => p.value)).to.include.members([
        'Regular',
        'Queue',
      ]);
      expect(field('Email')).to.include({ type: 'email', length: 255 });
      expect(field('DoesSendEmailToMembers')).to.include({ type: 'boolean', defaultedOnCreate: true });
      expect(group.childRelationships.map((c) => c.relationshipName)).to.include.members([
        'GroupMembers',
        'QueueSobjects',
      ]);

      const member = await conn.sobject('GroupMember').describe();
      expect(member).to.include({ keyPrefix: '011', createable: true, updateable: false, deletable: true });
      expect(member.fields.find((f) => f.name === 'UserOrGroupId')).to.deep.include({
        type: 'reference',
        referenceTo: ['Group', 'User'],
        relationshipName: null,
        polymorphicForeignKey: true,
      });
      const queueSobject = await conn.sobject('QueueSobject').describe();
      expect(queueSobject).to.include({ keyPrefix: '03g', updateable: false });
      const sobjectType = queueSobject.fields.find((f) => f.name === 'SobjectType');
      expect((sobjectType?.picklistValues ?? []).map((p) => p.value)).to.include.members([
        'Case',
        'Lead',
        'Social_Post__c',
        'Social_Persona__c',
      ]);
      expect(queueSobject.fields.find((f) => f.name === 'QueueId')).to.deep.include({
        referenceTo: ['Group'],
        relationshipName: 'Queue',
      });
    });

    it('answers the queue queries of the sync server: queues for an object, and a user’s queues', async () => {
      const queues = await conn.query<{ Id: string; DeveloperName: string; Name: string }>(
        "SELECT Id, DeveloperName, Name FROM Group WHERE Type = 'Queue' AND Id IN (SELECT QueueId FROM QueueSobject WHERE SobjectType = 'Social_Post__c') ORDER BY Name",
      );
      expect(queues.records.map((q) => [q.DeveloperName, q.Name])).to.deep.equal([
        ['Social_Sales', 'Social Sales'],
        ['Social_Support', 'Social Support'],
        ['Social_VIP', 'Social VIP'],
      ]);
      const mine = async (user: string) =>
        (
          await conn.query<{ GroupId: string }>(
            `SELECT GroupId FROM GroupMember WHERE UserOrGroupId = '${user}'`,
          )
        ).records
          .map((r) => r.GroupId)
          .sort();
      expect(await mine(ids['mateo']!)).to.deep.equal([ids['care'], ids['support']].sort());
      expect(await mine(ids['priya']!)).to.deep.equal([ids['care'], ids['support'], ids['sales']].sort());
      expect(await mine(ids['admin']!)).to.deep.equal([ids['vip']]);

      const withMembers = await conn.query<{
        Name: string;
        GroupMembers: { records: { UserOrGroupId: string }[] } | null;
      }>(
        "SELECT Name, (SELECT UserOrGroupId FROM GroupMembers) FROM Group WHERE DeveloperName = 'Social_Support'",
      );
      expect(withMembers.records[0]?.GroupMembers?.records.map((m) => m.UserOrGroupId).sort()).to.deep.equal(
        [ids['priya'], ids['mateo']].sort(),
      );
      const takes = await conn.query<{ SobjectType: string; Queue: { DeveloperName: string } }>(
        "SELECT SobjectType, Queue.DeveloperName FROM QueueSobject WHERE Queue.DeveloperName = 'Social_Care' ORDER BY SobjectType",
      );
      expect(takes.records.map((r) => [r.Queue.DeveloperName, r.SobjectType])).to.deep.equal([
        ['Social_Care', 'Case'],
        ['Social_Care', 'Lead'],
      ]);
    });

    it('finds the posts in a user’s queues with a semi-join on GroupMember', async () => {
      const inMine = await conn.query<{ Id: string; OwnerId: string }>(
        `SELECT Id, OwnerId FROM Social_Post__c WHERE OwnerId IN (SELECT GroupId FROM GroupMember WHERE UserOrGroupId = '${ids['mateo']}') AND Inbox_Status__c = 'Open'`,
      );
      expect(inMine.totalSize).to.be.greaterThan(0);
      expect(new Set(inMine.records.map((r) => r.OwnerId))).to.deep.equal(new Set([ids['support']]));
    });

    it('creates a queue with a DeveloperName made from its Name, and refuses a second of that name', async () => {
      const created = await rest(org, 'POST', '/sobjects/Group', {
        Name: 'Social Escalations',
        Type: 'Queue',
      });
      expect(created.status).to.equal(201);
      const id = (created.body as { id: string }).id;
      expect(id).to.match(/^00G/);
      const row = await conn.sobject('Group').retrieve(id);
      expect(row).to.include({
        DeveloperName: 'Social_Escalations',
        Type: 'Queue',
        DoesSendEmailToMembers: false,
      });

      const again = await refused(org, 'POST', '/sobjects/Group', {
        Name: 'Escalations 2',
        DeveloperName: 'social_escalations',
        Type: 'Queue',
      });
      expect(again.status).to.equal(400);
      expect(again.error.errorCode).to.equal('DUPLICATE_DEVELOPER_NAME');
      // One name per group type: a public group may share it.
      const regular = await rest(org, 'POST', '/sobjects/Group', {
        Name: 'Escalations',
        DeveloperName: 'Social_Escalations',
        Type: 'Regular',
      });
      expect(regular.status).to.equal(201);

      const typeChange = await refused(org, 'PATCH', `/sobjects/Group/${id}`, { Type: 'Regular' });
      expect(typeChange.error).to.deep.equal({
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message:
          'Unable to create/update fields: Type. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        fields: ['Type'],
      });
    });

    it('adds members and objects to a queue once, never by update, and only to queues', async () => {
      const queue = (
        (await rest(org, 'POST', '/sobjects/Group', { Name: 'Social Night Shift', Type: 'Queue' })).body as {
          id: string;
        }
      ).id;
      const member = await rest(org, 'POST', '/sobjects/GroupMember', {
        GroupId: queue,
        UserOrGroupId: ids['mateo'],
      });
      expect(member.status).to.equal(201);
      const twice = await refused(org, 'POST', '/sobjects/GroupMember', {
        GroupId: queue,
        UserOrGroupId: ids['mateo'],
      });
      expect(twice.error).to.deep.equal({
        errorCode: 'DUPLICATE_VALUE',
        message: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
        fields: [],
      });
      const memberId = (member.body as { id: string }).id;
      const update = await refused(org, 'PATCH', `/sobjects/GroupMember/${memberId}`, {
        UserOrGroupId: ids['priya'],
      });
      expect(update.error).to.deep.equal({
        errorCode: 'INVALID_TYPE_FOR_OPERATION',
        message: 'entity type cannot be updated: GroupMember',
      });
      // A group can be a member too.
      const nested = await rest(org, 'POST', '/sobjects/GroupMember', {
        GroupId: queue,
        UserOrGroupId: ids['vip'],
      });
      expect(nested.status).to.equal(201);

      const takes = await rest(org, 'POST', '/sobjects/QueueSobject', {
        QueueId: queue,
        SobjectType: 'Social_Post__c',
      });
      expect(takes.status).to.equal(201);
      const notAnObject = await refused(org, 'POST', '/sobjects/QueueSobject', {
        QueueId: queue,
        SobjectType: 'Account',
      });
      expect(notAnObject.error).to.deep.equal({
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'sObject Type: bad value for restricted picklist field: Account',
        fields: ['SobjectType'],
      });
      const publicGroup = (
        (await rest(org, 'POST', '/sobjects/Group', { Name: 'Care Leads', Type: 'Regular' })).body as {
          id: string;
        }
      ).id;
      const notAQueue = await refused(org, 'POST', '/sobjects/QueueSobject', {
        QueueId: publicGroup,
        SobjectType: 'Case',
      });
      expect(notAQueue.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `Group ID: id value of incorrect type: ${publicGroup}`,
        fields: ['QueueId'],
      });

      // Deleting the queue deletes its members and objects.
      expect((await rest(org, 'DELETE', `/sobjects/Group/${queue}`)).status).to.equal(204);
      const left = await conn.query(`SELECT Id FROM GroupMember WHERE GroupId = '${queue}'`);
      expect(left.totalSize).to.equal(0);
      expect((await conn.query(`SELECT Id FROM QueueSobject WHERE QueueId = '${queue}'`)).totalSize).to.equal(
        0,
      );
    });

    it('refuses an inactive user as a member', async () => {
      const inactive = (
        (
          await rest(org, 'POST', '/sobjects/User', {
            Username: 'gone.member@acme-outdoor.example',
            LastName: 'Gone',
            Email: 'gone.member@acme-outdoor.example',
            Alias: 'gonem',
            IsActive: false,
          })
        ).body as { id: string }
      ).id;
      const add = await refused(org, 'POST', '/sobjects/GroupMember', {
        GroupId: ids['support'],
        UserOrGroupId: inactive,
      });
      expect(add.error).to.deep.equal({
        errorCode: 'INACTIVE_OWNER_OR_USER',
        message: `operation performed with inactive user [${inactive}]`,
        fields: ['UserOrGroupId'],
      });
    });
  });

  describe('OwnerId on custom objects: a user or a queue', () => {
    let postId: string;
    let inactiveUser: string;

    before(async () => {
      postId = (
        (
          await rest(org, 'POST', '/sobjects/Social_Post__c', {
            External_Id__c: 'x:owner-test',
            Network__c: 'x',
            Body__c: 'who owns this?',
            OwnerId: ids['support'],
          })
        ).body as { id: string }
      ).id;
      inactiveUser = (
        (
          await rest(org, 'POST', '/sobjects/User', {
            Username: 'left.agent@acme-outdoor.example',
            LastName: 'Left',
            Email: 'left.agent@acme-outdoor.example',
            Alias: 'left',
            IsActive: false,
          })
        ).body as { id: string }
      ).id;
    });

    async function owner(): Promise<string> {
      return ((await conn.sobject('Social_Post__c').retrieve(postId)) as { OwnerId: string }).OwnerId;
    }

    it('describes OwnerId as polymorphic, to Group and User', async () => {
      const describe = await conn.sobject('Social_Post__c').describe();
      expect(describe.fields.find((f) => f.name === 'OwnerId')).to.deep.include({
        type: 'reference',
        referenceTo: ['Group', 'User'],
        relationshipName: 'Owner',
        namePointing: true,
        polymorphicForeignKey: true,
        defaultedOnCreate: true,
      });
    });

    it('takes a queue that takes the object, and a user; Owner answers as the Name object', async () => {
      expect(await owner()).to.equal(ids['support']);
      await conn.sobject('Social_Post__c').update({ Id: postId, OwnerId: ids['vip'] });
      const asQueue = await conn.query<{
        Owner: { attributes: { type: string; url: string }; Name: string; Type: string };
      }>(`SELECT Owner.Name, Owner.Type, Owner.Email FROM Social_Post__c WHERE Id = '${postId}'`);
      expect(asQueue.records[0]?.Owner).to.deep.equal({
        attributes: { type: 'Name', url: `${API}/sobjects/Group/${ids['vip']}` },
        Name: 'Social VIP',
        Type: 'Queue',
        Email: null,
      });
      await conn.sobject('Social_Post__c').update({ Id: postId, OwnerId: ids['priya'] });
      const asUser = await conn.query<{ Owner: Record<string, unknown> }>(
        `SELECT Owner.Name, Owner.Type, Owner.IsActive FROM Social_Post__c WHERE Id = '${postId}'`,
      );
      expect(asUser.records[0]?.Owner).to.deep.equal({
        attributes: { type: 'Name', url: `${API}/sobjects/User/${ids['priya']}` },
        Name: 'Priya Raman',
        Type: 'User',
        IsActive: true,
      });
      const queueOwned = await conn.query(
        "SELECT Id FROM Social_Post__c WHERE Owner.Type = 'Queue' AND Inbox_Status__c = 'Open'",
      );
      expect(queueOwned.totalSize).to.be.greaterThan(0);
      const notOnName = await refused(
        org,
        'GET',
        `/query?q=${encodeURIComponent('SELECT Owner.Department FROM Social_Post__c')}`,
      );
      expect(notOnName.error.errorCode).to.equal('INVALID_FIELD');
      expect(notOnName.error.message).to.include("No such column 'Department' on entity 'Name'");
    });

    it('refuses a queue that does not take the object, a public group, an inactive user and an unknown id, and changes nothing', async () => {
      await conn.sobject('Social_Post__c').update({ Id: postId, OwnerId: ids['support'] });
      const before = await conn.sobject('Social_Post__c').retrieve(postId);

      const wrongQueue = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: ids['care'],
      });
      expect(wrongQueue).to.deep.equal({
        status: 400,
        error: {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: `Owner ID: id value of incorrect type: ${ids['care']}`,
          fields: ['OwnerId'],
        },
      });
      const publicGroup = (
        (await rest(org, 'POST', '/sobjects/Group', { Name: 'Social Fans', Type: 'Regular' })).body as {
          id: string;
        }
      ).id;
      const group = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: publicGroup,
      });
      expect(group.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `Owner ID: id value of incorrect type: ${publicGroup}`,
        fields: ['OwnerId'],
      });
      const inactive = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: inactiveUser,
      });
      expect(inactive.error).to.deep.equal({
        errorCode: 'INACTIVE_OWNER_OR_USER',
        message: `operation performed with inactive user [${inactiveUser}] as owner of social post`,
        fields: ['OwnerId'],
      });
      const unknown = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: '005Dv0000009999',
      });
      expect(unknown.error).to.deep.equal({
        errorCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: 'invalid cross reference id',
        fields: ['OwnerId'],
      });
      const account = await idOf(conn, 'SELECT Id FROM Account LIMIT 1');
      const notAnOwner = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: account,
      });
      expect(notAnOwner.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `Owner ID: id value of incorrect type: ${account}`,
        fields: ['OwnerId'],
      });
      const malformed = await refused(org, 'PATCH', `/sobjects/Social_Post__c/${postId}`, {
        OwnerId: 'nobody',
      });
      expect(malformed.error.errorCode).to.equal('MALFORMED_ID');

      // Nothing changed, not even the audit fields.
      expect(await conn.sobject('Social_Post__c').retrieve(postId)).to.deep.equal(before);
    });

    it('refuses the same on create (nothing is created) and per record in collections', async () => {
      const count = async () => (await conn.query('SELECT COUNT() FROM Social_Post__c')).totalSize;
      const start = await count();
      const create = await refused(org, 'POST', '/sobjects/Social_Post__c', {
        External_Id__c: 'x:owner-refused',
        Network__c: 'x',
        OwnerId: ids['care'],
      });
      expect(create.error.errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
      expect(await count()).to.equal(start);

      const results = await rest(org, 'POST', '/composite/sobjects', {
        allOrNone: false,
        records: [
          {
            attributes: { type: 'Social_Post__c' },
            External_Id__c: 'x:owner-ok',
            Network__c: 'x',
            OwnerId: ids['sales'],
          },
          {
            attributes: { type: 'Social_Post__c' },
            External_Id__c: 'x:owner-bad',
            Network__c: 'x',
            OwnerId: inactiveUser,
          },
        ],
      });
      const [ok, bad] = results.body as {
        success: boolean;
        errors: { statusCode: string; fields: string[] }[];
      }[];
      expect(ok?.success).to.equal(true);
      expect(bad?.success).to.equal(false);
      expect(bad?.errors[0]).to.include({ statusCode: 'INACTIVE_OWNER_OR_USER' });
      expect(bad?.errors[0]?.fields).to.deep.equal(['OwnerId']);
      expect(await count()).to.equal(start + 1);
    });

    it('applies the same to Cases and Leads: Social Care takes them, the inbox queues do not', async () => {
      const caseId = await idOf(conn, 'SELECT Id FROM Case LIMIT 1');
      const refusedCase = await refused(org, 'PATCH', `/sobjects/Case/${caseId}`, {
        OwnerId: ids['support'],
      });
      expect(refusedCase.error.errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
      expect(
        (await rest(org, 'PATCH', `/sobjects/Case/${caseId}`, { OwnerId: ids['care'] })).status,
      ).to.equal(204);
      const leadOwned = await conn.query<{ Owner: { attributes: { type: string }; Type: string } }>(
        "SELECT Owner.Type FROM Lead WHERE Owner.Type = 'Queue'",
      );
      expect(leadOwned.totalSize).to.be.greaterThan(0);
      expect(leadOwned.records[0]?.Owner.attributes.type).to.equal('Name');
    });
  });

  describe('BusinessHours', () => {
    it('has the org default (24 hours, 7 days) and Support Weekdays, with time values as REST sends them', async () => {
      const result = await conn.query<Record<string, unknown>>(
        'SELECT Name, IsActive, IsDefault, TimeZoneSidKey, MondayStartTime, MondayEndTime, SaturdayStartTime, SaturdayEndTime, SundayStartTime FROM BusinessHours ORDER BY Name',
      );
      const rows = result.records.map(({ attributes: _a, ...rest }) => rest);
      expect(rows).to.deep.equal([
        {
          Name: 'Default',
          IsActive: true,
          IsDefault: true,
          TimeZoneSidKey: 'America/Los_Angeles',
          MondayStartTime: '00:00:00.000Z',
          MondayEndTime: '00:00:00.000Z',
          SaturdayStartTime: '00:00:00.000Z',
          SaturdayEndTime: '00:00:00.000Z',
          SundayStartTime: '00:00:00.000Z',
        },
        {
          Name: 'Support Weekdays',
          IsActive: true,
          IsDefault: false,
          TimeZoneSidKey: 'America/New_York',
          MondayStartTime: '08:00:00.000Z',
          MondayEndTime: '18:00:00.000Z',
          SaturdayStartTime: null,
          SaturdayEndTime: null,
          SundayStartTime: null,
        },
      ]);
      const closed = await conn.query(
        'SELECT Name FROM BusinessHours WHERE SundayStartTime = null AND IsActive = true',
      );
      expect(closed.records.map((r) => (r as { Name: string }).Name)).to.deep.equal(['Support Weekdays']);
    });

    it('describes time fields and an object that can be created and updated but not deleted', async () => {
      const describe = await conn.sobject('BusinessHours').describe();
      expect(describe).to.include({ keyPrefix: '01m', createable: true, updateable: true, deletable: false });
      expect(describe.fields.find((f) => f.name === 'MondayStartTime')).to.include({
        type: 'time',
        soapType: 'xsd:time',
        nillable: true,
        createable: true,
        updateable: true,
        groupable: false,
      });
      expect(describe.fields.find((f) => f.name === 'TimeZoneSidKey')).to.include({
        type: 'picklist',
        restrictedPicklist: true,
        nillable: false,
      });
    });

    it('creates and updates hours, refusing a day with only a start, an end before the start and an unknown zone', async () => {
      const created = await rest(org, 'POST', '/sobjects/BusinessHours', {
        Name: 'EMEA',
        IsActive: true,
        TimeZoneSidKey: 'Europe/Madrid',
        MondayStartTime: '09:00',
        MondayEndTime: '17:30:00',
        FridayStartTime: '09:00:00.000Z',
        FridayEndTime: '00:00:00.000Z',
      });
      expect(created.status).to.equal(201);
      const id = (created.body as { id: string }).id;
      const row = (await conn.sobject('BusinessHours').retrieve(id)) as Record<string, unknown>;
      expect(row).to.include({
        MondayStartTime: '09:00:00.000Z',
        MondayEndTime: '17:30:00.000Z',
        FridayEndTime: '00:00:00.000Z',
        TuesdayStartTime: null,
        IsDefault: false,
      });

      const half = await refused(org, 'PATCH', `/sobjects/BusinessHours/${id}`, {
        TuesdayStartTime: '09:00',
      });
      expect(half.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message:
          'Tuesday: a day needs both a start and an end time (both blank: closed that day; both 00:00: open 24 hours)',
        fields: ['TuesdayEndTime'],
      });
      const backwards = await refused(org, 'PATCH', `/sobjects/BusinessHours/${id}`, {
        MondayEndTime: '08:00',
      });
      expect(backwards.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Monday: the end time must be after the start time',
        fields: ['MondayEndTime'],
      });
      const badTime = await refused(org, 'PATCH', `/sobjects/BusinessHours/${id}`, {
        MondayEndTime: '25:00',
      });
      expect(badTime.error.errorCode).to.equal('JSON_PARSER_ERROR');
      const zone = await refused(org, 'PATCH', `/sobjects/BusinessHours/${id}`, {
        TimeZoneSidKey: 'Mars/Olympus',
      });
      expect(zone.error).to.deep.equal({
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Time Zone: bad value for restricted picklist field: Mars/Olympus',
        fields: ['TimeZoneSidKey'],
      });
      expect((await conn.sobject('BusinessHours').retrieve(id)) as Record<string, unknown>).to.include({
        MondayEndTime: '17:30:00.000Z',
        TuesdayStartTime: null,
      });
    });

    it('keeps one active default: a new default replaces the old, which cannot be unset or deleted', async () => {
      const id = await idOf(conn, "SELECT Id FROM BusinessHours WHERE Name = 'Support Weekdays'");
      const defaultId = await idOf(conn, 'SELECT Id FROM BusinessHours WHERE IsDefault = true');
      const unset = await refused(org, 'PATCH', `/sobjects/BusinessHours/${defaultId}`, { IsDefault: false });
      expect(unset.error).to.deep.equal({
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'The org always has default business hours: make another record the default instead',
        fields: ['IsDefault'],
      });
      const inactive = await refused(org, 'PATCH', `/sobjects/BusinessHours/${defaultId}`, {
        IsActive: false,
      });
      expect(inactive.error.message).to.equal('Default business hours must be active');

      expect(
        (await rest(org, 'PATCH', `/sobjects/BusinessHours/${id}`, { IsDefault: true })).status,
      ).to.equal(204);
      const defaults = await conn.query<{ Id: string }>(
        'SELECT Id FROM BusinessHours WHERE IsDefault = true',
      );
      expect(defaults.records.map((r) => r.Id)).to.deep.equal([id]);
      expect(
        (await rest(org, 'PATCH', `/sobjects/BusinessHours/${defaultId}`, { IsDefault: true })).status,
      ).to.equal(204);

      const remove = await refused(org, 'DELETE', `/sobjects/BusinessHours/${id}`);
      expect(remove).to.deep.equal({
        status: 400,
        error: {
          errorCode: 'INVALID_TYPE_FOR_OPERATION',
          message: 'entity type cannot be deleted: BusinessHours',
        },
      });
    });
  });
});
