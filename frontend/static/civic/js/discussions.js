// Live discussions. The thread works without this script (forms POST and redirect); with it,
// comments are posted through the API and everyone's new comments appear without a reload.
// Comment HTML comes from the server already sanitised (escaped, linkified, nh3-cleaned).

const RETRY_MAX = 30000;

function csrfToken(root) {
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

class Thread {
  constructor(root) {
    this.root = root;
    this.config = JSON.parse(document.getElementById(root.dataset.config).textContent);
    this.labels = this.config.labels;
    this.list = root.querySelector("[data-comment-list]");
    this.liveRegion = root.querySelector("[data-live-region]");
    this.counter = root.querySelector("[data-comment-count]");
    this.banner = root.querySelector("[data-new-banner]");
    this.mainForm = root.querySelector("form[data-comment-form]:not(.comment-form--reply)");
    this.retryDelay = 1000;
    root.querySelectorAll("form[data-comment-form]").forEach((form) => this.enhanceForm(form));
    root.querySelectorAll("form[data-support-form]").forEach((form) => this.enhanceSupport(form));
    this.connect();
  }

  // --- Live updates ---------------------------------------------------------------------------

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${this.config.socketPath}`);
    socket.addEventListener("open", () => { this.retryDelay = 1000; });
    socket.addEventListener("message", (event) => this.handle(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (event.code === 4404) return; // the thread is not visible to this person: do not retry
      setTimeout(() => this.connect(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX);
    });
  }

  handle(data) {
    if (data.event === "support") {
      this.setSupportCount(data.comment.id, data.comment.support_count);
    } else if (data.event === "comment") {
      if (data.action === "created") this.insert(data.comment, { announce: true });
      else if (data.action === "updated") this.update(data.comment);
      else if (data.action === "removed") this.remove(data.comment.id);
    }
  }

  announce(text) {
    if (!this.liveRegion) return;
    this.liveRegion.textContent = "";
    window.setTimeout(() => { this.liveRegion.textContent = text; }, 100);
  }

  changeCount(delta) {
    if (!this.counter) return;
    this.counter.textContent = String(Math.max(0, Number(this.counter.textContent || 0) + delta));
  }

  showBanner() {
    if (this.banner) this.banner.hidden = false;
    this.announce(this.labels.newComments);
  }

  insert(comment, { announce = false, actions = null } = {}) {
    const existing = document.getElementById(`comment-${comment.id}`);
    if (existing) {
      if (actions) existing.replaceWith(this.build(comment, actions)); // our own comment: add edit links
      return existing;
    }
    let container;
    if (comment.parent_id) {
      const parent = document.getElementById(`comment-${comment.parent_id}`);
      if (!parent) { this.showBanner(); return null; }
      container = parent.querySelector(":scope > [data-reply-list]");
      container.hidden = false;
    } else if (!this.config.insertTopLevel && !actions) {
      this.showBanner();
      return null;
    } else {
      container = this.list;
    }
    const item = this.build(comment, actions);
    if (comment.parent_id || !this.config.insertTopLevel) container.append(item);
    else container.prepend(item);
    this.root.querySelector("[data-empty]")?.remove();
    if (comment.state === "published") this.changeCount(1);
    if (announce) this.announce(format(this.labels.newComment, { author: comment.author || this.labels.formerParticipant }));
    return item;
  }

  update(comment) {
    const item = document.getElementById(`comment-${comment.id}`);
    if (!item) return;
    if (comment.deleted) {
      this.placeholder(item, this.labels.deleted);
      this.changeCount(-1);
      return;
    }
    const text = item.querySelector(":scope > article .comment__text");
    if (text) text.innerHTML = comment.body_html;
    const meta = item.querySelector(":scope > article .comment__meta");
    if (meta && comment.edited && !meta.querySelector(".comment__edited")) {
      meta.append(this.element("span", "comment__edited", `· ${this.labels.edited}`));
    }
    this.setSupportCount(comment.id, comment.support_count);
  }

  remove(id) {
    const item = document.getElementById(`comment-${id}`);
    if (!item) return;
    const replies = item.querySelector(":scope > [data-reply-list]");
    if (replies && replies.children.length) this.placeholder(item, this.labels.hidden);
    else item.remove();
    this.changeCount(-1);
  }

  placeholder(item, text) {
    const card = item.querySelector(":scope > article");
    card.removeAttribute("aria-labelledby");
    card.replaceChildren(this.element("p", "comment__placeholder", text));
    item.querySelector(":scope > details.comment__reply")?.remove();
  }

  setSupportCount(id, count) {
    document.querySelectorAll(`#comment-${id} > article [data-support-count]`).forEach((node) => {
      node.textContent = String(count);
      const wrapper = node.closest("[data-support-total]");
      if (wrapper) wrapper.hidden = !count;
    });
  }

  // --- Building a comment ----------------------------------------------------------------------

  element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  build(comment, actions) {
    const own = Boolean(actions && actions.own);
    const item = this.element("li", `comment${comment.parent_id ? " comment--reply" : ""}${own ? " comment--own" : ""}`);
    item.id = `comment-${comment.id}`;
    item.dataset.commentId = comment.id;
    const card = this.element("article", "comment__card");
    card.setAttribute("aria-labelledby", `comment-${comment.id}-author`);
    card.tabIndex = -1;

    const meta = this.element("header", "comment__meta");
    const author = this.element("span", "comment__author", comment.author || this.labels.formerParticipant);
    author.id = `comment-${comment.id}-author`;
    const date = this.element("a", "comment__date");
    date.href = `#comment-${comment.id}`;
    const when = comment.created_display
      || new Date(comment.created_at).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "long", timeStyle: "short" });
    const time = this.element("time", "", when);
    time.dateTime = comment.created_at;
    date.append(time);
    meta.append(author, " ", date);
    card.append(meta);
    if (comment.state === "pending") card.append(this.element("p", "comment__status", this.labels.pending));

    const text = this.element("div", "comment__text");
    text.innerHTML = comment.body_html; // sanitised by the server (nh3 allow-list: a[href, rel], br)
    card.append(text);

    const bar = this.element("div", "comment__actions");
    const canSupport = actions ? actions.can_support : this.config.mayComment && comment.state === "published";
    const canFlag = actions ? actions.can_flag : this.config.loggedIn && comment.state === "published";
    if (canSupport) bar.append(this.supportButton(comment));
    else bar.append(this.supportTotal(comment));
    if (canFlag) {
      const flag = this.element("a", "comment__flag", this.labels.flag);
      flag.href = `${this.config.flagUrl.replace("{id}", comment.id)}?next=${encodeURIComponent(location.pathname + location.search)}`;
      bar.append(flag);
    }
    if (actions && actions.can_edit) bar.append(this.link(this.config.editUrl, comment.id, this.labels.edit));
    if (actions && actions.can_delete) bar.append(this.link(this.config.deleteUrl, comment.id, this.labels.delete));
    card.append(bar);
    item.append(card);

    if (!comment.parent_id) {
      const replies = this.element("ol", "comments comments--replies");
      replies.dataset.replyList = "";
      replies.hidden = true;
      item.append(replies);
      if (this.config.mayComment && comment.state === "published") item.append(this.replyForm(comment));
    }
    return item;
  }

  link(template, id, label) {
    const link = this.element("a", "", label);
    link.href = `${template.replace("{id}", id)}?next=${encodeURIComponent(location.pathname + location.search)}`;
    return link;
  }

  supportTotal(comment) {
    const total = this.element("span", "comment__supports");
    total.dataset.supportTotal = "";
    total.hidden = !comment.support_count;
    const count = this.element("span", "", String(comment.support_count || 0));
    count.dataset.supportCount = "";
    total.append(count, ` ${this.labels.supports}`);
    return total;
  }

  supportButton(comment) {
    const button = this.element("button", "support-button");
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.append(this.element("span", "", "+1"), ` ${this.labels.support} `);
    const count = this.element("span", "support-button__count", String(comment.support_count || 0));
    count.dataset.supportCount = "";
    button.append(count, this.element("span", "visually-hidden", ` ${this.labels.supports}`));
    button.addEventListener("click", () => this.toggleSupport(comment.id, button));
    const wrapper = this.element("span", "inline-form");
    wrapper.append(button);
    return wrapper;
  }

  replyForm(comment) {
    const details = this.element("details", "comment__reply");
    details.append(this.element("summary", "", this.labels.reply));
    const form = this.element("form", "comment-form comment-form--reply");
    form.method = "post";
    form.action = this.mainForm ? this.mainForm.action : "";
    form.dataset.commentForm = "";
    const csrf = document.createElement("input");
    Object.assign(csrf, { type: "hidden", name: "csrfmiddlewaretoken", value: csrfToken(this.root) });
    const parent = document.createElement("input");
    Object.assign(parent, { type: "hidden", name: "parent", value: String(comment.id) });
    const field = this.element("div", "field");
    const label = this.element("label", "", this.labels.replyLabel);
    label.htmlFor = `reply-${comment.id}-body`;
    const textarea = document.createElement("textarea");
    Object.assign(textarea, { id: `reply-${comment.id}-body`, name: "body", rows: 3, required: true });
    textarea.setAttribute("aria-describedby", `reply-${comment.id}-error`);
    const error = this.element("p", "error");
    Object.assign(error, { id: `reply-${comment.id}-error`, hidden: true });
    error.dataset.formError = "";
    error.setAttribute("role", "alert");
    field.append(label, textarea, error);
    const submit = this.element("button", "", this.labels.send);
    submit.type = "submit";
    form.append(csrf, parent, field, submit);
    details.append(form);
    this.enhanceForm(form);
    return details;
  }

  // --- Forms through the API ---------------------------------------------------------------------

  async request(url, method, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken(this.root) },
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await response.json(); } catch { /* an empty or HTML answer */ }
    return { response, data };
  }

  enhanceForm(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const textarea = form.querySelector("textarea[name=body]");
      const error = form.querySelector("[data-form-error]");
      const submit = form.querySelector("button[type=submit]");
      const parent = form.querySelector("input[name=parent]");
      const showError = (message) => {
        error.textContent = message;
        error.hidden = false;
        textarea.setAttribute("aria-invalid", "true");
        textarea.focus();
      };
      submit.disabled = true;
      const sent = textarea.value;
      try {
        const payload = { body: sent };
        if (parent) payload.parent = Number(parent.value);
        const { response, data } = await this.request(this.config.apiUrl, "POST", payload);
        if (!response.ok) {
          let message = data.detail || data.body?.[0] || this.labels.error;
          if (response.status === 429 && !data.detail) message = this.labels.retryAfter;
          showError(message);
          return;
        }
        // The live channel may have shown the comment before this answer came back, and the
        // person may already be writing the next one: only clear what was sent.
        if (textarea.value === sent) textarea.value = "";
        textarea.removeAttribute("aria-invalid");
        error.hidden = true;
        error.textContent = "";
        form.closest("details")?.removeAttribute("open");
        // The API names the parent "parent"; the live channel "parent_id".
        const comment = { ...data, parent_id: data.parent };
        const item = this.insert(comment, { actions: data.actions }) || document.getElementById(`comment-${data.id}`);
        this.announce(data.state === "published" ? this.labels.published : this.labels.awaiting);
        item?.querySelector(":scope > article")?.focus();
      } catch {
        showError(this.labels.error);
      } finally {
        submit.disabled = false;
      }
    });
  }

  enhanceSupport(form) {
    const button = form.querySelector("button");
    const id = Number(form.closest("[data-comment-id]").dataset.commentId);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.toggleSupport(id, button);
    });
  }

  async toggleSupport(id, button) {
    const pressed = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    try {
      const { response, data } = await this.request(this.config.supportUrl.replace("{id}", id), pressed ? "DELETE" : "POST");
      if (response.ok) {
        button.setAttribute("aria-pressed", String(data.supported));
        const hidden = button.form?.querySelector("input[name=support]");
        if (hidden) hidden.value = data.supported ? "0" : "1";
        this.setSupportCount(id, data.support_count);
      } else if (data.detail) {
        this.announce(data.detail);
      }
    } finally {
      button.disabled = false;
    }
  }
}

document.querySelectorAll("[data-discussion]").forEach((root) => {
  if (!root.dataset.enhanced) {
    root.dataset.enhanced = "true";
    new Thread(root);
  }
});
