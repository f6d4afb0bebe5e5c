/**
 * The sync server's configuration for each org, written by `sf social setup` and read by `serve`,
 * `status` and `backfill`: where the server listens, where it keeps its queue, and which org it writes to.
 * Kept with the CLI's own state (`~/.sf/social-crm.json`, keyed by org id) and never holding a token: the
 * server gets the CLI's stored auth at start (`sf social serve`).
 */
import { join } from 'node:path';
import { ConfigFile, Global } from '@salesforce/core';
import type { OrgServerSettings } from '../results.ts';

type Contents = { orgs?: Record<string, OrgServerSettings> };

export class SocialCrmSettings extends ConfigFile<ConfigFile.Options, Contents> {
  static override getFileName(): string {
    return 'social-crm.json';
  }

  static override getDefaultOptions(): ConfigFile.Options {
    return {
      isGlobal: true,
      isState: true,
      stateFolder: Global.SF_STATE_FOLDER,
      filename: SocialCrmSettings.getFileName(),
    };
  }

  forOrg(orgId: string): OrgServerSettings | undefined {
    return this.get('orgs')?.[orgId];
  }

  /** Stores the org's settings; returns the names of the settings that changed (all of them when new). */
  saveOrg(settings: OrgServerSettings): (keyof OrgServerSettings)[] {
    const orgs = { ...this.get('orgs') };
    const previous = orgs[settings.orgId];
    const changed = (Object.keys(settings) as (keyof OrgServerSettings)[]).filter(
      (key) => previous?.[key] !== settings[key],
    );
    orgs[settings.orgId] = settings;
    this.set('orgs', orgs);
    return changed;
  }
}

/** Where an org's sync server keeps its queue unless told otherwise: `~/.sf/social-crm/<org id>`. */
export function defaultDataDir(orgId: string): string {
  return join(Global.SF_DIR, 'social-crm', orgId);
}
