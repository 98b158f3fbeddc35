#include "app/console/text_block.h"

#include "app/console/emoji_font.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QTextBoundaryFinder>
#include <cmath>

namespace atende::app::console {

namespace {

struct Extent {
    qreal width = 0;
    qreal height = 0;
    int lines = 0;
};

// Lines stacked as qt_format_text (behind QPainter::drawText) stacks them: the font's leading between lines,
// each line on a whole pixel.
Extent layOut(QTextLayout &layout, qreal width, bool wrap, int maxLines)
{
    QTextOption option(Qt::AlignLeft);
    option.setWrapMode(wrap ? QTextOption::WordWrap : QTextOption::NoWrap);
    option.setTextDirection(QGuiApplication::layoutDirection());
    layout.setTextOption(option);
    const qreal leading = QFontMetricsF(layout.font()).leading();
    Extent e;
    qreal y = -leading;
    layout.beginLayout();
    while (maxLines <= 0 || e.lines < maxLines) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        y = std::ceil(y + leading);
        line.setPosition(QPointF(0, y));
        y += line.height();
        e.width = std::max(e.width, line.naturalTextWidth());
        ++e.lines;
    }
    layout.endLayout();
    e.height = std::max<qreal>(0, y);
    return e;
}

} // namespace

TextBlock TextBlock::wrapped(const QString &text, const QFont &font, const QList<QTextLayout::FormatRange> &formats,
                             int width, bool centred, int maxLines)
{
    TextBlock b;
    b.m_text = text;
    QString shown = text;
    shown.replace(QLatin1Char('\n'), QChar::LineSeparator); // one unit for another: the formats still fit
    QTextLayout layout(shown, font);
    layout.setFormats(formats);
    const Extent e = layOut(layout, width, true, maxLines);
    if (centred)
        for (int i = 0; i < layout.lineCount(); ++i) {
            QTextLine line = layout.lineAt(i);
            line.setPosition(QPointF((e.width - line.naturalTextWidth()) / 2, line.y()));
        }
    b.m_runs = layout.glyphRuns();
    b.m_size = QSize(int(std::ceil(e.width)), int(std::ceil(e.height)));
    b.m_lines = e.lines;
    return b;
}

TextBlock TextBlock::elided(const QString &text, const QFont &font, const EmojiFont &emoji, int width)
{
    if (width <= 0)
        return {};
    auto oneLine = [&](const QString &shown, qreal *natural) {
        TextBlock b;
        b.m_text = shown;
        QTextLayout layout(shown, font);
        layout.setFormats(emoji.formats(shown));
        const Extent e = layOut(layout, width, false, 1);
        b.m_runs = layout.glyphRuns();
        b.m_size = QSize(int(std::ceil(e.width)), int(std::ceil(e.height)));
        b.m_lines = e.lines;
        *natural = e.width;
        return b;
    };
    // Nothing visible is narrower than half a pixel per UTF-16 unit (zero-width marks aside): a longer text is
    // cut anyway, and shaping what cannot be seen costs 0.1 ms per colour emoji.
    QString head = text;
    if (head.size() > 2 * width + 2) {
        head.truncate(2 * width);
        if (head.back().isHighSurrogate())
            head.chop(1);
    }
    // QFontMetrics measures emoji with the app font's glyphs, no wider than the colour ones: start from its cut
    // (the text itself when it fits there) and give back graphemes, about as wide as the overflow, until the
    // line fits.
    const QFontMetricsF fm(font);
    const QString ellipsis(QChar(0x2026));
    QString shown = QFontMetrics(font).elidedText(head, Qt::ElideRight, width);
    qreal natural = 0;
    TextBlock block = oneLine(shown, &natural);
    while (natural > width) {
        head = shown.endsWith(ellipsis) && shown != text ? shown.chopped(1) : shown;
        if (head.isEmpty())
            return {}; // not even "…" fits
        qreal over = natural - width;
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, head);
        graphemes.toEnd();
        qsizetype end = head.size();
        while (over > 0 && end > 0) {
            const qsizetype previous = std::max<qsizetype>(0, graphemes.toPreviousBoundary());
            over -= std::max<qreal>(1, fm.horizontalAdvance(head.mid(previous, end - previous)));
            end = previous;
        }
        head.truncate(end);
        while (!head.isEmpty() && head.back().isSpace())
            head.chop(1);
        shown = head + ellipsis;
        block = oneLine(shown, &natural);
    }
    return block;
}

void TextBlock::draw(QPainter *painter, const QPointF &topLeft) const
{
    for (const QGlyphRun &run : m_runs)
        painter->drawGlyphRun(topLeft, run);
}

} // namespace atende::app::console
