/**
 * Fresh links, end to end on the embedded default (seeded dev org, X stand-in, sync server in-process):
 * a stranger posts twice and is linked to no one; a rep adds the stranger's handle to a Contact's
 * Social_Handles__c with jsforce, and within 10 s — no restart, no waiting for the minute's refresh —
 * both earlier posts, the persona, the Contact's roll-ups and the open Case show the Contact; the rep
 * removes the line and it all comes undone, roll-ups recomputed. Malformed lines are reported on
 * /api/status with the record and the line, never crash anything and never link anyone.
 */
import { expect } from 'chai';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

interface Post {
  Id: string;
  Contact__c: string | null;
  Account__c: string | null;
  Case__c: string | null;
  Posted_At__c: string;
  Persona__c: string;
}

interface Status {
  people?: {
    changeEvents: string;
    handleWarnings: { total: number; warnings: { recordId: string; line: number; message: string }[] };
    relink: { pending: number; failures: unknown[] };
  };
  problems: { what: string; hint: string }[];
}

describe('fresh links: a handle added to a Contact links the earlier posts within seconds', function () {
  this.timeout(120_000);
  let e: Embedded;
  let accountId: string;
  let contactId: string;
  const handle = 'quiet_strngr42';

  const status = async (): Promise<Status> =>
    (await (await fetch(`${e.server.url}/api/status`)).json()) as Status;
  const posts = async (author: string): Promise<Post[]> =>
    (
      await e.conn.query<Post>(
        `SELECT Id, Contact__c, Account__c, Case__c, Posted_At__c, Persona__c FROM Social_Post__c WHERE Author_Handle__c = '${author}' ORDER BY Posted_At__c`,
      )
    ).records;
  const persona = async (id: string): Promise<Record<string, unknown>> =>
    (
      await e.conn.query<Record<string, unknown>>(
        `SELECT Contact__c, Lead__c, Match_Reason__c FROM Social_Persona__c WHERE Id = '${id}'`,
      )
    ).records[0]!;
  const contact = async (): Promise<Record<string, unknown>> =>
    (
      await e.conn.query<Record<string, unknown>>(
        `SELECT Social_Influence__c, Social_Sentiment__c, Last_Social_Activity__c FROM Contact WHERE Id = '${contactId}'`,
      )
    ).records[0]!;
  const caseOf = async (id: string): Promise<Record<string, unknown>> =>
    (
      await e.conn.query<Record<string, unknown>>(
        `SELECT ContactId, AccountId, IsClosed FROM Case WHERE Id = '${id}'`,
      )
    ).records[0]!;
  const setHandles = async (value: string | null): Promise<void> => {
    const result = await e.conn.sobject('Contact').update({ Id: contactId, Social_Handles__c: value });
    expect(result.success).to.equal(true);
  };

  before(async () => {
    // Any complaint opens a Case here, so the Case's Contact can be watched too.
    e = await startEmbedded({ env: { CASE_RULES: '{"influenceThreshold":0}' } });
    const account = await e.conn.sobject('Account').create({ Name: 'Quillfeather Outfitters' });
    accountId = account.id!;
    const created = await e.conn
      .sobject('Contact')
      .create({ FirstName: 'Dorotea', LastName: 'Vanterpool', AccountId: accountId });
    contactId = created.id!;
    await eventually(status, (s) => s.people?.changeEvents === 'on', {
      what: 'identity change events subscribed',
    });
  });
  after(async () => {
    await e?.close();
  });

  it('links both earlier posts, the persona, the open Case and the roll-ups within 10 s of the edit', async () => {
    await e.x.addMention({
      author: { username: handle, name: 'Q. S.' },
      text: '@acmeoutdoor my order arrived broken and nobody answers, terrible service',
    });
    await e.x.addMention({
      author: { username: handle, name: 'Q. S.' },
      text: '@acmeoutdoor still waiting for a refund for the broken tent',
    });
    const before = await eventually(
      () => posts(handle),
      (p) => p.length === 2,
      { what: "the stranger's two posts" },
    );
    expect(before.map((p) => p.Contact__c)).to.deep.equal([null, null]);
    expect((await persona(before[0]!.Persona__c))['Contact__c']).to.equal(null);
    const caseId = before.find((p) => p.Case__c)?.Case__c ?? null;
    expect(caseId, 'a Case for the complaint').to.be.a('string');
    expect((await caseOf(caseId!))['ContactId']).to.equal(null);

    const started = Date.now();
    await setHandles(`x:@${handle}`);
    const linked = await eventually(
      () => posts(handle),
      (p) => p.every((x) => x.Contact__c === contactId),
      { what: 'the earlier posts linked to the Contact', timeoutMs: 10_000 },
    );
    expect(Date.now() - started).to.be.below(10_000);
    expect(linked.map((p) => p.Account__c)).to.deep.equal([accountId, accountId]);
    const p = await persona(linked[0]!.Persona__c);
    expect(p['Contact__c']).to.equal(contactId);
    expect(String(p['Match_Reason__c'])).to.match(/handle x:@quiet_strngr42 listed in Social_Handles__c/);
    const rolled = await eventually(contact, (c) => c['Last_Social_Activity__c'] !== null, {
      what: 'the roll-ups',
      timeoutMs: 10_000,
    });
    expect(Date.parse(String(rolled['Last_Social_Activity__c']))).to.equal(
      Date.parse(linked[1]!.Posted_At__c),
    );
    expect(rolled['Social_Sentiment__c']).to.be.a('number').and.below(0);
    expect(rolled['Social_Influence__c']).to.be.a('number');
    const linkedCase = await caseOf(caseId!);
    expect(linkedCase['ContactId']).to.equal(contactId);
    expect(linkedCase['AccountId']).to.equal(accountId);
  });

  it('unlinks the persona, its posts and the Case when the line is removed, and recomputes the roll-ups', async () => {
    await setHandles(null);
    const unlinked = await eventually(
      () => posts(handle),
      (p) => p.every((x) => x.Contact__c === null),
      { what: 'the posts unlinked', timeoutMs: 10_000 },
    );
    expect(unlinked.map((p) => p.Account__c)).to.deep.equal([null, null]);
    const p = await persona(unlinked[0]!.Persona__c);
    expect(p['Contact__c']).to.equal(null);
    expect(String(p['Match_Reason__c'])).to.match(/no longer listed in Social_Handles__c/);
    const rolled = await eventually(contact, (c) => c['Last_Social_Activity__c'] === null, {
      what: 'the roll-ups recomputed without the posts',
      timeoutMs: 10_000,
    });
    expect(rolled['Social_Influence__c']).to.equal(null);
    expect(rolled['Social_Sentiment__c']).to.equal(null);
    const caseId = unlinked.find((x) => x.Case__c)!.Case__c!;
    expect((await caseOf(caseId))['ContactId']).to.equal(null);
  });

  it('reports malformed lines on /api/status, uses the valid one, and links no one by the bad ones', async () => {
    await e.x.addMention({
      author: { username: 'ann', name: 'Zed Q' },
      text: '@acmeoutdoor what time do you open on sunday?',
    });
    await eventually(
      () => posts('ann'),
      (p) => p.length === 1,
      { what: 'a post by @ann' },
    );
    await setHandles(
      [
        'x:',
        '@@',
        'https://quillfeather.example/about',
        '   ',
        'myspace:dorotea',
        'x:@ann lee',
        `x:@${handle}`,
      ].join('\n'),
    );
    await eventually(
      () => posts(handle),
      (p) => p.every((x) => x.Contact__c === contactId),
      { what: 'the valid line linking again', timeoutMs: 10_000 },
    );
    const s = await status();
    const mine = s.people!.handleWarnings.warnings.filter((w) => w.recordId === contactId);
    expect(mine.map((w) => w.line)).to.deep.equal([1, 2, 3, 5, 6]);
    const whats = s.problems.map((p) => p.what);
    expect(whats).to.include(
      `Contact ${contactId} line 1 "x:" has no handle: write one handle a line as network:handle, e.g. x:@ann_lee`,
    );
    expect(
      whats.some((w) =>
        w.startsWith(`Contact ${contactId} line 5 "myspace:dorotea" names an unknown network`),
      ),
    ).to.equal(true);
    expect(whats.some((w) => w.startsWith(`Contact ${contactId} line 6 "x:@ann lee" has a space`))).to.equal(
      true,
    );
    // Neither "x:@ann lee" nor anything else linked @ann.
    expect((await posts('ann'))[0]!.Contact__c).not.to.equal(contactId);
    expect(s.people!.relink.failures).to.deep.equal([]);
    expect((await fetch(`${e.server.url}/healthz`)).status).to.equal(200);

    // Fixed: the warnings go away.
    await setHandles(`x:@${handle}`);
    await eventually(
      status,
      (x) => !x.people!.handleWarnings.warnings.some((w) => w.recordId === contactId),
      { what: 'the warnings cleared', timeoutMs: 10_000 },
    );
  });

  it("keeps an unlinked profile's influence out of the Contact when its remaining profile posts again", async () => {
    const loud = 'loud_twin77';
    const quiet = 'quiet_twin77';
    const created = await e.conn.sobject('Contact').create({
      FirstName: 'Ilse',
      LastName: 'Marchetti',
      AccountId: accountId,
      Social_Handles__c: `x:@${loud}\nx:@${quiet}`,
    });
    const ilse = created.id!;
    const influenceOf = async (): Promise<number | null> =>
      (
        await e.conn.query<{ Social_Influence__c: number | null }>(
          `SELECT Social_Influence__c FROM Contact WHERE Id = '${ilse}'`,
        )
      ).records[0]!.Social_Influence__c;
    const personaOf = async (
      author: string,
    ): Promise<{ Influence_Score__c: number; Contact__c: string | null }> =>
      (
        await e.conn.query<{ Influence_Score__c: number; Contact__c: string | null }>(
          `SELECT Influence_Score__c, Contact__c FROM Social_Persona__c WHERE Handle__c = '${author}'`,
        )
      ).records[0]!;
    // A first post, linked once the directory knows the handles; the next ones are linked as they
    // arrive, so the sync's streaming scores roll both profiles up onto the Contact.
    await e.x.addMention({
      author: { username: loud, name: 'Ilse M', followers_count: 200_000 },
      text: '@acmeoutdoor the new stove is wonderful',
    });
    await eventually(
      () => posts(loud),
      (p) => p.length === 1 && p[0]!.Contact__c === ilse,
      { what: "the loud profile's first post linked", timeoutMs: 10_000 },
    );
    await e.x.addMention({
      author: { username: loud, name: 'Ilse M', followers_count: 200_000 },
      text: '@acmeoutdoor the new stove is wonderful, best purchase this year',
      likes: 5_000,
      reposts: 800,
    });
    await e.x.addMention({
      author: { username: quiet, name: 'Ilse M', followers_count: 40 },
      text: '@acmeoutdoor the stove works well',
    });
    await eventually(
      async () => [...(await posts(loud)), ...(await posts(quiet))],
      (p) => p.length === 3 && p.every((x) => x.Contact__c === ilse),
      { what: "both profiles' posts linked to the Contact", timeoutMs: 10_000 },
    );
    const loudInfluence = (await personaOf(loud)).Influence_Score__c;
    const quietBefore = (await personaOf(quiet)).Influence_Score__c;
    expect(loudInfluence, 'the engaged profile is the more influential').to.be.above(quietBefore);
    await eventually(influenceOf, (i) => i === loudInfluence, { what: 'the Contact at the loud profile' });

    // The rep removes the loud profile: its post and its influence leave the Contact.
    const removed = await e.conn.sobject('Contact').update({ Id: ilse, Social_Handles__c: `x:@${quiet}` });
    expect(removed.success).to.equal(true);
    await eventually(influenceOf, (i) => i !== null && i < loudInfluence, {
      what: "the roll-up recomputed without the loud profile's influence",
      timeoutMs: 10_000,
    });
    expect((await personaOf(loud)).Contact__c).to.equal(null);

    // The remaining profile posts again: the Contact's influence stays the quiet profile's.
    await e.x.addMention({
      author: { username: quiet, name: 'Ilse M', followers_count: 40 },
      text: '@acmeoutdoor stove still going strong',
    });
    const after = await eventually(
      () => posts(quiet),
      (p) => p.length === 2 && p.every((x) => x.Contact__c === ilse),
      { what: 'the new post linked to the Contact' },
    );
    const latest = Date.parse(after[1]!.Posted_At__c);
    const rolled = await eventually(
      async () =>
        (
          await e.conn.query<{ Social_Influence__c: number | null; Last_Social_Activity__c: string | null }>(
            `SELECT Social_Influence__c, Last_Social_Activity__c FROM Contact WHERE Id = '${ilse}'`,
          )
        ).records[0]!,
      (c) => c.Last_Social_Activity__c !== null && Date.parse(c.Last_Social_Activity__c) === latest,
      { what: "the new post's roll-up on the Contact" },
    );
    const quietAfter = (await personaOf(quiet)).Influence_Score__c;
    expect(rolled.Social_Influence__c).to.be.below(loudInfluence);
    expect(rolled.Social_Influence__c).to.equal(Math.max(quietBefore, quietAfter));
  });
});
