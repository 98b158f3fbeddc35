#!/usr/bin/env python3
"""Writes chevron-down.png and chevron-down@2x.png, the drop-down arrow of the console's combo boxes
(a mid grey that reads on light and dark). Plain zlib PNG writer: no imaging library needed. The Qt SVG
plugin is not always installed, hence pixels."""
import struct
import zlib

GREY = (0x8d, 0x9d, 0xa6)


def chevron(scale):
    w, h = 10 * scale, 6 * scale
    rows = []
    for y in range(h):
        row = bytearray()
        for x in range(w):
            # distance of the pixel centre from the two strokes of a "v", 1.6 px thick at 1x
            cx, cy = (x + 0.5) / scale, (y + 0.5) / scale
            d = min(abs((cy - 0.8) - (cx - 0.8) * 0.92), abs((cy - 0.8) - (9.2 - cx) * 0.92)) if cy <= 5.6 else 9
            alpha = max(0.0, min(1.0, (1.1 - d) / 0.6))
            row += bytes(GREY) + bytes([int(alpha * 255)])
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


for scale, name in ((1, "chevron-down.png"), (2, "chevron-down@2x.png")):
    with open(name, "wb") as f:
        f.write(chevron(scale))
