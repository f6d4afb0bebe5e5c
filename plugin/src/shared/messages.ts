/**
 * The plugin's words live in messages/*.md (one file per command, plus errors.md for what several
 * commands can run into). Loaded once here so library code can build errors with their next steps.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);

export const PLUGIN = '@socialcrm/plugin-social';

/** Errors shared by the commands and the library: `errors.createError('error.NoOrg')`. */
export const errors = Messages.loadMessages(PLUGIN, 'errors');

export function commandMessages(command: string): Messages<string> {
  return Messages.loadMessages(PLUGIN, command);
}
