// The package as the Salesforce CLI sees it: @salesforce/source-deploy-retrieve (the library behind
// `sf project deploy start`) must resolve every file, and package.xml must name exactly what is in source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ComponentSet, ForceIgnore } from '@salesforce/source-deploy-retrieve';
import type { SourceComponent } from '@salesforce/source-deploy-retrieve';
import { MANIFESTS_DIR, SOURCE_DIR, listFiles, rel } from './helpers.ts';

/** The source components and, for decomposed types like CustomObject, their children. */
function flatten(components: Iterable<SourceComponent>): SourceComponent[] {
  const out: SourceComponent[] = [];
  for (const c of components) out.push(c, ...flatten(c.getChildren()));
  return out;
}

const key = (c: { type: { name: string }; fullName: string }): string => `${c.type.name}:${c.fullName}`;

const CONTRACT_FIELDS = {
  Social_Post__c: [
    'External_Id__c',
    'Network__c',
    'Body__c',
    'Posted_At__c',
    'Author_Handle__c',
    'Url__c',
    'Sentiment__c',
    'Sentiment_Score__c',
    'Intent__c',
    'Language__c',
    'Needs_Reply__c',
    'Is_Outbound__c',
    'Status__c',
    'In_Reply_To__c',
    'Persona__c',
    'Contact__c',
    'Lead__c',
    'Account__c',
    'Case__c',
    'Reply_Due__c',
    'Priority__c',
    'Inbox_Status__c',
    'Done_Reason__c',
    'Done_At__c',
    'Done_By__c',
    'Target_Met__c',
    'Escalated_At__c',
    'Routed_By__c',
  ],
  Social_Persona__c: [
    'External_Id__c',
    'Network__c',
    'Handle__c',
    'Display_Name__c',
    'Followers__c',
    'Influence_Score__c',
    'Advocacy_Score__c',
    'Contact__c',
    'Lead__c',
  ],
  Contact: [
    'Social_Handles__c',
    'Social_Influence__c',
    'Social_Sentiment__c',
    'Last_Social_Activity__c',
    'Social_Customer_Value__c',
    'Social_Lifetime_Value__c',
    'Social_Referral_Value__c',
  ],
  Account: ['Social_Customer_Value__c', 'Social_Lifetime_Value__c', 'Social_Referral_Value__c'],
  Lead: ['Social_Handles__c', 'Social_Influence__c', 'Social_Sentiment__c', 'Last_Social_Activity__c'],
  Case: ['Social_First_Response_Minutes__c', 'Social_Network__c', 'Social_Target_Met__c'],
  Social_Routing_Rule__mdt: [
    'Active__c',
    'Order__c',
    'Network__c',
    'Language__c',
    'Intent__c',
    'Min_Influence__c',
    'Min_Customer_Value__c',
    'Accounts__c',
    'Keywords__c',
    'Queue__c',
    'Supervisor__c',
    'Escalation_Queue__c',
  ],
  Social_Reply_Target__mdt: ['Priority__c', 'Network__c', 'Minutes__c', 'Business_Hours__c'],
};

const EXPECTED_COMPONENTS = [
  'CustomObject:Social_Post__c',
  'CustomObject:Social_Persona__c',
  'CustomObject:Social_Saved_Reply__c',
  'PermissionSet:Social_CRM_Agent',
  'PermissionSet:Social_CRM_Admin',
  'CustomApplication:Social_CRM',
  'CustomTab:Social_Post__c',
  'CustomTab:Social_Persona__c',
  'CustomTab:Social_Saved_Reply__c',
  'Layout:Social_Post__c-Social Post Layout',
  'Layout:Social_Persona__c-Social Persona Layout',
  'Layout:Social_Saved_Reply__c-Social Saved Reply Layout',
  'CompactLayout:Social_Post__c.Social_Post_Compact',
  'CompactLayout:Social_Persona__c.Social_Persona_Compact',
  'ListView:Social_Post__c.All',
  'ListView:Social_Post__c.Needs_Reply',
  'ListView:Social_Post__c.Negative',
  'ListView:Social_Post__c.Pending_Replies',
  'ListView:Social_Post__c.Social_Inbox_Open',
  'ListView:Social_Post__c.My_Social_Posts',
  'ListView:Social_Post__c.Overdue',
  'ListView:Social_Persona__c.All',
  'ListView:Social_Persona__c.Top_Influencers',
  'CustomObject:Social_Routing_Rule__mdt',
  'CustomObject:Social_Reply_Target__mdt',
  ...['VIP_Complaints', 'Sales_Leads', 'Spanish', 'Default'].map(
    (r) => `CustomMetadata:Social_Routing_Rule.${r}`,
  ),
  ...['Urgent', 'High', 'Normal', 'Low', 'X_Urgent'].map((r) => `CustomMetadata:Social_Reply_Target.${r}`),
  'Queue:Social_Support',
  'Queue:Social_Sales',
  'Queue:Social_VIP',
  'LightningComponentBundle:socialPanel',
  'LightningComponentBundle:socialInbox',
  'LightningComponentBundle:socialShared',
  'FlexiPage:Social_Inbox',
  'CustomTab:Social_Inbox',
  'StaticResource:socialComponents',
  'PlatformEventChannelMember:ChangeEvents_Social_Post_ChangeEvent',
  ...Object.entries(CONTRACT_FIELDS).flatMap(([object, fields]) =>
    fields.map((field) => `CustomField:${object}.${field}`),
  ),
];

describe('manifests: source format', () => {
  let components: SourceComponent[] = [];
  let keys = new Set<string>();

  // In a hook, so a file SDR cannot resolve fails here as a test, not as a crash while loading.
  before('resolve force-app', () => {
    components = flatten(ComponentSet.fromSource(SOURCE_DIR).getSourceComponents());
    keys = new Set(components.map(key));
  });

  it('resolves every file under force-app to a metadata component', () => {
    const claimed = new Set<string>();
    for (const c of components) {
      if (c.xml) claimed.add(c.xml);
      // A decomposed type's content is its whole folder; only its children's files count as resolved.
      if (c.content && !c.type.children) for (const file of c.walkContent()) claimed.add(file);
    }
    // .forceignore keeps files that are not metadata (the LWC Jest tests) out of deploys; SDR skips them too.
    const forceIgnore = ForceIgnore.findAndCreate(SOURCE_DIR);
    const files = listFiles(SOURCE_DIR).filter((file) => forceIgnore.accepts(file));
    expect(files).not.to.be.empty;
    const unresolved = files.filter((file) => !claimed.has(file));
    expect(unresolved.map(rel), 'files no metadata type claims').to.deep.equal([]);
  });

  it("ignores only the Lightning web components' Jest tests", () => {
    const forceIgnore = ForceIgnore.findAndCreate(SOURCE_DIR);
    const ignored = listFiles(SOURCE_DIR).filter((file) => forceIgnore.denies(file));
    expect(ignored.map(rel).filter((file) => !/\/lwc\/[^/]+\/__tests__\//.test(file))).to.deep.equal([]);
    expect(ignored, 'the socialPanel tests').not.to.be.empty;
  });

  it('resolves the Lightning web components with their files, and the static resource as JavaScript', () => {
    const panel = components.find((c) => key(c) === 'LightningComponentBundle:socialPanel');
    const files = [...(panel?.walkContent() ?? [])].map((f) => f.split('/').pop()).sort();
    expect(files).to.deep.equal(['mapping.js', 'socialPanel.css', 'socialPanel.html', 'socialPanel.js']);
    const bundleFiles = (name: string) =>
      [...(components.find((c) => key(c) === `LightningComponentBundle:${name}`)?.walkContent() ?? [])]
        .map((f) => f.split('/').pop())
        .sort();
    expect(bundleFiles('socialInbox')).to.deep.equal([
      'mapping.js',
      'socialInbox.css',
      'socialInbox.html',
      'socialInbox.js',
    ]);
    // A service module: JavaScript only, shared by both hosts.
    expect(bundleFiles('socialShared')).to.deep.equal(['socialShared.js']);
    const resource = components.find((c) => key(c) === 'StaticResource:socialComponents');
    expect(resource?.content?.endsWith('staticresources/socialComponents.js')).to.equal(true);
  });

  it('contains the objects, contract fields, permission sets and UI components', () => {
    const missing = EXPECTED_COMPONENTS.filter((k) => !keys.has(k));
    expect(missing, 'components missing from source').to.deep.equal([]);
  });

  it('puts no object definition on standard objects (only their custom fields)', () => {
    for (const standard of ['Contact', 'Lead', 'Case']) {
      expect(keys.has(`CustomObject:${standard}`), `CustomObject:${standard}`).to.equal(false);
    }
  });

  it('declares a no-namespace project at API 62.0 with force-app as its default package directory', () => {
    const project = JSON.parse(readFileSync(join(MANIFESTS_DIR, 'sfdx-project.json'), 'utf8')) as {
      packageDirectories: { path: string; default?: boolean }[];
      sourceApiVersion: string;
      namespace?: string;
    };
    expect(project.sourceApiVersion).to.equal('62.0');
    expect(project.namespace ?? '').to.equal('');
    expect(project.packageDirectories).to.deep.equal([{ path: 'force-app', default: true }]);
  });

  describe('package.xml', () => {
    const manifestPath = join(MANIFESTS_DIR, 'package.xml');

    it('lists exactly the components in source, each resolvable there', async () => {
      const manifest = await ComponentSet.fromManifest({ manifestPath, resolveSourcePaths: [SOURCE_DIR] });
      const listed = new Set(manifest.toArray().map(key));
      const resolved = new Set(flatten(manifest.getSourceComponents()).map(key));

      const notInSource = [...listed].filter((k) => !resolved.has(k));
      expect(notInSource, 'package.xml members with no source').to.deep.equal([]);
      const notListed = [...keys].filter((k) => !listed.has(k));
      expect(notListed, 'source components missing from package.xml').to.deep.equal([]);
      expect(listed.size).to.equal(keys.size);
    });

    it('targets API 62.0, like sfdx-project.json', async () => {
      const manifest = await ComponentSet.fromManifest({ manifestPath });
      expect(manifest.sourceApiVersion).to.equal('62.0');
    });

    it('lists no wildcards, so a deploy never picks up more than this package', () => {
      expect(readFileSync(manifestPath, 'utf8')).not.to.include('<members>*</members>');
    });
  });
});
