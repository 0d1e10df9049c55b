"""Draw GiantDesk's application icon: ``giantdesk.ico`` (16–256 px) and ``giantdesk.png`` (256 px).

A blue rounded square, a white form sheet with a folded corner and three lines of text, and a
gold badge with a check mark: "a declaration, checked". Every size is drawn on its own (at 8×,
then reduced), and the small sizes leave out the detail that would only blur: the text lines
below 32 px, the folded corner below 24 px.

Run from the repository root after changing the drawing (the outputs are committed):
``.venv/bin/python resources/icons/make_icon.py``. Needs Pillow (installed with reportlab).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
SCALE = 8  # supersampling factor

BLUE_TOP, BLUE_BOTTOM = (44, 104, 214), (22, 60, 150)
SHEET, FOLD, LINE = (255, 255, 255), (196, 212, 240), (150, 170, 205)
GOLD, GOLD_EDGE, CHECK = (245, 176, 30), (196, 128, 10), (255, 255, 255)


def _gradient(size: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / max(size - 1, 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom,
                                                                                strict=True)))
    return column.resize((size, size))


def draw(px: int) -> Image.Image:
    """The icon at ``px`` × ``px`` pixels (RGBA)."""
    n = px * SCALE

    def u(value: float) -> int:  # units of a 256-grid → supersampled pixels
        return round(value * n / 256)

    image = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    # The tile: rounded square with a vertical blue gradient (a small margin only from 32 px).
    margin = u(8) if px >= 32 else 0
    mask = Image.new("L", (n, n), 0)
    ImageDraw.Draw(mask).rounded_rectangle((margin, margin, n - 1 - margin, n - 1 - margin),
                                           radius=u(48), fill=255)
    image.paste(_gradient(n, BLUE_TOP, BLUE_BOTTOM), (0, 0), mask)

    d = ImageDraw.Draw(image)
    # The sheet, with its top-right corner folded over from 24 px on.
    left, top, right, bottom = u(62), u(40), u(176), u(206)
    fold = u(40) if px >= 24 else 0
    d.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom),
               (left, bottom)], fill=SHEET)
    if fold:
        d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)],
                  fill=FOLD)
    if px >= 32:  # three lines of "text"
        for i, width in enumerate((80, 92, 56)):
            y = u(92 + i * 30)
            d.rounded_rectangle((u(80), y, u(80 + width), y + u(12)), radius=u(6), fill=LINE)
    # The badge: a gold disc with a white check, over the sheet's lower right corner.
    cx, cy, r = u(176), u(180), u(56 if px >= 32 else 64)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GOLD, outline=GOLD_EDGE,
              width=max(u(6), SCALE))
    stroke = max(u(16 if px >= 32 else 22), SCALE * 2)
    d.line([(cx - r * 0.48, cy + r * 0.02), (cx - r * 0.12, cy + r * 0.38),
            (cx + r * 0.5, cy - r * 0.34)], fill=CHECK, width=stroke, joint="curve")
    return image.resize((px, px), Image.Resampling.LANCZOS)


def main() -> None:
    images = [draw(px) for px in SIZES]
    largest = images[-1]
    largest.save(HERE / "giantdesk.png", optimize=True)
    # BMP frames: read by every Windows version, by makensis and by PyInstaller alike.
    largest.save(HERE / "giantdesk.ico", sizes=[(px, px) for px in SIZES],
                 append_images=images[:-1], bitmap_format="bmp")
    print(f"wrote {HERE / 'giantdesk.ico'} ({', '.join(map(str, SIZES))} px) and giantdesk.png")


if __name__ == "__main__":
    main()
