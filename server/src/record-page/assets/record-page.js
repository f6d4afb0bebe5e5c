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
    onPostsChanged();
  };
  let onPostsChanged = () => {};

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
    respondBox.collision = null;
    if (!pendingReply) respondBox.status = 'idle';
    replyHint.textContent = `Replying to ${post.authorName || post.authorHandle} on ${post.network}.`;
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
      respondBox.status = 'sent';
      pendingReply = null;
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
    try {
      const res = await fetch('/api/replies', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event.detail),
      });
      const body = await res.json().catch(() => null);
      if (res.status === 202 && body) {
        pendingReply = { replyId: body.replyId };
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
  const viewerId = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(
    /[^A-Za-z0-9_-]/g,
    '',
  );
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
      const others = activity.open.filter((r) => r.replyId !== mine);
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
        meta.textContent = `Reply on ${reply.network}${answered ? ` to @${answered.authorHandle}` : ''}`;
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
