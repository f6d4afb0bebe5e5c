/**
 * The dev org's schema: the standard objects plus everything manifests/ defines, so the package we ship
 * is exactly what we test against. Custom objects get Salesforce's system fields; lookups become
 * reference fields (`Contact__c` → relationship `Contact__r`) and child relationships on their parents.
 */
import {
  DEFAULT_SOURCE_DIR,
  readCustomMetadata,
  readManifests,
  type ManifestField,
} from '@socialcrm/manifests';
import { customMetadataKeyPrefix, customMetadataType, isCustomMetadataType } from './custom-metadata.ts';
import { field, standardObjects } from './standard-objects.ts';
import { Schema, type FieldDef, type ObjectDef } from './model.ts';
import { setupObjects } from '../metadata/setup-objects.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function customField(f: ManifestField): FieldDef {
  const base = {
    name: f.name,
    label: f.label,
    nillable: !f.required,
    unique: f.unique,
    externalId: f.externalId,
    caseSensitive: f.caseSensitive,
    custom: true,
  };
  switch (f.type) {
    case 'Text':
      return field({ ...base, type: 'string', length: f.length, defaultValue: f.defaultValue ?? null });
    case 'TextArea':
      return field({ ...base, type: 'textarea', length: 255 });
    case 'LongTextArea':
    case 'Html':
      return field({ ...base, type: 'textarea', length: f.length });
    case 'Number':
      return field({
        ...base,
        type: 'double',
        precision: f.precision,
        scale: f.scale,
        defaultValue: f.defaultValue === undefined ? null : Number(f.defaultValue),
      });
    case 'Percent':
      return field({ ...base, type: 'percent', precision: f.precision, scale: f.scale });
    case 'Currency':
      return field({ ...base, type: 'currency', precision: f.precision, scale: f.scale });
    case 'Checkbox':
      return field({ ...base, type: 'boolean', nillable: false, defaultValue: f.defaultValue });
    case 'Date':
      return field({ ...base, type: 'date' });
    case 'DateTime':
      return field({ ...base, type: 'datetime' });
    case 'Email':
      return field({ ...base, type: 'email' });
    case 'Phone':
      return field({ ...base, type: 'phone' });
    case 'Url':
      return field({ ...base, type: 'url' });
    case 'Picklist':
    case 'MultiselectPicklist':
      return field({
        ...base,
        type: f.type === 'Picklist' ? 'picklist' : 'multipicklist',
        restrictedPicklist: f.restricted,
        picklistValues: f.values.map((v) => ({
          value: v.value,
          label: v.label,
          defaultValue: v.default,
          active: true,
        })),
      });
    case 'Lookup':
    case 'MasterDetail':
      return field({
        ...base,
        type: 'reference',
        referenceTo: [f.referenceTo],
        relationshipName: f.name.replace(/__c$/, '__r'),
      });
  }
}

function systemFields(nameField: FieldDef): FieldDef[] {
  return [
    field({ name: 'Id', label: 'Record ID', type: 'id', nillable: false }),
    // A user or a queue that takes the object (QueueSobject): polymorphic, as on every custom object.
    field({
      name: 'OwnerId',
      label: 'Owner ID',
      type: 'reference',
      referenceTo: ['Group', 'User'],
      relationshipName: 'Owner',
      nillable: false,
      createable: true,
      updateable: true,
    }),
    field({ name: 'IsDeleted', label: 'Deleted', type: 'boolean', createable: false, updateable: false }),
    nameField,
    field({
      name: 'CreatedDate',
      label: 'Created Date',
      type: 'datetime',
      nillable: false,
      createable: false,
      updateable: false,
    }),
    field({
      name: 'CreatedById',
      label: 'Created By ID',
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
      nillable: false,
      createable: false,
      updateable: false,
    }),
    field({
      name: 'LastModifiedDate',
      label: 'Last Modified Date',
      type: 'datetime',
      nillable: false,
      createable: false,
      updateable: false,
    }),
    field({
      name: 'LastModifiedById',
      label: 'Last Modified By ID',
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
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
  ];
}

/**
 * Builds the schema from the standard objects and the manifests in `manifestsDir` (default: this repo's):
 * custom objects and fields, fields added to standard objects, and custom metadata types (`X__mdt`).
 */
export function loadSchema(manifestsDir: string = DEFAULT_SOURCE_DIR): Schema {
  // Custom metadata types are read by custom-metadata.ts, whatever the manifests reader makes of them.
  const manifests = readManifests(manifestsDir).filter((m) => !isCustomMetadataType(m.name));
  const objects = new Map<string, ObjectDef>(
    [...standardObjects(), ...setupObjects()].map((o) => [o.name.toLowerCase(), o]),
  );
  const customs = manifests.filter((m) => m.custom).sort((a, b) => a.name.localeCompare(b.name));

  customs.forEach((manifest, index) => {
    if (!manifest.custom) return;
    const name = manifest.nameField;
    const nameField =
      name.type === 'AutoNumber'
        ? field({
            name: 'Name',
            label: name.label,
            type: 'string',
            length: 80,
            nameField: true,
            autoNumber: true,
            displayFormat: name.displayFormat,
            nillable: false,
          })
        : field({
            name: 'Name',
            label: name.label,
            type: 'string',
            length: 80,
            nameField: true,
            nillable: true,
          });
    objects.set(manifest.name.toLowerCase(), {
      name: manifest.name,
      label: manifest.label,
      labelPlural: manifest.pluralLabel,
      keyPrefix: `a0${BASE62[index % 62]}`,
      custom: true,
      fields: [...systemFields(nameField), ...manifest.fields.map(customField)],
      childRelationships: [],
    });
  });

  for (const manifest of manifests) {
    if (manifest.custom) continue;
    const object = objects.get(manifest.name.toLowerCase());
    if (!object)
      throw new Error(`manifests/ adds fields to ${manifest.name}, which the dev org does not model`);
    object.fields.push(...manifest.fields.map(customField));
  }

  // Child relationships, from every custom lookup in the manifests.
  for (const manifest of manifests) {
    for (const f of manifest.fields) {
      if (f.type !== 'Lookup' && f.type !== 'MasterDetail') continue;
      const parent = objects.get(f.referenceTo.toLowerCase());
      if (!parent)
        throw new Error(
          `${manifest.name}.${f.name} looks up ${f.referenceTo}, which the dev org does not model`,
        );
      const childName = objects.get(manifest.name.toLowerCase())?.name ?? manifest.name;
      parent.childRelationships.push({
        childSObject: childName,
        field: f.name,
        relationshipName: `${f.relationshipName}__r`,
        cascadeDelete: f.type === 'MasterDetail',
      });
    }
  }
  // Queues can own Cases, Leads and every custom object.
  const queueObjects = objects.get('queuesobject')?.fields.find((f) => f.name === 'SobjectType');
  if (queueObjects) {
    for (const manifest of customs) {
      queueObjects.picklistValues.push({
        value: manifest.name,
        label: manifest.label,
        defaultValue: false,
        active: true,
      });
    }
  }

  // Custom metadata types: values come from deploys (and the package's records at start), never from DML.
  readCustomMetadata(manifestsDir).forEach((type, index) => {
    const fields = type.fields.map((f) => ({ ...customField(f), createable: false, updateable: false }));
    const object = customMetadataType(type.name, type, fields, customMetadataKeyPrefix(index));
    objects.set(type.name.toLowerCase(), object);
  });
  return new Schema(objects.values());
}
