// lurewatch content script: finds a schema.org JobPosting (JSON-LD or microdata) or checks the
// text the user selected, asks the background to score it, and shows the answer in a badge and a
// panel inside a shadow root. On pages without a job ad it does one selector look-up and stops.
"use strict";

(() => {
  if (globalThis.__lurewatchLoaded) return;
  globalThis.__lurewatchLoaded = true;
  const ui = globalThis.lurewatchPanel;
  const webext = globalThis.browser ?? globalThis.chrome; // Firefox: promise-based `browser`
  const HIGHLIGHT = "lurewatch-evidence";
  const ANSWER_DEADLINE_MS = 4900;

  // ---- Finding the ad -------------------------------------------------------------------------
  function types(node) {
    const raw = node["@type"];
    return (Array.isArray(raw) ? raw : [raw]).map((x) => String(x || "").split(/[/#:]/).pop());
  }

  function findPosting(node, depth = 0) {
    if (depth > 12 || !node || typeof node !== "object") return null;
    if (Array.isArray(node)) {
      for (const child of node) {
        const found = findPosting(child, depth + 1);
        if (found) return found;
      }
      return null;
    }
    if (types(node).includes("JobPosting")) return node;
    for (const [key, child] of Object.entries(node)) {
      if (key === "@context") continue;
      const found = findPosting(child, depth + 1);
      if (found) return found;
    }
    return null;
  }

  function plain(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    if (Array.isArray(value)) return value.map(plain).filter(Boolean).join(", ");
    if (typeof value === "object") {
      return plain(value.name || value.addressLocality || value.address || value.value || "");
    }
    return "";
  }

  // HTML in JSON-LD descriptions becomes text in an inert document: no script runs, nothing loads.
  function htmlToText(html) {
    const source = String(html);
    if (!/[<&]/.test(source)) return source;
    const doc = new DOMParser().parseFromString(source, "text/html");
    for (const hidden of doc.querySelectorAll("script, style, noscript, template")) hidden.remove();
    for (const block of doc.querySelectorAll("p, br, li, div, h1, h2, h3, h4, tr")) {
      block.append(doc.createTextNode("\n"));
    }
    return ((doc.body && doc.body.textContent) || "").replace(/\n{3,}/g, "\n\n").trim();
  }

  function salaryText(salary) {
    if (!salary || typeof salary !== "object") return plain(salary);
    const value = salary.value && typeof salary.value === "object" ? salary.value : salary;
    const amount = value.value !== undefined ? value.value
      : [value.minValue, value.maxValue].filter((v) => v !== undefined).join("-");
    return [salary.currency, amount, value.unitText].filter(Boolean).join(" ");
  }

  function adFromJsonLd(posting) {
    const location = posting.jobLocation && (posting.jobLocation.address || posting.jobLocation);
    return {
      title: htmlToText(plain(posting.title || posting.name)),
      text: htmlToText(plain(posting.description)),
      employer: plain(posting.hiringOrganization),
      location: plain(location),
      salary: salaryText(posting.baseSalary),
    };
  }

  function jsonLdAd(scripts) {
    for (const script of scripts) {
      try {
        const posting = findPosting(JSON.parse(script.textContent || ""));
        if (posting) return adFromJsonLd(posting);
      } catch (_error) {
        // Broken JSON-LD is common on real pages; skip it.
      }
    }
    return null;
  }

  function microdataAd(scope) {
    if (!scope) return null;
    const prop = (name) => {
      const node = scope.querySelector(`[itemprop~="${name}"]`);
      if (!node) return "";
      return (node.getAttribute("content") || node.innerText || node.textContent || "").trim();
    };
    return {
      title: prop("title"), text: prop("description"), employer: prop("hiringOrganization"),
      location: prop("jobLocation"), salary: prop("baseSalary"),
    };
  }

  // ---- Badge and panel ------------------------------------------------------------------------
  const state = { level: null, result: null, ad: null, help: null, open: false, error: null };
  let host = null;

  function styleRoot(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(ui.CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (_error) {
      root.append(ui.el("style", { text: ui.CSS }));
    }
  }

  // Inline !important beats any page rule, so hostile page CSS cannot hide or move the badge.
  const HOST_STYLE = {
    all: "initial", position: "fixed", "z-index": "2147483647", right: "16px", bottom: "16px",
    left: "auto", top: "auto", display: "block", visibility: "visible", opacity: "1",
    transform: "none", filter: "none", "pointer-events": "auto", "clip-path": "none",
    width: "auto", height: "auto", margin: "0", padding: "0", contain: "layout style",
  };

  function ensureHost() {
    if (host && host.isConnected) return host;
    host = document.createElement("lurewatch-badge");
    host.id = "lurewatch-badge";
    for (const [name, value] of Object.entries(HOST_STYLE)) host.style.setProperty(name, value, "important");
    const root = host.attachShadow({ mode: "open" });
    styleRoot(root);
    root.append(ui.el("div", { class: "lw" }));
    document.documentElement.append(host);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && state.open) setOpen(false, true);
    }, true);
    return host;
  }

  function render() {
    const node = ensureHost();
    const level = ui.levelOf(state.level);
    node.setAttribute("data-level", level);
    const box = node.shadowRoot.querySelector(".lw");
    box.setAttribute("data-level", level);
    const children = [];
    if (state.open) {
      const marks = markEvidence();
      node.setAttribute("data-marked", String(marks.count));
      children.push(ui.panel({
        level, result: state.result, error: state.error, help: state.help,
        text: state.ad ? [state.ad.title, state.ad.text].filter(Boolean).join("\n") : "",
        reportText: state.ad ? state.ad.text || state.ad.title : "",
        title: state.ad ? state.ad.title : "", url: location.href,
        apiHost: state.help ? state.help.apiHost : "", markedCount: marks.count,
        marked: (text) => marks.found.has(text), reveal,
        send: (message) => webext.runtime.sendMessage(message), onClose: () => setOpen(false, true),
      }));
    } else {
      clearMarks();
    }
    const button = ui.pill(level);
    button.setAttribute("aria-expanded", String(state.open));
    button.addEventListener("click", () => setOpen(!state.open, true));
    children.push(button);
    box.replaceChildren(...children);
    if (focusNext) {
      const target = state.open ? box.querySelector(".panel .close") : button;
      if (target) target.focus({ preventScroll: true });
      focusNext = false;
    }
  }

  // Focus moves only after the user's own action (a click, Escape, a menu entry), never on an
  // automatic check, so the badge cannot steal the keyboard from the page.
  let focusNext = false;

  async function setOpen(open, focus = false) {
    state.open = open;
    focusNext = focus;
    if (open && !state.help) {
      state.help = await webext.runtime.sendMessage({ type: "lurewatch:help" }).catch(() => null);
    }
    render();
  }

  // ---- Evidence in the page (CSS Custom Highlight API: the page's DOM is not touched) --------
  let markRanges = new Map();

  function pageText() {
    const walker = document.createTreeWalker(document.body || document.documentElement,
      NodeFilter.SHOW_TEXT, { acceptNode(node) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, noscript, template, textarea, lurewatch-badge")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      } });
    let text = "";
    const map = [];
    let lastSpace = true;
    for (let node = walker.nextNode(); node && text.length < 300000; node = walker.nextNode()) {
      const value = node.nodeValue || "";
      for (let i = 0; i < value.length; i += 1) {
        const space = /\s/.test(value[i]);
        if (space && lastSpace) continue;
        text += space ? " " : value[i];
        map.push(node, i);
        lastSpace = space;
      }
    }
    return { text: text.toLowerCase(), map };
  }

  function clearMarks() {
    markRanges = new Map();
    try {
      if (globalThis.CSS && CSS.highlights) CSS.highlights.delete(HIGHLIGHT);
    } catch (_error) {
      // nothing was marked
    }
  }

  // Never lets a failure here (an old browser, an odd page) stop the panel from showing.
  function markEvidence() {
    try {
      return findEvidence();
    } catch (_error) {
      return { count: 0, found: new Set() };
    }
  }

  function findEvidence() {
    clearMarks();
    const quotes = new Set();
    for (const signal of ui.topReasons(state.result)) {
      for (const quote of ui.evidenceTexts(signal)) quotes.add(quote);
    }
    if (!quotes.size) return { count: 0, found: new Set() };
    const { text, map } = pageText();
    for (const quote of quotes) {
      const needle = quote.replace(/\s+/g, " ").toLowerCase();
      if (needle.length < 2 || needle.length !== quote.replace(/\s+/g, " ").length) continue;
      const ranges = [];
      for (let at = text.indexOf(needle); at !== -1 && ranges.length < 5;
        at = text.indexOf(needle, at + needle.length)) {
        const end = at + needle.length - 1;
        const range = document.createRange();
        range.setStart(map[at * 2], map[at * 2 + 1]);
        range.setEnd(map[end * 2], map[end * 2 + 1] + 1);
        ranges.push(range);
      }
      if (ranges.length) markRanges.set(quote, ranges);
    }
    const all = [...markRanges.values()].flat();
    if (all.length && globalThis.CSS && CSS.highlights && globalThis.Highlight) {
      CSS.highlights.set(HIGHLIGHT, new Highlight(...all));
      addHighlightStyle();
    }
    return { count: all.length, found: new Set(markRanges.keys()) };
  }

  let highlightStyled = false;
  function addHighlightStyle() {
    if (highlightStyled) return;
    highlightStyled = true;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`::highlight(${HIGHLIGHT}) { background-color: #ffe14d; color: #000; }`);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } catch (_error) {
      // Without the style the ranges are still selectable through the panel's quote buttons.
    }
  }

  function reveal(quote) {
    const ranges = markRanges.get(quote);
    if (!ranges || !ranges.length) return;
    const range = ranges[0];
    const target = range.startContainer.parentElement;
    if (target) target.scrollIntoView({ block: "center", behavior: "smooth" });
    if (!(globalThis.CSS && CSS.highlights)) {
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range.cloneRange());
    }
  }

  // ---- Checking -------------------------------------------------------------------------------
  let generation = 0;

  async function check(ad, { automatic, open }) {
    const mine = ++generation;
    Object.assign(state, { level: "checking", result: null, ad, error: null, open: Boolean(open) });
    focusNext = Boolean(open);
    render();
    const deadline = new Promise((resolve) => {
      setTimeout(() => resolve({ ok: false, error: "timeout" }), ANSWER_DEADLINE_MS);
    });
    let answer;
    try {
      answer = await Promise.race([
        webext.runtime.sendMessage({ type: "lurewatch:score", ad, automatic }), deadline]);
    } catch (_error) {
      answer = { ok: false, error: "unreachable" };
    }
    if (mine !== generation) return answer;
    if (answer && answer.skipped) {
      if (host) host.remove();
      return answer;
    }
    const ok = Boolean(answer && answer.ok && answer.result);
    Object.assign(state, { level: ok ? String(answer.result.level) : "error",
      result: ok ? answer.result : null, error: ok ? null : String((answer && answer.error) || "") });
    if (state.open && !state.help) {
      state.help = await webext.runtime.sendMessage({ type: "lurewatch:help" }).catch(() => null);
    }
    focusNext = Boolean(open) && state.open;
    render();
    return answer;
  }

  webext.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!message || sender.id !== webext.runtime.id) return false;
    if (message.type === "lurewatch:check-selection") {
      const selected = String(getSelection() || "").trim() || String(message.text || "").trim();
      if (!selected) return false;
      check({ title: "", text: selected.slice(0, 100000) }, { automatic: false, open: true })
        .then(sendResponse);
      return true;
    }
    if (message.type === "lurewatch:open-panel" && state.level) {
      setOpen(true).then(() => sendResponse({ ok: true }));
      return true;
    }
    return false;
  });

  function autoCheck() {
    let ad = null;
    try {
      // One walk of the DOM with simple selectors finds both kinds of structured data (most
      // pages have neither); the few elements found are filtered here.
      const found = document.querySelectorAll("script[type], [itemtype]");
      if (!found.length) return;
      const scripts = [];
      let scope = null;
      for (const node of found) {
        if (node.localName === "script") {
          if (node.type.trim().toLowerCase() === "application/ld+json") scripts.push(node);
        } else if (!scope && node.hasAttribute("itemscope")
                   && /schema\.org\/JobPosting\b/i.test(node.getAttribute("itemtype"))) {
          scope = node;
        }
      }
      ad = jsonLdAd(scripts) || microdataAd(scope);
    } catch (_error) {
      ad = null;
    }
    if (!ad || !(ad.title || ad.text)) return;
    // Read the switch here too, so that with automatic checks off not even a badge appears.
    webext.storage.sync.get({ autoCheck: true }).then((stored) => {
      if (stored.autoCheck !== false) check(ad, { automatic: true, open: false });
    }).catch(() => {});
  }

  autoCheck();
})();
