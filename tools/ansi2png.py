#!/usr/bin/python3
"""Renders a terminal capture with colours (`tmux capture-pane -e -p`) to a
PNG, cell by cell in DejaVu Sans Mono, for the README's screenshot
(tools/editor-screenshot). Needs Debian's python3-pil and fonts-dejavu-core.

usage: ansi2png.py CAPTURE.ansi OUT.png
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 15
FG, BG = (0xd0, 0xd0, 0xd0), (0x1c, 0x1c, 0x1c)
# xterm's 16 colours
BASIC = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
         (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
         (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
         (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]


def xterm256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    v = 8 + 10 * (n - 232)
    return v, v, v


def sgr(params, st):
    """Applies one SGR sequence's parameters to the state dict."""
    ps = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            st.update(fg=None, bg=None, bold=False, reverse=False, underline=False)
        elif p == 1:
            st["bold"] = True
        elif p == 22:
            st["bold"] = False
        elif p == 4:
            st["underline"] = True
        elif p == 24:
            st["underline"] = False
        elif p == 7:
            st["reverse"] = True
        elif p == 27:
            st["reverse"] = False
        elif 30 <= p <= 37:
            st["fg"] = BASIC[p - 30]
        elif 90 <= p <= 97:
            st["fg"] = BASIC[p - 90 + 8]
        elif 40 <= p <= 47:
            st["bg"] = BASIC[p - 40]
        elif 100 <= p <= 107:
            st["bg"] = BASIC[p - 100 + 8]
        elif p in (38, 48) and i + 1 < len(ps):
            key = "fg" if p == 38 else "bg"
            if ps[i + 1] == 5 and i + 2 < len(ps):
                st[key] = xterm256(ps[i + 2])
                i += 2
            elif ps[i + 1] == 2 and i + 4 < len(ps):
                st[key] = tuple(ps[i + 2:i + 5])
                i += 4
        elif p == 39:
            st["fg"] = None
        elif p == 49:
            st["bg"] = None
        i += 1


def cells(text):
    """Yields rows of (char, state) from the capture."""
    st = dict(fg=None, bg=None, bold=False, reverse=False, underline=False)
    for line in text.split("\n"):
        row = []
        for m in re.finditer(r"\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[A-Za-z]|(.)", line):
            if m.group(2) is not None:
                row.append((m.group(2), dict(st)))
            elif m.group(0).endswith("m"):
                sgr(m.group(1), st)
        yield row


def main():
    text = open(sys.argv[1], encoding="utf-8", errors="replace").read().rstrip("\n")
    rows = list(cells(text))
    font, bold = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(BOLD, SIZE)
    cw = round(font.getlength("M"))
    ch = SIZE + 5
    width = max(len(r) for r in rows) * cw + 16
    img = Image.new("RGB", (width, len(rows) * ch + 16), BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        for x, (c, st) in enumerate(row):
            fg, bg = st["fg"] or FG, st["bg"] or BG
            if st["reverse"]:
                fg, bg = bg, fg
            px, py = 8 + x * cw, 8 + y * ch
            if bg != BG:
                draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c != " ":
                draw.text((px, py + 2), c, font=bold if st["bold"] else font, fill=fg)
            if st["underline"]:
                draw.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=fg)
    img.save(sys.argv[2], optimize=True)


if __name__ == "__main__":
    main()
