// lurewatch options page: the API address (webext.storage.sync "apiBase"), automatic checks on or
// off ("autoCheck") and the country whose help lines are shown ("country").
"use strict";

// Firefox's promise-based namespace is `browser`; Chromium's `chrome` returns promises in MV3.
const webext = globalThis.browser ?? globalThis.chrome;

const DEFAULTS = { apiBase: "http://127.0.0.1:8000", autoCheck: true, country: "" };
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const $ = (id) => document.getElementById(id);
const say = (key) => { $("status").textContent = webext.i18n.getMessage(key) || key; };

for (const node of document.querySelectorAll("[data-i18n]")) {
  const message = webext.i18n.getMessage(node.getAttribute("data-i18n"));
  if (message) node.textContent = message;
}
document.documentElement.lang = webext.i18n.getUILanguage();

async function load() {
  const [stored, list] = await Promise.all([
    webext.storage.sync.get(DEFAULTS),
    fetch(webext.runtime.getURL("hotlines.json")).then((r) => r.json()),
  ]);
  const select = $("country");
  const entries = Object.entries(list.countries).sort((a, b) => a[1].name.localeCompare(b[1].name));
  for (const [code, entry] of entries) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = entry.name;
    select.append(option);
  }
  $("apiBase").value = stored.apiBase;
  $("autoCheck").checked = stored.autoCheck !== false;
  select.value = stored.country || "";
}

// Any address other than this computer needs the user's permission, asked for here (a click).
async function save() {
  let url;
  try {
    url = new URL($("apiBase").value.trim());
  } catch (_error) {
    say("optionsBadAddress");
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    say("optionsBadAddress");
    return;
  }
  if (!LOOPBACK.has(url.hostname)) {
    const origins = [`${url.origin}/*`];
    // First await of the click handler: Firefox only asks while the click is still "live".
    const granted = await webext.permissions.request({ origins }).catch(() => false);
    if (!granted) {
      say("optionsDenied");
      return;
    }
  }
  await webext.storage.sync.set({
    apiBase: url.origin, autoCheck: $("autoCheck").checked, country: $("country").value,
  });
  say("optionsSaved");
}

$("save").addEventListener("click", save);
load();
