import type { ReplyTarget } from '../../src/replies/reply.ts';

/** A post to answer, with what a test does not care about left empty. */
export function replyTarget(
  network: ReplyTarget['network'],
  overrides: Partial<ReplyTarget> = {},
): ReplyTarget {
  return {
    id: 'a01000000000001AAA',
    network,
    networkPostId: '123',
    authorHandle: 'someone',
    authorName: null,
    authorId: null,
    body: 'hello',
    postedAt: null,
    isOutbound: false,
    influence: null,
    repliedAt: null,
    repliedByName: null,
    links: { personaId: null, contactId: null, leadId: null, accountId: null, caseId: null },
    ...overrides,
  };
}
