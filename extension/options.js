// lurewatch options page: the API base URL, kept in chrome.storage.sync under "apiBase".
"use strict";

const DEFAULT_API_BASE = "http://127.0.0.1:8000";

for (const node of document.querySelectorAll("[data-i18n]")) {
  const message = chrome.i18n.getMessage(node.getAttribute("data-i18n"));
  if (message) node.textContent = message;
}

const input = document.getElementById("apiBase");
const status = document.getElementById("status");

chrome.storage.sync.get({ apiBase: DEFAULT_API_BASE }).then((stored) => {
  input.value = stored.apiBase;
});

document.getElementById("save").addEventListener("click", async () => {
  let url;
  try {
    url = new URL(input.value.trim());
  } catch (_error) {
    status.textContent = "Not a valid address.";
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    status.textContent = "The address must start with http:// or https://";
    return;
  }
  await chrome.storage.sync.set({ apiBase: url.origin });
  status.textContent = chrome.i18n.getMessage("optionsSaved") || "Saved.";
});
