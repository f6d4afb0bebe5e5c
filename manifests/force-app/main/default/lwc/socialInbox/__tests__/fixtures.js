// Shared by the socialInbox Jest tests: GraphQL results as the wire adapter gives them.
export const ME = '005000000000000000'; // what sfdx-lwc-jest gives for @salesforce/user/Id
export const ANN = '005000000000002AAA';
export const SUPPORT = '00G000000000001AAA';
export const VIP = '00G000000000002AAA';
export const POST_ID = 'a01000000000001AAA';
export const POST2_ID = 'a01000000000002AAA';
export const CONTACT_ID = '003000000000001AAA';
export const PERSONA_ID = 'a02000000000001AAA';

export const v = (value) => ({ value });

/** An inbox post node; `extra` overrides fields. */
export function postNode(id, extra = {}) {
  return {
    Id: id,
    CreatedDate: v('2025-01-02T10:00:05.000Z'),
    External_Id__c: v(`x:${id}`),
    Network__c: v('x'),
    Body__c: v('My order never arrived'),
    Posted_At__c: v('2025-01-02T10:00:00.000Z'),
    Author_Handle__c: v('@ann_lee'),
    Url__c: v(`https://x.com/ann_lee/status/${id}`),
    Sentiment__c: v('negative'),
    Intent__c: v('complaint'),
    Language__c: v('en'),
    Priority__c: v('High'),
    Reply_Due__c: v('2025-01-02T11:00:00.000Z'),
    Inbox_Status__c: v('Open'),
    Done_Reason__c: v(null),
    Replied_At__c: v(null),
    Escalated_At__c: v(null),
    Thread_Root__c: v('x:root-1'),
    OwnerId: v(SUPPORT),
    Owner: { Name: v('Social Support') },
    Contact__c: v(null),
    Contact__r: null,
    Lead__c: v(null),
    Lead__r: null,
    Account__c: v(null),
    Account__r: null,
    Case__c: v(null),
    Case__r: null,
    Persona__c: v(PERSONA_ID),
    Persona__r: {
      Handle__c: v('ann_lee'),
      Display_Name__c: v('Ann Lee'),
      Influence_Score__c: v(72),
      Suggested_Contact__c: v(CONTACT_ID),
      Suggested_Contact__r: { Name: v('Ann Lee (Acme)') },
      Suggested_Lead__c: v(null),
      Suggested_Lead__r: null,
      Match_Confidence__c: v(87),
      Match_Reason__c: v('Same name and handle'),
    },
    Send_Claims__r: { edges: [] },
    ...extra,
  };
}

export const claimEdge = (id, holder) => ({
  edges: [{ node: { Id: id, Key__c: v(`inbox:${POST_ID}`), Claimed_By__c: v(holder) } }],
});

export function inboxData(posts, { hasNextPage = false } = {}) {
  return {
    uiapi: {
      query: {
        Social_Post__c: { edges: posts.map((node) => ({ node })), pageInfo: { hasNextPage } },
        Social_Saved_Reply__c: {
          edges: [
            {
              node: { Id: 'a03000000000001AAA', Name: v('Sorry'), Body__c: v('Sorry!'), Network__c: v(null) },
            },
            {
              node: {
                Id: 'a03000000000002AAA',
                Name: v('Toot'),
                Body__c: v('Hi'),
                Network__c: v('mastodon'),
              },
            },
          ],
        },
      },
    },
  };
}

export const OPTIONS = {
  uiapi: {
    query: {
      Group: {
        edges: [
          { node: { Id: SUPPORT, Name: v('Social Support'), DeveloperName: v('Social_Support') } },
          { node: { Id: VIP, Name: v('Social VIP'), DeveloperName: v('Social_VIP') } },
          { node: { Id: '00G000000000009AAA', Name: v('Billing Cases'), DeveloperName: v('Billing') } },
        ],
      },
      User: {
        edges: [{ node: { Id: ANN, Name: v('Ann Agent') } }, { node: { Id: ME, Name: v('Maya Me') } }],
      },
    },
  },
};

export const MEMBERSHIPS = {
  uiapi: { query: { GroupMember: { edges: [{ node: { Id: '011000000000001AAA', GroupId: v(SUPPORT) } }] } } },
};

export const POST_QUEUES = {
  uiapi: {
    query: {
      QueueSobject: {
        edges: [
          { node: { Id: '03g000000000001AAA', QueueId: v(SUPPORT) } },
          { node: { Id: '03g000000000002AAA', QueueId: v(VIP) } },
        ],
      },
    },
  },
};

/** A thread node as the thread query reads it. */
export function threadNode(id, extra = {}) {
  return {
    Id: id,
    CreatedDate: v('2025-01-02T10:00:05.000Z'),
    External_Id__c: v(`x:${id}`),
    Network__c: v('x'),
    Body__c: v('My order never arrived'),
    Posted_At__c: v('2025-01-02T10:00:00.000Z'),
    Author_Handle__c: v('@ann_lee'),
    Url__c: v(null),
    Sentiment__c: v('negative'),
    Sentiment_Score__c: v(-0.8),
    Intent__c: v('complaint'),
    Language__c: v('en'),
    Needs_Reply__c: v(true),
    Is_Outbound__c: v(false),
    Status__c: v(null),
    Failure_Reason__c: v(null),
    In_Reply_To__c: v(null),
    Replied_At__c: v(null),
    Persona__c: v(PERSONA_ID),
    Persona__r: { Handle__c: v('ann_lee'), Display_Name__c: v('Ann Lee'), Influence_Score__c: v(72) },
    ...extra,
  };
}

export const threadData = (nodes) => ({
  uiapi: { query: { Social_Post__c: { edges: nodes.map((node) => ({ node })) } } },
});
