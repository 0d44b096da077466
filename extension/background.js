// lurewatch service worker: the only part of the extension that talks to the network.
"use strict";

const DEFAULT_API_BASE = "http://127.0.0.1:8000";
const TIMEOUT_MS = 5000;

async function apiBase() {
  const stored = await chrome.storage.sync.get({ apiBase: DEFAULT_API_BASE });
  return String(stored.apiBase || DEFAULT_API_BASE).replace(/\/+$/, "");
}

async function scoreAd(ad) {
  const base = await apiBase();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const lang = (chrome.i18n.getUILanguage() || "en").split("-")[0];
    const response = await fetch(`${base}/v1/score?lang=${encodeURIComponent(lang)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ad),
      signal: controller.signal,
      credentials: "omit",
    });
    if (!response.ok) {
      return { ok: false, error: `HTTP ${response.status}` };
    }
    return { ok: true, result: await response.json() };
  } catch (error) {
    return { ok: false, error: String(error && error.name === "AbortError" ? "timeout" : error) };
  } finally {
    clearTimeout(timer);
  }
}

function setToolbarBadge(tabId, level) {
  if (tabId === undefined) return;
  const text = { high: "!", medium: "?", low: "", insufficient: "", error: "×" }[level] || "";
  const color = { high: "#b00020", medium: "#b26a00", error: "#555555" }[level] || "#2e7d32";
  chrome.action.setBadgeText({ tabId, text });
  chrome.action.setBadgeBackgroundColor({ tabId, color });
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!message || message.type !== "lurewatch:score" || typeof message.ad !== "object") {
    return false;
  }
  scoreAd(message.ad).then((answer) => {
    const tabId = sender.tab ? sender.tab.id : undefined;
    setToolbarBadge(tabId, answer.ok ? answer.result.level : "error");
    sendResponse(answer);
  });
  return true;
});
