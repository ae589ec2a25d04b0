import { html } from 'htm/preact';
import { isInAppClick, navigate } from '../app/navigation.js';

/** A link to another view, followed without reloading the page (and opened in a tab as usual with a modifier). */
export function AppLink({ href, children, class: className, title }: { href: string; children: unknown; class?: string; title?: string }) {
  const onClick = (event: MouseEvent) => {
    if (!isInAppClick(event)) return;
    event.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} class=${className} title=${title} onClick=${onClick}>${children}</a>`;
}
