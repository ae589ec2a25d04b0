/**
 * Moving between views without reloading the page: `navigate` pushes the URL and tells the app,
 * the browser's back and forward do the same through `popstate`.
 */

const CHANGE_EVENT = 'lookout:navigate';

export function navigate(url: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE_EVENT));
  if (!replace) window.scrollTo(0, 0);
}

/** Calls `listener` whenever the URL changes; returns how to stop. */
export function onNavigation(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(CHANGE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(CHANGE_EVENT, listener);
  };
}

/** A click on a link the app handles itself: a plain left click, no modifier (those open tabs). */
export function isInAppClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;
}
