/**
 * The pages, server-rendered in a Lightning record page's shape: global header, a page header with
 * the record's icon, name and highlights, a details column and the social components. Every value
 * from the org goes through `html`'s escaping; links are built from validated Ids only.
 */
import { NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD } from '../analysis/sentiment.ts';
import type { DetailField, RecordDetails, RecordSummary, RecordType } from '../salesforce/record-reader.ts';
import { html, type SafeHtml } from './html.ts';

/** SLDS standard-icon colours and simple glyphs (24×24), drawn here rather than fetched. */
const ICONS: Record<RecordType | 'list', { color: string; path: string }> = {
  Contact: {
    color: '#a094ed',
    path: 'M12 12.5a4.25 4.25 0 1 0 0-8.5 4.25 4.25 0 0 0 0 8.5Zm0 1.75c-3.9 0-7 2.1-7 4.7V20h14v-1.05c0-2.6-3.1-4.7-7-4.7Z',
  },
  Lead: {
    color: '#f88962',
    path: 'M9.5 11.5a3.75 3.75 0 1 0 0-7.5 3.75 3.75 0 0 0 0 7.5Zm0 1.5C6.1 13 3.5 14.8 3.5 17v1.5h12V17c0-2.2-2.6-4-6-4Zm8-7.5 1 2 2.2.3-1.6 1.5.4 2.2-2-1-2 1 .4-2.2-1.6-1.5 2.2-.3 1-2Z',
  },
  Account: {
    color: '#7f8de1',
    path: 'M5 4h9v16H5zM15 9h4v11h-4zM7 6.5h2v2H7zm3 0h2v2h-2zm-3 3.5h2v2H7zm3 0h2v2h-2zm-3 3.5h2v2H7zm3 0h2v2h-2zM16.5 11h1.5v2h-1.5zm0 3.5h1.5v2h-1.5z',
  },
  Case: {
    color: '#f2cf5b',
    path: 'M9 4.5h6a1 1 0 0 1 1 1V7h3.5a1 1 0 0 1 1 1v10.5a1 1 0 0 1-1 1h-15a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1H8V5.5a1 1 0 0 1 1-1Zm.75 1.5V7h4.5V6h-4.5ZM3.5 11.5h17V13h-17z',
  },
  list: {
    color: '#0176d3',
    path: 'M4 5h2v2H4zm4 0h12v2H8zM4 11h2v2H4zm4 0h12v2H8zm-4 6h2v2H4zm4 0h12v2H8z',
  },
};

const TYPE_LABEL: Record<RecordType, string> = {
  Contact: 'Contact',
  Lead: 'Lead',
  Account: 'Account',
  Case: 'Case',
};

export function icon(type: RecordType | 'list', size: 'small' | 'large' = 'small'): SafeHtml {
  const { color, path } = ICONS[type];
  return html`<span class="icon icon--${size}" data-color="${color}" aria-hidden="true"
    ><svg viewBox="0 0 24 24" width="100%" height="100%">
      <rect width="24" height="24" rx="4" fill="${color}"></rect>
      <path d="${path}" fill="#fff"></path></svg
  ></span>`;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** A date the host script shows in the reader's time zone; UTC until it runs. */
export function time(isoValue: string | null): SafeHtml {
  if (!isoValue) return html`<span class="muted">—</span>`;
  const at = new Date(isoValue);
  if (Number.isNaN(at.getTime())) return html`${isoValue}`;
  return html`<time datetime="${at.toISOString()}">${DATE_FORMAT.format(at)} UTC</time>`;
}

export function recordHref(id: string): string {
  return `/records/${encodeURIComponent(id)}`;
}

/** The labels the analysis gives posts, for an average too: one cut everywhere on the page. */
export function sentimentLabel(value: number): string {
  if (value >= POSITIVE_THRESHOLD) return 'Positive';
  if (value <= NEGATIVE_THRESHOLD) return 'Negative';
  return 'Neutral';
}

/** "−0.40", "+0.12", "0.00", as the components write a sentiment score. */
export function signedScore(value: number): string {
  const fixed = value.toFixed(2);
  if (Number(fixed) === 0) return '0.00';
  return value > 0 ? `+${fixed}` : `\u2212${fixed.slice(1)}`;
}

function fieldValue(f: DetailField): SafeHtml {
  if (f.value === null || f.value === '') return html`<span class="muted" data-part="value">—</span>`;
  if (f.recordId) return html`<a href="${recordHref(f.recordId)}">${f.value}</a>`;
  switch (f.kind) {
    case 'email':
      return html`<a href="mailto:${encodeURI(f.value)}">${f.value}</a>`;
    case 'phone':
      return html`<a href="tel:${f.value.replace(/[^\d+]/g, '')}">${f.value}</a>`;
    case 'date':
      return time(f.value);
    case 'score':
      return html`<span class="score"
        ><span class="score__value" data-part="value">${Math.round(Number(f.value))}</span> / 100</span
      >`;
    case 'sentiment': {
      const n = Number(f.value);
      const label = sentimentLabel(n);
      return html`<span class="badge badge--${label.toLowerCase()}" data-part="label">${label}</span>
        <span class="muted" data-part="value">${signedScore(n)}</span>`;
    }
    default:
      return html`${f.value}`;
  }
}

interface LayoutOptions {
  title: string;
  page: 'list' | 'record' | 'inbox' | 'error';
  body: SafeHtml;
  /** Data attributes for the host script, on <body>. */
  data?: Record<string, string | number | null | undefined>;
  components?: boolean;
}

function layout(options: LayoutOptions): SafeHtml {
  const data = Object.entries(options.data ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => html` data-${k}="${String(v)}"`);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} | Social CRM</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/app/record-page.css" />
        ${options.components ? html`<script type="module" src="/app/components/social-components.js"></script>` : ''}
        <script type="module" src="/app/${options.page === 'inbox' ? 'inbox.js' : 'record-page.js'}"></script>
      </head>
      <body data-page="${options.page}" ${data}>
        <header class="global-header">
          <a class="global-header__brand" href="/" aria-label="Social CRM home">
            <svg viewBox="0 0 32 22" width="36" height="25" aria-hidden="true">
              <path
                fill="#0176d3"
                d="M13.3 2.4A5.6 5.6 0 0 1 17.4.6c2.1 0 3.9 1.2 4.9 2.9a6.7 6.7 0 0 1 2.8-.6c3.8 0 6.9 3.1 6.9 6.9s-3.1 6.9-6.9 6.9h-1.3a5 5 0 0 1-6.5 2.3 5.6 5.6 0 0 1-10.2-.5 5.3 5.3 0 0 1-1.1.1A5.4 5.4 0 0 1 3.3 8.5a6.2 6.2 0 0 1 10-6.1Z"
              />
            </svg>
            <span>Social CRM</span>
          </a>
          <div class="global-header__search" role="presentation">
            <span aria-hidden="true">⌕</span> Search…
          </div>
          <div class="global-header__env">Embedded dev org</div>
        </header>
        <nav class="app-nav" aria-label="App">
          <span class="app-nav__name">Social Care</span>
          <a
            href="/"
            class="app-nav__item${options.page === 'list' ? ' is-active' : ''}"
            ${options.page === 'list' ? html` aria-current="page"` : ''}
            >Social activity</a
          >
          <a
            href="/inbox"
            class="app-nav__item${options.page === 'inbox' ? ' is-active' : ''}"
            ${options.page === 'inbox' ? html` aria-current="page"` : ''}
            >Social Inbox</a
          >
          ${options.page === 'record' ? html`<span class="app-nav__item is-active" aria-current="page">${options.title}</span>` : ''}
        </nav>
        <div class="toast" role="status" aria-live="polite" hidden></div>
        ${options.body}
      </body>
    </html> `;
}

export function listPage(records: readonly RecordSummary[]): string {
  const rows = records.map(
    (r) =>
      html`<tr data-record-id="${r.id}">
        <th scope="row">
          <span class="cell-name">${icon(r.type)}<a href="${recordHref(r.id)}">${r.name}</a></span>
          ${r.subtitle ? html`<div class="cell-sub">${r.subtitle}</div>` : ''}
        </th>
        <td>${TYPE_LABEL[r.type]}</td>
        <td class="num">${r.postCount}</td>
        <td>${time(r.lastActivity)}</td>
      </tr>`,
  );
  const empty = records.length === 0;
  // The host script redraws the rows as mentions arrive: it clones these icons for new rows.
  const icons = (Object.keys(TYPE_LABEL) as RecordType[]).map(
    (type) => html`<span data-type="${type}">${icon(type)}</span>`,
  );
  const body = html`<main class="page" id="main">
    <section class="card list-view" aria-labelledby="list-title">
      <div class="page-header">
        ${icon('list', 'large')}
        <div>
          <p class="page-header__kicker">Contacts, Leads, Accounts and Cases</p>
          <h1 id="list-title" class="page-header__title">Records with social activity</h1>
        </div>
        <div class="page-header__actions">${liveBadge()}</div>
      </div>
      <p class="list-view__meta">
        <span class="list-view__count">${records.length} ${records.length === 1 ? 'item' : 'items'}</span>
        · Sorted by last social activity · Updated as mentions arrive
      </p>
      <p class="empty" ${empty ? '' : html` hidden`}>
        No record has social posts yet. Mentions appear here once the sync links them to a Contact, Lead,
        Account or Case.
      </p>
      <div class="table-wrap" ${empty ? html` hidden` : ''}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col" class="num">Posts</th>
              <th scope="col">Last social activity</th>
            </tr>
          </thead>
          <tbody aria-live="polite">
            ${rows}
          </tbody>
        </table>
      </div>
      <template id="record-icons">${icons}</template>
    </section>
  </main>`;
  return layout({ title: 'Records with social activity', page: 'list', body }).value;
}

/**
 * The social inbox: every inbound post that needs an answer, across networks and queues. The host
 * script (inbox.js) fills <social-inbox> from `/api/inbox` and keeps it live. On the loopback binding
 * without sign-in, the page asks whom the agent works as (an active user of the org); signed in, it is
 * the signed-in user.
 */
export function inboxPage(options: { signedInAs: { id: string; name: string } | null }): string {
  const who = options.signedInAs;
  const body = html`<main class="page page--inbox" id="main">
    <section class="card inbox-view" aria-labelledby="inbox-title">
      <div class="page-header">
        ${icon('list', 'large')}
        <div>
          <p class="page-header__kicker">Posts that need an answer, soonest due first</p>
          <h1 id="inbox-title" class="page-header__title">Social Inbox</h1>
        </div>
        <div class="page-header__actions">
          ${
            who
              ? html`<span class="inbox-actor">Working as <strong>${who.name}</strong></span>`
              : html`<label class="inbox-actor"
                  >Working as
                  <select id="inbox-actor" name="actor">
                    <option value="">Choose yourself…</option>
                  </select></label
                >`
          }
          <button
            type="button"
            class="button button--brand"
            id="take-next"
            title="The soonest due post of your queues becomes yours"
          >
            Take next
          </button>
          ${liveBadge()}
        </div>
      </div>
      <social-inbox></social-inbox>
    </section>
  </main>`;
  return layout({
    title: 'Social Inbox',
    page: 'inbox',
    body,
    components: true,
    data: { 'signed-in-user': who?.id ?? null },
  }).value;
}

/** The "Live" / "Reconnecting…" badge the host script drives from its event stream. */
function liveBadge(): SafeHtml {
  return html`<span class="live" data-live-state="connecting"
    ><span class="live__dot" aria-hidden="true"></span><span class="live__label">Connecting…</span></span
  >`;
}

export function recordPage(record: RecordDetails): string {
  const highlights = record.highlights.map(
    (f) =>
      html`<div class="highlight">
        <dt>${f.label}</dt>
        <dd>${fieldValue(f)}</dd>
      </div>`,
  );
  const fields = record.fields.map(
    (f) =>
      html`<div class="field" ${f.live ? html` data-live-field="${f.live}"` : ''}>
        <dt>${f.label}${f.hint ? html` <span class="field__hint">(${f.hint})</span>` : ''}</dt>
        <dd>${fieldValue(f)}</dd>
      </div>`,
  );
  const body = html`<main class="page" id="main">
    <section class="card record-header" aria-labelledby="record-title">
      <div class="page-header">
        ${icon(record.type, 'large')}
        <div>
          <p class="page-header__kicker">${TYPE_LABEL[record.type]}</p>
          <h1 id="record-title" class="page-header__title">${record.name}</h1>
        </div>
        <div class="page-header__actions">${liveBadge()}</div>
      </div>
      <dl class="highlights">${highlights}</dl>
    </section>
    <div class="record-body">
      <section class="card details" aria-labelledby="details-title">
        <h2 id="details-title" class="card__title">Details</h2>
        <dl class="fields">${fields}</dl>
      </section>
      <div class="social-column">
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title" class="card__title">Social conversation</h2>
          <social-timeline sla-minutes="60" loading></social-timeline>
        </section>
        <section class="card reply" aria-labelledby="reply-title">
          <h2 id="reply-title" class="card__title">Reply</h2>
          <social-respond-box aria-labelledby="reply-title"></social-respond-box>
        </section>
        <section class="card approvals" aria-labelledby="approvals-title" hidden>
          <h2 id="approvals-title" class="card__title">Replies waiting for approval</h2>
          <ul class="approvals__list"></ul>
        </section>
        <section class="card card--flush">
          <social-persona-card></social-persona-card>
        </section>
      </div>
    </div>
    <p class="components-missing" hidden>
      The components bundle is not built: run <code>npm run build -w ui-components</code>, then reload.
    </p>
  </main>`;
  return layout({
    title: record.name,
    page: 'record',
    body,
    components: true,
    data: {
      'record-id': record.id,
      'record-type': record.type,
      'first-name': record.context.firstName,
      'case-number': record.context.caseNumber,
    },
  }).value;
}

export function errorPage(status: number, message: string, hint?: string): string {
  const body = html`<main class="page" id="main">
    <section class="card error-card" aria-labelledby="error-title">
      <h1 id="error-title" class="page-header__title">
        ${status === 404 ? 'Record not found' : status === 403 || status === 401 ? 'Not available here' : 'Something went wrong'}
      </h1>
      <p>${message}</p>
      ${hint ? html`<p class="muted">${hint}</p>` : ''}
      <p><a href="/">Records with social activity</a></p>
    </section>
  </main>`;
  return layout({ title: 'Error', page: 'error', body }).value;
}
