/**
 * Building the pane's elements. Text from the workbook (titles, measures, findings) only ever reaches the page as
 * text nodes, never as markup.
 */
import { notifyError } from '../ui/notify';

/** Attributes and text of a new element. `text` and string children become text nodes. */
export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string | boolean | undefined>>;
}

/** Returns a new `tag` element with the given class, attributes, text and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: ReadonlyArray<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  if (props.text !== undefined) node.textContent = props.text;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Replaces the children of `node` with `children` (strings become text nodes). Edge Legacy, which Office 2019 uses
 * for its web views, has no `replaceChildren`.
 */
export function replaceContent(node: Node, ...children: ReadonlyArray<Node | string>): void {
  while (node.firstChild) node.removeChild(node.firstChild);
  for (const child of children) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
}

/** Returns the first element inside `root` whose `data-focus-key` is `key` (no CSS.escape in Edge Legacy). */
export function findByFocusKey(root: ParentNode, key: string): HTMLElement | null {
  for (const node of Array.from(root.querySelectorAll<HTMLElement>('[data-focus-key]'))) if (node.dataset.focusKey === key) return node;
  return null;
}

/** Returns the element with id `id`, typed; throws when the page lacks it (a broken build, not a user error). */
export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`The page has no <${type.name}> #${id}`);
  return node;
}

/** Text hidden from sight but read by screen readers. */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', { className: 'sr-only', text });
}

/** Runs `action` on each `type` event of `target`; whatever it throws is shown with notifyError, never left unhandled. */
export function listen<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  action: (event: HTMLElementEventMap[K]) => Promise<void> | void,
): void {
  target.addEventListener(type, (event) => {
    Promise.resolve()
      .then(() => action(event))
      .catch((error: unknown) => notifyError(error));
  });
}

/**
 * Runs `action` when `form` is submitted. The browser's own submission is cancelled at once, in the event itself
 * (after an `await` it would be too late); what `action` throws is shown with notifyError.
 */
export function onSubmit(form: HTMLFormElement, action: (event: SubmitEvent) => Promise<void> | void): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    Promise.resolve()
      .then(() => action(event))
      .catch((error: unknown) => notifyError(error));
  });
}
