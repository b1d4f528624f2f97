// The first page of "My notifications" shows new notifications as they arrive (notifications.js
// dispatches civic:notification for each one received on the live channel).
const list = document.querySelector("#notification-list[data-live]");

if (list) {
  document.addEventListener("civic:notification", (event) => {
    const notification = event.detail;
    list.querySelector(".empty")?.remove();
    const item = document.createElement("li");
    item.className = "notification notification--unread";
    const link = document.createElement("a");
    link.className = "notification__title";
    link.href = `/notifications/${notification.id}/`;
    link.textContent = notification.title;
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = list.dataset.labelNew;
    item.append(link, " ", tag);
    if (notification.body) {
      const body = document.createElement("p");
      body.textContent = notification.body;
      item.append(body);
    }
    list.prepend(item);
  });
}
