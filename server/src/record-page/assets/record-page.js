/*
 * The record page's host: owns the data, talks to the server, and wires the components' properties
 * in and their events out (they never fetch). Plain browser JavaScript, no build step: the server
 * serves this file as it is, under a CSP that allows only same-origin scripts.
 *
 * Untrusted text only ever reaches the page through component properties (rendered as text by Lit)
 * or `textContent`; nothing here writes HTML.
 */
/* global document, window, customElements, EventSource */

const PAGE_SIZE = 50;

/** Shows dates in the reader's time zone (the server renders UTC). */
function localizeTimes() {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of document.querySelectorAll('time[datetime]')) {
    const at = new Date(el.getAttribute('datetime'));
    if (!Number.isNaN(at.getTime())) el.textContent = format.format(at);
  }
}

let toastTimer = 0;
function toast(message, variant = 'info') {
  const el = document.querySelector('.toast');
  if (!el) return;
  el.textContent = message;
  el.dataset.variant = variant;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 6000);
}

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const message =
      body && body.error && body.error.message ? body.error.message : `${res.status} ${res.statusText}`;
    throw new Error(message);
  }
  return body;
}

/** Newest first, one entry per Id. */
function merge(current, incoming) {
  const byId = new Map(current.map((p) => [p.id, p]));
  for (const post of incoming) byId.set(post.id, post);
  return [...byId.values()].sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : 0));
}

/** The record's sentiment over its latest inbound posts, oldest first (the persona card's sparkline). */
function sentimentTrend(posts) {
  return posts
    .filter((p) => !p.isOutbound && typeof p.sentimentScore === 'number')
    .slice(0, 20)
    .reverse()
    .map((p) => p.sentimentScore);
}

function startRecordPage() {
  const body = document.body;
  const recordId = body.dataset.recordId;
  const api = `/api/records/${encodeURIComponent(recordId)}`;
  const timeline = document.querySelector('social-timeline');
  const respondBox = document.querySelector('social-respond-box');
  const personaCard = document.querySelector('social-persona-card');
  const live = document.querySelector('.live');
  const liveLabel = document.querySelector('.live__label');
  const replyHint = document.getElementById('reply-hint');

  if (!customElements.get('social-timeline')) {
    document.querySelector('.components-missing').hidden = false;
    return;
  }

  let posts = [];
  const show = (next) => {
    posts = next;
    timeline.posts = posts;
    personaCard.sentimentTrend = sentimentTrend(posts);
  };

  const context = {};
  if (body.dataset.firstName) context.firstName = body.dataset.firstName;
  if (body.dataset.caseNumber) context.caseNumber = body.dataset.caseNumber;
  respondBox.context = context;
  respondBox.rules = { canReply: false, reason: 'Select a post to reply to.' };
  if (body.dataset.influence) personaCard.influence = Number(body.dataset.influence);

  async function loadNewest() {
    timeline.error = null;
    try {
      const page = await getJson(`${api}/posts?limit=${PAGE_SIZE}`);
      show(merge(posts, page.posts));
      if (posts.length <= page.posts.length) timeline.hasMore = page.hasMore;
    } catch (error) {
      timeline.error = `Posts could not be loaded: ${error.message}`;
    } finally {
      timeline.loading = false;
    }
  }

  async function loadOlder(before) {
    if (timeline.loadingOlder) return;
    timeline.loadingOlder = true;
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (before) query.set('before', before);
      const page = await getJson(`${api}/posts?${query}`);
      show(merge(posts, page.posts));
      timeline.hasMore = page.hasMore;
    } catch (error) {
      toast(`Older posts could not be loaded: ${error.message}`, 'error');
    } finally {
      timeline.loadingOlder = false;
    }
  }

  async function loadPersonas() {
    try {
      const { personas, suggestions } = await getJson(`${api}/personas`);
      personaCard.personas = personas;
      personaCard.suggestions = suggestions;
    } catch (error) {
      toast(`Social profiles could not be loaded: ${error.message}`, 'error');
    }
  }

  async function loadSavedReplies() {
    try {
      respondBox.savedReplies = (await getJson('/api/saved-replies')).savedReplies;
    } catch {
      // Saved replies are a convenience; replying works without them.
    }
  }

  timeline.addEventListener('social-post-select', (event) => {
    const { postId, post } = event.detail;
    timeline.selectedId = postId;
    respondBox.post = post;
    respondBox.rules = { canReply: true };
    respondBox.status = 'idle';
    replyHint.textContent = `Replying to ${post.authorName || post.authorHandle} on ${post.network}.`;
  });
  timeline.addEventListener('social-load-older', (event) => void loadOlder(event.detail.before));
  timeline.addEventListener('social-retry', () => {
    timeline.loading = posts.length === 0;
    void loadNewest();
  });

  respondBox.addEventListener('social-reply', async (event) => {
    respondBox.status = 'sending';
    respondBox.statusMessage = '';
    try {
      const res = await fetch('/api/replies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event.detail),
      });
      if (res.ok) {
        respondBox.status = 'sent';
        return;
      }
      const failure = await res.json().catch(() => null);
      respondBox.statusMessage =
        res.status === 404
          ? 'Replies arrive in a later release.'
          : (failure && failure.error && failure.error.message) || `The server answered ${res.status}.`;
      respondBox.status = 'failed';
    } catch {
      respondBox.statusMessage = 'The sync server could not be reached. Try again.';
      respondBox.status = 'failed';
    }
  });

  for (const type of ['social-suggestion-accept', 'social-suggestion-reject']) {
    personaCard.addEventListener(type, () =>
      toast('Confirming identities from this page arrives in a later release.'),
    );
  }

  // Live: posts the sync writes for this record arrive as server-sent events. After a reconnect the
  // newest page is read again, so nothing synced while the stream was down is missed.
  let opened = false;
  const setLive = (state, label) => {
    live.dataset.liveState = state;
    liveLabel.textContent = label;
  };
  const events = new EventSource(`${api}/events`);
  events.addEventListener('open', () => {
    setLive('live', 'Live');
    if (opened) void loadNewest();
    opened = true;
  });
  events.addEventListener('error', () => setLive('offline', 'Reconnecting…'));
  events.addEventListener('post', (event) => {
    try {
      show(merge(posts, [JSON.parse(event.data)]));
    } catch {
      // A malformed frame is dropped; the next reconnect reloads the newest page.
    }
  });
  window.addEventListener('pagehide', () => events.close());

  void loadNewest();
  void loadPersonas();
  void loadSavedReplies();
}

localizeTimes();
if (document.body.dataset.page === 'record') startRecordPage();
