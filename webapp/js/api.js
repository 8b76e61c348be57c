// The page's JSON calls: URLs under the context path, the CSRF header on every write,
// and the server's {"error":{"code","message"}} turned into an HttpError.
import { postJson, httpErrorFrom } from './stream.js';

// data-base is the context path ("/" or "/app/"), so URLs work under any context.
const base = new URL(document.body.dataset.base || '/', document.baseURI);

export const apiUrl = (path) => new URL(path, base);

export const csrfHeaders = () => ({
  'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '',
});

/** GET a JSON resource of ours. */
export async function getJson(path, { signal } = {}) {
  const response = await fetch(apiUrl(path), {
    headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', signal,
  });
  if (!response.ok) throw await httpErrorFrom(response);
  return response.json();
}

/** POST JSON with the CSRF header; resolves to the JSON answer, or null for 204. */
export async function postAction(path, body = {}) {
  const response = await postJson(apiUrl(path), body, { headers: csrfHeaders() });
  if (!response.ok) throw await httpErrorFrom(response);
  return response.status === 204 ? null : response.json();
}

/** Shown to screen readers (and visible nowhere else): "Copied", "Conversation deleted". */
export function announce(text) {
  let region = document.getElementById('status');
  if (!region) {
    region = document.createElement('p');
    region.id = 'status';
    region.className = 'visually-hidden';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  region.textContent = '';
  // A fresh text node after a pause is announced even when the words repeat.
  setTimeout(() => { region.textContent = text; }, 50);
}
