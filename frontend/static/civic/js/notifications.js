// Live notifications: one WebSocket per page; the bell's count and a toast update without a reload.
const bellCount = document.getElementById("bell-count");
let retryDelay = 1000;

function showToast(notification) {
  const toast = document.createElement("div");
  toast.className = "toast";
  toast.setAttribute("role", "status");
  const link = document.createElement("a");
  link.href = `/notifications/${notification.id}/`;
  link.textContent = notification.title;
  toast.append(link);
  document.body.append(toast);
  setTimeout(() => toast.remove(), 8000);
}

function setUnread(count) {
  if (!bellCount) return;
  bellCount.textContent = count ? String(count) : "";
  if (count) {
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + gettext("unread");
    bellCount.append(hidden);
  }
  document.dispatchEvent(new CustomEvent("civic:unread", { detail: { count } }));
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/notifications/`);
  socket.addEventListener("open", () => { retryDelay = 1000; });
  socket.addEventListener("message", (event) => {
    const data = JSON.parse(event.data);
    if (data.event === "notification") {
      setUnread(data.unread);
      showToast(data.notification);
      document.dispatchEvent(new CustomEvent("civic:notification", { detail: data.notification }));
    } else if (data.event === "unread") {
      setUnread(data.unread);
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) return; // logged out: do not retry
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  });
}

connect();
