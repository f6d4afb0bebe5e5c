import { expect } from 'chai';
import { classifyPeopleEvent } from '../../src/salesforce/people-change-events.ts';

const event = (
  entityName: string,
  changeType: string,
  changedFields: string[] = [],
  fields: Record<string, unknown> = {},
  recordIds: unknown[] = ['003Dv0000000001IAA'],
) => ({ payload: { ChangeEventHeader: { entityName, changeType, changedFields, recordIds }, ...fields } });

describe('identity change events: which ones matter', () => {
  it('a Contact or Lead matters when a field identity reads changed, and only then', () => {
    for (const field of [
      'Social_Handles__c',
      'Email',
      'FirstName',
      'LastName',
      'AccountId',
      'Name.LastName',
    ]) {
      expect(
        classifyPeopleEvent(event('Contact', 'UPDATE', [field, 'LastModifiedDate'])),
        field,
      ).to.deep.equal({
        kind: 'people',
        ids: ['003Dv0000000001IAA'],
      });
    }
    expect(classifyPeopleEvent(event('Lead', 'UPDATE', ['Company']))?.kind).to.equal('people');
    expect(classifyPeopleEvent(event('Lead', 'UPDATE', ['Website']))?.kind).to.equal('people');
    // The sync's own roll-ups, an owner change, a phone number: no work at all.
    for (const fields of [
      ['Social_Influence__c', 'Social_Sentiment__c', 'Last_Social_Activity__c', 'LastModifiedDate'],
      ['OwnerId'],
      ['Phone'],
      [],
    ]) {
      expect(classifyPeopleEvent(event('Contact', 'UPDATE', fields)), fields.join()).to.equal(null);
    }
  });

  it('new and undeleted people are read; deleted people and converted Leads leave the directory', () => {
    expect(classifyPeopleEvent(event('Contact', 'CREATE'))?.kind).to.equal('people');
    expect(classifyPeopleEvent(event('Lead', 'UNDELETE'))?.kind).to.equal('people');
    // The Lead the sync creates for a buyer is linked to its persona already.
    expect(
      classifyPeopleEvent(
        event('Lead', 'CREATE', [], { LeadSource: 'Social', Social_Persona_Key__c: 'x:42' }),
      ),
    ).to.deep.equal({ kind: 'own-leads', ids: ['003Dv0000000001IAA'] });
    expect(classifyPeopleEvent(event('Lead', 'CREATE', [], { LeadSource: 'Web' }))?.kind).to.equal('people');
    expect(classifyPeopleEvent(event('Contact', 'DELETE'))).to.deep.equal({
      kind: 'people-gone',
      ids: ['003Dv0000000001IAA'],
    });
    expect(
      classifyPeopleEvent(
        event('Lead', 'UPDATE', ['IsConverted', 'ConvertedContactId'], { IsConverted: true }),
      )?.kind,
    ).to.equal('people-gone');
  });

  it('a persona matters when its link or suggestions changed', () => {
    for (const field of ['Contact__c', 'Lead__c', 'Suggested_Contact__c', 'Suggested_Lead__c']) {
      expect(classifyPeopleEvent(event('Social_Persona__c', 'UPDATE', [field]))?.kind, field).to.equal(
        'personas',
      );
    }
    expect(
      classifyPeopleEvent(event('Social_Persona__c', 'UPDATE', ['Influence_Score__c', 'Last_Activity__c'])),
    ).to.equal(null);
    // Only a suggestion changed (a rep clearing one is a rejection), or the link too.
    expect(
      classifyPeopleEvent(event('Social_Persona__c', 'UPDATE', ['Suggested_Contact__c'])),
    ).to.deep.include({
      suggestionsOnly: true,
    });
    expect(
      classifyPeopleEvent(event('Social_Persona__c', 'UPDATE', ['Contact__c', 'Suggested_Contact__c'])),
    ).to.deep.include({ suggestionsOnly: false });
    // The sync's own upsert for a new post (Last_Activity__c moves with it): nothing to re-link.
    expect(
      classifyPeopleEvent(
        event('Social_Persona__c', 'UPDATE', ['Lead__c', 'Last_Activity__c', 'Influence_Score__c']),
      ),
    ).to.equal(null);
    expect(
      classifyPeopleEvent(
        event('Social_Persona__c', 'UPDATE', ['Lead__c', 'LastModifiedDate'], { Lead__c: '00Q1' }),
      ),
    ).to.deep.include({ leadOnly: '00Q1' });
    // Personas are created by the sync with the link it resolved: nothing to re-link.
    expect(classifyPeopleEvent(event('Social_Persona__c', 'CREATE', []))).to.equal(null);
  });

  it('a gap means read what changed since the last look; junk is ignored', () => {
    expect(classifyPeopleEvent(event('Contact', 'GAP_UPDATE'))).to.deep.equal({ kind: 'gap' });
    expect(classifyPeopleEvent(event('Contact', 'GAP_OVERFLOW', [], {}, []))).to.deep.equal({ kind: 'gap' });
    expect(classifyPeopleEvent(event('Social_Post__c', 'UPDATE', ['Contact__c']))).to.equal(null);
    expect(classifyPeopleEvent(event('Contact', 'UPDATE', ['Email'], {}, []))).to.equal(null);
    expect(classifyPeopleEvent(null)).to.equal(null);
    expect(classifyPeopleEvent({ payload: {} })).to.equal(null);
  });
});
