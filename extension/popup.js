// lurewatch popup: the answer for the current tab, a box to paste an ad into, and the user's reports.
"use strict";

// Firefox's promise-based namespace is `browser`; Chromium's `chrome` returns promises in MV3.
const webext = globalThis.browser ?? globalThis.chrome;

const ui = globalThis.lurewatchPanel;
const send = (message) => webext.runtime.sendMessage(message);
let help = null;

function translate() {
  document.documentElement.lang = webext.i18n.getUILanguage();
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const message = webext.i18n.getMessage(node.getAttribute("data-i18n"));
    if (message) node.textContent = message;
  }
}

function styleWith(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

async function showTab() {
  const [tab] = await webext.tabs.query({ active: true, currentWindow: true });
  if (!tab || typeof tab.id !== "number") return;
  const key = `tab:${tab.id}`;
  const stored = (await webext.storage.session.get(key))[key];
  if (!stored || !stored.level) return;
  const level = ui.levelOf(stored.level);
  const box = document.getElementById("tab-result");
  const pill = ui.pill(level);
  pill.addEventListener("click", async () => {
    await webext.tabs.sendMessage(tab.id, { type: "lurewatch:open-panel" }).catch(() => null);
    window.close();
  });
  box.replaceChildren(ui.el("div", { class: "lw popup", "data-level": level }, pill));
  document.getElementById("tab").hidden = false;
}

async function checkPasted() {
  const text = document.getElementById("ad").value.trim();
  const result = document.getElementById("result");
  if (!text) return;
  const ad = { title: "", text };
  const render = (level, answer) => {
    result.setAttribute("data-level", level);
    result.replaceChildren(ui.panel({
      level, result: answer && answer.ok ? answer.result : null,
      error: answer && !answer.ok ? answer.error : null, help, text, title: "", url: "",
      apiHost: help ? help.apiHost : "", send,
    }));
  };
  render("checking", null);
  if (!help) help = await send({ type: "lurewatch:help" }).catch(() => null);
  const answer = await send({ type: "lurewatch:score", ad, automatic: false }).catch(() => null);
  render(answer && answer.ok ? String(answer.result.level) : "error", answer);
  showReports();
}

async function showReports() {
  const { reports = [] } = await webext.storage.local.get("reports");
  const list = document.getElementById("report-list");
  list.replaceChildren(...reports.slice(0, 10).map((entry) => {
    const status = ui.el("span", { class: "report-status",
      text: webext.i18n.getMessage(`status_${entry.status}`) || entry.status });
    const refresh = ui.el("button", { type: "button", text: ui.t("checkStatus") });
    refresh.addEventListener("click", async () => {
      const answer = await send({ type: "lurewatch:report-status", id: entry.id }).catch(() => null);
      if (answer && answer.ok) {
        status.textContent = webext.i18n.getMessage(`status_${answer.report.status}`)
          || answer.report.status;
      }
    });
    return ui.el("li", { "data-report-id": entry.id },
      ui.el("span", { text: `${entry.title.slice(0, 60)} — ` }), status, refresh);
  }));
  document.getElementById("reports").hidden = reports.length === 0;
}

translate();
styleWith(ui.CSS.replace(":host { all: initial; }", ""));
document.getElementById("check").addEventListener("click", checkPasted);
send({ type: "lurewatch:help" }).then((answer) => { help = answer; }).catch(() => {});
showTab();
showReports();
webext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.reports) showReports();
});
