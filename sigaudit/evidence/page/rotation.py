"""Page 1 as it is displayed when its ``/Rotate`` turns it.

PDFium gives every character's position in the page's own space.  A page stored sideways
and turned upright by ``/Rotate`` (a landscape scan, a page rotated in a viewer and saved)
reads, in that space, as columns instead of rows.  ``turn`` maps a point of the page's
space to the displayed page (origin at its lower left, y up), so that the layout sees the
rows a person sees.  ISO 32000-1 §7.7.3.3: ``/Rotate`` is the number of degrees the page is
turned clockwise when displayed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def turn(page: Any) -> Callable[[float, float], tuple[float, float]] | None:
    """The mapping from the page's space to the displayed page, None where the page is not
    turned (positions are then used as they are)."""
    try:
        rotation = int(page.get_rotation()) % 360
        if rotation == 0:
            return None
        x0, y0, x1, y1 = page.get_cropbox()
    except Exception:
        return None
    if rotation == 90:  # the page's left edge is displayed at the top
        return lambda x, y: (y - y0, x1 - x)
    if rotation == 180:
        return lambda x, y: (x1 - x, y1 - y)
    if rotation == 270:  # the page's left edge is displayed at the bottom
        return lambda x, y: (y1 - y, x - x0)
    return None


def turned_box(
    turned: Callable[[float, float], tuple[float, float]], box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """A rectangle (left, bottom, right, top) of the page's space on the displayed page."""
    (ax, ay), (bx, by) = turned(box[0], box[1]), turned(box[2], box[3])
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def turned_calls(origin: Any, box: Any, turned: Any, x: Any, y: Any, rect: Any) -> tuple[Any, Any]:
    """PDFium's position calls, their answers (written into ``x``, ``y``, ``rect``) mapped
    onto the displayed page."""

    def turned_origin(*args: Any) -> Any:
        done = origin(*args)
        x.value, y.value = turned(x.value, y.value)
        return done

    def turned_box_call(*args: Any) -> Any:
        done = box(*args)
        rect.left, rect.bottom, rect.right, rect.top = turned_box(
            turned, (rect.left, rect.bottom, rect.right, rect.top)
        )
        return done

    return turned_origin, turned_box_call


def upright_when_turned(page: Any, textpage: Any, count: int) -> bool:
    """Whether the page's text stands upright as the page is displayed: the angle its
    characters are drawn at (counter-clockwise, in the page's own space; the most common over
    up to 300 characters) undoes the ``/Rotate`` turn (clockwise).  A page stored sideways or
    upside down and turned upright is then read as displayed; text that the turn displays
    sideways or upside down is read in the page's own space, as a person turns the page back
    to read it."""
    import math

    from pypdfium2 import raw

    angles: dict[int, int] = {}
    for i in range(min(count, 300)):
        angle = round(math.degrees(raw.FPDFText_GetCharAngle(textpage, i)) / 90) % 4
        angles[angle] = angles.get(angle, 0) + 1
    if not angles:
        return False
    drawn = max(angles, key=lambda a: angles[a]) * 90
    return (drawn + int(page.get_rotation())) % 360 == 0
