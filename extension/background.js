// lurewatch background (service worker in Chromium, event page in Firefox): the only part of the
// extension that talks to the network. Scores ads, sends reports, keeps the per-tab answer.
"use strict";

// Firefox's promise-based namespace is `browser`; Chromium's `chrome` returns promises in MV3.
const webext = globalThis.browser ?? globalThis.chrome;

const DEFAULTS = { apiBase: "http://127.0.0.1:8000", autoCheck: true, country: "" };
const TIMEOUT_MS = 4500; // the page must show "could not check" within 5 s
const MENU_ID = "lurewatch-check-selection";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
// The country for the help lines when neither the settings nor the browser name a region (e.g.
// "vi", not "vi-VN"). Only languages spoken mainly in one country: Spanish or Swahili alone say
// too little (a Mexican or Tanzanian user must not be shown Spain's or Kenya's numbers).
const LANGUAGE_COUNTRY = {
  my: "MM", vi: "VN", th: "TH", id: "ID", fil: "PH", tl: "PH", km: "KH", zh: "CN", si: "LK",
};

async function settings() {
  const stored = await webext.storage.sync.get(DEFAULTS);
  return {
    apiBase: String(stored.apiBase || DEFAULTS.apiBase).replace(/\/+$/, ""),
    autoCheck: stored.autoCheck !== false,
    country: String(stored.country || ""),
  };
}

// The language the reasons come back in: the one the extension's own UI is shown in.
function apiLanguage() {
  return webext.i18n.getMessage("apiLang") || "en";
}

// Calls the API with a hard timeout; never throws, answers {ok, status, body} or {ok:false, error}.
async function callApi(path, options = {}) {
  const { apiBase } = await settings();
  let url;
  try {
    url = new URL(apiBase + path);
  } catch (_error) {
    return { ok: false, error: "bad-address" };
  }
  if (!LOOPBACK.has(url.hostname)) {
    const granted = await webext.permissions.contains({ origins: [`${url.origin}/*`] });
    if (!granted) return { ok: false, error: "no-permission" };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url.href, {
      method: options.method || "GET",
      headers: options.body ? { "Content-Type": "application/json" } : {},
      body: options.body ? JSON.stringify(options.body) : undefined,
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    const body = await response.json().catch(() => null);
    if (!response.ok || !body) return { ok: false, error: `http-${response.status}` };
    return { ok: true, body };
  } catch (error) {
    return { ok: false, error: error && error.name === "AbortError" ? "timeout" : "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

function limited(value, size) {
  return typeof value === "string" ? value.slice(0, size) : "";
}

// Only the ad itself is sent to be scored: no page address, no identifier of the user.
async function scoreAd(ad) {
  const body = {
    id: "ad", title: limited(ad.title, 5000), text: limited(ad.text, 100000),
    employer: limited(ad.employer, 500) || undefined,
    location: limited(ad.location, 500) || undefined,
    salary: limited(ad.salary, 500) || undefined,
  };
  if (!body.title.trim() && !body.text.trim()) return { ok: false, error: "empty" };
  const answer = await callApi(`/v1/score?lang=${encodeURIComponent(apiLanguage())}`,
    { method: "POST", body });
  return answer.ok ? { ok: true, result: answer.body } : answer;
}

async function sendReport(report) {
  const body = {
    text: limited(report.text, 100000), title: limited(report.title, 1000),
    url: limited(report.url, 2048), reason: limited(report.reason, 2000),
  };
  if (!body.text.trim()) return { ok: false, error: "empty" };
  const answer = await callApi("/v1/reports", { method: "POST", body });
  if (!answer.ok) return answer;
  const { reports = [] } = await webext.storage.local.get("reports");
  reports.unshift({ id: String(answer.body.id), title: body.title || body.text.slice(0, 80),
    status: String(answer.body.status), at: Date.now() });
  await webext.storage.local.set({ reports: reports.slice(0, 50) });
  return { ok: true, report: answer.body };
}

async function reportStatus(id) {
  const answer = await callApi(`/v1/reports/${encodeURIComponent(String(id).slice(0, 64))}`);
  if (!answer.ok) return answer;
  const { reports = [] } = await webext.storage.local.get("reports");
  for (const entry of reports) if (entry.id === answer.body.id) entry.status = answer.body.status;
  await webext.storage.local.set({ reports });
  return { ok: true, report: answer.body };
}

let hotlineCache = null;
async function hotlines() {
  if (!hotlineCache) {
    const response = await fetch(webext.runtime.getURL("hotlines.json"));
    hotlineCache = await response.json();
  }
  return hotlineCache;
}

// The user's country: chosen on the options page, else the browser's region, else its language.
async function helpFor() {
  const [{ country, apiBase }, list] = await Promise.all([settings(), hotlines()]);
  // The UI language and the first content language, but not the user's secondary languages
  // ("vi" with "en-US" second is still a Vietnamese user).
  const locales = [webext.i18n.getUILanguage() || "en", navigator.language]
    .filter(Boolean).map((l) => String(l).replace("_", "-"));
  const sameLanguage = locales.filter((l) => l.split("-")[0] === locales[0].split("-")[0]);
  const region = sameLanguage.map((l) => l.split("-")[1]).find((r) => r && /^[A-Za-z]{2}$/.test(r));
  let code = country || (region ? region.toUpperCase()
    : LANGUAGE_COUNTRY[locales[0].split("-")[0]] || "");
  if (!list.countries[code]) code = ""; // no official list for that country yet: say so
  let apiHost = apiBase;
  try {
    apiHost = new URL(apiBase).host;
  } catch (_error) {
    // shown as typed
  }
  return { country: code, entry: code ? list.countries[code] : null, apiHost };
}

const BADGE = {
  high: ["!", "#b00020"], medium: ["?", "#9a5b00"], low: ["✓", "#2e7d32"],
  insufficient: ["…", "#455a64"], error: ["×", "#455a64"], checking: ["…", "#455a64"],
};

async function setTabState(tabId, level, result) {
  if (typeof tabId !== "number" || tabId < 0) return;
  const [text, color] = BADGE[level] || BADGE.error;
  await Promise.all([
    webext.action.setBadgeText({ tabId, text }),
    webext.action.setBadgeBackgroundColor({ tabId, color }),
    webext.action.setTitle({ tabId, title: `lurewatch: ${webext.i18n.getMessage(
      `level_${level}`) || level}` }),
    webext.storage.session.set({ [`tab:${tabId}`]: { level, result: result || null } }),
  ]).catch(() => {});
}

async function check(ad, tabId, automatic) {
  if (automatic && !(await settings()).autoCheck) return { ok: false, skipped: true };
  await setTabState(tabId, "checking");
  const answer = await scoreAd(ad);
  await setTabState(tabId, answer.ok ? answer.result.level : "error", answer.result);
  return answer;
}

// The context-menu handler. Exposed on globalThis so tests can call it with a fake click.
async function onMenuClick(info, tab) {
  if (!info || info.menuItemId !== MENU_ID || !tab || typeof tab.id !== "number") return null;
  const message = { type: "lurewatch:check-selection", text: String(info.selectionText || "") };
  try {
    return await webext.tabs.sendMessage(tab.id, message, { frameId: info.frameId || 0 });
  } catch (_error) {
    // No content script in that page (e.g. it was open before the extension was installed):
    // score the menu's copy of the selection; the toolbar badge and the popup show the answer.
    return check({ title: "", text: message.text }, tab.id, false);
  }
}
globalThis.lurewatchOnMenuClick = onMenuClick;

webext.runtime.onInstalled.addListener(() => {
  Promise.resolve(webext.contextMenus.removeAll()).then(() => {
    webext.contextMenus.create({
      id: MENU_ID, title: webext.i18n.getMessage("menuCheck") || "Check this job ad with lurewatch",
      contexts: ["selection"],
    });
  });
});
webext.contextMenus.onClicked.addListener((info, tab) => { onMenuClick(info, tab); });
webext.tabs.onRemoved.addListener((tabId) => {
  webext.storage.session.remove(`tab:${tabId}`).catch(() => {});
});
// A new page in the tab: the previous page's answer no longer applies (content scripts run
// later, at document_end, so this never wipes the new page's own answer).
webext.tabs.onUpdated.addListener((tabId, changeInfo) => {
  if (changeInfo.status !== "loading") return;
  webext.storage.session.remove(`tab:${tabId}`).catch(() => {});
  webext.action.setBadgeText({ tabId, text: "" }).catch(() => {});
});

const HANDLERS = {
  "lurewatch:score": (message, sender) =>
    check(message.ad || {}, sender.tab ? sender.tab.id : message.tabId, message.automatic === true),
  "lurewatch:report": (message) => sendReport(message.report || {}),
  "lurewatch:report-status": (message) => reportStatus(message.id),
  "lurewatch:help": () => helpFor(),
};

webext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own pages and content scripts can reach this listener (no externally_connectable).
  const handler = message && HANDLERS[message.type];
  if (!handler || sender.id !== webext.runtime.id) return false;
  Promise.resolve(handler(message, sender))
    .catch(() => ({ ok: false, error: "internal" }))
    .then(sendResponse);
  return true;
});
