#pragma once
// The system's colour emoji font, and the formats that draw a text's emoji (emoji_runs.h) in it. Without
// such a font (none of the known families installed) every text keeps the app font, as before.
//
// The formats also turn off font merging: Noto Color Emoji has no glyph for U+FE0F, so with merging Qt 6.4
// would take the selector from the app font and split "1️⃣" or "🏳️‍🌈" into pieces the emoji font cannot
// join.

#include <QList>
#include <QString>
#include <QTextLayout>

class QLabel;

namespace atende::app::console {

class EmojiFont {
public:
    // The first installed of the known colour emoji families (QFontDatabase::families()).
    EmojiFont();
    // `family` as the emoji font; empty: none.
    explicit EmojiFont(const QString &family)
        : m_family(family)
    {}

    static QString findFamily(const QStringList &installed);

    const QString &family() const { return m_family; }
    bool available() const { return !m_family.isEmpty(); }
    QTextCharFormat format() const;

    // The emoji runs of `text` in the emoji font; empty when it has none, or there is no emoji font.
    QList<QTextLayout::FormatRange> formats(QStringView text) const;

    // `text` as rich text for a QLabel, emoji in the emoji font; empty when a plain label would do (no emoji).
    // Rich text cannot turn font merging off, so the selectors U+FE0F inside emoji are left out instead.
    QString richText(const QString &text) const;

private:
    QString m_family;
};

// Shows `text` in `label`: plain, or rich text (EmojiFont::richText) when it has emoji.
void setLabelText(QLabel *label, const QString &text, const EmojiFont &emoji);

} // namespace atende::app::console
