/**
 * The Metadata API types the dev org accepts in a deploy, laid out as in a metadata-format zip (what
 * `sf project deploy` sends): the folder and file suffix of each type, and for the children of a custom
 * object the element of `objects/<Object>.object` that holds them (`<fields>`, `<listViews>`, …).
 * A type not listed here fails its deploy with a message saying the dev org does not support it.
 */

export interface TopLevelType {
  kind: 'file';
  directory: string;
  suffix: string;
  /** The XML root element of the file (or of its `-meta.xml` for content types). */
  root: string;
  /** Content types carry a body file next to `<name>.<suffix>-meta.xml` (static resources, Apex classes). */
  content?: boolean;
}

export interface BundleType {
  kind: 'bundle';
  directory: string;
  /** The bundle's metadata file: `<dir>/<name>/<name><metaSuffix>`. */
  metaSuffix: string;
  root: string;
}

export interface ChildType {
  kind: 'child';
  parent: 'CustomObject';
  /** The element in the parent's file that holds one child, e.g. `fields`. */
  element: string;
}

export type MetadataType = TopLevelType | BundleType | ChildType;

export const METADATA_TYPES: Readonly<Record<string, MetadataType>> = {
  CustomObject: { kind: 'file', directory: 'objects', suffix: 'object', root: 'CustomObject' },
  CustomField: { kind: 'child', parent: 'CustomObject', element: 'fields' },
  ListView: { kind: 'child', parent: 'CustomObject', element: 'listViews' },
  CompactLayout: { kind: 'child', parent: 'CustomObject', element: 'compactLayouts' },
  ValidationRule: { kind: 'child', parent: 'CustomObject', element: 'validationRules' },
  FieldSet: { kind: 'child', parent: 'CustomObject', element: 'fieldSets' },
  WebLink: { kind: 'child', parent: 'CustomObject', element: 'webLinks' },
  Layout: { kind: 'file', directory: 'layouts', suffix: 'layout', root: 'Layout' },
  CustomTab: { kind: 'file', directory: 'tabs', suffix: 'tab', root: 'CustomTab' },
  CustomApplication: { kind: 'file', directory: 'applications', suffix: 'app', root: 'CustomApplication' },
  PermissionSet: {
    kind: 'file',
    directory: 'permissionsets',
    suffix: 'permissionset',
    root: 'PermissionSet',
  },
  StaticResource: {
    kind: 'file',
    directory: 'staticresources',
    suffix: 'resource',
    root: 'StaticResource',
    content: true,
  },
  PlatformEventChannelMember: {
    kind: 'file',
    directory: 'platformEventChannelMembers',
    suffix: 'platformEventChannelMember',
    root: 'PlatformEventChannelMember',
  },
  FlexiPage: { kind: 'file', directory: 'flexipages', suffix: 'flexipage', root: 'FlexiPage' },
  Queue: { kind: 'file', directory: 'queues', suffix: 'queue', root: 'Queue' },
  CustomMetadata: { kind: 'file', directory: 'customMetadata', suffix: 'md', root: 'CustomMetadata' },
  LightningComponentBundle: {
    kind: 'bundle',
    directory: 'lwc',
    metaSuffix: '.js-meta.xml',
    root: 'LightningComponentBundle',
  },
};

/** Where a top-level component's (meta) file lives in the zip, relative to the package root. */
export function fileNameOf(type: TopLevelType | BundleType, fullName: string): string {
  if (type.kind === 'bundle') return `${type.directory}/${fullName}/${fullName}${type.metaSuffix}`;
  const file = `${type.directory}/${fullName}.${type.suffix}`;
  return type.content ? `${file}-meta.xml` : file;
}
