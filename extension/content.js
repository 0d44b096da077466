// lurewatch content script: finds a JobPosting on the page, asks the service worker to score it,
// and shows the answer in a badge rendered inside a shadow root (text only, never HTML).
"use strict";

(() => {
  if (window.__lurewatchLoaded) return;
  window.__lurewatchLoaded = true;

  function types(node) {
    const raw = node["@type"];
    return (Array.isArray(raw) ? raw : [raw]).map((t) => String(t || "").split("/").pop());
  }

  function findPosting(node) {
    if (Array.isArray(node)) {
      for (const child of node) {
        const found = findPosting(child);
        if (found) return found;
      }
    } else if (node && typeof node === "object") {
      if (types(node).includes("JobPosting")) return node;
      for (const [key, child] of Object.entries(node)) {
        if (key === "@context") continue;
        const found = findPosting(child);
        if (found) return found;
      }
    }
    return null;
  }

  function text(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    if (Array.isArray(value)) return value.map(text).filter(Boolean).join(", ");
    if (typeof value === "object") return text(value.name || value.value || "");
    return "";
  }

  function htmlToText(html) {
    const doc = new DOMParser().parseFromString(String(html), "text/html");
    return (doc.body && doc.body.textContent) || "";
  }

  function jsonLdPosting() {
    for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
      try {
        const posting = findPosting(JSON.parse(script.textContent || ""));
        if (posting) return posting;
      } catch (_error) {
        // Broken JSON-LD on a page is common; skip it.
      }
    }
    return null;
  }

  function adFromPosting(posting) {
    const address = (posting.jobLocation && posting.jobLocation.address) || posting.jobLocation;
    return {
      id: location.href.slice(0, 2000),
      title: htmlToText(text(posting.title || posting.name)).slice(0, 5000),
      text: htmlToText(text(posting.description)).slice(0, 100000),
      employer: text(posting.hiringOrganization).slice(0, 500),
      location: text(address && (address.addressLocality || address)).slice(0, 500),
    };
  }

  const LABELS = {
    low: "levelLow", medium: "levelMedium", high: "levelHigh",
    insufficient: "levelInsufficient", checking: "levelChecking", error: "levelError",
  };

  function badge() {
    let host = document.getElementById("lurewatch-badge");
    if (!host) {
      host = document.createElement("div");
      host.id = "lurewatch-badge";
      host.style.cssText = "all: initial; position: fixed; z-index: 2147483647; right: 16px; bottom: 16px;";
      const root = host.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = `
        .badge { font: 14px/1.3 system-ui, sans-serif; padding: 8px 12px; border-radius: 8px;
                 color: #fff; background: #2e7d32; box-shadow: 0 2px 8px rgba(0,0,0,.3); max-width: 320px; }
        .badge[data-level="medium"] { background: #b26a00; }
        .badge[data-level="high"] { background: #b00020; }
        .badge[data-level="checking"], .badge[data-level="error"], .badge[data-level="insufficient"] { background: #455a64; }
        .reason { display: block; font-size: 12px; margin-top: 4px; opacity: .95; }`;
      const box = document.createElement("div");
      box.className = "badge";
      root.append(style, box);
      (document.body || document.documentElement).append(host);
    }
    return host;
  }

  function show(level, result) {
    const host = badge();
    host.setAttribute("data-level", level);
    const box = host.shadowRoot.querySelector(".badge");
    box.setAttribute("data-level", level);
    box.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = chrome.i18n.getMessage(LABELS[level] || "levelError") || level;
    box.append(title);
    if (result && Array.isArray(result.signals)) {
      for (const signal of result.signals.slice(0, 3)) {
        if (!(signal.contribution > 0)) continue;
        const line = document.createElement("span");
        line.className = "reason";
        line.textContent = String(signal.message || "");
        box.append(line);
      }
    }
  }

  async function check(ad) {
    show("checking");
    try {
      const answer = await chrome.runtime.sendMessage({ type: "lurewatch:score", ad });
      if (answer && answer.ok) show(String(answer.result.level), answer.result);
      else show("error");
    } catch (_error) {
      show("error");
    }
  }

  const posting = jsonLdPosting();
  if (posting) check(adFromPosting(posting));
})();
