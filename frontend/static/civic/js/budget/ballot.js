// The live budget meter of the ballot page. The form works without it: the server checks
// everything and answers with the same messages.
const config = JSON.parse(document.getElementById("ballot-config").textContent);
const form = document.getElementById("ballot");
const meter = document.getElementById("ballot-meter");
const text = document.getElementById("meter-text");
const fill = document.getElementById("meter-fill");
const euros = new Intl.NumberFormat(document.documentElement.lang || "fr", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
// gettext and interpolate come from the JavaScript catalogue (base.html); calling gettext by its
// name is what lets makemessages find the strings (tests/core/test_translations.py checks them).
const fmt = (s, values) => interpolate(s, values, true);

function state() {
  const rows = [...form.querySelectorAll(".ballot-project")];
  let count = 0, cost = 0, points = 0, over = null;
  const ranks = [];
  for (const row of rows) {
    const input = row.querySelector("input");
    if (!input) continue;
    if (input.type === "checkbox") {
      if (input.checked) { count += 1; cost += Number(row.dataset.cost); }
    } else if (input.value.trim() !== "") {
      const value = Number(input.value);
      if (config.type === "cumulative") {
        if (value > 0) { count += 1; points += value; }
        if (config.pointsCap && value > config.pointsCap) over = row.querySelector("strong").textContent;
      } else { count += 1; ranks.push(value); }
    }
    row.classList.toggle("is-chosen", input.type === "checkbox" ? input.checked : input.value.trim() !== "" && input.value !== "0");
  }
  return { count, cost, points, ranks, over };
}

function render() {
  const s = state();
  let message = "", ratio = 0, bad = false;
  if (config.type === "knapsack") {
    ratio = s.cost / config.amount;
    bad = s.cost > config.amount || (s.count > 0 && s.cost < config.minSpend);
    message = fmt(gettext("%(spent)s of %(amount)s chosen, %(left)s left"), {
      spent: euros.format(s.cost), amount: euros.format(config.amount), left: euros.format(Math.max(config.amount - s.cost, 0)),
    });
    if (s.cost > config.amount) message += " – " + fmt(gettext("over the budget by %(over)s"), { over: euros.format(s.cost - config.amount) });
    else if (s.count > 0 && s.cost < config.minSpend) message += " – " + fmt(gettext("spend at least %(min)s"), { min: euros.format(config.minSpend) });
  } else if (config.type === "cumulative") {
    ratio = s.points / config.pointsTotal;
    bad = s.points > config.pointsTotal || s.over !== null;
    message = fmt(gettext("%(used)s of %(total)s points given, %(left)s left"), { used: s.points, total: config.pointsTotal, left: Math.max(config.pointsTotal - s.points, 0) });
  } else if (config.type === "ranked") {
    ratio = s.count / config.rankK;
    const unique = new Set(s.ranks);
    bad = s.count > config.rankK || unique.size !== s.ranks.length;
    message = fmt(gettext("%(n)s of %(k)s projects ranked"), { n: s.count, k: config.rankK });
    if (unique.size !== s.ranks.length) message += " – " + gettext("two projects share a rank");
  } else {
    const max = config.maxChoices || s.count || 1;
    ratio = s.count / max;
    bad = (config.maxChoices && s.count > config.maxChoices) || s.count < config.minChoices;
    message = config.maxChoices
      ? fmt(gettext("%(n)s of at most %(max)s projects chosen"), { n: s.count, max: config.maxChoices })
      : fmt(gettext("%(n)s projects chosen"), { n: s.count });
  }
  text.textContent = message;
  fill.style.width = `${Math.min(ratio, 1) * 100}%`;
  meter.classList.toggle("meter--bad", Boolean(bad));
}

if (form && meter) {
  meter.hidden = false;
  form.addEventListener("input", render);
  form.addEventListener("change", render);
  render();
  const errors = document.getElementById("ballot-errors");
  if (errors) errors.focus();
}
