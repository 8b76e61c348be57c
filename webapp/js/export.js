// The "Download: Markdown · JSON" links of the chat bar. The server builds the file from
// the conversation's current thread when it is asked, so the links only need the id.
import { apiUrl } from './api.js';

export function showExport(conversationId) {
  const nav = document.getElementById('export');
  if (!nav || !conversationId) return;
  const base = `api/conversations/${encodeURIComponent(conversationId)}/`;
  document.getElementById('export-md').href = apiUrl(`${base}export.md`);
  document.getElementById('export-json').href = apiUrl(`${base}export.json`);
  nav.hidden = false;
}
