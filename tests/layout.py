"""Finding what runs off the page: elements wider than their container or the viewport.

Used by the browser tests at the widths people's screens have. An element may only be wider
than its box inside a container that scrolls sideways on purpose (``data-scroll="x"``, e.g. a
wide table on a tablet); any other container that scrolls sideways, and any element ending
past its container's or the window's right edge, is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIDTHS = (1024, 1280, 1440, 1920, 2560)
"""A tablet, the common laptop and desktop widths, and a large monitor."""

_FIND = """
() => {
  const found = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth > width + 1) {
    found.push(`the page is ${root.scrollWidth}px wide in a ${width}px window`);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const declared = (el) => el.closest('[data-scroll="x"]') !== null;
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (style.position === 'fixed' || style.position === 'absolute') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1 && !declared(el)) {
      found.push(`${name(el)} scrolls sideways: ${el.scrollWidth}px of content`
        + ` in ${el.clientWidth}px`);
    }
    let inside = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a)) { inside = true; break; }
    }
    if (!inside && box.right > width + 1) {
      found.push(`${name(el)} ends at ${Math.round(box.right)}px, past the ${width}px window`);
    }
    const parent = el.parentElement;
    if (!parent || parent === document.body || scrolls(parent)) continue;
    const outer = parent.getBoundingClientRect();
    const edge = outer.right - parseFloat(getComputedStyle(parent).borderRightWidth);
    if (box.right > edge + 1) {
      const past = Math.round(box.right - edge);
      found.push(`${name(el)} (${Math.round(box.width)}px) runs ${past}px past ${name(parent)}`);
    }
  }
  return [...new Set(found)];
}
"""


def overflows(page: Page) -> list[str]:
    """What runs off its container or the window on the page as shown now."""
    found: list[str] = page.evaluate(_FIND)
    return found
