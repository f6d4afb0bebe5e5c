/**
 * Change Data Capture through jsforce's streaming client (faye over HTTP long-polling), as against a
 * real org: subscribe to `/data/Social_Post__ChangeEvent`, write through the REST API, receive the
 * change events; a bad token is refused at the handshake.
 */
import { expect } from 'chai';
import jsforce from 'jsforce';
import { Replay } from 'jsforce/lib/api/streaming/extension.js';
import { startDevOrg, type DevOrg } from '../src/index.ts';

interface ChangeEvent {
  payload: {
    ChangeEventHeader: {
      entityName: string;
      recordIds: string[];
      changeType: string;
      changedFields: string[];
      commitUser: string;
    };
    Status__c?: string;
    Body__c?: string;
  };
  event: { replayId: number };
}

describe('dev org: change data capture (Streaming API)', function () {
  this.timeout(20_000);
  let org: DevOrg;
  let conn: jsforce.Connection;

  before(async () => {
    org = await startDevOrg({ seed: false });
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      version: org.apiVersion,
    });
  });
  after(async () => org?.close());

  it('delivers one event per committed change on the object’s channel, with Salesforce’s header', async () => {
    const events: ChangeEvent[] = [];
    const client = conn.streaming.createClient([new Replay('/data/Social_Post__ChangeEvent', -1)]);
    const subscription = client.subscribe('/data/Social_Post__ChangeEvent', (message: ChangeEvent) =>
      events.push(message),
    );
    await subscription;
    const created = await conn
      .sobject('Social_Post__c')
      .create({ Network__c: 'x', Body__c: 'hello', Is_Outbound__c: true, Status__c: 'Pending' });
    await conn.sobject('Social_Post__c').update({ Id: created.id!, Status__c: 'Sent' });
    // A rolled-back collection (allOrNone) publishes nothing.
    await conn
      .requestPost(`/services/data/v${org.apiVersion}/composite/sobjects`, {
        allOrNone: true,
        records: [
          { attributes: { type: 'Social_Post__c' }, Network__c: 'x', Body__c: 'never' },
          { attributes: { type: 'Social_Post__c' }, Network__c: 'not-a-network' },
        ],
      })
      .catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    subscription.cancel();
    (client as unknown as { disconnect(): void }).disconnect();
    expect(events.map((e) => e.payload.ChangeEventHeader.changeType)).to.deep.equal(['CREATE', 'UPDATE']);
    const [create, update] = events;
    expect(create!.payload.ChangeEventHeader).to.include({ entityName: 'Social_Post__c' });
    expect(create!.payload.ChangeEventHeader.recordIds).to.deep.equal([created.id]);
    expect(create!.payload).to.include({ Status__c: 'Pending', Body__c: 'hello' });
    expect(update!.payload.ChangeEventHeader.changedFields).to.include('Status__c');
    expect(update!.payload.Status__c).to.equal('Sent');
    expect(update!.event.replayId).to.be.above(create!.event.replayId);
  });

  it('refuses a handshake without a valid session, as Salesforce answers it', async () => {
    const handshake = (token: string) =>
      fetch(`${org.url}/cometd/${org.apiVersion}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `OAuth ${token}` },
        body: JSON.stringify([
          { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
        ]),
      }).then(
        async (res) => ((await res.json()) as { successful: boolean; error?: string; ext?: unknown }[])[0]!,
      );
    const refused = await handshake('not-a-session');
    expect(refused).to.deep.include({ successful: false, error: '403::Handshake denied' });
    expect(refused.ext).to.deep.equal({ sfdc: { failureReason: '401::Authentication invalid' } });
    expect((await handshake(org.accessToken)).successful).to.equal(true);
  });
});
