/**
 * Putting a name to an unknown author from the inbox: link the post's author to an existing Contact or
 * Lead (one of the persona's suggestions, or any the agent picks), or create a Lead or Contact for them.
 * Either way the handle is added to the record's `Social_Handles__c` (so the sync links their next posts),
 * the persona points at the record (its suggestions cleared), and the post is linked now. One read and one
 * composite write (all or none): a record the org refuses leaves nothing half-linked.
 */
import { AppError } from '../domain/errors.ts';
import { NETWORKS, type Network } from '../domain/mention.ts';
import { mergeSocialHandles, normalizeHandle } from '../identity/handles.ts';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceGateway } from './gateway.ts';

type Row = Record<string, unknown>;
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const quote = (id: string): string => `'${id}'`;

export type LinkableType = 'Contact' | 'Lead';

export interface LinkResult {
  postId: string;
  recordId: string;
  recordType: LinkableType;
  created: boolean;
}

function requireId(value: string, what: string): string {
  if (!ID.test(value)) throw new AppError('validation_failed', `${what} must be a Salesforce record Id`);
  return value;
}

function typeOf(recordId: string): LinkableType {
  if (recordId.startsWith('003')) return 'Contact';
  if (recordId.startsWith('00Q')) return 'Lead';
  throw new AppError('validation_failed', 'an author can be linked to a Contact (003…) or a Lead (00Q…)', {
    hint: 'Link the Account through one of its Contacts.',
  });
}

function refused(what: string, response: CompositeSubresponse | undefined): AppError {
  const body = response?.body;
  const first = (Array.isArray(body) ? body[0] : body) as
    | { errorCode?: string; message?: string; errors?: { statusCode?: string; message?: string }[] }
    | undefined;
  const error = first?.errors?.[0] ?? first;
  const code =
    (error as { errorCode?: string; statusCode?: string })?.errorCode ??
    (error as { statusCode?: string })?.statusCode ??
    String(response?.httpStatusCode ?? 'UNKNOWN');
  return new AppError('bad_request', `The org refused to ${what}: ${code}: ${error?.message ?? ''}`.trim(), {
    details: { salesforce: body },
    hint: 'Check the record’s required fields and validation rules, and that you may edit it.',
  });
}

/** "Ann Lee" → FirstName Ann, LastName Lee; a handle alone is the LastName. */
export function splitName(name: string | null, handle: string): { FirstName?: string; LastName: string } {
  // Display names carry emoji and flags ("Emily Carter 🏔️"): they are not part of a person's name.
  const clean = (name ?? '')
    .replace(
      /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}|\u{20E3}/gu,
      ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return { LastName: cut(handle, 80) };
  const space = clean.lastIndexOf(' ');
  if (space <= 0) return { LastName: cut(clean, 80) };
  return { FirstName: cut(clean.slice(0, space), 40), LastName: cut(clean.slice(space + 1), 80) };
}

/** The first `max` characters of `text`, never half of a surrogate pair. */
function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : [...text]
        .slice(0, max)
        .join('')
        .slice(0, max)
        .replace(/[\uD800-\uDBFF]$/, '');
}

export class SalesforceAuthorLinks {
  readonly #gateway: Pick<SalesforceGateway, 'composite'>;

  constructor(gateway: Pick<SalesforceGateway, 'composite'>) {
    this.#gateway = gateway;
  }

  /** Links the author of `postId` to the Contact or Lead `recordId`. */
  async link(postId: string, recordId: string): Promise<LinkResult> {
    requireId(postId, 'postId');
    requireId(recordId, 'recordId');
    const type = typeOf(recordId);
    const { post, record } = await this.#read(postId, { id: recordId, type });
    if (!record) throw new AppError('not_found', `No ${type} has the Id ${recordId}.`);
    const handles = mergeSocialHandles(str(record['Social_Handles__c']), [post.handle]);
    const writes: CompositeSubrequest[] = [
      {
        method: 'PATCH',
        url: `/sobjects/${type}/${recordId}`,
        referenceId: 'record',
        body: { Social_Handles__c: handles },
      },
      ...this.#linkWrites(post, type, recordId),
    ];
    await this.#write(writes, `link the author to ${type} ${recordId}`);
    return { postId, recordId, recordType: type, created: false };
  }

  /** Creates a Lead or Contact for the author of `postId` and links them. */
  async create(postId: string, type: LinkableType): Promise<LinkResult> {
    requireId(postId, 'postId');
    const { post } = await this.#read(postId, null);
    const fields: Row = {
      ...splitName(post.name, post.handle.handle),
      Social_Handles__c: mergeSocialHandles('', [post.handle]),
      ...(type === 'Lead' ? { Company: '[not provided]', LeadSource: 'Social' } : {}),
    };
    const responses = await this.#write(
      [
        { method: 'POST', url: `/sobjects/${type}`, referenceId: 'record', body: fields },
        ...this.#linkWrites(post, type, '@{record.id}'),
      ],
      `create a ${type} for @${post.handle.handle}`,
    );
    const id = (responses[0]?.body as { id?: string } | undefined)?.id;
    if (!id) throw refused(`create a ${type}`, responses[0]);
    return { postId, recordId: id, recordType: type, created: true };
  }

  #linkWrites(post: AuthorPost, type: LinkableType, recordId: string): CompositeSubrequest[] {
    const writes: CompositeSubrequest[] = [
      {
        method: 'PATCH',
        url: `/sobjects/Social_Post__c/${post.id}`,
        referenceId: 'post',
        body: type === 'Contact' ? { Contact__c: recordId, Lead__c: null } : { Lead__c: recordId },
      },
    ];
    if (post.personaId) {
      writes.push({
        method: 'PATCH',
        url: `/sobjects/Social_Persona__c/${post.personaId}`,
        referenceId: 'persona',
        body: {
          ...(type === 'Contact' ? { Contact__c: recordId } : { Lead__c: recordId }),
          Suggested_Contact__c: null,
          Suggested_Lead__c: null,
          Match_Confidence__c: 100, // a Percent field: 100 means certain
          Match_Reason__c: 'Linked by an agent in the social inbox',
        },
      });
    }
    return writes;
  }

  async #write(writes: CompositeSubrequest[], what: string): Promise<CompositeSubresponse[]> {
    const responses = await this.#gateway.composite(writes, true);
    const failed = responses.find((r) => r.httpStatusCode >= 400 && !isRolledBack(r));
    if (failed) throw refused(what, failed);
    if (responses.some((r) => r.httpStatusCode >= 400)) throw refused(what, responses[0]);
    return responses;
  }

  async #read(
    postId: string,
    target: { id: string; type: LinkableType } | null,
  ): Promise<{ post: AuthorPost; record: Row | null }> {
    const requests: CompositeSubrequest[] = [
      query(
        'post',
        `SELECT Id, Network__c, Author_Handle__c, Is_Outbound__c, Persona__c, Persona__r.Display_Name__c FROM Social_Post__c WHERE Id = ${quote(postId)}`,
      ),
    ];
    if (target) {
      requests.push(
        query('record', `SELECT Id, Social_Handles__c FROM ${target.type} WHERE Id = ${quote(target.id)}`),
      );
    }
    const responses = await this.#gateway.composite(requests);
    const rows = responses.map((r) => {
      if (r.httpStatusCode >= 400) throw refused('read the post', r);
      return ((r.body as { records?: Row[] }).records ?? []) as Row[];
    });
    const row = rows[0]?.[0];
    if (!row || row['Is_Outbound__c'] === true)
      throw new AppError('not_found', `No inbound post has the Id ${postId}.`);
    const network = NETWORKS.find((n) => n === row['Network__c']) as Network | undefined;
    const raw = (str(row['Author_Handle__c']) ?? '').replace(/^@/, '');
    const handle = network ? normalizeHandle(network, raw) : null;
    if (!network || !handle) {
      throw new AppError(
        'validation_failed',
        `The post's author handle "${raw}" cannot be kept on a record.`,
      );
    }
    const persona = row['Persona__r'] as Row | null | undefined;
    return {
      post: {
        id: postId,
        handle: { network, handle },
        name: str(persona?.['Display_Name__c']),
        personaId: str(row['Persona__c']),
      },
      record: rows[1]?.[0] ?? null,
    };
  }
}

interface AuthorPost {
  id: string;
  handle: { network: Network; handle: string };
  name: string | null;
  personaId: string | null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function isRolledBack(response: CompositeSubresponse): boolean {
  const body = response.body as { errorCode?: string }[] | undefined;
  return Array.isArray(body) && body[0]?.errorCode === 'PROCESSING_HALTED';
}

function query(referenceId: string, soql: string): CompositeSubrequest {
  return { method: 'GET', url: `/query?q=${encodeURIComponent(soql)}`, referenceId };
}
