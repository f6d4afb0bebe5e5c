/**
 * The setup objects a package install touches, as a real org's describe shows them (trimmed to what
 * permission set assignment uses): `PermissionSet` (one record per permission set, created by a Metadata
 * API deploy) and `PermissionSetAssignment` (who has which; `sf org assign permset` inserts these).
 * Neither has an owner or a Name-style auto number; an assignment has no Created/LastModified fields.
 */
import { auditFields, field, reference } from '../schema/standard-objects.ts';
import type { ObjectDef } from '../schema/model.ts';

export const SETUP_KEY_PREFIXES = { PermissionSet: '0PS', PermissionSetAssignment: '0Pa' } as const;

const orgFilled = { nillable: false, createable: false, updateable: false } as const;

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

/** PermissionSet and PermissionSetAssignment; a fresh copy on every call. */
export function setupObjects(): ObjectDef[] {
  return [permissionSetObject(), permissionSetAssignmentObject()];
}
