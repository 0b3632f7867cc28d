/**
 * Building DOM from code without ever parsing user text as HTML: every string reaches the
 * page as a text node or an attribute value (scenario names, node ids, messages and explain's
 * text can all hold `<`), never through innerHTML.
 */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replace all of `parent`'s children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  while (parent.firstChild !== null) parent.removeChild(parent.firstChild);
  append(parent, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/**
 * Widths read in one go before a frame writes anything: reading a width after a write makes
 * the browser lay the page out again, once per canvas, which at a round per frame was most
 * of a frame's time on a big cluster.
 */
let measured = new Map<HTMLCanvasElement, number>();

function widthOf(canvas: HTMLCanvasElement): number {
  return Math.max(50, canvas.clientWidth || canvas.parentElement?.clientWidth || 300);
}

export function measureCanvases(canvases: Iterable<HTMLCanvasElement>): void {
  measured = new Map();
  for (const canvas of canvases) measured.set(canvas, widthOf(canvas));
}

/**
 * The canvas's 2-D context sized to its CSS box times the device's pixel ratio (sharp on a
 * projector's scaling), drawing in CSS pixels. Height is the given one; width follows the
 * layout (as measured by measureCanvases this frame, when it was).
 */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  height: number,
  clear = true,
): { ctx: CanvasRenderingContext2D; width: number; height: number; resized: boolean } {
  const ratio = window.devicePixelRatio || 1;
  const width = measured.get(canvas) ?? widthOf(canvas);
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  // setting a canvas's size clears it, even to the same size: only when it changed
  const resized = canvas.width !== pixelWidth || canvas.height !== pixelHeight;
  if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
  if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
  const cssHeight = `${height}px`;
  if (canvas.style.height !== cssHeight) canvas.style.height = cssHeight;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  if (clear) ctx.clearRect(0, 0, width, height);
  return { ctx, width, height, resized };
}

/** A mouse event's position in the canvas's CSS pixels. */
export function pointerIn(canvas: HTMLCanvasElement, event: MouseEvent): { x: number; y: number } {
  const box = canvas.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}
