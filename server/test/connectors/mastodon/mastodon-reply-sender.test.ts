/**
 * MastodonReplySender against the Mastodon stand-in: in_reply_to_id, the reply's visibility following
 * the post answered, one status per Idempotency-Key (an attempt after a crash finds the first one), and
 * Mastodon's refusals as SendErrors.
 */
import { expect } from 'chai';
import { startMastodonStandIn, type MastodonStandIn } from '@socialcrm/stand-ins';
import { MastodonReplySender } from '../../../src/connectors/mastodon/mastodon-reply-sender.ts';
import { SendError, type SendRequest } from '../../../src/replies/ports.ts';
import type { ReplyTarget } from '../../../src/replies/reply.ts';
import { replyTarget } from '../../replies/fixtures.ts';

const TOKEN = 'test-mastodon-token';

function target(statusId: string): ReplyTarget {
  return replyTarget('mastodon', {
    networkPostId: statusId,
    authorHandle: 'ann@mastodon.example',
    authorId: '1',
  });
}

describe('MastodonReplySender', () => {
  let mastodon: MastodonStandIn;
  let sender: MastodonReplySender;

  before(async () => {
    mastodon = await startMastodonStandIn({
      accessToken: TOKEN,
      instanceHost: 'mastodon.example',
      ownAccount: { id: '109000000000000001', username: 'brand', display_name: 'Brand' },
    });
    sender = new MastodonReplySender({ instanceUrl: mastodon.url, accessToken: TOKEN });
  });
  after(async () => mastodon?.close());

  const request = (statusId: string, key: string, text = '@ann@mastodon.example thanks!'): SendRequest => ({
    replyId: 'a01000000000002AAA',
    idempotencyKey: key,
    text,
    target: target(statusId),
    createdAt: new Date().toISOString(),
  });

  it('answers in the thread with the visibility of the post answered, once per idempotency key', async () => {
    const direct = mastodon.addMention({
      author: { username: 'ann', domain: 'mastodon.example' },
      text: 'psst',
      visibility: 'direct',
    });
    const first = await sender.send(request(direct.id, 'reply-key-0001'));
    const again = await sender.findSent(request(direct.id, 'reply-key-0001'));
    expect(again).to.deep.equal(first);
    const posted = mastodon.postedStatuses().filter((s) => s.in_reply_to_id === direct.id);
    expect(posted).to.have.length(1);
    expect(posted[0]!.visibility).to.equal('direct');
    expect(first.url).to.be.a('string');
  });

  it('turns refusals into SendErrors the dispatcher acts on', async () => {
    const gone = await sender.send(request('999999', 'reply-key-0002')).catch((e: unknown) => e);
    expect(gone).to.be.instanceOf(SendError);
    expect((gone as SendError).kind).to.equal('rejected');
    const mention = mastodon.addMention({
      author: { username: 'bo', domain: 'mastodon.example' },
      text: 'hi',
    });
    const tooLong = await sender
      .send(request(mention.id, 'reply-key-0003', 'x'.repeat(501)))
      .catch((e: unknown) => e);
    expect((tooLong as SendError).kind).to.equal('rejected');
    expect((tooLong as SendError).message).to.match(/character limit of 500/);
    const denied = new MastodonReplySender({ instanceUrl: mastodon.url, accessToken: 'revoked' });
    const auth = await denied.send(request(mention.id, 'reply-key-0004')).catch((e: unknown) => e);
    expect((auth as SendError).kind).to.equal('auth');
  });
});
