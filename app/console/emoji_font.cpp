#include "app/console/emoji_font.h"

#include "app/console/emoji_runs.h"

#include <QFontDatabase>
#include <QLabel>

namespace atende::app::console {

EmojiFont::EmojiFont()
    : m_family(findFamily(QFontDatabase::families()))
{}

QString EmojiFont::findFamily(const QStringList &installed)
{
    // Linux (fonts-noto-color-emoji, which installer/deps.sh installs), macOS, Windows, then other Linux ones.
    static constexpr QLatin1String known[] = {QLatin1String("Noto Color Emoji"),    QLatin1String("Apple Color Emoji"),
                                              QLatin1String("Segoe UI Emoji"),      QLatin1String("Twemoji"),
                                              QLatin1String("Twitter Color Emoji"), QLatin1String("JoyPixels")};
    for (const QLatin1String family : known)
        if (installed.contains(family, Qt::CaseInsensitive))
            return family;
    return {};
}

QTextCharFormat EmojiFont::format() const
{
    QTextCharFormat f;
    f.setFontFamilies({m_family});
    f.setFontStyleStrategy(QFont::NoFontMerging);
    // Colour emoji come in one weight and no slant; synthetic bold or oblique (a bold name) only smears them.
    f.setFontWeight(QFont::Normal);
    f.setFontItalic(false);
    return f;
}

QList<QTextLayout::FormatRange> EmojiFont::formats(QStringView text) const
{
    QList<QTextLayout::FormatRange> out;
    if (!available())
        return out;
    const QList<EmojiRun> runs = emojiRuns(text);
    if (runs.isEmpty())
        return out;
    const QTextCharFormat f = format();
    out.reserve(runs.size());
    for (const EmojiRun &r : runs)
        out.append({int(r.start), int(r.length), f});
    return out;
}

QString EmojiFont::richText(const QString &text) const
{
    if (!available())
        return {};
    const QList<EmojiRun> runs = emojiRuns(text);
    if (runs.isEmpty())
        return {};
    const QString open = QStringLiteral("<span style=\"font-family:'%1'\">").arg(m_family.toHtmlEscaped());
    QString out;
    qsizetype done = 0;
    for (const EmojiRun &r : runs) {
        out += text.mid(done, r.start - done).toHtmlEscaped();
        out += open + text.mid(r.start, r.length).remove(QChar(0xFE0F)) + QStringLiteral("</span>");
        done = r.start + r.length;
    }
    out += text.mid(done).toHtmlEscaped();
    // Keep spaces and line breaks as they were typed: a QLabel collapses them in rich text.
    return QStringLiteral("<span style=\"white-space:pre-wrap\">") + out + QStringLiteral("</span>");
}

void setLabelText(QLabel *label, const QString &text, const EmojiFont &emoji)
{
    const QString rich = emoji.richText(text);
    label->setTextFormat(rich.isEmpty() ? Qt::PlainText : Qt::RichText);
    label->setText(rich.isEmpty() ? text : rich);
}

} // namespace atende::app::console
