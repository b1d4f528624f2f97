// Live staff inbox: reports that arrive are announced ("N new reports") and shown when the agent
// asks, at the top of the list, so that no row moves under their cursor; a report shown on the page
// that changes is updated in place. The inbox stays correct without it (reload to see news).

const root = document.querySelector("[data-report-inbox]");
const rows = document.querySelector("[data-inbox-rows]");

if (root && rows) {
  const filters = root.dataset;
  const liveRegion = root.querySelector("[data-live-region]");
  const banner = root.querySelector("[data-new-banner]");
  const countText = root.querySelector("[data-new-count]");
  const showButton = root.querySelector("[data-show-new]");
  const pending = new Map(); // report id -> row HTML, in order of arrival
  let retryDelay = 1000;

  const rowOf = (id) => rows.querySelector(`tr[data-report="${CSS.escape(String(id))}"]`);
  const fromHtml = (html) => {
    const template = document.createElement("template");
    template.innerHTML = `<table><tbody>${html.trim()}</tbody></table>`;
    return template.content.querySelector("tr");
  };
  const announce = (text) => {
    liveRegion.textContent = "";
    window.setTimeout(() => { liveRegion.textContent = text; }, 100);
  };
  const label = (count) => (count === 1 ? filters.labelOne : filters.labelMany.replace("%(count)s", count));

  const matches = (data) => {
    if (filters.service && String(data.service) !== filters.service) return false;
    if (filters.category && data.category !== filters.category) return false;
    if (filters.state === "open" && !data.open) return false;
    if (filters.state === "closed" && data.open) return false;
    if (filters.state && !["open", "closed"].includes(filters.state) && data.state !== filters.state) return false;
    return filters.firstPage === "true" && !filters.area && !filters.until;
  };

  const replaceRow = (line, html) => {
    const fresh = fromHtml(html);
    const checkbox = line.querySelector("input[type=checkbox]");
    const freshBox = fresh.querySelector("input[type=checkbox]");
    if (checkbox && freshBox) freshBox.checked = checkbox.checked;
    // Replace the cells, not the row: focus and position stay where the agent left them.
    [...line.cells].forEach((cell, index) => {
      if (index === 0 || !fresh.cells[index]) return;
      cell.innerHTML = fresh.cells[index].innerHTML;
    });
    line.classList.add("report-row--updated");
    line.title = filters.labelUpdated;
  };

  const onMessage = (data) => {
    const line = rowOf(data.id);
    if (line) {
      replaceRow(line, data.html);
      return;
    }
    if (data.event !== "new" || !matches(data)) return;
    if (pending.has(data.id)) {
      pending.set(data.id, data.html);
      return;
    }
    pending.set(data.id, data.html);
    countText.textContent = label(pending.size);
    banner.hidden = false;
    announce(label(pending.size));
  };

  showButton.addEventListener("click", () => {
    const empty = rows.querySelector("td[colspan]");
    if (empty) empty.closest("tr").remove();
    const fresh = [...pending.values()].reverse().map(fromHtml); // newest first, like the list
    rows.prepend(...fresh);
    pending.clear();
    banner.hidden = true;
    const first = fresh[0]?.querySelector("a");
    if (first) first.focus();
  });

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${filters.socketPath}`);
    socket.addEventListener("open", () => { retryDelay = 1000; });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  };
  connect();
}
