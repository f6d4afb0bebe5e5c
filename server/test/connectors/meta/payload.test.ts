import { expect } from 'chai';
import { parseMetaWebhook } from '../../../src/connectors/meta/payload.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { ownAccounts } from '../x/fakes.ts';

const PAGE = '104123456789012';
const IG = '17841400000000001';
const none = ownAccounts({});

function page(changes: unknown[]): unknown {
  return { object: 'page', entry: [{ id: PAGE, time: 1717000000, changes }] };
}

function comment(value: Record<string, unknown> = {}): unknown {
  return {
    field: 'feed',
    value: {
      from: { id: '6789012345678', name: 'Zoë Müller' },
      post: { status_type: 'added_photos', is_published: true, id: `${PAGE}_555` },
      message: 'Très déçue par la livraison 😞',
      post_id: `${PAGE}_555`,
      comment_id: '555_777',
      created_time: 1717000123,
      item: 'comment',
      parent_id: `${PAGE}_555`,
      verb: 'add',
      ...value,
    },
  };
}

describe('Meta payload → Mention', () => {
  it('maps a comment on our page post, non-ASCII intact', () => {
    const { mentions, references } = parseMetaWebhook(page([comment()]), none);
    expect(references).to.deep.equal([]);
    expect(mentions).to.have.length(1);
    expect(mentions[0]).to.deep.include({
      network: 'facebook',
      id: '555_777',
      text: 'Très déçue par la livraison 😞',
      createdAt: new Date(1717000123 * 1000).toISOString(),
      url: `https://www.facebook.com/${PAGE}_555?comment_id=777`,
      inReplyToId: `${PAGE}_555`,
      threadRootId: `${PAGE}_555`,
      inReplyToAuthorId: PAGE,
      kind: 'comment',
    });
    // Meta gives no username for people: the handle is the user id, the name is the display name.
    expect(mentions[0]?.author).to.deep.include({
      id: '6789012345678',
      handle: '6789012345678',
      displayName: 'Zoë Müller',
    });
  });

  it('maps a reply to another comment with that comment as parent', () => {
    const [mention] = parseMetaWebhook(
      page([comment({ parent_id: '555_700', comment_id: '555_778' })]),
      none,
    ).mentions;
    expect(mention).to.deep.include({
      inReplyToId: '555_700',
      inReplyToAuthorId: null,
      threadRootId: `${PAGE}_555`,
    });
  });

  it('maps a visitor post on our page', () => {
    const post = {
      field: 'feed',
      value: {
        from: { id: '42', name: 'Al' },
        message: 'Hi!',
        post_id: `${PAGE}_900`,
        created_time: 1717000200,
        item: 'status',
        verb: 'add',
      },
    };
    const [mention] = parseMetaWebhook(page([post]), none).mentions;
    expect(mention).to.deep.include({
      id: `${PAGE}_900`,
      inReplyToId: null,
      threadRootId: `${PAGE}_900`,
      text: 'Hi!',
    });
  });

  it('skips edits, removals, reactions, our own page comments and other own accounts', () => {
    const changes = [
      comment({ verb: 'edited' }),
      comment({ verb: 'remove' }),
      {
        field: 'feed',
        value: {
          item: 'reaction',
          verb: 'add',
          reaction_type: 'like',
          from: { id: '1' },
          post_id: `${PAGE}_1`,
        },
      },
      comment({ from: { id: PAGE, name: 'Our Page' } }),
      comment({ from: { id: '999', name: 'Our other page' } }),
      comment({ comment_id: '555_779' }),
    ];
    const { mentions } = parseMetaWebhook(page(changes), ownAccounts({ facebook: ['999'] }));
    expect(mentions.map((m) => m.id)).to.deep.equal(['555_779']);
  });

  it('maps a page mention with text, and keeps one without text as a reference', () => {
    const withText = {
      field: 'mention',
      value: {
        post_id: '777_888',
        sender_name: 'Bo',
        sender_id: '123',
        item: 'post',
        verb: 'add',
        message: 'Love @Brand',
        created_time: 1717000300,
      },
    };
    const idOnly = {
      field: 'mention',
      value: { post_id: '777_889', sender_name: 'Cy', sender_id: '124', item: 'post', verb: 'add' },
    };
    const { mentions, references } = parseMetaWebhook(page([withText, idOnly]), none);
    expect(mentions[0]).to.deep.include({ id: '777_888', kind: 'mention', text: 'Love @Brand' });
    expect(references).to.have.length(1);
    expect(references[0]).to.deep.include({
      network: 'facebook',
      pageId: PAGE,
      postId: '777_889',
      commentId: null,
    });
  });

  it('maps Instagram comments and skips our own', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: IG,
          time: 1717000400,
          changes: [
            {
              field: 'comments',
              value: {
                from: { id: '2345', username: 'joao.silva' },
                media: { id: '1790001', media_product_type: 'FEED' },
                id: '1790002',
                text: 'Ótimo! 👏',
              },
            },
            {
              field: 'comments',
              value: {
                from: { id: IG, username: 'socialcrm_demo' },
                media: { id: '1790001' },
                id: '1790003',
                text: 'Obrigado!',
              },
            },
            {
              field: 'comments',
              value: {
                from: { id: '2345', username: 'joao.silva' },
                media: { id: '1790001' },
                id: '1790004',
                parent_id: '1790003',
                text: 'de nada',
              },
            },
          ],
        },
      ],
    };
    const { mentions } = parseMetaWebhook(body, none);
    expect(mentions.map((m) => m.id)).to.deep.equal(['1790002', '1790004']);
    expect(mentions[0]).to.deep.include({
      network: 'instagram',
      text: 'Ótimo! 👏',
      inReplyToId: '1790001',
      threadRootId: '1790001',
      inReplyToAuthorId: IG,
      createdAt: new Date(1717000400 * 1000).toISOString(),
    });
    expect(mentions[0]?.author).to.deep.include({ id: '2345', handle: 'joao.silva' });
    expect(mentions[1]).to.deep.include({ inReplyToId: '1790003', inReplyToAuthorId: null });
  });

  it('turns Instagram mentions (ids only) into references to resolve', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: IG,
          time: 1717000500,
          changes: [
            { field: 'mentions', value: { media_id: '1791', comment_id: '1792' } },
            { field: 'mentions', value: { media_id: '1793' } },
          ],
        },
      ],
    };
    const { mentions, references } = parseMetaWebhook(body, none);
    expect(mentions).to.deep.equal([]);
    expect(references).to.have.length(1);
    expect(references[0]).to.deep.include({
      network: 'instagram',
      accountId: IG,
      commentId: '1792',
      mediaId: '1791',
    });
  });

  it('handles several entries in one batch and ignores other objects and fields', () => {
    const body = {
      object: 'page',
      entry: [
        { id: PAGE, time: 1, changes: [comment()] },
        {
          id: PAGE,
          time: 2,
          changes: [comment({ comment_id: '555_780' }), { field: 'ratings', value: { verb: 'add' } }],
        },
        { id: PAGE, time: 3, messaging: [{ sender: { id: '1' } }] },
      ],
    };
    expect(parseMetaWebhook(body, none).mentions.map((m) => m.id)).to.deep.equal(['555_777', '555_780']);
    expect(
      parseMetaWebhook(
        { object: 'permissions', entry: [{ id: '1', time: 1, changes: [{ field: 'x', value: {} }] }] },
        none,
      ).mentions,
    ).to.deep.equal([]);
  });

  it('refuses each malformed change on its own, naming its path, and maps the others', () => {
    const body = page([
      comment({ item: undefined }),
      { field: 'feed', value: { verb: 'add', item: 'comment', from: { name: 'no id' } } },
      comment({ comment_id: '555_781' }),
    ]);
    const { mentions, rejected, items } = parseMetaWebhook(body, none);
    expect(items).to.equal(3);
    expect(mentions.map((m) => m.id)).to.deep.equal(['555_781']);
    expect(rejected.map((r) => [r.network, r.kind])).to.deep.equal([
      ['facebook', 'malformed'],
      ['facebook', 'malformed'],
    ]);
    expect(rejected[0]?.id).to.equal('555_777');
    expect(rejected[0]?.reason).to.include('entry.0.changes.0.value.item');
    expect(rejected[1]?.reason).to.include('entry.0.changes.1.value.from.id');
  });

  it('refuses an Instagram comment whose username Instagram would not allow', () => {
    const body = {
      object: 'instagram',
      entry: [
        {
          id: IG,
          time: 1717000400,
          changes: [
            {
              field: 'comments',
              value: {
                from: { id: '2345', username: 'joão.silva' },
                media: { id: '1' },
                id: '17',
                text: 'Oi',
              },
            },
          ],
        },
      ],
    };
    const { mentions, rejected } = parseMetaWebhook(body, none);
    expect(mentions).to.deep.equal([]);
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.include({ network: 'instagram', id: '17', kind: 'invalid_handle' });
    expect(rejected[0]?.reason).to.include('entry.0.changes.0.author.handle');
    expect(rejected[0]?.reason).to.include('joão.silva');
  });

  it('rejects a body without object or entry, and refuses an entry without id on its own', () => {
    for (const body of [{}, { object: 'page' }, 'x', { object: 'page', entry: {} }]) {
      expect(() => parseMetaWebhook(body, none)).to.throw(AppError, /Meta webhook payload is invalid/);
    }
    const { rejected, items } = parseMetaWebhook({ object: 'page', entry: [{ time: 1 }] }, none);
    expect(items).to.equal(1);
    expect(rejected[0]?.reason).to.include('entry.0.id');
  });
});
