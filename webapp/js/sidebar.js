// The history sidebar: the visitor's conversations, newest first; search by title and
// text; rename and delete (each in a modal dialog that keeps focus and returns it).
import { announce, apiUrl, getJson, postAction } from './api.js';
import { element } from './view.js';

const SEARCH_DELAY_MS = 200;

export class Sidebar {
  /** @param {{currentId: () => string|null, onDeletedCurrent: () => void, onRenamed: (id: string, title: string) => void}} hooks */
  constructor(hooks) {
    this.hooks = hooks;
    this.shell = document.getElementById('shell');
    this.list = document.getElementById('history');
    this.empty = document.getElementById('history-empty');
    this.search = document.getElementById('search');
    this.toggle = document.getElementById('sidebar-toggle');
    this.renameDialog = document.getElementById('rename-dialog');
    this.deleteDialog = document.getElementById('delete-dialog');
    this.query = '';
    this.searchTimer = 0;
    this.searchAbort = null;
    this.wire();
  }

  wire() {
    this.toggle.addEventListener('click', () => this.setOpen(this.shell.dataset.sidebar !== 'open'));
    document.getElementById('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.refresh();
    });
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.refresh(), SEARCH_DELAY_MS);
    });
    this.list.addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest('button') : null;
      const item = b?.closest('.history-item');
      if (!item) return;
      if (b.classList.contains('rename')) this.rename(item, b);
      if (b.classList.contains('delete')) this.remove(item, b);
    });
  }

  setOpen(open) {
    this.shell.dataset.sidebar = open ? 'open' : 'closed';
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.search.focus();
  }

  /** Reloads the list (or the search results) from the server. */
  async refresh() {
    this.query = this.search.value.trim();
    this.searchAbort?.abort();
    this.searchAbort = new AbortController();
    const path = this.query ? `api/conversations?q=${encodeURIComponent(this.query)}` : 'api/conversations';
    try {
      const { conversations } = await getJson(path, { signal: this.searchAbort.signal });
      this.render(conversations);
    } catch (error) {
      if (error?.name !== 'AbortError') console.warn('could not load the conversation list', error);
    }
  }

  render(conversations) {
    const current = this.hooks.currentId();
    this.list.replaceChildren(...conversations.map((c) => this.item(c, c.id === current)));
    this.empty.textContent = this.query ? 'No conversation matches.' : 'No conversations yet.';
    this.empty.hidden = conversations.length > 0;
    this.list.dataset.query = this.query;
  }

  /** Same structure as the list chat.html renders. */
  item({ id, title }, current) {
    const li = element('li', 'history-item');
    li.dataset.id = id;
    if (current) li.setAttribute('aria-current', 'page');
    const link = element('a', 'history-link', title);
    link.href = apiUrl(`c/${encodeURIComponent(id)}`);
    const rename = element('button', 'icon-button rename', 'Rename');
    const del = element('button', 'icon-button delete', 'Delete');
    for (const [b, verb] of [[rename, 'Rename'], [del, 'Delete']]) {
      b.type = 'button';
      b.setAttribute('aria-label', `${verb}: ${title}`);
    }
    li.append(link, rename, del);
    return li;
  }

  titleOf(item) {
    return item.querySelector('.history-link')?.textContent ?? '';
  }

  rename(item, opener) {
    const input = this.renameDialog.querySelector('input');
    input.value = this.titleOf(item);
    this.ask(this.renameDialog, opener, 'save', async () => {
      const { title } = await postAction(`api/conversations/${item.dataset.id}/rename`, { title: input.value });
      this.hooks.onRenamed(item.dataset.id, title);
      announce(`Renamed to ${title}`);
      await this.refresh();
    });
    input.select();
  }

  remove(item, opener) {
    this.deleteDialog.querySelector('.delete-title').textContent = this.titleOf(item);
    this.ask(this.deleteDialog, opener, 'delete', async () => {
      await postAction(`api/conversations/${item.dataset.id}/delete`, {});
      announce('Conversation deleted');
      if (item.dataset.id === this.hooks.currentId()) {
        this.hooks.onDeletedCurrent();
        return;
      }
      await this.refresh();
      this.search.focus();
    });
  }

  /**
   * Opens a modal dialog; `action` runs when it closes with `confirmValue`. A failure keeps the dialog open with
   * the reason. Focus returns to the button that opened it.
   */
  ask(dialog, opener, confirmValue, action) {
    const error = dialog.querySelector('.dialog-error');
    error.hidden = true;
    const form = dialog.querySelector('form');
    const cancel = dialog.querySelector('.cancel');
    const onCancel = () => dialog.close('cancel');
    const onSubmit = async (event) => {
      event.preventDefault();
      if (event.submitter?.value !== confirmValue) return;
      try {
        await action();
        dialog.close();
      } catch (e) {
        error.textContent = e?.message || 'That did not work. Please try again.';
        error.hidden = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      if (opener.isConnected) opener.focus();
      else this.search.focus();
    }, { once: true });
    dialog.showModal();
  }
}
