#pragma once
// A piece of message text laid out once (wrapped to a width, or cut with "…" to one line) with its emoji in
// the colour emoji font, and then drawn as often as needed from its glyph runs, without shaping it again.
// That matters for emoji: measuring a glyph of Noto Color Emoji makes FreeType decode its PNG, about 0.1 ms
// per emoji on every layout, and Qt 6.4 does not keep the result. Drawn glyph runs come from the glyph cache.
//
// Lines are stacked as QPainter::drawText(rect, Qt::TextWordWrap, …) stacks them (leading between lines, whole
// pixels), so a text measured here and a text measured with QFontMetrics::boundingRect are alike.

#include <QFont>
#include <QGlyphRun>
#include <QList>
#include <QTextLayout>

class QPainter;

namespace atende::app::console {

class EmojiFont;

class TextBlock {
public:
    // `formats` (EmojiFont::formats) applied; wrapped at word boundaries to `width` (a longer word overflows,
    // as with drawText); at most `maxLines` lines when > 0; lines centred on the widest when `centred`.
    static TextBlock wrapped(const QString &text, const QFont &font, const QList<QTextLayout::FormatRange> &formats,
                             int width, bool centred = false, int maxLines = 0);
    // One line no wider than `width`, cut at a grapheme boundary and ended with "…" when the text is wider.
    static TextBlock elided(const QString &text, const QFont &font, const EmojiFont &emoji, int width);

    bool isEmpty() const { return m_lines == 0; }
    QSize size() const { return m_size; }
    int lineCount() const { return m_lines; }
    QString text() const { return m_text; } // as shown (elided)
    const QList<QGlyphRun> &glyphRuns() const { return m_runs; }
    // With the painter's pen for the text; colour glyphs keep their colours.
    void draw(QPainter *painter, const QPointF &topLeft) const;

private:
    QList<QGlyphRun> m_runs;
    QString m_text;
    QSize m_size;
    int m_lines = 0;
};

} // namespace atende::app::console
