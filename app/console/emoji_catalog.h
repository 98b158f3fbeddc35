#pragma once
// The emoji the composer's picker offers: common ones of customer service, by category, each with an
// English and a Brazilian Portuguese name so that searching works in either language whatever the
// interface language is. Plain Unicode text: nothing to load, the system's emoji font draws them.

#include <QList>
#include <QString>

namespace atende::app::console {

struct Emoji {
    QString text;
    QString nameEn;
    QString namePt;
};

struct EmojiCategory {
    QString key;  // "smileys", "gestures", ...
    QString icon; // an emoji standing for the category on its tab
    QList<Emoji> emoji;
};

const QList<EmojiCategory> &emojiCatalog();
// The category's name in the interface language.
QString emojiCategoryName(const QString &key);
// Emoji whose English or Portuguese name contains every word of `query` (accents and case ignored), in
// catalogue order.
QList<Emoji> searchEmoji(const QString &query);

} // namespace atende::app::console
