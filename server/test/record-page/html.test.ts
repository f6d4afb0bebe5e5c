import { expect } from 'chai';
import { isLoopbackHost } from '../../src/record-page/access.ts';
import { html } from '../../src/record-page/html.ts';
import { mapPersona, mapPost, recordTypeOf } from '../../src/salesforce/record-reader.ts';
import { errorPage } from '../../src/record-page/templates.ts';

describe('record page: escaping and mapping', () => {
  it('html`` escapes every interpolated value, arrays included, and nests its own results', () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = html`<a title="${evil}">${[evil, html`<b>${evil}</b>`]}</a>${null}${false}${undefined}${0}`;
    expect(out.value).to.equal(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;' +
        '<b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b></a>0',
    );
  });

  it('the error page escapes its message', () => {
    expect(errorPage(404, '<img src=x onerror=alert(1)>')).to.contain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('knows a record type by its Id prefix and rejects anything else', () => {
    expect(recordTypeOf('003Dv0000000001IAA')).to.equal('Contact');
    expect(recordTypeOf('00QDv0000000001')).to.equal('Lead');
    expect(recordTypeOf('001Dv0000000001IAA')).to.equal('Account');
    expect(recordTypeOf('500Dv0000000001IAA')).to.equal('Case');
    expect(recordTypeOf('005Dv0000000001IAA')).to.equal(null);
    expect(recordTypeOf("003Dv0000000001'A")).to.equal(null);
    expect(recordTypeOf('003Dv0000000001IAAX')).to.equal(null);
  });

  it("maps Social_Post__c rows to the components' SocialPost (ISO dates, lower-case picklists, optional fields left out)", () => {
    const post = mapPost({
      Id: 'a01000000000001AAA',
      External_Id__c: 'x:1',
      Network__c: 'X',
      Body__c: 'hello',
      Posted_At__c: '2026-01-02T03:04:05.000+0000',
      Author_Handle__c: '@a',
      Persona__r: { Display_Name__c: 'A', Influence_Score__c: 42 },
      Sentiment__c: 'Negative',
      Sentiment_Score__c: -0.5,
      Intent__c: 'complaint',
      Needs_Reply__c: true,
      Is_Outbound__c: true,
      Status__c: 'Sent',
      Url__c: null,
      In_Reply_To__c: 'a01000000000002AAA',
    });
    expect(post).to.deep.equal({
      id: 'a01000000000001AAA',
      externalId: 'x:1',
      network: 'x',
      body: 'hello',
      postedAt: '2026-01-02T03:04:05.000Z',
      authorHandle: '@a',
      authorName: 'A',
      authorInfluence: 42,
      sentiment: 'negative',
      sentimentScore: -0.5,
      intent: 'complaint',
      needsReply: true,
      isOutbound: true,
      status: 'Sent',
      inReplyToId: 'a01000000000002AAA',
    });
  });

  it('maps Social_Persona__c rows to SocialPersona', () => {
    expect(
      mapPersona({
        Id: 'a00000000000001AAA',
        Network__c: 'bluesky',
        Handle__c: 'ann.bsky.social',
        Followers__c: 10,
        Verified__c: false,
        Match_Confidence__c: 80,
        Match_Reason__c: 'same name',
        Profile_Url__c: null,
      }),
    ).to.deep.equal({
      id: 'a00000000000001AAA',
      network: 'bluesky',
      handle: 'ann.bsky.social',
      followers: 10,
      verified: false,
      matchConfidence: 80,
      matchReason: 'same name',
    });
  });

  it('counts only loopback names as loopback', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'])
      expect(isLoopbackHost(h), h).to.equal(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'localhost.example', ''])
      expect(isLoopbackHost(h), h).to.equal(false);
  });
});
