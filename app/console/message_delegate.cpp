#include "app/console/message_delegate.h"

#include "app/models/conversation_model.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QPainter>

namespace atende::app::console {

using models::ConversationModel;

namespace {
constexpr int kPad = 8;     // inside the bubble
constexpr int kMargin = 14; // bubble to the view's edge
constexpr int kGap = 3;     // between bubbles
constexpr int kCacheLimit = 20'000;
// Laid-out emoji text keeps its glyph runs (~1.5 KB a message): bound them apart from the 20,000 layouts.
constexpr int kEmojiCacheLimit = 4'000;

int viewWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    return option.rect.width() > 0 ? option.rect.width() : 600;
}

QFont smallFont(const QFont &f)
{
    QFont s = f;
    s.setPointSizeF(f.pointSizeF() * 0.82);
    return s;
}
} // namespace

void MessageDelegate::setTheme(const ui::Theme &theme)
{
    m_theme = theme;
    m_colors = ConsoleColors::from(theme);
}

QString MessageDelegate::statusMark(const QString &status)
{
    if (status == QLatin1String("pending"))
        return QStringLiteral("◷");
    if (status == QLatin1String("sent"))
        return QStringLiteral("✓");
    if (status == QLatin1String("delivered") || status == QLatin1String("read"))
        return QStringLiteral("✓✓");
    if (status == QLatin1String("failed"))
        return tr("Not sent · retry");
    return {};
}

QString MessageDelegate::mediaLabel(const QString &kind)
{
    if (kind == QLatin1String("image"))
        return tr("Photo");
    if (kind == QLatin1String("video"))
        return tr("Video");
    if (kind == QLatin1String("audio") || kind == QLatin1String("voice"))
        return tr("Audio");
    if (kind == QLatin1String("document"))
        return tr("Document");
    if (kind == QLatin1String("sticker"))
        return tr("Sticker");
    if (kind == QLatin1String("location"))
        return tr("Location");
    if (kind == QLatin1String("contact"))
        return tr("Contact card");
    return tr("Attachment");
}

QString MessageDelegate::dayText(const QDate &day)
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

const MessageDelegate::Layout &MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                       const QModelIndex &index) const
{
    const Key key{index.data(ConversationModel::IdRole).toString(), index.data(ConversationModel::RevisionRole).toInt(),
                  viewWidth(option), index.data(ConversationModel::DayBreakRole).toBool()};
    auto it = m_cache.constFind(key);
    if (it != m_cache.constEnd())
        return *it;
    if (m_cache.size() > kCacheLimit || m_emojiCached > kEmojiCacheLimit) {
        m_cache.clear();
        m_emojiCached = 0;
    }
    Layout computed = compute(option, index);
    if (computed.emoji)
        ++m_emojiCached;
    return *m_cache.insert(key, std::move(computed));
}

MessageDelegate::Layout MessageDelegate::compute(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    ++m_computed;
    Layout l;
    const QFontMetrics fm(option.font);
    const QFontMetrics sm(smallFont(option.font));
    const int width = viewWidth(option);
    const QString kind = index.data(ConversationModel::KindRole).toString();
    const bool system = kind == QLatin1String("system");
    const int maxBubble = std::max(160, system ? width * 8 / 10 : width * 65 / 100);
    int y = 0;
    if (index.data(ConversationModel::DayBreakRole).toBool()) {
        l.day = QRect(0, 6, width, sm.height() + 10);
        y = l.day.bottom() + 8;
    }
    y += kGap;
    const int inner = maxBubble - 2 * kPad;
    EmojiText emoji;
    int contentWidth = 0;
    int cy = kPad;
    if (kind == QLatin1String("note")) {
        l.label = QRect(kPad, cy, inner, sm.height());
        contentWidth = sm.horizontalAdvance(tr("Internal note"));
        cy += sm.height() + 2;
    }
    const QString quoted = index.data(ConversationModel::QuotedRole).toString();
    if (!quoted.isEmpty()) {
        if (const auto formats = m_emoji.formats(quoted); !formats.isEmpty())
            emoji.quoted = TextBlock::wrapped(quoted, smallFont(option.font), formats, inner - 12, false, 2);
        const QRect q = emoji.quoted.isEmpty()
                            ? sm.boundingRect(QRect(0, 0, inner - 12, 2 * sm.height()), Qt::TextWordWrap, quoted)
                            : QRect(QPoint(0, 0), emoji.quoted.size());
        const int quoteHeight = emoji.quoted.isEmpty() ? std::min(q.height(), 2 * sm.height()) : q.height();
        l.quote = QRect(kPad, cy, std::min(inner, q.width() + 16), quoteHeight + 8);
        contentWidth = std::max(contentWidth, l.quote.width());
        cy += l.quote.height() + 4;
    }
    const QString media = index.data(ConversationModel::MediaKindRole).toString();
    if (!media.isEmpty()) {
        l.media = QRect(kPad, cy, std::min(inner, 220), fm.height() * 2 + 8);
        contentWidth = std::max(contentWidth, l.media.width());
        cy += l.media.height() + 4;
    }
    const QString body = index.data(Qt::DisplayRole).toString();
    const QFontMetrics &tm = system ? sm : fm;
    bool oneLine = true;
    if (!body.isEmpty()) {
        if (const auto formats = m_emoji.formats(body); !formats.isEmpty())
            emoji.body =
                TextBlock::wrapped(body, system ? smallFont(option.font) : option.font, formats, inner, system);
        const QRect t = emoji.body.isEmpty() ? tm.boundingRect(QRect(0, 0, inner, 1'000'000), Qt::TextWordWrap, body)
                                             : QRect(QPoint(0, 0), emoji.body.size());
        oneLine = emoji.body.isEmpty() ? t.height() <= fm.height() : emoji.body.lineCount() == 1;
        l.text = QRect(kPad, cy, std::min(inner, t.width() + 1), t.height());
        contentWidth = std::max(contentWidth, l.text.width());
        cy += t.height();
    }
    if (!system) {
        const QString meta =
            QLocale().toString(index.data(ConversationModel::TimeRole).toDateTime().time(), QLocale::ShortFormat) +
            QStringLiteral("  ") + statusMark(index.data(ConversationModel::StatusRole).toString());
        const int metaWidth = sm.horizontalAdvance(meta) + 4;
        // The time sits after the last line when there is room, else on a line of its own.
        if (contentWidth + metaWidth + 8 <= inner && !body.contains(QLatin1Char('\n')) && oneLine) {
            l.meta = QRect(kPad + contentWidth + 8, cy - sm.height(), metaWidth, sm.height());
            contentWidth += metaWidth + 8;
        } else {
            l.meta = QRect(0, cy + 2, metaWidth, sm.height());
            contentWidth = std::max(contentWidth, metaWidth);
            cy += sm.height() + 2;
        }
    }
    const int bubbleWidth = contentWidth + 2 * kPad;
    const int bubbleHeight = cy + kPad;
    int x = kMargin;
    if (system)
        x = (width - bubbleWidth) / 2;
    else if (kind != QLatin1String("inbound"))
        x = width - kMargin - bubbleWidth;
    l.bubble = QRect(x, y, bubbleWidth, bubbleHeight);
    // Children were laid out relative to the bubble; the meta line on its own aligns right.
    if (!l.meta.isNull() && l.meta.left() == 0)
        l.meta.moveLeft(bubbleWidth - kPad - l.meta.width());
    for (QRect *r : {&l.label, &l.quote, &l.media, &l.text, &l.meta})
        if (!r->isNull())
            r->translate(l.bubble.topLeft());
    l.size = QSize(width, l.bubble.bottom() + kGap + 1);
    if (!emoji.body.isEmpty() || !emoji.quoted.isEmpty())
        l.emoji = std::make_shared<const EmojiText>(std::move(emoji));
    return l;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layout(option, index).size;
}

QRect MessageDelegate::metaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layout(option, index).meta;
}

void MessageDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout &l = layout(option, index);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->translate(option.rect.topLeft());
    const QFont small = smallFont(option.font);
    const QFontMetrics sm(small);
    const QString kind = index.data(ConversationModel::KindRole).toString();
    if (!l.day.isNull()) {
        const QString day = dayText(index.data(ConversationModel::TimeRole).toDateTime().date());
        const int w = sm.horizontalAdvance(day) + 24;
        const QRect pill((l.day.width() - w) / 2, l.day.top(), w, l.day.height());
        p->setPen(Qt::NoPen);
        p->setBrush(m_colors.system);
        p->drawRoundedRect(pill, 8, 8);
        p->setFont(small);
        p->setPen(m_colors.muted);
        p->drawText(pill, Qt::AlignCenter, day);
    }
    QColor fill = m_colors.inbound;
    if (kind == QLatin1String("outbound"))
        fill = m_colors.outbound;
    else if (kind == QLatin1String("note"))
        fill = m_colors.note;
    else if (kind == QLatin1String("system"))
        fill = m_colors.system;
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(l.bubble, 8, 8);
    if (option.state & QStyle::State_Selected) {
        p->setPen(QPen(m_theme.accent, 1.5));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(l.bubble, 8, 8);
    }
    if (!l.label.isNull()) {
        p->setFont(small);
        p->setPen(m_theme.dark ? QColor(0xf7, 0xd0, 0x6b) : QColor(0x8a, 0x6d, 0x00));
        p->drawText(l.label, Qt::AlignLeft | Qt::AlignVCenter, tr("Internal note"));
    }
    if (!l.quote.isNull()) {
        p->setPen(Qt::NoPen);
        p->setBrush(m_theme.dark ? QColor(0, 0, 0, 60) : QColor(0, 0, 0, 18));
        p->drawRoundedRect(l.quote, 6, 6);
        p->setBrush(m_theme.accent);
        p->drawRect(QRect(l.quote.left(), l.quote.top(), 3, l.quote.height()));
        p->setFont(small);
        p->setPen(m_colors.muted);
        if (!l.emoji || l.emoji->quoted.isEmpty())
            p->drawText(l.quote.adjusted(10, 4, -4, -4), Qt::TextWordWrap,
                        index.data(ConversationModel::QuotedRole).toString());
        else
            l.emoji->quoted.draw(p, l.quote.adjusted(10, 4, -4, -4).topLeft());
    }
    if (!l.media.isNull()) {
        p->setPen(Qt::NoPen);
        p->setBrush(m_theme.dark ? QColor(255, 255, 255, 25) : QColor(0, 0, 0, 15));
        p->drawRoundedRect(l.media, 6, 6);
        p->setFont(option.font);
        p->setPen(m_colors.bubbleText);
        QString label = mediaLabel(index.data(ConversationModel::MediaKindRole).toString());
        const QString name = index.data(ConversationModel::MediaNameRole).toString();
        if (!name.isEmpty())
            label += QLatin1Char('\n') + name;
        p->drawText(l.media.adjusted(10, 4, -4, -4), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    if (!l.text.isNull()) {
        p->setFont(kind == QLatin1String("system") ? small : option.font);
        p->setPen(kind == QLatin1String("system") ? m_colors.muted : m_colors.bubbleText);
        if (!l.emoji || l.emoji->body.isEmpty())
            p->drawText(l.text, Qt::TextWordWrap | (kind == QLatin1String("system") ? Qt::AlignHCenter : Qt::AlignLeft),
                        index.data(Qt::DisplayRole).toString());
        else
            l.emoji->body.draw(p, l.text.topLeft());
    }
    if (!l.meta.isNull()) {
        const QString status = index.data(ConversationModel::StatusRole).toString();
        const QString time =
            QLocale().toString(index.data(ConversationModel::TimeRole).toDateTime().time(), QLocale::ShortFormat);
        p->setFont(small);
        p->setPen(m_colors.muted);
        p->drawText(l.meta, Qt::AlignLeft | Qt::AlignVCenter, time);
        const QString mark = statusMark(status);
        if (!mark.isEmpty() && kind == QLatin1String("outbound")) {
            p->setPen(status == QLatin1String("read")     ? m_colors.tickRead
                      : status == QLatin1String("failed") ? m_colors.failed
                                                          : m_colors.muted);
            p->drawText(l.meta, Qt::AlignRight | Qt::AlignVCenter, mark);
        }
    }
    p->restore();
}

} // namespace atende::app::console
