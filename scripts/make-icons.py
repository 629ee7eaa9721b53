"""Draw the application icon (resources/icons/assessor.svg geometry) as PNG, ICO and ICNS files.

Usage: .venv/bin/python scripts/make-icons.py   (Pillow only; the files are committed, so a build
never needs this script; run it again after changing the design.)
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, WHITE = (0x1F, 0x4E, 0x79, 255), (255, 255, 255, 255)
SS = 8   # supersampling factor: draw at 256 * 8, then downscale


def draw(size: int = 256) -> Image.Image:
    k = SS * 256 / 256
    s = lambda v: round(v * k)  # noqa: E731 - SVG units (0..256) to pixels
    img = Image.new("RGBA", (s(256), s(256)), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([s(8), s(8), s(248), s(248)], radius=s(52), fill=BLUE)
    # the board: a 16-unit white outline centred on the SVG rectangle's edge
    d.rounded_rectangle([s(54), s(50), s(202), s(226)], radius=s(24), fill=WHITE)
    d.rounded_rectangle([s(70), s(66), s(186), s(210)], radius=s(8), fill=BLUE)
    d.rounded_rectangle([s(96), s(38), s(160), s(76)], radius=s(12), fill=WHITE)
    pts = [(s(92), s(142)), (s(119), s(169)), (s(166), s(114))]
    d.line(pts, fill=WHITE, width=s(20), joint="curve")
    for x, y in (pts[0], pts[-1]):
        r = s(10)
        d.ellipse([x - r, y - r, x + r, y + r], fill=WHITE)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    for size in SIZES:
        draw(size).save(ICONS / f"assessor-{size}.png", optimize=True)
    big.save(ICONS / "assessor.png", optimize=True)
    big.save(ICONS / "assessor.ico", sizes=[(n, n) for n in SIZES if n <= 256])   # Windows
    draw(512).save(ICONS / "assessor.icns")                                        # macOS
    print(f"wrote {len(SIZES)} PNG sizes, assessor.png, assessor.ico, assessor.icns in {ICONS}")


if __name__ == "__main__":
    main()
