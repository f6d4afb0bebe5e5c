/**
 * The setup objects, as a real org's describe shows them (trimmed to what clients read): `Organization`
 * (the org itself, one read-only record; the Salesforce CLI reads it after every login and before a
 * deploy), `PermissionSet` (one record per permission set, created by a Metadata API deploy) and
 * `PermissionSetAssignment` (who has which; `sf org assign permset` inserts these). None has an owner or
 * a Name-style auto number; an assignment has no Created/LastModified fields.
 */
import { auditFields, field, reference } from '../schema/standard-objects.ts';
import type { ObjectDef } from '../schema/model.ts';

export const SETUP_KEY_PREFIXES = {
  Organization: '00D',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
} as const;

const orgFilled = { nillable: false, createable: false, updateable: false } as const;
const readOnly = { createable: false, updateable: false } as const;

/** What the `Organization` record holds; the dev org writes it once, when it first starts. */
export const ORGANIZATION_RECORD = {
  Name: 'Social CRM Dev Org',
  OrganizationType: 'Enterprise Edition',
  InstanceName: 'DEV1',
  IsSandbox: false,
  LanguageLocaleKey: 'en_US',
  DefaultLocaleSidKey: 'en_US',
  TimeZoneSidKey: 'America/Los_Angeles',
  Country: 'US',
  // The corporate currency: amounts (Opportunity.Amount, currency fields) are in it.
  DefaultCurrencyIsoCode: 'USD',
} as const;

/**
 * The default business hours a new org has: open 24 hours, 7 days (each day 00:00 to 00:00), in the org's
 * time zone ("By default, business hours are set from 12:00 AM to 12:00 AM in the default time zone").
 */
export const DEFAULT_BUSINESS_HOURS = {
  Name: 'Default',
  IsActive: true,
  IsDefault: true,
  TimeZoneSidKey: ORGANIZATION_RECORD.TimeZoneSidKey,
  ...Object.fromEntries(
    ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'].flatMap((day) => [
      [`${day}StartTime`, '00:00:00.000Z'],
      [`${day}EndTime`, '00:00:00.000Z'],
    ]),
  ),
} as const;

function organizationObject(): ObjectDef {
  return {
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: SETUP_KEY_PREFIXES.Organization,
    custom: false,
    createable: false,
    deletable: false,
    fields: [
      field({ name: 'Id', label: 'Organization ID', type: 'id' }),
      field({ name: 'Name', label: 'Name', type: 'string', length: 80, nameField: true, ...orgFilled }),
      field({ name: 'Division', label: 'Division', type: 'string', length: 80, ...readOnly }),
      field({ name: 'Country', label: 'Country', type: 'string', length: 80, ...readOnly }),
      field({ name: 'Phone', label: 'Phone', type: 'phone', ...readOnly }),
      field({
        name: 'OrganizationType',
        label: 'Edition',
        type: 'picklist',
        picklistValues: [
          'Team Edition',
          'Professional Edition',
          'Enterprise Edition',
          'Developer Edition',
          'Personal Edition',
          'Unlimited Edition',
        ],
        ...readOnly,
      }),
      field({ name: 'InstanceName', label: 'Instance Name', type: 'string', length: 5, ...readOnly }),
      field({ name: 'IsSandbox', label: 'Is Sandbox', type: 'boolean', ...readOnly }),
      field({ name: 'TrialExpirationDate', label: 'Trial Expiration Date', type: 'datetime', ...readOnly }),
      field({ name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'string', length: 15, ...readOnly }),
      field({ name: 'LanguageLocaleKey', label: 'Language', type: 'string', length: 40, ...orgFilled }),
      field({ name: 'DefaultLocaleSidKey', label: 'Locale', type: 'string', length: 40, ...orgFilled }),
      field({ name: 'TimeZoneSidKey', label: 'Time Zone', type: 'string', length: 40, ...orgFilled }),
      field({
        name: 'DefaultCurrencyIsoCode',
        label: 'Currency ISO Code',
        type: 'string',
        length: 3,
        ...orgFilled,
      }),
      ...auditFields(),
    ],
    childRelationships: [],
  };
}

function permissionSetObject(): ObjectDef {
  return {
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: SETUP_KEY_PREFIXES.PermissionSet,
    custom: false,
    fields: [
      field({ name: 'Id', label: 'Permission Set ID', type: 'id' }),
      // The API name; unique per namespace in a real org.
      field({ name: 'Name', label: 'Name', type: 'string', length: 80, nillable: false, unique: true }),
      field({ name: 'Label', label: 'Label', type: 'string', length: 80, nillable: false, nameField: true }),
      field({ name: 'Description', label: 'Description', type: 'textarea', length: 255 }),
      field({ name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'string', length: 15, ...orgFilled }),
      field({
        name: 'IsOwnedByProfile',
        label: 'Is Owned By Profile',
        type: 'boolean',
        createable: false,
        updateable: false,
      }),
      field({
        name: 'Type',
        label: 'Type',
        type: 'picklist',
        picklistValues: ['Regular', 'Group', 'Profile', 'Session'],
        defaultValue: 'Regular',
        createable: false,
        updateable: false,
      }),
      ...auditFields(),
    ],
    childRelationships: [
      {
        childSObject: 'PermissionSetAssignment',
        field: 'PermissionSetId',
        relationshipName: 'Assignments',
        cascadeDelete: true,
      },
    ],
  };
}

function permissionSetAssignmentObject(): ObjectDef {
  return {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: SETUP_KEY_PREFIXES.PermissionSetAssignment,
    custom: false,
    // As in Salesforce, a user holds a permission set once: `sf org assign permset` twice is refused.
    uniqueTogether: [
      {
        fields: ['AssigneeId', 'PermissionSetId'],
        message: (v) =>
          `Duplicate PermissionSetAssignment. Assignee: ${v['AssigneeId']}, PermissionSet: ${v['PermissionSetId']}`,
      },
    ],
    fields: [
      field({ name: 'Id', label: 'Permission Set Assignment ID', type: 'id' }),
      reference('PermissionSetId', 'Permission Set ID', ['PermissionSet'], 'PermissionSet', {
        nillable: false,
        updateable: false,
      }),
      reference('AssigneeId', 'Assignee ID', ['User'], 'Assignee', { nillable: false, updateable: false }),
      field({ name: 'IsActive', label: 'Is Active', type: 'boolean', defaultValue: true, ...orgFilled }),
      field({ name: 'ExpirationDate', label: 'Expiration Date', type: 'datetime' }),
      field({ ...orgFilled, name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime' }),
    ],
    childRelationships: [],
  };
}

/** Organization, PermissionSet and PermissionSetAssignment; a fresh copy on every call. */
export function setupObjects(): ObjectDef[] {
  return [organizationObject(), permissionSetObject(), permissionSetAssignmentObject()];
}
