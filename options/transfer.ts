// Export (a JSON file to download) and import (the background checks the file with
// parseSettingsFile: a bad file changes nothing and its problems are listed here).
import { MAX_IMPORT_BYTES } from '../src/shared/settings';
import { call, UiError } from '../src/ui/api';
import { t } from '../src/ui/i18n';
import { el } from '../src/ui/dom';
import { errorText, problemItem, status } from './dom';

function result(text: string, problems: { key: string; problem: string }[] = [], error = false): void {
  const box = el('import-result');
  box.classList.toggle('error', error);
  const p = Object.assign(document.createElement('p'), { textContent: text });
  const list = document.createElement('ul');
  list.append(...problems.map(problemItem));
  box.replaceChildren(p, ...(problems.length ? [list] : []));
}

async function exportFile(): Promise<void> {
  try {
    const { file } = await call({ ui: 'export' });
    const url = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `iceguard-settings-${new Date().toISOString().slice(0, 10)}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    // Firefox reads the Blob after click() returns; give the download time to start.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status(t('optionsExported'));
  } catch (e) {
    status(t('optionsExportFailed', [errorText(e)]), true);
  }
}

async function importFile(file: File, refresh: () => Promise<void>): Promise<void> {
  if (file.size > MAX_IMPORT_BYTES) {
    result(t('optionsImportRefused', [file.name]), [{ key: 'file', problem: `is larger than ${MAX_IMPORT_BYTES / 1e6} MB` }], true);
    return;
  }
  try {
    await call({ ui: 'import', text: await file.text() });
    result(t('optionsImported', [file.name]));
    status(t('optionsSaved'));
  } catch (e) {
    const problems = e instanceof UiError ? e.problems : [];
    result(t('optionsImportRefused', [file.name]), problems.length ? problems : [{ key: 'file', problem: errorText(e) }], true);
  }
  await refresh();
}

export function setUpTransfer(refresh: () => Promise<void>): void {
  el('export').addEventListener('click', () => void exportFile());
  const input = el<HTMLInputElement>('import-file');
  el('import').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = ''; // the same file can be chosen again
    if (file) void importFile(file, refresh);
  });
}
