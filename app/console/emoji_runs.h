#pragma once
// Where the emoji are in a piece of text, so that they can be drawn in the colour emoji font: the app font
// (DejaVu Sans on Linux) has monochrome glyphs for many emoji (😀, ❤, ☺…), and Qt only falls back to another
// font for characters the first one lacks.
//
// An emoji is a sequence in the sense of Unicode's emoji spec (UTS #51, Unicode 15 properties): a pictograph
// with its presentation selector (U+FE0F) and skin tone (U+1F3FB–1F3FF), joined to more by U+200D (ZWJ:
// families, "❤️‍🔥"), a pair of regional indicators (a flag), a keycap ("1️⃣") or a tag sequence (🏴 of
// England). Pictographs that are text by default (❤ U+2764, ☺ U+263A, © …) are emoji only when U+FE0F or a
// skin tone follows them, as on phones; U+FE0E asks for text and gets it. Pictographs outside the BMP are
// emoji by default (WhatsApp draws them so). Text without any UTF-16 unit from U+203C up (Latin with accents,
// Arabic, Hebrew…) is ruled out after one pass over its units.

#include <QList>
#include <QStringView>

namespace atende::app::console {

// [start, start + length) in UTF-16 units.
struct EmojiRun {
    qsizetype start = 0;
    qsizetype length = 0;
    bool operator==(const EmojiRun &) const = default;
};

// The emoji of `text` in order; adjacent sequences are one run ("😀😀" is one), so a format per run stays cheap.
QList<EmojiRun> emojiRuns(QStringView text);

} // namespace atende::app::console
