import { expect } from 'chai';
import { Presence } from '../../src/replies/presence.ts';

describe('replies/Presence', () => {
  let now = 0;
  const presence = () => new Presence({ ttlMs: 45_000, now: () => now });

  beforeEach(() => {
    now = Date.parse('2026-01-05T10:00:00Z');
  });

  it('warns about another browser that has the post open, longest first', () => {
    const p = presence();
    p.touch('a0Q1', 'maria_tab1', 'Maria');
    now += 1000;
    p.touch('a0Q1', 'li_tab1', 'Li');
    expect(p.others('a0Q1', 'me_tab1').map((v) => v.user)).to.deep.equal(['Maria', 'Li']);
  });

  it("never counts the agent's own other windows, open or closed without a goodbye", () => {
    const p = presence();
    p.touch('a0Q1', 'me_closed', 'A colleague in another browser window');
    now += 5000;
    p.touch('a0Q1', 'me_open', 'A colleague in another browser window');
    expect(p.others('a0Q1', 'me_open')).to.deep.equal([]);
    expect(p.others('a0Q1', 'someone_tab').map((v) => v.viewerId)).to.deep.equal(['me_closed', 'me_open']);
  });

  it('takes an id without a browser part as a browser of its own', () => {
    const p = presence();
    p.touch('a0Q1', 'f3a9c2d4-1b2c', 'Maria');
    expect(p.others('a0Q1', 'f3a9c2d4-1b2d').map((v) => v.user)).to.deep.equal(['Maria']);
    expect(p.others('a0Q1', 'f3a9c2d4-1b2c')).to.deep.equal([]);
  });

  it('forgets a viewer when its heartbeats stop, or when it leaves', () => {
    const p = presence();
    p.touch('a0Q1', 'maria_1', 'Maria');
    p.touch('a0Q1', 'li_1', 'Li');
    p.leave('a0Q1', 'li_1');
    expect(p.others('a0Q1', null).map((v) => v.user)).to.deep.equal(['Maria']);
    now += 46_000;
    expect(p.others('a0Q1', null)).to.deep.equal([]);
  });
});
