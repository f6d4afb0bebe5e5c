import { expect } from 'chai';
import { AppError } from '../../src/domain/errors.ts';
import { foldText, matchingKeywords, parseKeywords } from '../../src/inbox/keywords.ts';
import {
  escalationContacts,
  hasConditions,
  indexQueues,
  parseRoutingRule,
  parseRoutingRules,
  routePost,
  routingProblems,
  type RoutablePost,
  type RoutingRule,
} from '../../src/inbox/routing.ts';

/** A `Social_Routing_Rule__mdt` row as SOQL returns it: every field present, blanks null. */
function row(developerName: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    attributes: { type: 'Social_Routing_Rule__mdt' },
    DeveloperName: developerName,
    MasterLabel: developerName.replace(/_/g, ' '),
    Active__c: true,
    Order__c: 100,
    Network__c: null,
    Language__c: null,
    Intent__c: null,
    Min_Influence__c: null,
    Min_Customer_Value__c: null,
    Accounts__c: null,
    Keywords__c: null,
    Queue__c: 'Social_Support',
    Supervisor__c: 'admin@socialcrm.dev',
    Escalation_Queue__c: null,
    ...fields,
  };
}

/** The records the package ships. */
const SHIPPED = [
  row('VIP_Complaints', {
    Order__c: 10,
    Intent__c: 'complaint',
    Min_Influence__c: 70,
    Queue__c: 'Social_VIP',
  }),
  row('Sales_Leads', { Order__c: 20, Intent__c: 'purchase_intent', Queue__c: 'Social_Sales' }),
  row('Spanish', { Order__c: 30, Language__c: 'es', Queue__c: 'Social_Support' }),
  row('Default', { Order__c: 9999, Queue__c: 'Social_Support' }),
];

const queues = indexQueues([
  { Id: '00G000000000001AAA', Name: 'Social Support', DeveloperName: 'Social_Support' },
  { Id: '00G000000000002AAA', Name: 'Social Sales', DeveloperName: 'Social_Sales' },
  { Id: '00G000000000003AAA', Name: 'Social VIP', DeveloperName: 'Social_VIP' },
]);
const SUPPORT = '00G000000000001AAA';
const SALES = '00G000000000002AAA';
const VIP = '00G000000000003AAA';

function post(fields: Partial<RoutablePost> = {}): RoutablePost {
  return { network: 'x', text: 'hello there', language: 'en', intent: 'other', influence: 10, ...fields };
}

function rules(...rows: Record<string, unknown>[]): RoutingRule[] {
  const parsed = parseRoutingRules(rows);
  expect(parsed.problems).to.deep.equal([]);
  return parsed.rules;
}

function queueOf(p: RoutablePost, ruleList: RoutingRule[]): string | null {
  return routePost(p, ruleList, queues)?.rule ?? null;
}

describe('inbox/routing', () => {
  describe('parsing rule rows', () => {
    it('camelCases the fields and splits the lists', () => {
      const rule = parseRoutingRule(
        row('Mixed', {
          Order__c: 5,
          Network__c: 'X, Bluesky ,twitter',
          Language__c: 'ES, pt-BR',
          Intent__c: 'Purchase Intent,complaint',
          Min_Influence__c: 42.5,
          Accounts__c: '001000000000001AAA, Acme Corp',
          Keywords__c: 'refund, "late delivery"\nstorniert\r\n, ,Refund',
          Escalation_Queue__c: 'Social_VIP',
        }),
      );
      expect(rule).to.deep.equal({
        developerName: 'Mixed',
        label: 'Mixed',
        active: true,
        order: 5,
        network: ['x', 'bluesky'],
        language: ['es', 'pt'],
        intent: ['purchase_intent', 'complaint'],
        minInfluence: 42.5,
        minCustomerValue: null,
        accounts: ['001000000000001AAA', 'Acme Corp'],
        keywords: ['refund', 'late delivery', 'storniert'],
        queue: 'Social_Support',
        supervisor: 'admin@socialcrm.dev',
        escalationQueue: 'Social_VIP',
      });
      expect(hasConditions(rule)).to.equal(true);
      expect(hasConditions(parseRoutingRule(row('Any')))).to.equal(false);
    });

    it('reads blank strings as blank and numbers given as text', () => {
      const rule = parseRoutingRule(row('Texty', { Order__c: '7', Min_Influence__c: ' ', Network__c: '' }));
      expect(rule.order).to.equal(7);
      expect(rule.minInfluence).to.equal(null);
      expect(rule.network).to.deep.equal([]);
      expect(parseRoutingRule(row('Off', { Active__c: null })).active).to.equal(false);
    });

    it('throws an error naming the rule and each bad field', () => {
      let error: unknown;
      try {
        parseRoutingRule(
          row('Broken', {
            Order__c: null,
            Network__c: 'x, myspace',
            Intent__c: 'rant',
            Language__c: 'english',
            Min_Influence__c: 150,
            Queue__c: ' ',
          }),
        );
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(AppError);
      const message = (error as AppError).message;
      expect(message).to.match(/^Social_Routing_Rule__mdt "Broken": /);
      expect(message).to.include('Order__c: required');
      expect(message).to.include(
        'Network__c: unknown network "myspace" (one of x, bluesky, mastodon, facebook, instagram)',
      );
      expect(message).to.include('Intent__c: unknown intent "rant"');
      expect(message).to.include('Language__c: "english" is not an ISO 639-1 language code');
      expect(message).to.include('Min_Influence__c: expected a number 0–100');
      expect(message).to.include('Queue__c: required');
      expect((error as AppError).details).to.deep.equal({
        type: 'Social_Routing_Rule__mdt',
        record: 'Broken',
      });
    });

    it('skips bad rows and reports them, keeping the good ones sorted by Order__c then DeveloperName', () => {
      const { rules: parsed, problems } = parseRoutingRules([
        row('B', { Order__c: 20 }),
        row('Bad', { Order__c: 'soon' }),
        { Order__c: 1 },
        row('A', { Order__c: 20 }),
        row('First', { Order__c: 1 }),
      ]);
      expect(parsed.map((rule) => rule.developerName)).to.deep.equal(['First', 'A', 'B']);
      expect(problems).to.deep.equal([
        'Social_Routing_Rule__mdt "Bad": Order__c: expected a number',
        'Social_Routing_Rule__mdt "(row 3)": DeveloperName: required; Queue__c: required (the DeveloperName of a queue)',
      ]);
    });
  });

  describe('routePost with the shipped rules', () => {
    const shipped = rules(...SHIPPED);

    it('sends an influential complaint to the VIP queue with the rule and supervisor', () => {
      expect(routePost(post({ intent: 'complaint', influence: 80 }), shipped, queues)).to.deep.equal({
        queueId: VIP,
        queueName: 'Social VIP',
        queueDeveloperName: 'Social_VIP',
        rule: 'VIP_Complaints',
        supervisor: 'admin@socialcrm.dev',
        escalationQueueId: null,
      });
    });

    it('tries rules in order: a complaint below 70 falls through to the next match', () => {
      expect(queueOf(post({ intent: 'complaint', influence: 69 }), shipped)).to.equal('Default');
      expect(queueOf(post({ intent: 'complaint', influence: 70, language: 'es' }), shipped)).to.equal(
        'VIP_Complaints',
      );
      expect(queueOf(post({ intent: 'complaint', influence: 20, language: 'es' }), shipped)).to.equal(
        'Spanish',
      );
      expect(routePost(post({ intent: 'purchase_intent' }), shipped, queues)?.queueId).to.equal(SALES);
      expect(routePost(post({ intent: 'praise' }), shipped, queues)?.queueId).to.equal(SUPPORT);
    });
  });

  describe('precedence', () => {
    it('prefers the lowest Order__c, then DeveloperName, whatever the row order', () => {
      const list = rules(
        row('Later', { Order__c: 50, Intent__c: 'question', Queue__c: 'Social_Sales' }),
        row('Zeta', { Order__c: 10, Intent__c: 'question', Queue__c: 'Social_VIP' }),
        row('Alpha', { Order__c: 10, Intent__c: 'question', Queue__c: 'Social_Support' }),
      );
      expect(queueOf(post({ intent: 'question' }), list)).to.equal('Alpha');
    });

    it('uses a catch-all only when no rule with conditions matches, the lowest-order one first', () => {
      const list = rules(
        row('Early_Catch_All', { Order__c: 1, Queue__c: 'Social_Support' }),
        row('Second_Catch_All', { Order__c: 2, Queue__c: 'Social_Sales' }),
        row('Questions', { Order__c: 50, Intent__c: 'question', Queue__c: 'Social_VIP' }),
      );
      expect(queueOf(post({ intent: 'question' }), list)).to.equal('Questions');
      expect(queueOf(post({ intent: 'praise' }), list)).to.equal('Early_Catch_All');
    });

    it('ignores inactive rules', () => {
      const list = rules(
        row('Off', { Order__c: 1, Intent__c: 'question', Queue__c: 'Social_VIP', Active__c: false }),
        row('On', { Order__c: 2, Intent__c: 'question', Queue__c: 'Social_Sales' }),
      );
      expect(queueOf(post({ intent: 'question' }), list)).to.equal('On');
    });

    it('skips a rule whose queue does not exist, and falls back to the default queue', () => {
      const list = rules(row('Ghost', { Order__c: 1, Intent__c: 'question', Queue__c: 'Social_Ghosts' }));
      expect(routePost(post({ intent: 'question' }), list, queues)).to.deep.equal({
        queueId: SUPPORT,
        queueName: 'Social Support',
        queueDeveloperName: 'Social_Support',
        rule: null,
        supervisor: null,
        escalationQueueId: null,
      });
      expect(
        routePost(post(), [], queues, { defaultQueue: 'Social_Sales', defaultSupervisor: 'boss@x.dev' }),
      ).to.deep.include({ queueId: SALES, rule: null, supervisor: 'boss@x.dev' });
      expect(routePost(post(), [], queues, { defaultQueue: 'Nope' })).to.equal(null);
    });

    it('resolves the escalation queue to its Id', () => {
      const list = rules(row('Esc', { Escalation_Queue__c: 'Social_VIP' }));
      expect(routePost(post(), list, queues)?.escalationQueueId).to.equal(VIP);
      const missing = rules(row('Esc', { Escalation_Queue__c: 'Social_Nowhere' }));
      expect(routePost(post(), missing, queues)).to.deep.include({ rule: 'Esc', escalationQueueId: null });
    });
  });

  describe('conditions', () => {
    const only = (fields: Record<string, unknown>) =>
      rules(row('Cond', { Order__c: 1, Queue__c: 'Social_VIP', ...fields }), row('Rest', { Order__c: 2 }));

    it('network', () => {
      const list = only({ Network__c: 'bluesky,mastodon' });
      expect(queueOf(post({ network: 'mastodon' }), list)).to.equal('Cond');
      expect(queueOf(post({ network: 'x' }), list)).to.equal('Rest');
    });

    it('language, by primary subtag; unknown language does not match', () => {
      const list = only({ Language__c: 'pt, es' });
      expect(queueOf(post({ language: 'pt-BR' }), list)).to.equal('Cond');
      expect(queueOf(post({ language: 'ES' }), list)).to.equal('Cond');
      expect(queueOf(post({ language: 'en' }), list)).to.equal('Rest');
      expect(queueOf(post({ language: null }), list)).to.equal('Rest');
    });

    it('intent', () => {
      const list = only({ Intent__c: 'question, complaint' });
      expect(queueOf(post({ intent: 'complaint' }), list)).to.equal('Cond');
      expect(queueOf(post({ intent: 'praise' }), list)).to.equal('Rest');
      expect(queueOf(post({ intent: null }), list)).to.equal('Rest');
    });

    it('minimum influence, inclusive; unknown influence counts as 0', () => {
      const list = only({ Min_Influence__c: 55.5 });
      expect(queueOf(post({ influence: 55.5 }), list)).to.equal('Cond');
      expect(queueOf(post({ influence: 55.49 }), list)).to.equal('Rest');
      expect(queueOf(post({ influence: null }), list)).to.equal('Rest');
      expect(queueOf(post({ influence: null }), only({ Min_Influence__c: 0 }))).to.equal('Cond');
    });

    it('minimum customer value, inclusive; unknown value counts as 0; negative values refused', () => {
      const list = only({ Min_Customer_Value__c: 50_000 });
      expect(queueOf(post({ customerValue: 50_000 }), list)).to.equal('Cond');
      expect(queueOf(post({ customerValue: 49_999.99 }), list)).to.equal('Rest');
      expect(queueOf(post({ customerValue: null }), list)).to.equal('Rest');
      expect(queueOf(post({}), only({ Min_Customer_Value__c: 0 }))).to.equal('Cond');
      expect(parseRoutingRule(row('Blank', { Min_Customer_Value__c: '' })).minCustomerValue).to.equal(null);
      // An org whose package predates the field answers without it: any value.
      const { Min_Customer_Value__c: _absent, ...older } = row('Older');
      expect(parseRoutingRule(older).minCustomerValue).to.equal(null);
      expect(() => parseRoutingRule(row('Neg', { Min_Customer_Value__c: -1 }))).to.throw(
        /Min_Customer_Value__c: expected a number 0 or more/,
      );
    });

    it('accounts, by 15- or 18-character Id or by name', () => {
      const list = only({ Accounts__c: '001000000000001, Société Générale' });
      expect(queueOf(post({ accountId: '001000000000001AAA' }), list)).to.equal('Cond');
      expect(queueOf(post({ accountId: '001000000000002AAA' }), list)).to.equal('Rest');
      expect(queueOf(post({ accountName: 'SOCIETE GENERALE' }), list)).to.equal('Cond');
      expect(queueOf(post({ accountName: 'Société' }), list)).to.equal('Rest');
      expect(queueOf(post({}), list)).to.equal('Rest');
      // Ids differing only in case are different records.
      expect(
        queueOf(post({ accountId: '001000000000001aaa' }), only({ Accounts__c: '001000000000001AAA' })),
      ).to.equal('Cond');
      expect(
        queueOf(post({ accountId: '001000000000OO1AAA' }), only({ Accounts__c: '001000000000oo1AAA' })),
      ).to.equal('Rest');
    });

    it('all conditions at once must hold', () => {
      const list = only({ Network__c: 'x', Intent__c: 'complaint', Keywords__c: 'refund' });
      expect(queueOf(post({ intent: 'complaint', text: 'I want a refund' }), list)).to.equal('Cond');
      expect(
        queueOf(post({ intent: 'complaint', text: 'I want a refund', network: 'bluesky' }), list),
      ).to.equal('Rest');
      expect(queueOf(post({ intent: 'question', text: 'I want a refund' }), list)).to.equal('Rest');
      expect(queueOf(post({ intent: 'complaint', text: 'I want money back' }), list)).to.equal('Rest');
    });
  });

  describe('keywords', () => {
    const routes = (keywords: string, text: string) =>
      queueOf(
        post({ text }),
        rules(row('Kw', { Order__c: 1, Keywords__c: keywords }), row('Rest', { Order__c: 2 })),
      ) === 'Kw';

    it('match whole words only', () => {
      expect(routes('refund', 'Where is my refund?')).to.equal(true);
      expect(routes('refund', 'refund.')).to.equal(true);
      expect(routes('refund', 'I was refunded')).to.equal(false);
      expect(routes('refund', 'prerefund offer')).to.equal(false);
      expect(routes('refund', 'no_refund')).to.equal(false);
      expect(routes('4g', 'no 4g since monday')).to.equal(true);
      expect(routes('4g', 'the 54g model')).to.equal(false);
    });

    it('match phrases, across any white space', () => {
      expect(routes('late delivery, broken', 'A LATE\n  Delivery again')).to.equal(true);
      expect(routes('late delivery', 'late for the delivery')).to.equal(false);
      expect(routes('"cancel my account"', 'please cancel my account now')).to.equal(true);
    });

    it('ignore case and accents, in any language', () => {
      expect(routes('reembolso', '¿Dónde está mi REEMBOLSO?')).to.equal(true);
      expect(routes('devolución', 'quiero una devolucion')).to.equal(true);
      expect(routes('café', 'CAFE froid')).to.equal(true);
      expect(routes('straße', 'STRASSE gesperrt')).to.equal(true);
      expect(routes('storniert', 'Meine Bestellung wurde STORNIERT!')).to.equal(true);
      expect(routes('возврат', 'Где мой Возврат?')).to.equal(true);
      expect(routes('ΛΟΓΑΡΙΑΣΜΟΣ', 'ο λογαριασμος μου')).to.equal(true);
      expect(routes('İstanbul', 'istanbul mağazası')).to.equal(true);
      expect(routes('ｒｅｆｕｎｄ', 'refund please')).to.equal(true);
    });

    it('treat accented letters as letters when checking word boundaries', () => {
      expect(routes('caf', 'café')).to.equal(false);
      expect(routes('naïve', 'naïveté')).to.equal(false);
      expect(routes('über', 'Ärger über Lieferung')).to.equal(true);
    });

    it('are emoji-safe: emoji keywords, emoji next to words, no split surrogate pairs', () => {
      expect(routes('🔥', 'this is 🔥🔥')).to.equal(true);
      expect(routes('refund', 'refund🙏')).to.equal(true);
      expect(routes('👍', 'ok 👍🏽')).to.equal(true);
      expect(routes('😡 angry', 'so 😡 angry today')).to.equal(true);
      expect(routes('😡', 'so 😠 today')).to.equal(false);
      expect(routes('#promo', 'see #promo2026')).to.equal(false);
      expect(routes('#promo', 'see x#promo!')).to.equal(true);
    });

    it('match in scripts written without spaces', () => {
      expect(routes('返金', '返金してください')).to.equal(true);
      expect(routes('iphone', 'iPhone欲しい')).to.equal(true);
      expect(routes('คืนเงิน', 'ขอคืนเงินด้วยครับ')).to.equal(true);
    });

    it('are parsed and reported as written', () => {
      expect(parseKeywords(' Refund ,refund,\n"Late delivery"\n\n, “broken”')).to.deep.equal([
        'Refund',
        'Late delivery',
        'broken',
      ]);
      expect(
        matchingKeywords('Late   DELIVERY and a refund', ['refund', 'late delivery', 'spam']),
      ).to.deep.equal(['refund', 'late delivery']);
      expect(foldText('  Ärger\tÜBER  ')).to.equal('arger uber');
    });
  });

  describe('routingProblems', () => {
    it('is empty for the shipped rules and queues', () => {
      expect(routingProblems(rules(...SHIPPED), queues)).to.deep.equal([]);
    });

    it('names rules with missing queues, missing escalation queues and shared orders', () => {
      const list = rules(
        row('Ghost', { Order__c: 1, Intent__c: 'question', Queue__c: 'Social_Ghosts' }),
        row('Twin', { Order__c: 1, Intent__c: 'praise', Escalation_Queue__c: 'Social_Nowhere' }),
        row('Sleeping', { Order__c: 1, Queue__c: 'Also_Missing', Active__c: false }),
      );
      expect(routingProblems(list, queues)).to.deep.equal([
        'Social_Routing_Rule__mdt "Ghost": no queue has the DeveloperName "Social_Ghosts"; the rule is skipped',
        'Social_Routing_Rule__mdt "Twin": no queue has the DeveloperName "Social_Nowhere" (Escalation_Queue__c); breaches are not re-routed',
        'Social_Routing_Rule__mdt "Twin": shares Order__c 1 with "Ghost"; "Ghost" is tried first',
      ]);
    });

    it('reports a missing default queue only when no catch-all rule stands in', () => {
      const noSupport = indexQueues([{ Id: SALES, Name: 'Social Sales', DeveloperName: 'Social_Sales' }]);
      expect(routingProblems([], noSupport)).to.deep.equal([
        'Routing: no active rule without conditions and no default queue "Social_Support"; posts no rule matches stay unrouted',
      ]);
      expect(routingProblems(rules(row('All', { Queue__c: 'Social_Sales' })), noSupport)).to.deep.equal([]);
    });
  });

  describe('escalationContacts', () => {
    const list = rules(
      row('Vip', {
        Order__c: 1,
        Intent__c: 'complaint',
        Queue__c: 'Social_VIP',
        Supervisor__c: 'vip@x.dev',
        Escalation_Queue__c: 'Social_Sales',
      }),
      row('Default', { Order__c: 9999, Supervisor__c: 'admin@x.dev' }),
    );

    it('gives the routing rule’s supervisor and escalation queue', () => {
      expect(escalationContacts('Vip', list, queues)).to.deep.equal({
        supervisor: 'vip@x.dev',
        escalationQueueId: SALES,
      });
    });

    it('falls back to the catch-all rule, then to the configured supervisor', () => {
      expect(escalationContacts(null, list, queues)).to.deep.equal({
        supervisor: 'admin@x.dev',
        escalationQueueId: null,
      });
      expect(escalationContacts('Removed', list, queues)).to.deep.equal({
        supervisor: 'admin@x.dev',
        escalationQueueId: null,
      });
      expect(escalationContacts(null, [], queues, { defaultSupervisor: 'ops@x.dev' })).to.deep.equal({
        supervisor: 'ops@x.dev',
        escalationQueueId: null,
      });
    });
  });
});
