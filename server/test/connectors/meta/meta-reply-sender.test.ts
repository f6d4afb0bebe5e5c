/**
 * MetaReplySender against the Meta Graph stand-in: a Facebook comment reply and an Instagram comment
 * reply as our Page, and Graph's errors (rate limits, a revoked token, an unknown object) as the
 * SendErrors the dispatcher acts on.
 */
import { expect } from 'chai';
import { startMetaStandIn, type MetaStandIn } from '../../../../stand-ins/src/index.ts';
import { MetaReplySender } from '../../../src/connectors/meta/meta-reply-sender.ts';
import { SendError, type SendRequest } from '../../../src/replies/ports.ts';
import { replyTarget } from '../../replies/fixtures.ts';

const PAGE_ID = '100000000000001';
const TOKEN = 'test-page-token';

function request(network: 'facebook' | 'instagram', networkPostId: string, text: string): SendRequest {
  const target = replyTarget(network, { networkPostId });
  return {
    replyId: 'a01000000000002AAA',
    idempotencyKey: 'meta-key-0001',
    text,
    target,
    createdAt: new Date().toISOString(),
  };
}

describe('MetaReplySender', () => {
  let meta: MetaStandIn;
  let facebook: MetaReplySender;
  let instagram: MetaReplySender;

  before(async () => {
    meta = await startMetaStandIn({ appSecret: 's', verifyToken: 'v', pageId: PAGE_ID, pageToken: TOKEN });
    const common = { pageAccessToken: TOKEN, baseUrl: meta.url };
    facebook = new MetaReplySender({ ...common, network: 'facebook', ownId: PAGE_ID });
    instagram = new MetaReplySender({ ...common, network: 'instagram', ownId: meta.instagramAccountId });
  });
  after(async () => meta?.close());
  afterEach(async () => meta.setFaults({ rateLimited: false, tokenRevoked: false }));

  it('answers a Facebook comment and an Instagram comment as our Page', async () => {
    const fb = await meta.addPageComment({ from: { name: 'Ann Lee' }, message: 'Where is my order?' });
    const sentFb = await facebook.send(request('facebook', fb.commentId, 'Checking now, Ann!'));
    const ig = await meta.addInstagramComment({ username: 'kai', text: 'Love it' });
    const sentIg = await instagram.send(request('instagram', ig.commentId, 'Thank you Kai!'));
    const replies = meta.sentReplies();
    expect(replies.map((r) => [r.network, r.endpoint, r.parentId, r.message, r.id])).to.deep.equal([
      ['facebook', 'comments', fb.commentId, 'Checking now, Ann!', sentFb.networkPostId],
      ['instagram', 'replies', ig.commentId, 'Thank you Kai!', sentIg.networkPostId],
    ]);
    expect(sentFb.url).to.equal(`https://www.facebook.com/${sentFb.networkPostId}`);
    // After a crash, the next attempt finds what was posted instead of posting again.
    expect(await facebook.findSent(request('facebook', fb.commentId, 'Checking now, Ann!'))).to.deep.equal(
      sentFb,
    );
    expect(await instagram.findSent(request('instagram', ig.commentId, 'Thank you Kai!'))).to.deep.equal(
      sentIg,
    );
    expect(await facebook.findSent(request('facebook', fb.commentId, 'Another text'))).to.equal(null);
    const unanswered = await meta.addPageComment({ from: { name: 'Cy' }, message: 'hello?' });
    expect(await facebook.findSent(request('facebook', unanswered.commentId, 'Checking now, Ann!'))).to.equal(
      null,
    );
  });

  it('turns Graph errors into rate limits, credential problems and refusals', async () => {
    const fb = await meta.addPageComment({ from: { name: 'Bo' }, message: 'hi' });
    await meta.setFaults({ rateLimited: 32 });
    const limited = (await facebook
      .send(request('facebook', fb.commentId, 'x'))
      .catch((e: unknown) => e)) as SendError;
    expect(limited).to.be.instanceOf(SendError);
    expect(limited.kind).to.equal('rate_limited');
    expect(limited.retryAt).to.be.instanceOf(Date);
    await meta.setFaults({ rateLimited: false, tokenRevoked: true });
    const revoked = (await facebook
      .send(request('facebook', fb.commentId, 'x'))
      .catch((e: unknown) => e)) as SendError;
    expect(revoked.kind).to.equal('auth');
    await meta.setFaults({ tokenRevoked: false });
    const unknown = (await facebook
      .send(request('facebook', '999_999', 'x'))
      .catch((e: unknown) => e)) as SendError;
    expect(unknown.kind).to.equal('rejected');
  });
});
