/**
 * The standard objects the product touches, described as a real org's `describe` shows them
 * (labels, types, lengths, nillability, createable/updateable), trimmed to the fields the product,
 * the demo and the record page use. Custom fields on standard objects (`Social_Handles__c`, ...) come
 * from manifests/ and are merged in by the schema loader.
 *
 * Conventions the record store relies on:
 * - `autoNumber: true` is a Salesforce auto-number (Case `CaseNumber`): the org assigns it on create.
 *   Id, the audit fields (CreatedDate … SystemModstamp) and OwnerId (defaults to the running user) are
 *   filled in by the store by name, as describe shows them: not auto-numbers.
 * - `calculated: true` (Contact/Lead/User `Name`) is derived from other fields (`FirstName LastName`).
 * - Case `IsClosed` and `ClosedDate` are not createable: the store derives them from `Status`, as
 *   Salesforce does from the status's "closed" flag (`Closed`); Opportunity `IsClosed` and `IsWon` likewise
 *   from `StageName` (`Closed Won`, `Closed Lost`).
 * - A field is required on create when it is `nillable: false`, createable, not boolean and has no
 *   default (e.g. Account.Name, Contact.LastName, Lead.Company); picklist defaults are the entry
 *   marked `defaultValue` (Case Status `New`, Lead Status `Open - Not Contacted`).
 */
import type { ChildRelationship, FieldDef, FieldType, ObjectDef, PicklistValue } from './model.ts';

/** What `field()` needs; everything else defaults from the type as a describe would show it. */
export type FieldSpec = Pick<FieldDef, 'name' | 'label' | 'type'> &
  Partial<Omit<FieldDef, 'picklistValues'>> & {
    /** Picklist values: plain strings (label = value) or full entries. */
    picklistValues?: readonly (string | PicklistValue)[];
  };

/** Default `length` per type, as describe reports it for a standard field of that type. */
const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
};

/** Longer text areas than this are "long text areas": not filterable, not sortable. */
const MAX_FILTERABLE_TEXTAREA = 255;

/**
 * Builds a FieldDef from the few things that vary, with describe's defaults for the rest:
 * text lengths by type, booleans not nillable and defaulting to false, currency 18/2, long text areas
 * neither filterable nor sortable, `custom` from the `__c` suffix, and fields the org fills in or
 * calculates (`autoNumber`, `calculated`, type `id`) neither createable nor updateable unless said.
 * A picklist `defaultValue` also marks that value as the default entry.
 */
export function field(spec: FieldSpec): FieldDef {
  const { type } = spec;
  const length = spec.length ?? DEFAULT_LENGTH[type] ?? 0;
  const longText = (type === 'textarea' && length > MAX_FILTERABLE_TEXTAREA) || type === 'multipicklist';
  const orgFilled = type === 'id' || spec.autoNumber === true || spec.calculated === true;
  const defaultValue = spec.defaultValue ?? (type === 'boolean' ? false : null);
  const picklistValues = (spec.picklistValues ?? []).map((v): PicklistValue =>
    typeof v === 'string' ? { value: v, label: v, defaultValue: v === defaultValue, active: true } : { ...v },
  );
  // Spread first so properties the model may gain later (and this function does not know) pass through.
  const { picklistValues: _given, ...rest } = spec;
  return {
    ...rest,
    name: spec.name,
    label: spec.label,
    type,
    length,
    // For int fields describe reports this as `digits`.
    precision:
      spec.precision ?? (type === 'int' ? 9 : ['currency', 'double', 'percent'].includes(type) ? 18 : 0),
    scale: spec.scale ?? (type === 'currency' ? 2 : 0),
    nillable: spec.nillable ?? !(type === 'id' || type === 'boolean'),
    unique: spec.unique ?? false,
    externalId: spec.externalId ?? false,
    caseSensitive: spec.caseSensitive ?? false,
    createable: spec.createable ?? !orgFilled,
    updateable: spec.updateable ?? !orgFilled,
    filterable: spec.filterable ?? !longText,
    sortable: spec.sortable ?? !longText,
    custom: spec.custom ?? spec.name.endsWith('__c'),
    nameField: spec.nameField ?? false,
    autoNumber: spec.autoNumber ?? false,
    calculated: spec.calculated ?? false,
    defaultValue,
    picklistValues,
    restrictedPicklist: spec.restrictedPicklist ?? false,
    referenceTo: [...(spec.referenceTo ?? [])],
    relationshipName: spec.relationshipName ?? null,
  };
}

/** A lookup field: `reference('AccountId', 'Account ID', ['Account'], 'Account')`. */
export function reference(
  name: string,
  label: string,
  referenceTo: readonly string[],
  relationshipName: string,
  extra: Partial<FieldSpec> = {},
): FieldDef {
  return field({ ...extra, name, label, type: 'reference', referenceTo: [...referenceTo], relationshipName });
}

function picklist(
  name: string,
  label: string,
  values: readonly string[],
  extra: Partial<FieldSpec> = {},
): FieldDef {
  return field({ ...extra, name, label, type: 'picklist', picklistValues: values });
}

function text(name: string, label: string, length: number, extra: Partial<FieldSpec> = {}): FieldDef {
  return field({ ...extra, name, label, type: 'string', length });
}

function longText(name: string, label: string): FieldDef {
  return field({ name, label, type: 'textarea', length: 32000 });
}

function idField(label: string): FieldDef {
  return field({ name: 'Id', label, type: 'id' });
}

function isDeletedField(): FieldDef {
  return field({
    name: 'IsDeleted',
    label: 'Deleted',
    type: 'boolean',
    createable: false,
    updateable: false,
  });
}

function ownerField(label: string, referenceTo: readonly string[] = ['User']): FieldDef {
  // Not nillable, yet not required on create: the org defaults it to the running user.
  return reference('OwnerId', label, referenceTo, 'Owner', { nillable: false });
}

/** CreatedDate … SystemModstamp, in describe order. */
export function auditFields(): FieldDef[] {
  const orgFilled = { nillable: false, createable: false, updateable: false } as const;
  return [
    field({ ...orgFilled, name: 'CreatedDate', label: 'Created Date', type: 'datetime' }),
    reference('CreatedById', 'Created By ID', ['User'], 'CreatedBy', orgFilled),
    field({ ...orgFilled, name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime' }),
    reference('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', orgFilled),
    field({ ...orgFilled, name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime' }),
  ];
}

function lastActivityField(): FieldDef {
  return field({
    name: 'LastActivityDate',
    label: 'Last Activity',
    type: 'date',
    createable: false,
    updateable: false,
  });
}

/** A person's full name, derived from FirstName and LastName. */
function fullNameField(): FieldDef {
  return text('Name', 'Full Name', 121, { calculated: true, nameField: true });
}

function child(
  childSObject: string,
  fieldName: string,
  relationshipName: string,
  cascadeDelete: boolean,
): ChildRelationship {
  return { childSObject, field: fieldName, relationshipName, cascadeDelete };
}

/** The standard Industry values of a new org. */
export const INDUSTRY_VALUES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Other',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
] as const;

/** A new org's Lead Source values plus `Social`, which the product uses for leads from social posts. */
export const LEAD_SOURCE_VALUES = [
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Social',
  'Other',
] as const;

export const SALUTATION_VALUES = ['Mr.', 'Ms.', 'Mrs.', 'Mx.', 'Dr.', 'Prof.'] as const;
export const ACCOUNT_TYPE_VALUES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
] as const;
export const RATING_VALUES = ['Hot', 'Warm', 'Cold'] as const;
export const LEAD_STATUS_VALUES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
] as const;
export const CASE_STATUS_VALUES = ['New', 'Working', 'Escalated', 'Closed'] as const;
export const CASE_PRIORITY_VALUES = ['High', 'Medium', 'Low'] as const;
export const CASE_ORIGIN_VALUES = ['Phone', 'Email', 'Web', 'Social'] as const;
export const CASE_TYPE_VALUES = ['Problem', 'Question', 'Feature Request', 'Other'] as const;
/** Reasons as the demo brand (an outdoor gear retailer) has customised them. */
export const CASE_REASON_VALUES = [
  'Damaged Item',
  'Wrong Item',
  'Late Delivery',
  'Refund',
  'Warranty',
  'Product Question',
  'Billing',
  'Feedback',
  'Other',
] as const;
/**
 * A new org's opportunity stages. `Closed Won` is the won stage and `Closed Lost` the lost one; the store
 * derives `IsClosed` and `IsWon` from the stage as Salesforce does from OpportunityStage's flags.
 */
export const OPPORTUNITY_STAGE_VALUES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;
/** Stages that close an opportunity, and whether each is won. */
export const CLOSED_OPPORTUNITY_STAGES: Readonly<Record<string, boolean>> = {
  'Closed Won': true,
  'Closed Lost': false,
};
export const OPPORTUNITY_TYPE_VALUES = [
  'Existing Customer - Upgrade',
  'Existing Customer - Replacement',
  'Existing Customer - Downgrade',
  'New Customer',
] as const;
export const TASK_STATUS_VALUES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
] as const;
export const TASK_PRIORITY_VALUES = ['High', 'Normal', 'Low'] as const;
export const TASK_TYPE_VALUES = ['Call', 'Email', 'Meeting', 'Other'] as const;
export const GROUP_TYPE_VALUES = ['Regular', 'Queue'] as const;
/** The standard objects a queue can own; every custom object can too (added by the schema loader). */
export const QUEUE_SOBJECT_TYPES = ['Case', 'Lead'] as const;

/** Key prefixes of the standard objects, as in every org. */
export const STANDARD_KEY_PREFIXES = {
  User: '005',
  Group: '00G',
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Case: '500',
  Task: '00T',
  Opportunity: '006',
  GroupMember: '011',
  QueueSobject: '03g',
  BusinessHours: '01m',
} as const;

function userObject(): ObjectDef {
  return {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: STANDARD_KEY_PREFIXES.User,
    custom: false,
    fields: [
      idField('User ID'),
      text('Username', 'Username', 80, { nillable: false, unique: true }),
      text('LastName', 'Last Name', 80, { nillable: false }),
      text('FirstName', 'First Name', 40),
      fullNameField(),
      text('CompanyName', 'Company Name', 80),
      text('Department', 'Department', 80),
      text('Title', 'Title', 80),
      field({ name: 'Email', label: 'Email', type: 'email', length: 128, nillable: false }),
      field({ name: 'Phone', label: 'Phone', type: 'phone' }),
      field({ name: 'MobilePhone', label: 'Mobile', type: 'phone' }),
      text('Alias', 'Alias', 8, { nillable: false }),
      // Required in a real org; optional here so the dev org can create its running user from the basics.
      text('CommunityNickname', 'Nickname', 40, { unique: true }),
      field({ name: 'IsActive', label: 'Active', type: 'boolean', defaultValue: true }),
      // Picklists of several hundred entries in a real org; free text is enough here. Required, with the
      // org's defaults filled in when absent (as Setup's new-user page pre-fills them).
      text('TimeZoneSidKey', 'Time Zone', 40, { nillable: false, defaultValue: 'America/Los_Angeles' }),
      text('LocaleSidKey', 'Locale', 40, { nillable: false, defaultValue: 'en_US' }),
      text('EmailEncodingKey', 'Email Encoding', 40, { nillable: false, defaultValue: 'UTF-8' }),
      // A required lookup to Profile in a real org; the dev org has no Profile object, so it is optional text.
      text('ProfileId', 'Profile ID', 18),
      text('LanguageLocaleKey', 'Language', 40, { nillable: false, defaultValue: 'en_US' }),
      ...auditFields(),
    ],
    childRelationships: [],
  };
}

function groupObject(): ObjectDef {
  return {
    name: 'Group',
    label: 'Group',
    labelPlural: 'Groups',
    keyPrefix: STANDARD_KEY_PREFIXES.Group,
    custom: false,
    // One API name per group type: a second queue named Social_Support is refused.
    uniqueTogether: [
      {
        fields: ['DeveloperName', 'Type'],
        errorCode: 'DUPLICATE_DEVELOPER_NAME',
        message: (v) =>
          `Group Name: a group of type ${v['Type']} named ${v['DeveloperName']} already exists. Choose another name.`,
      },
    ],
    fields: [
      idField('Group ID'),
      text('Name', 'Name', 40, { nillable: false, nameField: true }),
      // Optional on create: the org makes one from Name (`Social Support` → `Social_Support`).
      text('DeveloperName', 'Developer Name', 80),
      picklist('Type', 'Type', GROUP_TYPE_VALUES, {
        nillable: false,
        updateable: false,
        restrictedPicklist: true,
      }),
      field({ name: 'Description', label: 'Description', type: 'textarea', length: 255 }),
      field({ name: 'Email', label: 'Email', type: 'email', length: 255 }),
      field({ name: 'DoesSendEmailToMembers', label: 'Send Email to Members', type: 'boolean' }),
      field({ name: 'DoesIncludeBosses', label: 'Include Bosses', type: 'boolean' }),
      ...auditFields(),
    ],
    childRelationships: [
      child('GroupMember', 'GroupId', 'GroupMembers', true),
      child('QueueSobject', 'QueueId', 'QueueSobjects', true),
    ],
  };
}

/** Who is in a group or queue: a user, or another group. Created and deleted, never updated. */
function groupMemberObject(): ObjectDef {
  const createOnly = { nillable: false, updateable: false } as const;
  return {
    name: 'GroupMember',
    label: 'Group Member',
    labelPlural: 'Group Members',
    keyPrefix: STANDARD_KEY_PREFIXES.GroupMember,
    custom: false,
    updateable: false,
    // As in Salesforce, adding a member twice is refused.
    uniqueTogether: [
      {
        fields: ['GroupId', 'UserOrGroupId'],
        message: () => 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
      },
    ],
    fields: [
      idField('Group Member ID'),
      reference('GroupId', 'Group ID', ['Group'], 'Group', createOnly),
      // A user or a group; not a relationship SOQL can walk (no `UserOrGroup.Name`).
      field({
        ...createOnly,
        name: 'UserOrGroupId',
        label: 'User/Group ID',
        type: 'reference',
        referenceTo: ['Group', 'User'],
      }),
      field({
        name: 'SystemModstamp',
        label: 'System Modstamp',
        type: 'datetime',
        nillable: false,
        createable: false,
        updateable: false,
      }),
    ],
    childRelationships: [],
  };
}

/** Which objects a queue may own: one row per queue and sObject type. Created and deleted, never updated. */
function queueSobjectObject(): ObjectDef {
  const createOnly = { nillable: false, updateable: false } as const;
  return {
    name: 'QueueSobject',
    label: 'Queue sObject',
    labelPlural: 'Queue sObjects',
    keyPrefix: STANDARD_KEY_PREFIXES.QueueSobject,
    custom: false,
    updateable: false,
    uniqueTogether: [
      {
        fields: ['QueueId', 'SobjectType'],
        message: () => 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
      },
    ],
    fields: [
      idField('Queue sObject ID'),
      reference('QueueId', 'Group ID', ['Group'], 'Queue', createOnly),
      // The objects that support queues; the schema loader adds every custom object.
      picklist('SobjectType', 'sObject Type', QUEUE_SOBJECT_TYPES, {
        ...createOnly,
        length: 40,
        restrictedPicklist: true,
      }),
      reference('CreatedById', 'Created By ID', ['User'], 'CreatedBy', {
        nillable: false,
        createable: false,
        updateable: false,
      }),
      field({
        name: 'SystemModstamp',
        label: 'System Modstamp',
        type: 'datetime',
        nillable: false,
        createable: false,
        updateable: false,
      }),
    ],
    childRelationships: [],
  };
}

/** The time zones BusinessHours accepts: the IANA zones this runtime knows, and the aliases Salesforce lists. */
function timeZoneValues(): string[] {
  const zones = new Set([...Intl.supportedValuesOf('timeZone'), 'GMT', 'Asia/Kolkata', 'Asia/Kathmandu']);
  return [...zones].sort();
}

/**
 * An org's business hours. Each weekday has a start and an end (`time`): both null is closed that day,
 * both 00:00 is open 24 hours. One record is the org default. Created and updated through the API, never
 * deleted (Salesforce lists no delete() call for it).
 */
function businessHoursObject(): ObjectDef {
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return {
    name: 'BusinessHours',
    label: 'Business Hours',
    labelPlural: 'Business Hours',
    keyPrefix: STANDARD_KEY_PREFIXES.BusinessHours,
    custom: false,
    deletable: false,
    fields: [
      idField('Business Hours ID'),
      text('Name', 'Business Hours Name', 80, { nillable: false, nameField: true }),
      field({ name: 'IsActive', label: 'Active', type: 'boolean' }),
      field({ name: 'IsDefault', label: 'Default Business Hours', type: 'boolean' }),
      ...days.flatMap((day) => [
        field({ name: `${day}StartTime`, label: `${day} Start`, type: 'time' }),
        field({ name: `${day}EndTime`, label: `${day} End`, type: 'time' }),
      ]),
      picklist('TimeZoneSidKey', 'Time Zone', timeZoneValues(), {
        nillable: false,
        length: 40,
        restrictedPicklist: true,
      }),
      ...auditFields(),
      field({
        name: 'LastViewedDate',
        label: 'Last Viewed Date',
        type: 'datetime',
        createable: false,
        updateable: false,
      }),
    ],
    childRelationships: [],
  };
}

function accountObject(): ObjectDef {
  return {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: STANDARD_KEY_PREFIXES.Account,
    custom: false,
    fields: [
      idField('Account ID'),
      isDeletedField(),
      text('Name', 'Account Name', 255, { nillable: false, nameField: true }),
      picklist('Type', 'Account Type', ACCOUNT_TYPE_VALUES),
      reference('ParentId', 'Parent Account ID', ['Account'], 'Parent'),
      field({ name: 'BillingStreet', label: 'Billing Street', type: 'textarea', length: 255 }),
      text('BillingCity', 'Billing City', 40),
      text('BillingState', 'Billing State/Province', 80),
      text('BillingPostalCode', 'Billing Zip/Postal Code', 20),
      text('BillingCountry', 'Billing Country', 80),
      field({ name: 'Phone', label: 'Account Phone', type: 'phone' }),
      text('AccountNumber', 'Account Number', 40),
      field({ name: 'Website', label: 'Website', type: 'url' }),
      picklist('Industry', 'Industry', INDUSTRY_VALUES),
      field({ name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', precision: 18, scale: 0 }),
      field({ name: 'NumberOfEmployees', label: 'Employees', type: 'int', precision: 8 }),
      longText('Description', 'Account Description'),
      picklist('Rating', 'Account Rating', RATING_VALUES),
      picklist('AccountSource', 'Account Source', LEAD_SOURCE_VALUES),
      ownerField('Owner ID'),
      ...auditFields(),
      lastActivityField(),
    ],
    childRelationships: [
      child('Account', 'ParentId', 'ChildAccounts', false),
      child('Contact', 'AccountId', 'Contacts', true),
      child('Case', 'AccountId', 'Cases', true),
      child('Opportunity', 'AccountId', 'Opportunities', true),
      child('Task', 'WhatId', 'Tasks', true),
    ],
  };
}

/**
 * A deal. `IsClosed` and `IsWon` are not createable: the store derives them from `StageName` (see
 * `CLOSED_OPPORTUNITY_STAGES`), as Salesforce does from the stage's flags. `Amount` is currency 18/2 in the
 * org's currency; `CloseDate` and `StageName` are required.
 */
function opportunityObject(): ObjectDef {
  const derived = { createable: false, updateable: false } as const;
  return {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: STANDARD_KEY_PREFIXES.Opportunity,
    custom: false,
    fields: [
      idField('Opportunity ID'),
      isDeletedField(),
      reference('AccountId', 'Account ID', ['Account'], 'Account'),
      text('Name', 'Name', 120, { nillable: false, nameField: true }),
      longText('Description', 'Description'),
      picklist('StageName', 'Stage', OPPORTUNITY_STAGE_VALUES, { nillable: false }),
      field({ name: 'Amount', label: 'Amount', type: 'currency' }),
      field({ name: 'Probability', label: 'Probability (%)', type: 'percent', precision: 3, scale: 0 }),
      field({ name: 'CloseDate', label: 'Close Date', type: 'date', nillable: false }),
      picklist('Type', 'Opportunity Type', OPPORTUNITY_TYPE_VALUES),
      picklist('LeadSource', 'Lead Source', LEAD_SOURCE_VALUES),
      field({ ...derived, name: 'IsClosed', label: 'Closed', type: 'boolean' }),
      field({ ...derived, name: 'IsWon', label: 'Won', type: 'boolean' }),
      ownerField('Owner ID'),
      ...auditFields(),
      lastActivityField(),
    ],
    childRelationships: [child('Task', 'WhatId', 'Tasks', true)],
  };
}

function contactObject(): ObjectDef {
  return {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: STANDARD_KEY_PREFIXES.Contact,
    custom: false,
    fields: [
      idField('Contact ID'),
      isDeletedField(),
      reference('AccountId', 'Account ID', ['Account'], 'Account'),
      text('LastName', 'Last Name', 80, { nillable: false }),
      text('FirstName', 'First Name', 40),
      picklist('Salutation', 'Salutation', SALUTATION_VALUES),
      fullNameField(),
      field({ name: 'MailingStreet', label: 'Mailing Street', type: 'textarea', length: 255 }),
      text('MailingCity', 'Mailing City', 40),
      text('MailingState', 'Mailing State/Province', 80),
      text('MailingPostalCode', 'Mailing Zip/Postal Code', 20),
      text('MailingCountry', 'Mailing Country', 80),
      field({ name: 'Phone', label: 'Business Phone', type: 'phone' }),
      field({ name: 'MobilePhone', label: 'Mobile Phone', type: 'phone' }),
      field({ name: 'Email', label: 'Email', type: 'email' }),
      text('Title', 'Title', 128),
      text('Department', 'Department', 80),
      picklist('LeadSource', 'Lead Source', LEAD_SOURCE_VALUES),
      field({ name: 'Birthdate', label: 'Birthdate', type: 'date' }),
      longText('Description', 'Contact Description'),
      field({ name: 'HasOptedOutOfEmail', label: 'Email Opt Out', type: 'boolean' }),
      ownerField('Owner ID'),
      ...auditFields(),
      lastActivityField(),
    ],
    childRelationships: [child('Case', 'ContactId', 'Cases', false), child('Task', 'WhoId', 'Tasks', true)],
  };
}

function leadObject(): ObjectDef {
  return {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: STANDARD_KEY_PREFIXES.Lead,
    custom: false,
    fields: [
      idField('Lead ID'),
      isDeletedField(),
      text('LastName', 'Last Name', 80, { nillable: false }),
      text('FirstName', 'First Name', 40),
      picklist('Salutation', 'Salutation', SALUTATION_VALUES),
      fullNameField(),
      text('Title', 'Title', 128),
      text('Company', 'Company', 255, { nillable: false }),
      field({ name: 'Street', label: 'Street', type: 'textarea', length: 255 }),
      text('City', 'City', 40),
      text('State', 'State/Province', 80),
      text('PostalCode', 'Zip/Postal Code', 20),
      text('Country', 'Country', 80),
      field({ name: 'Phone', label: 'Phone', type: 'phone' }),
      field({ name: 'MobilePhone', label: 'Mobile Phone', type: 'phone' }),
      field({ name: 'Email', label: 'Email', type: 'email' }),
      field({ name: 'Website', label: 'Website', type: 'url' }),
      longText('Description', 'Description'),
      picklist('LeadSource', 'Lead Source', LEAD_SOURCE_VALUES),
      picklist('Status', 'Status', LEAD_STATUS_VALUES, {
        nillable: false,
        defaultValue: 'Open - Not Contacted',
      }),
      picklist('Industry', 'Industry', INDUSTRY_VALUES),
      picklist('Rating', 'Rating', RATING_VALUES),
      field({ name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', precision: 18, scale: 0 }),
      field({ name: 'NumberOfEmployees', label: 'Employees', type: 'int', precision: 8 }),
      field({ name: 'HasOptedOutOfEmail', label: 'Email Opt Out', type: 'boolean' }),
      ownerField('Owner ID', ['Group', 'User']),
      // Conversion is a separate operation in Salesforce; its results are read-only on the record.
      field({ name: 'IsConverted', label: 'Converted', type: 'boolean', updateable: false }),
      field({
        name: 'ConvertedDate',
        label: 'Converted Date',
        type: 'date',
        createable: false,
        updateable: false,
      }),
      reference('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount', {
        createable: false,
        updateable: false,
      }),
      reference('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact', {
        createable: false,
        updateable: false,
      }),
      reference(
        'ConvertedOpportunityId',
        'Converted Opportunity ID',
        ['Opportunity'],
        'ConvertedOpportunity',
        {
          createable: false,
          updateable: false,
        },
      ),
      field({ name: 'IsUnreadByOwner', label: 'Unread By Owner', type: 'boolean' }),
      ...auditFields(),
      lastActivityField(),
    ],
    childRelationships: [child('Task', 'WhoId', 'Tasks', true)],
  };
}

function caseObject(): ObjectDef {
  return {
    name: 'Case',
    label: 'Case',
    labelPlural: 'Cases',
    keyPrefix: STANDARD_KEY_PREFIXES.Case,
    custom: false,
    fields: [
      idField('Case ID'),
      isDeletedField(),
      text('CaseNumber', 'Case Number', 30, { nillable: false, nameField: true, autoNumber: true }),
      reference('ContactId', 'Contact ID', ['Contact'], 'Contact'),
      reference('AccountId', 'Account ID', ['Account'], 'Account'),
      text('SuppliedName', 'Name', 80),
      field({ name: 'SuppliedEmail', label: 'Email Address', type: 'email' }),
      field({ name: 'SuppliedPhone', label: 'Phone', type: 'phone' }),
      text('SuppliedCompany', 'Company', 80),
      picklist('Type', 'Case Type', CASE_TYPE_VALUES),
      picklist('Status', 'Status', CASE_STATUS_VALUES, { nillable: false, defaultValue: 'New' }),
      picklist('Reason', 'Case Reason', CASE_REASON_VALUES),
      picklist('Origin', 'Case Origin', CASE_ORIGIN_VALUES),
      text('Subject', 'Subject', 255),
      picklist('Priority', 'Priority', CASE_PRIORITY_VALUES, { defaultValue: 'Medium' }),
      longText('Description', 'Description'),
      field({ name: 'IsClosed', label: 'Closed', type: 'boolean', createable: false, updateable: false }),
      field({
        name: 'ClosedDate',
        label: 'Closed Date',
        type: 'datetime',
        createable: false,
        updateable: false,
      }),
      field({ name: 'IsEscalated', label: 'Escalated', type: 'boolean' }),
      ownerField('Owner ID', ['Group', 'User']),
      ...auditFields(),
    ],
    childRelationships: [child('Task', 'WhatId', 'Tasks', true)],
  };
}

function taskObject(): ObjectDef {
  return {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: STANDARD_KEY_PREFIXES.Task,
    custom: false,
    fields: [
      idField('Activity ID'),
      // Polymorphic lookups: the Id's key prefix says which object a value points to.
      reference('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who'),
      reference('WhatId', 'Related To ID', ['Account', 'Case', 'Opportunity'], 'What'),
      // A combobox in a real org (free text with suggested values); the name field of a Task.
      text('Subject', 'Subject', 255, { nameField: true }),
      field({ name: 'ActivityDate', label: 'Due Date Only', type: 'date' }),
      picklist('Status', 'Status', TASK_STATUS_VALUES, { nillable: false, defaultValue: 'Not Started' }),
      picklist('Priority', 'Priority', TASK_PRIORITY_VALUES, { nillable: false, defaultValue: 'Normal' }),
      ownerField('Assigned To ID'),
      longText('Description', 'Comments'),
      picklist('Type', 'Type', TASK_TYPE_VALUES),
      isDeletedField(),
      ...auditFields(),
    ],
    childRelationships: [],
  };
}

/**
 * User, Group (with GroupMember and QueueSobject), BusinessHours, Account, Contact, Lead, Case, Opportunity
 * and Task;
 * a fresh copy on every call.
 */
export function standardObjects(): ObjectDef[] {
  return [
    userObject(),
    groupObject(),
    groupMemberObject(),
    queueSobjectObject(),
    businessHoursObject(),
    accountObject(),
    contactObject(),
    leadObject(),
    caseObject(),
    opportunityObject(),
    taskObject(),
  ];
}
