#pragma once
// Paints the conversation: bubbles for inbound (left), outbound (right, with delivery ticks), internal
// notes (right, yellow, labelled) and system lines (centred), a day separator above the first message of
// each day, the quoted message inside a reply, and a placeholder for media with its caption.
//
// sizeHint() is O(1) for a row seen before: layouts are cached by (message id, revision, width, day break).
// Computing one wraps the text once; a 100,000-message conversation never lays out more than the rows the
// window holds. Text with emoji is laid out with them in the colour emoji font and kept in the cache as glyph
// runs (TextBlock), so painting it does not shape it again; text without emoji takes QPainter::drawText.

#include "app/console/console_style.h"
#include "app/console/emoji_font.h"
#include "app/console/text_block.h"

#include <QHash>
#include <QRect>
#include <QStyledItemDelegate>
#include <memory>

namespace atende::app::console {

class MessageDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    // Body and quote laid out with colour emoji (an empty block for one without).
    struct EmojiText {
        TextBlock body;
        TextBlock quoted;
    };
    struct Layout {
        QSize size;
        QRect day;    // the separator, empty when none
        QRect bubble; // relative to the row's top-left
        QRect label;  // "Note" / author line
        QRect quote;
        QRect media;
        QRect text;
        QRect meta; // time and ticks
        // Null for the many messages without emoji: their cached layouts stay as small as they were.
        std::shared_ptr<const EmojiText> emoji;
    };

    using QStyledItemDelegate::QStyledItemDelegate;
    void setTheme(const ui::Theme &theme);
    void clearCache()
    {
        m_cache.clear();
        m_emojiCached = 0;
    }
    int cacheSize() const { return int(m_cache.size()); }
    int layoutsComputed() const { return m_computed; }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Where the "failed, retry" mark of a row is (for clicks), relative to the row.
    QRect metaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    static QString statusMark(const QString &status);
    static QString mediaLabel(const QString &kind);
    static QString dayText(const QDate &day);

private:
    struct Key {
        QString id;
        int revision;
        int width;
        bool dayBreak;
        bool operator==(const Key &o) const
        {
            return revision == o.revision && width == o.width && dayBreak == o.dayBreak && id == o.id;
        }
    };
    friend size_t qHash(const Key &k, size_t seed) { return qHashMulti(seed, k.id, k.revision, k.width, k.dayBreak); }

    const Layout &layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    Layout compute(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    ui::Theme m_theme = ui::Theme::light();
    ConsoleColors m_colors = ConsoleColors::from(ui::Theme::light());
    EmojiFont m_emoji;
    mutable QHash<Key, Layout> m_cache;
    mutable int m_computed = 0;
    mutable int m_emojiCached = 0; // layouts in m_cache with laid-out emoji text
};

} // namespace atende::app::console
