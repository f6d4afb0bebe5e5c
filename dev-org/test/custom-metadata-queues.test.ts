/**
 * Custom metadata types and queues as the package brings them, through jsforce over HTTP: the types'
 * describe and SOQL (the routing rules and reply targets the sync server reads), DML on them refused as
 * Salesforce refuses it, SOAP deploys of `CustomMetadata` records, `CustomObject`/`CustomField` of an
 * `X__mdt` type and `Queue` components (created, changed, unchanged on redeploy, failures in the org's
 * words), the package install leaving the seeded queues as they are, and the seeded inbox.
 */
import { readCustomMetadata } from '@socialcrm/manifests';
import { expect } from 'chai';
import jsforce, { type Connection } from 'jsforce';
import JSZip from 'jszip';
import { priorityOf } from '../../server/src/inbox/priority.ts';
import { startDevOrg, type DevOrg } from '../src/index.ts';
import { installPackage } from '../src/metadata/install-package.ts';
import { NETWORK_REPLY_TARGET_MINUTES, REPLY_TARGET_MINUTES } from '../src/seed/seed-data.ts';

const API = '/services/data/v62.0';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XSI =
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

interface ErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

interface DeployMessage {
  componentType: string;
  fullName: string;
  created: boolean | string;
  changed: boolean | string;
  problem?: string | null;
}

function connect(org: DevOrg): Connection {
  return new jsforce.Connection({
    instanceUrl: org.url,
    accessToken: org.accessToken,
    version: org.apiVersion,
  });
}

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

function packageXml(types: Record<string, string[]>): string {
  const entries = Object.entries(types)
    .map(
      ([name, members]) =>
        `<types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}>${entries}<version>62.0</version></Package>`;
}

type Value = string | number | boolean | null;

function record(label: string, values: Record<string, Value>): string {
  const entries = Object.entries(values)
    .map(([field, value]) => {
      if (value === null) return `<values><field>${field}</field><value xsi:nil="true"/></values>`;
      const type =
        typeof value === 'boolean' ? 'xsd:boolean' : typeof value === 'number' ? 'xsd:double' : 'xsd:string';
      return `<values><field>${field}</field><value xsi:type="${type}">${String(value)}</value></values>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata ${NS} ${XSI}><label>${label}</label><protected>false</protected>${entries}</CustomMetadata>`;
}

function queue(name: string, sobjects: string[], extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Queue ${NS}><doesSendEmailToMembers>false</doesSendEmailToMembers><name>${name}</name>${sobjects
    .map((s) => `<queueSobject><sobjectType>${s}</sobjectType></queueSobject>`)
    .join('')}${extra}</Queue>`;
}

/** A SOAP deploy (what `sf project deploy start` sends) of these files; the result with its messages. */
async function deploy(
  conn: Connection,
  files: Record<string, string>,
): Promise<{ success: boolean; status: string; successes: DeployMessage[]; failures: DeployMessage[] }> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  const result = await conn.metadata
    .deploy(await zip.generateAsync({ type: 'nodebuffer' }), {})
    .complete(true);
  const details = result.details as { componentSuccesses?: unknown; componentFailures?: unknown } | undefined;
  const list = (value: unknown): DeployMessage[] =>
    (value === undefined ? [] : [value].flat()) as DeployMessage[];
  return {
    success: String(result.success) === 'true',
    status: String(result.status),
    successes: list(details?.componentSuccesses).filter((m) => m.fullName !== 'package.xml'),
    failures: list(details?.componentFailures),
  };
}

const truthy = (value: boolean | string): boolean => String(value) === 'true';

const RULE_FIELDS =
  'DeveloperName, MasterLabel, Active__c, Order__c, Network__c, Language__c, Intent__c, Min_Influence__c, Min_Customer_Value__c, Accounts__c, Keywords__c, Queue__c, Supervisor__c, Escalation_Queue__c';

function withoutAttributes<T extends { attributes?: unknown }>(rows: T[]): Omit<T, 'attributes'>[] {
  return rows.map(({ attributes: _attributes, ...rest }) => rest);
}

describe('custom metadata types and queues from the package (jsforce over HTTP)', function () {
  this.timeout(60_000);
  let org: DevOrg;
  let conn: Connection;

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = connect(org);
  });
  after(async () => {
    await org.close();
  });

  describe('custom metadata types', () => {
    it('describes each type as queryable configuration: nothing createable, updateable or deletable', async () => {
      const global = await conn.describeGlobal();
      const entry = global.sobjects.find((o) => o.name === 'Social_Routing_Rule__mdt');
      expect(entry).to.include({
        custom: true,
        queryable: true,
        createable: false,
        updateable: false,
        deletable: false,
        label: 'Social Routing Rule',
        labelPlural: 'Social Routing Rules',
      });
      expect(entry?.keyPrefix).to.match(/^m0[0-9A-Za-z]$/);
      const describe = await conn.sobject('Social_Routing_Rule__mdt').describe();
      const names = describe.fields.map((f) => f.name);
      expect(names.slice(0, 8)).to.deep.equal([
        'Id',
        'DeveloperName',
        'MasterLabel',
        'Language',
        'NamespacePrefix',
        'Label',
        'QualifiedApiName',
        'SystemModstamp',
      ]);
      expect(names).to.include.members([
        'Active__c',
        'Order__c',
        'Queue__c',
        'Keywords__c',
        'Min_Influence__c',
      ]);
      expect(describe.fields.every((f) => !f.createable && !f.updateable)).to.equal(true);
      const field = (name: string) => describe.fields.find((f) => f.name === name);
      expect(field('Active__c')).to.include({ type: 'boolean', custom: true });
      expect(field('Order__c')).to.include({ type: 'double', precision: 5, scale: 0 });
      expect(field('Queue__c')).to.include({ type: 'string', length: 80 });
      expect(field('MasterLabel')).to.include({ nameField: true, length: 40 });
    });

    it('answers the routing-rule query of the sync server with the package’s records, in order', async () => {
      const result = await conn.query<Record<string, Value>>(
        `SELECT ${RULE_FIELDS} FROM Social_Routing_Rule__mdt ORDER BY Order__c`,
      );
      const [rules] = readCustomMetadata().filter((t) => t.name === 'Social_Routing_Rule__mdt');
      const expected = [...(rules?.records ?? [])]
        .sort((a, b) => Number(a.values['Order__c']) - Number(b.values['Order__c']))
        .map((r) => ({ DeveloperName: r.name, MasterLabel: r.label, ...r.values }));
      expect(withoutAttributes(result.records)).to.deep.equal(expected);
      expect(result.records.map((r) => r['DeveloperName'])).to.deep.equal([
        'VIP_Complaints',
        'Sales_Leads',
        'Spanish',
        'Default',
      ]);
      expect(result.records[0]).to.include({
        Active__c: true,
        Order__c: 10,
        Min_Influence__c: 70,
        Queue__c: 'Social_VIP',
      });
      expect(result.records[3]).to.include({
        Intent__c: null,
        Queue__c: 'Social_Support',
        Supervisor__c: 'admin@socialcrm.dev',
      });
      const active = await conn.query(
        "SELECT DeveloperName FROM Social_Routing_Rule__mdt WHERE Active__c = true AND Queue__c = 'Social_Support'",
      );
      expect(active.totalSize).to.equal(2);
    });

    it('holds the reply targets the seed counts its due times with', async () => {
      const result = await conn.query<{
        DeveloperName: string;
        Priority__c: string;
        Network__c: string | null;
        Minutes__c: number;
      }>(
        'SELECT DeveloperName, Priority__c, Network__c, Minutes__c, Business_Hours__c FROM Social_Reply_Target__mdt ORDER BY Minutes__c',
      );
      const anyNetwork = Object.fromEntries(
        result.records.filter((r) => r.Network__c === null).map((r) => [r.Priority__c, r.Minutes__c]),
      );
      expect(anyNetwork).to.deep.equal(REPLY_TARGET_MINUTES);
      const perNetwork: Record<string, Record<string, number>> = {};
      for (const r of result.records.filter((t) => t.Network__c !== null)) {
        (perNetwork[r.Network__c!] ??= {})[r.Priority__c] = r.Minutes__c;
      }
      expect(perNetwork).to.deep.equal(NETWORK_REPLY_TARGET_MINUTES);
    });

    it('refuses DML on them over REST, whatever the route, and changes nothing', async () => {
      const id = (
        await conn.query<{ Id: string }>(
          "SELECT Id FROM Social_Routing_Rule__mdt WHERE DeveloperName = 'Spanish'",
        )
      ).records[0]!.Id;
      const insert = await rest(org, 'POST', '/sobjects/Social_Routing_Rule__mdt', {
        DeveloperName: 'Nope',
        MasterLabel: 'Nope',
      });
      expect(insert).to.deep.equal({
        status: 400,
        body: [
          {
            errorCode: 'INVALID_TYPE_FOR_OPERATION',
            message: 'entity type cannot be inserted: Social_Routing_Rule__mdt',
          },
        ],
      });
      const update = await rest(org, 'PATCH', `/sobjects/Social_Routing_Rule__mdt/${id}`, {
        Queue__c: 'Social_VIP',
      });
      expect(update).to.deep.equal({
        status: 400,
        body: [
          {
            errorCode: 'INVALID_TYPE_FOR_OPERATION',
            message: 'entity type cannot be updated: Social_Routing_Rule__mdt',
          },
        ],
      });
      const remove = await rest(org, 'DELETE', `/sobjects/Social_Routing_Rule__mdt/${id}`);
      expect(remove).to.deep.equal({
        status: 400,
        body: [
          {
            errorCode: 'INVALID_TYPE_FOR_OPERATION',
            message: 'entity type cannot be deleted: Social_Routing_Rule__mdt',
          },
        ],
      });
      const collection = await rest(org, 'POST', '/composite/sobjects', {
        allOrNone: false,
        records: [{ attributes: { type: 'Social_Reply_Target__mdt' }, DeveloperName: 'Nope' }],
      });
      expect((collection.body as { errors: ErrorBody[] }[])[0]?.errors[0]).to.deep.include({
        statusCode: 'INVALID_TYPE_FOR_OPERATION',
      });
      const jsforceError = await conn
        .sobject('Social_Routing_Rule__mdt')
        .update({ Id: id, Queue__c: 'Social_VIP' })
        .then(
          () => null,
          (error: { errorCode?: string }) => error.errorCode,
        );
      expect(jsforceError).to.equal('INVALID_TYPE_FOR_OPERATION');
      const spanish = await conn.query<{ Queue__c: string }>(
        "SELECT Queue__c FROM Social_Routing_Rule__mdt WHERE DeveloperName = 'Spanish'",
      );
      expect(spanish.records[0]?.Queue__c).to.equal('Social_Support');
    });
  });

  describe('deploys of custom metadata', () => {
    it('updates and adds records (CustomMetadata), and a redeploy changes nothing', async () => {
      const files = {
        'package.xml': packageXml({
          CustomMetadata: ['Social_Routing_Rule.Spanish', 'Social_Routing_Rule.French'],
        }),
        'customMetadata/Social_Routing_Rule.Spanish.md': record('Spanish speakers', {
          Active__c: true,
          Order__c: 25,
          Language__c: 'es',
          Queue__c: 'Social_Sales',
          Supervisor__c: 'admin@socialcrm.dev',
        }),
        'customMetadata/Social_Routing_Rule.French.md': record('French', {
          Active__c: false,
          Order__c: 35,
          Language__c: 'fr',
          Keywords__c: 'remboursement\ncolis',
          Queue__c: 'Social_Support',
        }),
      };
      const first = await deploy(conn, files);
      expect(first).to.deep.include({ success: true, status: 'Succeeded', failures: [] });
      const rows = await conn.query<Record<string, Value>>(
        `SELECT ${RULE_FIELDS} FROM Social_Routing_Rule__mdt WHERE DeveloperName IN ('Spanish', 'French') ORDER BY Order__c`,
      );
      expect(withoutAttributes(rows.records)).to.deep.equal([
        {
          DeveloperName: 'Spanish',
          MasterLabel: 'Spanish speakers',
          Active__c: true,
          Order__c: 25,
          Network__c: null,
          Language__c: 'es',
          Intent__c: null,
          Min_Influence__c: null,
          Min_Customer_Value__c: null,
          Accounts__c: null,
          Keywords__c: null,
          Queue__c: 'Social_Sales',
          Supervisor__c: 'admin@socialcrm.dev',
          Escalation_Queue__c: null,
        },
        {
          DeveloperName: 'French',
          MasterLabel: 'French',
          Active__c: false,
          Order__c: 35,
          Network__c: null,
          Language__c: 'fr',
          Intent__c: null,
          Min_Influence__c: null,
          Min_Customer_Value__c: null,
          Accounts__c: null,
          Keywords__c: 'remboursement\ncolis',
          Queue__c: 'Social_Support',
          Supervisor__c: null,
          Escalation_Queue__c: null,
        },
      ]);
      const stamps = async () =>
        (
          await conn.query<{ SystemModstamp: string }>(
            'SELECT SystemModstamp FROM Social_Routing_Rule__mdt ORDER BY DeveloperName',
          )
        ).records.map((r) => r.SystemModstamp);
      const before = await stamps();
      const again = await deploy(conn, files);
      expect(again.success).to.equal(true);
      expect(again.successes.every((m) => !truthy(m.created) && !truthy(m.changed))).to.equal(true);
      expect(await stamps()).to.deep.equal(before);
    });

    it('fails a record naming a field the type lacks or a value that does not fit, and rolls everything back', async () => {
      const result = await deploy(conn, {
        'package.xml': packageXml({
          CustomMetadata: ['Social_Routing_Rule.Broken', 'Social_Reply_Target.Fast'],
        }),
        'customMetadata/Social_Routing_Rule.Broken.md': record('Broken', {
          Nope__c: 'x',
          Queue__c: 'Social_VIP',
        }),
        'customMetadata/Social_Reply_Target.Fast.md': record('Fast', {
          Priority__c: 'Urgent',
          Minutes__c: 'soon',
        }),
      });
      expect(result).to.deep.include({ success: false, status: 'Failed' });
      expect(result.failures.map((f) => [f.componentType, f.fullName, f.problem])).to.deep.equal([
        [
          'CustomMetadata',
          'Social_Routing_Rule.Broken',
          'In field: field - no CustomField named Social_Routing_Rule__mdt.Nope__c found',
        ],
        ['CustomMetadata', 'Social_Reply_Target.Fast', 'Minutes__c: soon is not a valid value for a Number'],
      ]);
      const none = await conn.query("SELECT Id FROM Social_Reply_Target__mdt WHERE DeveloperName = 'Fast'");
      expect(none.totalSize).to.equal(0);
    });

    it('creates a new type with its records in one deploy, and adds a field to an existing type', async () => {
      const type = `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><label>Social Tone</label><pluralLabel>Social Tones</pluralLabel><visibility>Public</visibility><fields><fullName>Network__c</fullName><label>Network</label><length>40</length><type>Text</type></fields><fields><fullName>Formal__c</fullName><label>Formal</label><defaultValue>false</defaultValue><type>Checkbox</type></fields><fields><fullName>Max_Length__c</fullName><label>Max Length</label><precision>4</precision><scale>0</scale><type>Number</type></fields></CustomObject>`;
      const created = await deploy(conn, {
        'package.xml': packageXml({
          CustomObject: ['Social_Tone__mdt'],
          CustomField: [
            'Social_Tone__mdt.Network__c',
            'Social_Tone__mdt.Formal__c',
            'Social_Tone__mdt.Max_Length__c',
          ],
          CustomMetadata: ['Social_Tone.X_Short'],
        }),
        'objects/Social_Tone__mdt.object': type,
        'customMetadata/Social_Tone.X_Short.md': record('X short', {
          Network__c: 'x',
          Max_Length__c: 280,
          Formal__c: false,
        }),
      });
      expect(created.failures).to.deep.equal([]);
      expect(created.successes.find((m) => m.fullName === 'Social_Tone__mdt')).to.deep.include({
        componentType: 'CustomObject',
      });
      expect(truthy(created.successes.find((m) => m.fullName === 'Social_Tone__mdt')!.created)).to.equal(
        true,
      );
      const describe = await conn.sobject('Social_Tone__mdt').describe();
      expect(describe).to.include({ label: 'Social Tone', createable: false });
      const tones = await conn.query<Record<string, Value>>(
        'SELECT DeveloperName, MasterLabel, Network__c, Formal__c, Max_Length__c FROM Social_Tone__mdt',
      );
      expect(withoutAttributes(tones.records)).to.deep.equal([
        {
          DeveloperName: 'X_Short',
          MasterLabel: 'X short',
          Network__c: 'x',
          Formal__c: false,
          Max_Length__c: 280,
        },
      ]);

      const field = `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><label>Social Reply Target</label><pluralLabel>Social Reply Targets</pluralLabel><fields><fullName>Notes__c</fullName><label>Notes</label><length>255</length><type>Text</type></fields></CustomObject>`;
      const added = await deploy(conn, {
        'package.xml': packageXml({ CustomField: ['Social_Reply_Target__mdt.Notes__c'] }),
        'objects/Social_Reply_Target__mdt.object': field,
      });
      expect(added.failures).to.deep.equal([]);
      const target = await conn.sobject('Social_Reply_Target__mdt').describe();
      expect(target.fields.find((f) => f.name === 'Notes__c')).to.include({
        type: 'string',
        length: 255,
        createable: false,
      });
      const notes = await conn.query(
        "SELECT Notes__c FROM Social_Reply_Target__mdt WHERE DeveloperName = 'Urgent'",
      );
      expect(notes.records[0]).to.include({ Notes__c: null });

      const retype = await deploy(conn, {
        'package.xml': packageXml({ CustomField: ['Social_Reply_Target__mdt.Minutes__c'] }),
        'objects/Social_Reply_Target__mdt.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><fields><fullName>Minutes__c</fullName><label>Minutes</label><length>10</length><type>Text</type></fields></CustomObject>`,
      });
      expect(retype.failures.map((f) => f.problem)).to.deep.equal([
        'Cannot change the type of Social_Reply_Target__mdt.Minutes__c from double to string',
      ]);
    });
  });

  describe('deploys of queues', () => {
    const groupRows = async (conn: Connection, developerName: string) => {
      const groups = await conn.query<Record<string, Value>>(
        `SELECT Id, Name, DeveloperName, Type, Email, DoesSendEmailToMembers, LastModifiedDate FROM Group WHERE DeveloperName = '${developerName}'`,
      );
      const id = groups.records[0]?.['Id'];
      const sobjects = await conn.query<{ SobjectType: string }>(
        `SELECT SobjectType FROM QueueSobject WHERE QueueId = '${String(id)}' ORDER BY SobjectType`,
      );
      const members = await conn.query<{ UserOrGroupId: string }>(
        `SELECT UserOrGroupId FROM GroupMember WHERE GroupId = '${String(id)}'`,
      );
      return {
        groups: withoutAttributes(groups.records),
        sobjects: sobjects.records.map((r) => r.SobjectType),
        members: members.records.map((r) => r.UserOrGroupId),
      };
    };

    it('creates a queue (Group, QueueSobject, named members); a redeploy changes nothing; a change updates it', async () => {
      const priya = (
        await conn.query<{ Id: string }>(
          "SELECT Id FROM User WHERE Username = 'priya.raman@acme-outdoor.example'",
        )
      ).records[0]!.Id;
      const members =
        '<queueMembers><users><user>priya.raman@acme-outdoor.example</user></users></queueMembers>';
      const files = {
        'package.xml': packageXml({ Queue: ['Social_Billing'] }),
        'queues/Social_Billing.queue': queue('Social Billing', ['Social_Post__c', 'Case'], members),
      };
      const first = await deploy(conn, files);
      expect(first.failures).to.deep.equal([]);
      const created = await groupRows(conn, 'Social_Billing');
      expect(created.groups).to.have.length(1);
      expect(created.groups[0]).to.include({
        Name: 'Social Billing',
        Type: 'Queue',
        Email: null,
        DoesSendEmailToMembers: false,
      });
      expect(created.sobjects).to.deep.equal(['Case', 'Social_Post__c']);
      expect(created.members).to.deep.equal([priya]);

      const again = await deploy(conn, files);
      expect(again.success).to.equal(true);
      expect(await groupRows(conn, 'Social_Billing')).to.deep.equal(created);

      const changed = await deploy(conn, {
        'package.xml': packageXml({ Queue: ['Social_Billing'] }),
        'queues/Social_Billing.queue': queue(
          'Billing (social)',
          ['Social_Post__c'],
          '<email>billing@acme-outdoor.example</email>',
        ),
      });
      expect(changed.failures).to.deep.equal([]);
      const after = await groupRows(conn, 'Social_Billing');
      expect(after.groups[0]).to.include({
        Id: created.groups[0]!['Id'],
        Name: 'Billing (social)',
        Email: 'billing@acme-outdoor.example',
      });
      expect(after.sobjects).to.deep.equal(['Social_Post__c']);
      // Members are org data: a deploy without them leaves them.
      expect(after.members).to.deep.equal([priya]);
    });

    it('fails a queue for an object no queue can own, an unknown member, or without a name', async () => {
      const result = await deploy(conn, {
        'package.xml': packageXml({ Queue: ['Social_Odd'] }),
        'queues/Social_Odd.queue': `<?xml version="1.0" encoding="UTF-8"?><Queue ${NS}><queueSobject><sobjectType>Account</sobjectType></queueSobject><queueMembers><users><user>nobody@acme-outdoor.example</user></users></queueMembers></Queue>`,
      });
      expect(result.success).to.equal(false);
      expect(result.failures.map((f) => f.problem)).to.deep.equal([
        'Required field is missing: name',
        'In field: sobjectType - no CustomObject named Account found',
        'In field: user - no User named nobody@acme-outdoor.example found',
      ]);
      expect(
        (await conn.query("SELECT Id FROM Group WHERE DeveloperName = 'Social_Odd'")).totalSize,
      ).to.equal(0);
    });
  });
  describe('deploys of Lightning pages', () => {
    const page = (component: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><FlexiPage ${NS}><flexiPageRegions><itemInstances><componentInstance><componentName>${component}</componentName><identifier>c_x</identifier></componentInstance></itemInstances><name>main</name><type>Region</type></flexiPageRegions><masterLabel>Inbox</masterLabel><template><name>flexipage:defaultAppHomeTemplate</name></template><type>AppPage</type></FlexiPage>`;
    const tab = `<?xml version="1.0" encoding="UTF-8"?><CustomTab ${NS}><flexiPage>Test_Inbox</flexiPage><label>Inbox</label><motif>Custom23: Mail</motif></CustomTab>`;

    it('deploys an app page and its tab, and fails a page placing a component the org lacks or a tab without its page', async () => {
      const missing = await deploy(conn, {
        'package.xml': packageXml({ FlexiPage: ['Test_Inbox'], CustomTab: ['Other_Tab'] }),
        'flexipages/Test_Inbox.flexipage': page('c:noSuchComponent'),
        'tabs/Other_Tab.tab': tab.replace('Test_Inbox', 'No_Page'),
      });
      expect(missing.failures.map((f) => `${f.componentType} ${f.problem}`)).to.deep.equal([
        'FlexiPage In field: componentName - no LightningComponentBundle named noSuchComponent found',
        'CustomTab In field: flexiPage - no FlexiPage named No_Page found',
      ]);
      const ok = await deploy(conn, {
        'package.xml': packageXml({ FlexiPage: ['Test_Inbox'], CustomTab: ['Test_Inbox'] }),
        'flexipages/Test_Inbox.flexipage': page('flexipage:richText'),
        'tabs/Test_Inbox.tab': tab,
      });
      expect(ok.failures).to.deep.equal([]);
      expect(ok.successes.map((m) => `${m.componentType}:${m.fullName}`).sort()).to.deep.equal([
        'CustomTab:Test_Inbox',
        'FlexiPage:Test_Inbox',
      ]);
    });
  });
});

describe('installing the package beside the seeded inbox', function () {
  this.timeout(60_000);

  /** The queue, membership and custom metadata rows, as data. */
  async function snapshot(conn: Connection): Promise<unknown> {
    const rows = async (soql: string) =>
      withoutAttributes((await conn.query<Record<string, unknown>>(soql)).records);
    return {
      groups: await rows(
        'SELECT Id, Name, DeveloperName, Type, Email, DoesSendEmailToMembers, LastModifiedDate FROM Group ORDER BY Id',
      ),
      sobjects: await rows('SELECT Id, QueueId, SobjectType FROM QueueSobject ORDER BY Id'),
      members: await rows('SELECT Id, GroupId, UserOrGroupId FROM GroupMember ORDER BY Id'),
      rules: await rows(
        `SELECT Id, SystemModstamp, ${RULE_FIELDS} FROM Social_Routing_Rule__mdt ORDER BY Id`,
      ),
      targets: await rows(
        'SELECT Id, SystemModstamp, DeveloperName, Minutes__c FROM Social_Reply_Target__mdt ORDER BY Id',
      ),
    };
  }

  it('leaves the seeded queues and the package’s records as they are, and a second install changes nothing', async () => {
    const org = await startDevOrg({ seed: true });
    try {
      const conn = connect(org);
      const context = {
        store: org.store,
        registry: org.metadata.registry,
        now: () => new Date(),
        adminUserId: '',
      };
      context.adminUserId = (
        await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${org.adminUsername}'`)
      ).records[0]!.Id;
      const seeded = await snapshot(conn);
      const first = await installPackage(context);
      expect(first.failures).to.deep.equal([]);
      expect(first.success).to.equal(true);
      expect(await snapshot(conn)).to.deep.equal(seeded);
      const second = await installPackage(context);
      expect(second.success).to.equal(true);
      expect(await snapshot(conn)).to.deep.equal(seeded);
    } finally {
      await org.close();
    }
  });

  it('creates the package’s three queues, taking social posts, in an org without the seed', async () => {
    const org = await startDevOrg({ seed: false, installPackage: true });
    try {
      const conn = connect(org);
      const queues = await conn.query<{
        DeveloperName: string;
        Name: string;
        QueueSobjects: { records: { SobjectType: string }[] } | null;
      }>(
        "SELECT DeveloperName, Name, (SELECT SobjectType FROM QueueSobjects) FROM Group WHERE Type = 'Queue' ORDER BY DeveloperName",
      );
      expect(
        queues.records.map((q) => [
          q.DeveloperName,
          q.Name,
          q.QueueSobjects?.records.map((s) => s.SobjectType),
        ]),
      ).to.deep.equal([
        ['Social_Sales', 'Social Sales', ['Social_Post__c']],
        ['Social_Support', 'Social Support', ['Social_Post__c']],
        ['Social_VIP', 'Social VIP', ['Social_Post__c']],
      ]);
      const listed = await conn.metadata.list([{ type: 'Queue' }, { type: 'CustomMetadata' }], '62.0');
      expect(
        [listed]
          .flat()
          .map((f) => `${f.type}:${f.fullName}`)
          .sort(),
      ).to.include.members(['Queue:Social_Support', 'CustomMetadata:Social_Routing_Rule.Default']);
    } finally {
      await org.close();
    }
  });
});

describe('the seeded inbox', function () {
  this.timeout(30_000);
  let org: DevOrg;
  let conn: Connection;

  before(async () => {
    org = await startDevOrg({ seed: true });
    conn = connect(org);
  });
  after(async () => {
    await org.close();
  });

  it('puts every inbound post that needs a reply in the Social Support queue, Open, with the server’s priority and a due time', async () => {
    const open = await conn.query<{
      Network__c: string;
      Intent__c: string | null;
      Sentiment__c: string | null;
      Priority__c: string;
      Posted_At__c: string;
      Reply_Due__c: string;
      Owner: { Name: string; Type: string };
      Persona__r: { Influence_Score__c: number | null } | null;
    }>(
      'SELECT Network__c, Intent__c, Sentiment__c, Priority__c, Posted_At__c, Reply_Due__c, Owner.Name, Owner.Type, Persona__r.Influence_Score__c FROM Social_Post__c WHERE Needs_Reply__c = true AND Is_Outbound__c = false',
    );
    expect(open.totalSize).to.be.greaterThan(5);
    for (const post of open.records) {
      expect(post.Owner).to.include({ Name: 'Social Support', Type: 'Queue' });
      const priority = priorityOf({
        influence: post.Persona__r?.Influence_Score__c ?? null,
        intent: post.Intent__c as never,
        sentiment: post.Sentiment__c as never,
      });
      expect(post.Priority__c).to.equal(priority);
      const minutes =
        NETWORK_REPLY_TARGET_MINUTES[post.Network__c]?.[priority] ?? REPLY_TARGET_MINUTES[priority];
      expect(Date.parse(post.Reply_Due__c) - Date.parse(post.Posted_At__c)).to.equal(minutes * 60_000);
    }
    const statuses = await conn.query<{ Inbox_Status__c: string | null; n: number }>(
      'SELECT Inbox_Status__c, COUNT(Id) n FROM Social_Post__c WHERE Is_Outbound__c = false GROUP BY Inbox_Status__c',
    );
    const counts = Object.fromEntries(statuses.records.map((r) => [String(r.Inbox_Status__c), r.n]));
    expect(counts['Open']).to.equal(open.totalSize);
    expect(counts['Done']).to.be.greaterThan(0);
    expect(counts['null']).to.be.greaterThan(0);
  });

  it('records answered posts as Done by the agent who replied, with whether the target was met', async () => {
    const done = await conn.query<{
      OwnerId: string;
      Done_By__c: string;
      Done_Reason__c: string;
      Done_At__c: string;
      Replied_At__c: string;
      Reply_Due__c: string;
      Target_Met__c: boolean;
      Owner: { Type: string };
    }>(
      "SELECT OwnerId, Owner.Type, Done_By__c, Done_Reason__c, Done_At__c, Replied_At__c, Reply_Due__c, Target_Met__c FROM Social_Post__c WHERE Inbox_Status__c = 'Done'",
    );
    expect(done.totalSize).to.be.greaterThan(0);
    for (const post of done.records) {
      expect(post).to.include({
        Done_Reason__c: 'Replied',
        Done_At__c: post.Replied_At__c,
        Done_By__c: post.OwnerId,
      });
      expect(post.Owner.Type).to.equal('User');
      expect(post.Target_Met__c).to.equal(Date.parse(post.Done_At__c) <= Date.parse(post.Reply_Due__c));
    }
  });
});
