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

/** How the networks are written for people (the components' own labels, for the text this script writes). */
const NETWORK_NAMES = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  facebook: 'Facebook',
  instagram: 'Instagram',
};
const networkName = (network) => NETWORK_NAMES[network] || network;

/** The analysis' sentiment cut (server/src/analysis/sentiment.ts), which the page and components share. */
function sentimentLabel(score) {
  return score >= 0.25 ? 'Positive' : score <= -0.25 ? 'Negative' : 'Neutral';
}
function signedScore(score) {
  const fixed = score.toFixed(2);
  if (Number(fixed) === 0) return '0.00';
  return score > 0 ? `+${fixed}` : `\u2212${fixed.slice(1)}`;
}

/**
 * Runs `task` now, or once more after the run in progress when asked again meanwhile: a burst of
 * events becomes at most two reads, and the last read is never older than the last event.
 */
function coalesced(task) {
  let running = null;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await task();
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };
  return run;
}

/** Follows `url`'s server-sent events and shows the connection in the page's live badge. */
function liveStream(url, { onOpen, handlers }) {
  const live = document.querySelector('.live');
  const liveLabel = document.querySelector('.live__label');
  const setLive = (state, label) => {
    live.dataset.liveState = state;
    liveLabel.textContent = label;
  };
  let opened = false;
  const events = new EventSource(url);
  events.addEventListener('open', () => {
    setLive('live', 'Live');
    if (opened) onOpen();
    opened = true;
  });
  events.addEventListener('error', () => setLive('offline', 'Reconnecting…'));
  for (const [type, handler] of Object.entries(handlers)) events.addEventListener(type, handler);
  window.addEventListener('pagehide', () => events.close());
  return events;
}

/**
 * This tab's id for presence: `<browser>_<tab>`. The browser part is kept (localStorage), so the
 * server never warns an agent about their own other or closed windows; the tab part is new each load.
 */
function presenceViewerId() {
  const random = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  let browser;
  try {
    browser = localStorage.getItem('socialcrm.browser');
    if (!browser || !/^[a-f0-9]{24}$/.test(browser)) {
      browser = random();
      localStorage.setItem('socialcrm.browser', browser);
    }
  } catch {
    browser = random(); // storage off: this tab alone is the browser
  }
  return `${browser}_${random()}`;
}

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

  if (!customElements.get('social-timeline')) {
    document.querySelector('.components-missing').hidden = false;
    return;
  }

  // Each profile's name and influence as last read (personaId → { authorName, authorInfluence }): every
  // post of a profile shows the same, whenever it was read, and the same as the profile card.
  const profiles = new Map();
  const learnFromPosts = (list) => {
    for (const p of list) {
      if (!p.personaId || p.isOutbound) continue;
      const known = profiles.get(p.personaId) || {};
      profiles.set(p.personaId, {
        authorName: p.authorName ?? known.authorName,
        authorInfluence: p.authorInfluence ?? known.authorInfluence,
      });
    }
  };
  const withProfiles = (list) =>
    list.map((p) => {
      const profile = p.personaId && !p.isOutbound ? profiles.get(p.personaId) : undefined;
      if (!profile) return p;
      const name = profile.authorName ?? p.authorName;
      const influence = profile.authorInfluence ?? p.authorInfluence;
      if (name === p.authorName && influence === p.authorInfluence) return p;
      return { ...p, authorName: name, authorInfluence: influence };
    });

  let posts = [];
  const show = (next) => {
    posts = withProfiles(next);
    timeline.posts = posts;
    personaCard.sentimentTrend = sentimentTrend(posts);
    onPostsChanged();
  };
  let onPostsChanged = () => {};

  const context = {};
  if (body.dataset.firstName) context.firstName = body.dataset.firstName;
  if (body.dataset.caseNumber) context.caseNumber = body.dataset.caseNumber;
  respondBox.context = context;
  respondBox.rules = { canReply: false, reason: 'Select a post to reply to.' };

  async function loadNewest() {
    timeline.error = null;
    try {
      const page = await getJson(`${api}/posts?limit=${PAGE_SIZE}`);
      learnFromPosts(page.posts);
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

  // The person's scores: the profiles (each one's influence) and the record's details (the highest of
  // them, the average sentiment), read together so the card, the Details column and every post agree.
  // Read again after posts arrive, since the sync rescores the author with each one.
  const refreshScores = coalesced(async () => {
    try {
      const [{ personas, suggestions }, details] = await Promise.all([
        getJson(`${api}/personas`),
        getJson(api),
      ]);
      for (const persona of personas) {
        profiles.set(persona.id, {
          authorName: persona.displayName,
          authorInfluence: persona.influenceScore,
        });
      }
      personaCard.personas = personas;
      personaCard.suggestions = suggestions;
      personaCard.influence = details.influence;
      personaCard.advocacy = details.advocacy;
      personaCard.sentiment = details.sentiment;
      personaCard.customerValue = details.customerValue;
      showDetailScores(details);
      show(posts);
    } catch (error) {
      toast(`Social profiles could not be loaded: ${error.message}`, 'error');
    }
  });

  /** The Details column's live scores (server-rendered at load), from `RecordDetails`. */
  function showDetailScores(details) {
    for (const dd of document.querySelectorAll('[data-live-field] dd')) {
      const kind = dd.parentElement.dataset.liveField;
      const value = details[kind];
      if (typeof value !== 'number') {
        const none = document.createElement('span');
        none.className = 'muted';
        none.dataset.part = 'value';
        none.textContent = '—';
        dd.replaceChildren(none);
      } else if (kind === 'influence') {
        const score = document.createElement('span');
        score.className = 'score';
        const number = document.createElement('span');
        number.className = 'score__value';
        number.dataset.part = 'value';
        number.textContent = String(Math.round(value));
        score.append(number, ' / 100');
        dd.replaceChildren(score);
      } else {
        const label = sentimentLabel(value);
        const badge = document.createElement('span');
        badge.className = `badge badge--${label.toLowerCase()}`;
        badge.dataset.part = 'label';
        badge.textContent = label;
        const number = document.createElement('span');
        number.className = 'muted';
        number.dataset.part = 'value';
        number.textContent = signedScore(value);
        dd.replaceChildren(badge, ' ', number);
      }
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
    respondBox.collision = null;
    if (!pendingReply) {
      respondBox.status = 'idle';
      respondBox.sentUrl = null;
    }
    // The agent selected the post to answer it: the text, below the conversation, comes into view.
    void respondBox.focusText();
    watch(post);
  });
  timeline.addEventListener('social-load-older', (event) => void loadOlder(event.detail.before));
  timeline.addEventListener('social-retry', () => {
    timeline.loading = posts.length === 0;
    void loadNewest();
  });

  // Replies: the server saves one per compose (idempotency key) and sends it; its state comes back
  // through the record's event stream as the reply record changes (Sending, Queued, Sent, Failed).
  let pendingReply = null;
  /** Replies this tab wrote: never a colleague's, even while the org still lists them as on their way. */
  const sentByThisTab = new Set();
  const showReplyState = (reply) => {
    if (!pendingReply || reply.id !== pendingReply.replyId) return;
    const waiting = {
      Pending: '',
      Approved: '',
      Sending: '',
      Queued: reply.failureReason || 'Queued: it goes out as soon as the network allows.',
      'Pending Approval': 'Waiting for an approver: it goes out once approved.',
    };
    if (reply.status in waiting) {
      respondBox.statusMessage = waiting[reply.status];
      respondBox.status = 'sending';
    } else if (reply.status === 'Sent') {
      respondBox.statusMessage = '';
      respondBox.sentUrl = reply.url || null;
      respondBox.status = 'sent';
      pendingReply = null;
      // Our own reply was the last thing anyone was writing here: ask again who else is.
      respondBox.collision = null;
      if (watchedPost) void checkActivity(watchedPost);
    } else if (reply.status === 'Failed' || reply.status === 'Rejected') {
      respondBox.statusMessage =
        reply.status === 'Rejected'
          ? `An approver rejected it${reply.approvalNote ? `: ${reply.approvalNote}` : '.'}`
          : reply.failureReason || 'The network did not accept it.';
      respondBox.status = 'failed';
      pendingReply = null;
    }
  };

  respondBox.addEventListener('social-reply', async (event) => {
    respondBox.status = 'sending';
    respondBox.statusMessage = '';
    respondBox.sentUrl = null;
    try {
      const res = await fetch('/api/replies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event.detail),
      });
      const body = await res.json().catch(() => null);
      if (res.status === 202 && body) {
        pendingReply = { replyId: body.replyId };
        sentByThisTab.add(body.replyId);
        const known = posts.find((p) => p.id === body.replyId);
        showReplyState(known || { id: body.replyId, status: body.status });
        // The event stream brings what happens next; a reply sent before the stream caught up is read once.
        setTimeout(() => void refreshReply(body.replyId), 4000);
        return;
      }
      respondBox.statusMessage =
        (body && body.error && body.error.message) || `The server answered ${res.status}.`;
      respondBox.status = 'failed';
    } catch {
      respondBox.statusMessage = 'The sync server could not be reached. Try again.';
      respondBox.status = 'failed';
    }
  });

  async function refreshReply(replyId) {
    if (!pendingReply || pendingReply.replyId !== replyId) return;
    try {
      const reply = await getJson(`/api/replies/${encodeURIComponent(replyId)}`);
      showReplyState({
        id: reply.replyId,
        status: reply.status,
        url: reply.url,
        failureReason: reply.failureReason,
        approvalNote: reply.approvalNote,
      });
      if (pendingReply && pendingReply.replyId === replyId)
        setTimeout(() => void refreshReply(replyId), 5000);
    } catch {
      // The stream or the next check will tell.
    }
  }

  // Collision warnings: while a post is selected this tab says so every 15 s, and hears who else has it
  // open, which replies to it are on their way, and who answered it.
  const viewerId = presenceViewerId();
  let watchedPost = null;
  let presenceTimer = 0;
  const presence = (postId, method) =>
    fetch(`/api/posts/${encodeURIComponent(postId)}/presence`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ viewerId }),
      keepalive: method === 'DELETE',
    }).catch(() => undefined);

  async function checkActivity(post) {
    try {
      const activity = await getJson(
        `/api/posts/${encodeURIComponent(post.id)}/activity?viewer=${encodeURIComponent(viewerId)}`,
      );
      if (!watchedPost || watchedPost.id !== post.id) return;
      const mine = pendingReply ? pendingReply.replyId : null;
      const others = activity.open.filter((r) => r.replyId !== mine && !sentByThisTab.has(r.replyId));
      if (activity.viewers.length > 0) {
        respondBox.collision = { user: activity.viewers[0].user, since: activity.viewers[0].since };
      } else if (others.length > 0) {
        respondBox.collision = { user: others[0].by || 'A colleague', since: others[0].since };
      } else {
        respondBox.collision = null;
      }
      const answered = activity.answered
        ? `Already answered${activity.answered.by ? ` by ${activity.answered.by}` : ''} ${new Date(activity.answered.at).toLocaleString()}. `
        : '';
      respondBox.rules = activity.rules.canReply
        ? { canReply: true, ...(answered ? { reason: `${answered}Another answer is allowed.` } : {}) }
        : { canReply: false, reason: activity.rules.reason };
    } catch {
      // Warnings are a help; replying works without them.
    }
  }

  function watch(post) {
    if (watchedPost && watchedPost.id !== post.id) void presence(watchedPost.id, 'DELETE');
    watchedPost = post;
    clearInterval(presenceTimer);
    const beat = async () => {
      await presence(post.id, 'PUT');
      await checkActivity(post);
    };
    void beat();
    presenceTimer = setInterval(() => void beat(), 15000);
  }
  window.addEventListener('pagehide', () => {
    if (watchedPost) void presence(watchedPost.id, 'DELETE');
  });

  // Approvals: outbound replies waiting for an approver, with Approve / Reject and a note.
  const approvals = document.querySelector('.approvals');
  const approvalList = document.querySelector('.approvals__list');
  function renderApprovals() {
    const waiting = posts.filter((p) => p.isOutbound && p.status === 'Pending Approval');
    approvals.hidden = waiting.length === 0;
    approvalList.replaceChildren(
      ...waiting.map((reply) => {
        const item = document.createElement('li');
        item.className = 'approval';
        const text = document.createElement('p');
        text.className = 'approval__text';
        text.textContent = reply.body;
        const answered = posts.find((p) => p.id === reply.inReplyToId);
        const meta = document.createElement('p');
        meta.className = 'approval__meta';
        meta.textContent = `Reply on ${networkName(reply.network)}${answered ? ` to @${answered.authorHandle.replace(/^@/, '')}` : ''}`;
        const note = document.createElement('input');
        note.className = 'approval__note';
        note.type = 'text';
        note.maxLength = 1000;
        note.placeholder = 'Note for the agent (optional)';
        note.setAttribute('aria-label', 'Approval note');
        const actions = document.createElement('div');
        actions.className = 'approval__actions';
        for (const [label, approve] of [
          ['Approve', true],
          ['Reject', false],
        ]) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = label;
          if (approve) button.className = 'approve';
          button.addEventListener('click', async () => {
            button.disabled = true;
            try {
              const res = await fetch(`/api/replies/${encodeURIComponent(reply.id)}/approval`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json' },
                body: JSON.stringify({ approve, note: note.value }),
              });
              const body = await res.json().catch(() => null);
              if (!res.ok) throw new Error((body && body.error && body.error.message) || `${res.status}`);
              toast(approve ? 'Approved: the reply goes out now.' : 'Rejected.');
              show(merge(posts, [{ ...reply, status: body.status, approvalNote: body.approvalNote }]));
            } catch (error) {
              toast(`The decision was not saved: ${error.message}`, 'error');
              button.disabled = false;
            }
          });
          actions.append(button);
        }
        item.append(text, meta, note, actions);
        return item;
      }),
    );
  }

  onPostsChanged = () => {
    renderApprovals();
    for (const post of posts) if (pendingReply && post.id === pendingReply.replyId) showReplyState(post);
  };
  onPostsChanged();

  for (const type of ['social-suggestion-accept', 'social-suggestion-reject']) {
    personaCard.addEventListener(type, () =>
      toast('Confirming identities from this page arrives in a later release.'),
    );
  }

  // A wrong join across networks: split it, then read the profiles and scores again.
  personaCard.addEventListener('social-persona-split', async (event) => {
    try {
      const res = await fetch('/api/persons/split', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ personaId: event.detail.personaId }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error((body && body.error && body.error.message) || `${res.status}`);
      toast('Split: that profile is no longer this person, and will not be joined again.');
      void refreshScores();
    } catch (error) {
      toast(`The split was not saved: ${error.message}`, 'error');
    }
  });

  // Live: posts the sync writes for this record arrive as server-sent events. After a reconnect the
  // newest page is read again, so nothing synced while the stream was down is missed.
  liveStream(`${api}/events`, {
    onOpen: () => {
      void loadNewest();
      void refreshScores();
    },
    handlers: {
      post: (event) => {
        let post;
        try {
          post = JSON.parse(event.data);
        } catch {
          return; // A malformed frame is dropped; the next reconnect reloads the newest page.
        }
        learnFromPosts([post]);
        show(merge(posts, [post]));
        if (!post.isOutbound) void refreshScores();
      },
    },
  });

  void loadNewest();
  void refreshScores();
  void loadSavedReplies();
}

/**
 * The list of records with social activity: redrawn from `GET /api/activity` whenever the sync writes
 * posts tied to records (its event stream says which), newest activity first, as the server drew it.
 */
function startListPage() {
  const wrap = document.querySelector('.table-wrap');
  const tbody = wrap.querySelector('tbody');
  const empty = document.querySelector('.list-view .empty');
  const count = document.querySelector('.list-view__count');
  const icons = document.getElementById('record-icons').content;
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  function row(record) {
    const tr = document.createElement('tr');
    tr.dataset.recordId = record.id;
    const th = document.createElement('th');
    th.scope = 'row';
    const name = document.createElement('span');
    name.className = 'cell-name';
    const icon = icons.querySelector(`[data-type="${record.type}"] .icon`);
    const link = document.createElement('a');
    link.href = `/records/${encodeURIComponent(record.id)}`;
    link.textContent = record.name;
    name.append(...(icon ? [icon.cloneNode(true)] : []), link);
    th.append(name);
    if (record.subtitle) {
      const sub = document.createElement('div');
      sub.className = 'cell-sub';
      sub.textContent = record.subtitle;
      th.append(sub);
    }
    const type = document.createElement('td');
    type.textContent = record.type;
    const posts = document.createElement('td');
    posts.className = 'num';
    posts.textContent = String(record.postCount);
    const last = document.createElement('td');
    const at = record.lastActivity ? new Date(record.lastActivity) : null;
    if (at && !Number.isNaN(at.getTime())) {
      const time = document.createElement('time');
      time.dateTime = at.toISOString();
      time.textContent = format.format(at);
      last.append(time);
    } else {
      const none = document.createElement('span');
      none.className = 'muted';
      none.textContent = '—';
      last.append(none);
    }
    tr.append(th, type, posts, last);
    return tr;
  }

  const reload = coalesced(async () => {
    try {
      const { records } = await getJson('/api/activity');
      tbody.replaceChildren(...records.map(row));
      count.textContent = `${records.length} ${records.length === 1 ? 'item' : 'items'}`;
      wrap.hidden = records.length === 0;
      empty.hidden = records.length > 0;
    } catch (error) {
      toast(`The list could not be updated: ${error.message}`, 'error');
    }
  });

  liveStream('/api/activity/events', {
    onOpen: () => void reload(),
    handlers: { activity: () => void reload() },
  });
}

localizeTimes();
if (document.body.dataset.page === 'record') startRecordPage();
if (document.body.dataset.page === 'list') startListPage();
