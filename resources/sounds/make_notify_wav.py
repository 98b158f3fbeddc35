#!/usr/bin/env python3
"""Writes notify.wav, the console's notification sound: a soft two-note chime (E6 then A6, 0.42 s,
44.1 kHz 16-bit mono) with a quick attack and an exponential decay so that it does not click.
Run it again (python3 make_notify_wav.py) to regenerate the file; no other input is needed."""
import math
import struct
import wave

RATE = 44100
NOTES = [(1318.5, 0.00, 0.30), (1760.0, 0.12, 0.30)]  # (frequency Hz, start s, length s)
LENGTH = 0.42
VOLUME = 0.35

samples = [0.0] * int(RATE * LENGTH)
for freq, start, length in NOTES:
    first = int(start * RATE)
    for i in range(int(length * RATE)):
        t = i / RATE
        attack = min(1.0, t / 0.005)
        decay = math.exp(-t * 9.0)
        # a touch of the octave makes it a chime rather than a beep
        tone = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
        if first + i < len(samples):
            samples[first + i] += tone * attack * decay
peak = max(abs(s) for s in samples)
with wave.open("notify.wav", "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(RATE)
    out.writeframes(b"".join(struct.pack("<h", int(s / peak * VOLUME * 32767)) for s in samples))
