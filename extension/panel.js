// lurewatch panel: builds the answer for one ad (level, reasons, what to do next, report buttons)
// out of DOM nodes. Shared by the content script (inside its shadow root) and the popup.
// Everything that came from a page or the API is set with textContent, never parsed as HTML.
"use strict";

globalThis.lurewatchPanel = (() => {
  const webext = globalThis.browser ?? globalThis.chrome; // Firefox: promise-based `browser`
  const LEVELS = ["low", "medium", "high", "insufficient", "checking", "error"];

  const CSS = `
    :host { all: initial; }
    .lw, .lw * { box-sizing: border-box; }
    .lw { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Myanmar",
          "Noto Sans Khmer", "Noto Sans Thai", sans-serif; color: #1b1b1b; text-align: start; }
    .pill { display: inline-flex; align-items: center; gap: 8px; border: 0; cursor: pointer;
            font: inherit; font-weight: 600; color: #fff; background: #455a64; border-radius: 999px;
            padding: 8px 14px; box-shadow: 0 2px 10px rgba(0,0,0,.35); max-width: 320px; }
    .pill:focus-visible, button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
    [data-level="low"] .pill, .head[data-level="low"] { background: #2e7d32; }
    [data-level="medium"] .pill, .head[data-level="medium"] { background: #9a5b00; }
    [data-level="high"] .pill, .head[data-level="high"] { background: #b00020; }
    .pill .mark { font-size: 12px; opacity: .9; font-weight: 400; }
    .panel { background: #fff; border-radius: 10px; box-shadow: 0 4px 24px rgba(0,0,0,.35);
             width: min(380px, calc(100vw - 32px)); max-height: min(70vh, 640px); overflow: auto;
             margin-bottom: 8px; }
    .popup .panel { box-shadow: none; width: auto; max-height: none; margin: 0; }
    .head { display: flex; justify-content: space-between; align-items: flex-start; gap: 8px;
            color: #fff; background: #455a64; padding: 10px 12px; border-radius: 10px 10px 0 0; }
    .head h2 { font-size: 16px; margin: 0; font-weight: 700; }
    .close { background: transparent; border: 0; color: #fff; font-size: 20px; line-height: 1;
             cursor: pointer; padding: 0 4px; }
    .body { padding: 10px 12px 12px; }
    .body h3 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .03em;
               color: #444; }
    .body p { margin: 4px 0; }
    ul, ol { margin: 4px 0; padding-inline-start: 20px; }
    li { margin: 3px 0; }
    .quote { display: inline-block; background: #fff3b0; color: #1b1b1b; border-radius: 3px;
             padding: 0 4px; margin: 2px 4px 0 0; font-size: 12px; border: 1px solid #e0c400;
             font-family: inherit; word-break: break-word; }
    button.quote { cursor: pointer; }
    .checked { font-size: 12px; color: #555; background: #f4f4f4; border-radius: 4px; padding: 6px;
               white-space: pre-wrap; word-break: break-word; max-height: 160px; overflow: auto; }
    .hotline { margin: 4px 0; }
    .hotline a, .src { color: #0b57d0; }
    .src { font-size: 12px; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
    .actions button, .form button { font: inherit; border-radius: 6px; padding: 6px 10px;
             border: 1px solid #888; background: #f4f4f4; color: #1b1b1b; cursor: pointer; }
    .actions .primary, .form .primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
    .form { margin-top: 10px; padding: 8px; background: #f4f6fb; border-radius: 6px; }
    .form label { display: block; margin: 4px 0; }
    .form textarea { width: 100%; font: inherit; min-height: 48px; }
    .status { margin-top: 8px; font-weight: 600; }
    .checked-box { margin-top: 12px; font-size: 13px; }
    .checked-box summary { cursor: pointer; color: #444; }
    [hidden] { display: none !important; }`;

  function t(key, substitution) {
    const args = substitution === undefined ? undefined : [String(substitution)];
    return webext.i18n.getMessage(key, args) || key;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = String(value);
      else if (name === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(name, String(value));
    }
    node.append(...children.filter(Boolean));
    return node;
  }

  function levelOf(value) {
    return LEVELS.includes(value) ? value : "error";
  }

  // The reasons that raised the risk, strongest first.
  function topReasons(result, count = 4) {
    const signals = result && Array.isArray(result.signals) ? result.signals : [];
    return signals.filter((s) => s && Number(s.contribution) > 0)
      .sort((a, b) => Number(b.contribution) - Number(a.contribution)).slice(0, count);
  }

  function evidenceTexts(signal) {
    const seen = new Set();
    for (const e of Array.isArray(signal.evidence) ? signal.evidence : []) {
      const text = String((e && e.text) || "").trim();
      if (text && text.length <= 200) seen.add(text);
    }
    return [...seen].slice(0, 4);
  }

  function pill(level) {
    return el("button", { class: "pill", type: "button", title: t("badgeTitle"),
      "aria-label": `lurewatch: ${t(`level_${level}`)}` },
    el("span", { text: t(`level_${level}`) }),
    level === "checking" || level === "error" ? null : el("span", { class: "mark", text: "lurewatch" }));
  }

  function helpSection(help) {
    const box = el("div", {});
    box.append(el("h3", { text: t("nextTitle") }),
      el("ol", {}, ...["next_1", "next_2", "next_3", "next_4"].map((k) => el("li", { text: t(k) }))));
    const entry = help && help.entry;
    box.append(el("h3", { text: t("hotlinesTitle") }));
    if (!entry) {
      box.append(el("p", { text: t("hotlinesNone") }));
      return box;
    }
    box.append(el("p", { class: "src", text: entry.name }));
    for (const line of entry.hotlines || []) {
      const number = String(line.number || "");
      box.append(el("div", { class: "hotline" },
        el("strong", { text: `${line.name}: ` }),
        el("a", { href: `tel:${number.replace(/[^0-9+]/g, "")}`, text: number }),
        line.note ? el("span", { text: ` (${line.note})` }) : null,
        el("br"),
        el("a", { class: "src", href: line.source, target: "_blank", rel: "noopener noreferrer",
          text: `${t("source")}: ${new URL(line.source).hostname}` })));
    }
    if (entry.verify && entry.verify.length) {
      box.append(el("h3", { text: t("verifyTitle") }));
      for (const item of entry.verify) {
        box.append(el("div", { class: "hotline" },
          el("a", { href: item.url, target: "_blank", rel: "noopener noreferrer", text: item.name })));
      }
    }
    return box;
  }

  // The report form: "Report this ad" and "This looks wrong" both send POST /v1/reports.
  function reportForm(ctx, kind, where) {
    const form = el("div", { class: "form", "data-kind": kind });
    const status = el("p", { class: "status", role: "status" });
    const note = el("textarea", { maxlength: "1500" });
    let choice = null;
    form.append(el("p", { text: t(kind === "wrong" ? "wrongExplain" : "reportExplain", ctx.apiHost) }));
    if (kind === "wrong") {
      const name = `lw-wrong-${Math.random().toString(36).slice(2)}`;
      for (const key of ["wrongSafe", "wrongRisky"]) {
        const radio = el("input", { type: "radio", name, value: key });
        radio.addEventListener("change", () => { choice = key; });
        form.append(el("label", {}, radio, document.createTextNode(` ${t(key)}`)));
      }
    }
    form.append(el("label", {}, el("span", { text: t("reportReasonLabel") }), el("br"), note));
    const send = el("button", { type: "button", class: "primary", text: t("send") });
    const cancel = el("button", { type: "button", text: t("cancel") });
    const buttons = el("div", { class: "actions" }, send, cancel);
    form.append(buttons, status);
    cancel.addEventListener("click", () => form.remove());
    send.addEventListener("click", async () => {
      send.disabled = true;
      status.textContent = t("sending");
      const prefix = kind === "wrong"
        ? `looks-wrong (${choice === "wrongSafe" ? "safer" : choice === "wrongRisky" ? "riskier" : "unspecified"} than ${ctx.level})`
        : "report";
      const answer = await ctx.send({ type: "lurewatch:report", report: {
        text: ctx.reportText || ctx.text, title: ctx.title || "", url: ctx.url || "",
        reason: `${prefix}: ${note.value}`.slice(0, 2000) } }).catch(() => null);
      if (!answer || !answer.ok) {
        status.textContent = t("reportFailed");
        send.disabled = false;
        return;
      }
      form.setAttribute("data-report-id", String(answer.report.id));
      buttons.replaceChildren();
      showStatus(status, answer.report);
      const again = el("button", { type: "button", text: t("checkStatus") });
      again.addEventListener("click", async () => {
        const latest = await ctx.send({ type: "lurewatch:report-status", id: answer.report.id })
          .catch(() => null);
        if (latest && latest.ok) showStatus(status, latest.report);
        else status.textContent = t("reportFailed");
      });
      buttons.append(again);
    });
    where.replaceChildren(form);
    note.focus();
  }

  function showStatus(node, report) {
    const status = String(report.status || "received");
    node.setAttribute("data-status", status);
    node.textContent = t("reportSent", webext.i18n.getMessage(`status_${status}`) || status);
  }

  // ctx: {level, result, text, title, url, apiHost, help, send(message), marked(text) -> bool,
  //       reveal(text), onClose()}
  function panel(ctx) {
    const level = levelOf(ctx.level);
    const head = el("div", { class: "head", "data-level": level },
      el("h2", { text: t(`level_${level}`) }));
    if (ctx.onClose) {
      head.append(el("button", { class: "close", type: "button", "aria-label": t("close"),
        title: t("close"), text: "×", on: { click: ctx.onClose } }));
    }
    const body = el("div", { class: "body" });
    const summaryKey = level === "error" && ctx.error === "no-permission"
      ? "errorPermission" : `summary_${level}`;
    body.append(el("p", { class: "summary", text: t(summaryKey) }));
    const result = ctx.result;
    if (result && result.category === "employment_scam") {
      body.append(el("p", { text: t("category_employment_scam") }));
    }
    const reasons = topReasons(result);
    if (reasons.length) {
      const list = el("ul", { class: "reasons" });
      for (const signal of reasons) {
        const item = el("li", {}, el("span", { class: "reason", text: String(signal.message || "") }));
        const quotes = evidenceTexts(signal);
        if (quotes.length) item.append(el("br"));
        for (const quote of quotes) {
          const inPage = ctx.marked ? ctx.marked(quote) : false;
          item.append(inPage
            ? el("button", { type: "button", class: "quote", title: t("showInPage"),
              text: `“${quote}”`, on: { click: () => ctx.reveal(quote) } })
            : el("span", { class: "quote", text: `“${quote}”` }));
        }
        list.append(item);
      }
      body.append(el("h3", { text: t("reasonsTitle") }), list);
    }
    if (ctx.markedCount) body.append(el("p", { class: "src", text: t("evidenceMarked", ctx.markedCount) }));
    if (level !== "checking") body.append(helpSection(ctx.help));
    if (["low", "medium", "high", "insufficient"].includes(level) && ctx.text) {
      const formSpot = el("div", {});
      const actions = el("div", { class: "actions" },
        el("button", { type: "button", class: "primary report", text: t("reportButton"),
          on: { click: () => reportForm(ctx, "report", formSpot) } }),
        el("button", { type: "button", class: "wrong", text: t("wrongButton"),
          on: { click: () => reportForm(ctx, "wrong", formSpot) } }));
      body.append(actions, formSpot);
    }
    if (ctx.text) {
      body.append(el("details", { class: "checked-box" }, el("summary", { text: t("checkedText") }),
        el("div", { class: "checked", text: String(ctx.text).slice(0, 600) })));
    }
    return el("section", { class: "panel", role: "dialog", "aria-label": t(`level_${level}`) },
      head, body);
  }

  return { CSS, LEVELS, t, el, levelOf, pill, panel, topReasons, evidenceTexts };
})();
