// Who is signed in at this desk (common/credentials.js), and the status the
// agent last chose here: hello does not say it (docs/consoles.md).
import { createCredentials as signInKept } from '../common/credentials.js';

export function createCredentials(storage = window.sessionStorage) {
  const credentials = signInKept('baton.desk', storage);
  return Object.defineProperty(credentials, 'status', {
    get: () => credentials.recall('status'),
    set: (status) => credentials.remember('status', status),
  });
}
