/*
 * The social inbox page's host: reads the inbox from the server, gives <social-inbox> its properties and
 * acts on its events (it never fetches). Plain browser JavaScript, no build step, served as it is under a
 * CSP that allows only same-origin scripts; untrusted text reaches the page only through component
 * properties or `textContent`.
 *
 * Live: the server's `changed` events name posts to read again (new posts, a colleague's claim or close,
 * a reply sent); each burst is one `GET /api/inbox?ids=`. Posts no longer waiting for an answer leave.
 */
/* global document, window, customElements, EventSource */

const PAGE_SIZE = 200;
const ACTOR_KEY = 'socialcrm.inboxActor';
const FINAL_REPLY = new Set(['Sent', 'Failed', 'Rejected']);

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

function startInbox() {
  const inbox = document.querySelector('social-inbox');
  if (!customElements.get('social-inbox')) {
    inbox.error = 'The inbox component did not load. Reload the page.';
    return;
  }
  const signedIn = document.body.dataset.signedInUser || null;
  const actorSelect = document.getElementById('inbox-actor');
  let actorId = signedIn;
  if (!actorId) {
    try {
      actorId = localStorage.getItem(ACTOR_KEY) || null;
    } catch {
      actorId = null;
    }
  }

  const headers = (json) => ({
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(actorId && !signedIn ? { 'x-socialcrm-user': actorId } : {}),
  });
  async function call(method, url, body) {
    const res = await fetch(url, {
      method,
      headers: headers(body !== undefined),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const error = new Error(
        (data && data.error && data.error.message) || `The server answered ${res.status} ${res.statusText}.`,
      );
      error.status = res.status;
      throw error;
    }
    return data;
  }

  /** The posts shown, by Id, in the server's order. */
  let items = [];
  let cursor = null;
  const show = (next) => {
    items = next;
    inbox.items = items;
  };
  /** Replaces or adds what the server says of these posts; those it no longer lists as open leave. */
  function merge(ids, fresh) {
    const byId = new Map(fresh.map((item) => [item.postId, item]));
    const kept = items
      .filter(
        (item) =>
          !ids.includes(item.postId) || (byId.has(item.postId) && byId.get(item.postId).status !== 'done'),
      )
      .map((item) => byId.get(item.postId) || item);
    const known = new Set(kept.map((item) => item.postId));
    const added = fresh.filter((item) => !known.has(item.postId) && item.status !== 'done');
    show([...kept, ...added]);
  }

  async function loadFirst() {
    inbox.error = null;
    try {
      const page = await call('GET', `/api/inbox?status=needs_reply&limit=${PAGE_SIZE}`);
      cursor = page.nextCursor;
      inbox.hasMore = Boolean(cursor);
      show(page.items);
    } catch (error) {
      inbox.error = `The inbox could not be loaded: ${error.message}`;
    } finally {
      inbox.loading = false;
    }
  }

  async function loadMore() {
    if (!cursor || inbox.loadingMore) return;
    inbox.loadingMore = true;
    try {
      const page = await call(
        'GET',
        `/api/inbox?status=needs_reply&limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`,
      );
      cursor = page.nextCursor;
      inbox.hasMore = Boolean(cursor);
      const known = new Set(items.map((item) => item.postId));
      show([...items, ...page.items.filter((item) => !known.has(item.postId))]);
    } catch (error) {
      toast(`More posts could not be loaded: ${error.message}`, 'error');
    } finally {
      inbox.loadingMore = false;
    }
  }

  /** Reads these posts again (after an action, or when the server says they changed). */
  const pendingIds = new Set();
  let reading = null;
  async function refresh(ids) {
    for (const id of ids) pendingIds.add(id);
    if (reading) return reading;
    reading = (async () => {
      while (pendingIds.size > 0) {
        const batch = [...pendingIds].slice(0, 200);
        for (const id of batch) pendingIds.delete(id);
        try {
          const { items: fresh } = await call('GET', `/api/inbox?ids=${batch.join(',')}`);
          merge(batch, fresh);
          for (const id of batch) if (replyOf.has(id)) void followReply(id);
        } catch {
          // The next change or reconnect reads them again.
        }
      }
    })();
    try {
      await reading;
    } finally {
      reading = null;
    }
  }

  async function loadOptions() {
    try {
      const options = await call('GET', '/api/inbox/options');
      const mine = new Set(options.myQueueIds || []);
      inbox.queues = options.queues.map((q) => ({ id: q.id, name: q.name, member: mine.has(q.id) }));
      inbox.users = options.users;
      if (actorSelect) {
        const current = actorSelect.value || actorId || '';
        actorSelect.replaceChildren(
          actorSelect.options[0],
          ...options.users.map((user) => {
            const option = document.createElement('option');
            option.value = user.id;
            option.textContent = user.name;
            return option;
          }),
        );
        actorSelect.value = options.users.some((u) => u.id === current) ? current : '';
      }
    } catch (error) {
      if (error.status === 403 && actorId && !signedIn) {
        // The user chosen before was deactivated: choose again.
        actorId = null;
        inbox.currentUserId = null;
        try {
          localStorage.removeItem(ACTOR_KEY);
        } catch {
          // storage off
        }
        return loadOptions();
      }
      toast(`Queues and users could not be loaded: ${error.message}`, 'error');
    }
  }

  inbox.currentUserId = actorId;
  if (actorSelect) {
    actorSelect.addEventListener('change', () => {
      actorId = actorSelect.value || null;
      inbox.currentUserId = actorId;
      try {
        if (actorId) localStorage.setItem(ACTOR_KEY, actorId);
        else localStorage.removeItem(ACTOR_KEY);
      } catch {
        // storage off: this tab remembers
      }
      void loadOptions();
    });
  }

  const needsActor = () => {
    if (actorId) return false;
    inbox.error = 'Choose who you work as (top right) before taking or closing posts.';
    show([...items]);
    if (actorSelect) actorSelect.focus();
    return true;
  };

  inbox.addEventListener('social-inbox-assign', async (event) => {
    const { postIds, ownerId } = event.detail;
    if (ownerId === 'me' && needsActor()) return;
    try {
      await call('POST', '/api/inbox/assign', { postIds, ownerId });
      inbox.error = null;
    } catch (error) {
      inbox.error = error.message;
    }
    await refresh(postIds);
    show([...items]); // refused rows are themselves again
  });

  inbox.addEventListener('social-inbox-done', async (event) => {
    const { postIds, reason } = event.detail;
    try {
      await call('POST', '/api/inbox/done', { postIds, reason });
      inbox.error = null;
    } catch (error) {
      inbox.error = error.message;
    }
    await refresh(postIds);
    show([...items]);
  });

  inbox.addEventListener('social-inbox-select', async (event) => {
    const { postId } = event.detail;
    const item = items.find((i) => i.postId === postId);
    if (!item) return;
    try {
      const { posts } = await call('GET', `/api/inbox/thread?id=${encodeURIComponent(item.threadId)}`);
      inbox.threads = { ...inbox.threads, [postId]: posts };
    } catch (error) {
      inbox.threads = { ...inbox.threads, [postId]: [] };
      toast(`The conversation could not be loaded: ${error.message}`, 'error');
    }
  });

  inbox.addEventListener('social-inbox-link', async (event) => {
    const { postId, recordId } = event.detail;
    try {
      await call('POST', '/api/inbox/link', { postId, recordId });
      toast('Linked: their next posts are linked too.');
    } catch (error) {
      inbox.error = `Not linked: ${error.message}`;
    }
    await refresh([postId]);
  });

  inbox.addEventListener('social-inbox-create-record', async (event) => {
    const { postId, recordType } = event.detail;
    try {
      const created = await call('POST', '/api/inbox/create-record', { postId, recordType });
      toast(`${recordType} created and linked.`);
      void created;
    } catch (error) {
      inbox.error = `No ${recordType} was created: ${error.message}`;
    }
    await refresh([postId]);
  });

  // Take next: the soonest due post of my queues becomes mine and opens.
  const takeNext = document.getElementById('take-next');
  takeNext.addEventListener('click', async () => {
    if (needsActor()) return;
    takeNext.disabled = true;
    try {
      const { item } = await call('POST', '/api/inbox/take-next', {});
      merge([item.postId], [item]);
      await inbox.updateComplete;
      inbox.openItem(item.postId);
      toast(`Yours now: @${item.author.handle} on ${item.network}.`);
    } catch (error) {
      toast(error.message, error.status === 404 ? 'info' : 'error');
    } finally {
      takeNext.disabled = false;
    }
  });

  inbox.addEventListener('social-inbox-filter-change', (event) => {
    inbox.filters = event.detail;
  });
  inbox.addEventListener('social-load-more', () => void loadMore());
  inbox.addEventListener('social-retry', () => {
    inbox.loading = items.length === 0;
    void loadFirst();
  });

  // Replies go through the same API as the record page; the post leaves the inbox once the reply is sent.
  /** postId → replyId of the reply this tab sent. */
  const replyOf = new Map();
  const setReply = (postId, state) => (inbox.replies = { ...inbox.replies, [postId]: state });
  async function followReply(postId) {
    const replyId = replyOf.get(postId);
    if (!replyId) return;
    try {
      const reply = await call('GET', `/api/replies/${encodeURIComponent(replyId)}`);
      if (reply.status === 'Sent') {
        setReply(postId, { status: 'sent', sentUrl: reply.url || null });
      } else if (reply.status === 'Failed' || reply.status === 'Rejected') {
        setReply(postId, {
          status: 'failed',
          message:
            reply.status === 'Rejected'
              ? `An approver rejected it${reply.approvalNote ? `: ${reply.approvalNote}` : '.'}`
              : reply.failureReason || 'The network did not accept it.',
        });
      } else if (reply.status === 'Queued' || reply.status === 'Pending Approval') {
        setReply(postId, {
          status: 'sending',
          message:
            reply.status === 'Queued'
              ? reply.failureReason || 'Queued: it goes out as soon as the network allows.'
              : 'Waiting for an approver: it goes out once approved.',
        });
      }
      if (FINAL_REPLY.has(reply.status)) replyOf.delete(postId);
      else setTimeout(() => void followReply(postId), 3000);
    } catch {
      setTimeout(() => void followReply(postId), 5000);
    }
  }

  inbox.addEventListener('social-reply', async (event) => {
    const { postId } = event.detail;
    setReply(postId, { status: 'sending' });
    try {
      const res = await fetch('/api/replies', {
        method: 'POST',
        headers: headers(true),
        body: JSON.stringify(event.detail),
      });
      const body = await res.json().catch(() => null);
      if (res.status === 202 && body) {
        replyOf.set(postId, body.replyId);
        void followReply(postId);
        return;
      }
      setReply(postId, {
        status: 'failed',
        message: (body && body.error && body.error.message) || `The server answered ${res.status}.`,
      });
    } catch {
      setReply(postId, { status: 'failed', message: 'The sync server could not be reached. Try again.' });
    }
  });

  async function loadSavedReplies() {
    try {
      inbox.savedReplies = (await call('GET', '/api/saved-replies')).savedReplies;
    } catch {
      // A convenience: replying works without them.
    }
  }

  const live = document.querySelector('.live');
  const liveLabel = document.querySelector('.live__label');
  const setLive = (state, label) => {
    if (!live) return;
    live.dataset.liveState = state;
    liveLabel.textContent = label;
  };
  let opened = false;
  const events = new EventSource('/api/inbox/events');
  events.addEventListener('open', () => {
    setLive('live', 'Live');
    // After a reconnect, read the first page again: changes while the stream was down are not lost.
    if (opened) void loadFirst();
    opened = true;
  });
  events.addEventListener('error', () => setLive('offline', 'Reconnecting…'));
  events.addEventListener('changed', (event) => {
    let ids;
    try {
      ids = JSON.parse(event.data).postIds;
    } catch {
      return;
    }
    if (Array.isArray(ids) && ids.length > 0) void refresh(ids.filter((id) => typeof id === 'string'));
  });
  window.addEventListener('pagehide', () => events.close());

  // The page's header says "Social Inbox"; the list's own title names what it holds.
  inbox.heading = 'Conversations to answer';
  inbox.loading = true;
  void loadOptions();
  void loadFirst();
  void loadSavedReplies();
}

if (document.body.dataset.page === 'inbox') startInbox();
