// Live moderation queue: who reviews what, decisions taken by colleagues, new items waiting.
// The page stays correct without it; it only saves moderators from stepping on each other.

const root = document.querySelector("[data-moderation-queue]");

if (root) {
  const config = JSON.parse(document.getElementById(root.dataset.config).textContent);
  const labels = config.labels;
  const liveRegion = root.querySelector("[data-live-region]");
  const banner = root.querySelector("[data-new-banner]");
  let retryDelay = 1000;

  const format = (template, values) => template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
  const row = (key) => root.querySelector(`tr[data-key="${CSS.escape(key)}"]`);
  const announce = (text) => {
    liveRegion.textContent = "";
    window.setTimeout(() => { liveRegion.textContent = text; }, 100);
  };

  const handlers = {
    claimed(data) {
      const line = row(data.key);
      if (!line || data.moderator_id === config.userId) return;
      const since = new Date(data.since).toLocaleTimeString(document.documentElement.lang || undefined, { timeStyle: "short" });
      line.querySelector("[data-claim]").textContent = format(labels.reviewing, { name: data.moderator, since });
      line.classList.add("moderation-row--claimed");
    },
    released(data) {
      const line = row(data.key);
      if (!line) return;
      line.querySelector("[data-claim]").textContent = "";
      line.classList.remove("moderation-row--claimed");
    },
    decided(data) {
      const line = row(data.key);
      if (!line || data.moderator_id === config.userId) return;
      const checkbox = line.querySelector("input[type=checkbox]");
      if (checkbox) { checkbox.checked = false; checkbox.disabled = true; }
      line.classList.add("moderation-row--decided");
      line.querySelector("[data-claim]").textContent = format(labels.decided, { action: data.action_display, name: data.moderator });
      announce(format(labels.decided, { action: data.action_display, name: data.moderator }));
    },
    queued(data) {
      banner.hidden = false;
      announce(format(labels.queued, { label: data.label }));
    },
    flagged(data) {
      if (!row(data.key)) banner.hidden = false;
      announce(format(labels.flagged, { label: data.label }));
    },
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${config.socketPath}`);
    socket.addEventListener("open", () => { retryDelay = 1000; });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      handlers[data.event]?.(data);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4403) return;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  };
  connect();

  const selectAll = root.querySelector("[data-select-all]");
  selectAll?.addEventListener("change", () => {
    root.querySelectorAll("tbody input[type=checkbox]:not(:disabled)").forEach((box) => { box.checked = selectAll.checked; });
  });
}
