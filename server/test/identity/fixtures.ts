import { Author } from '../../src/domain/mention.ts';
import type { PersonCandidate } from '../../src/identity/directory.ts';

/** A social author with the schema's defaults for what a test leaves out. */
export function author(fields: Partial<Author> & { handle: string }): Author {
  return Author.parse({ id: `id-${fields.handle}`, ...fields });
}

export function contact(fields: Partial<PersonCandidate> & { id: string }): PersonCandidate {
  return { type: 'Contact', ...fields };
}

export function lead(fields: Partial<PersonCandidate> & { id: string }): PersonCandidate {
  return { type: 'Lead', isConverted: false, ...fields };
}
