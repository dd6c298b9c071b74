/**
 * The server prints `http://…/#token=…` once. The token travels in the fragment (never sent to the
 * server in the URL, never in logs), is kept for this tab only, and is removed from the address bar.
 */
const KEY = 'barflow.token';

export function captureToken(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match !== null) {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]!));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(value: string): void {
  sessionStorage.setItem(KEY, value);
}
