// Colour emoji where message text is shown: a conversation bubble, the ticket list's preview and the composer
// are painted into images offscreen and their pixels looked at. The app font (DejaVu Sans) has monochrome
// glyphs for 😀, ❤ and ☺: colour can only come from the colour emoji font (installer/deps.sh installs
// fonts-noto-color-emoji).

#include "app/console/composer.h"
#include "app/console/details_panel.h"
#include "app/console/emoji_font.h"
#include "app/console/message_delegate.h"
#include "app/console/ticket_delegate.h"
#include "app/models/conversation_model.h"
#include "app/models/ticket_list_model.h"

#include <QApplication>
#include <QFontDatabase>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <gtest/gtest.h>

using namespace atende::app;
using models::ConversationModel;
using models::TicketListModel;

namespace {

const QColor kBackground(0x40, 0x40, 0x40);

// Where an image has strongly coloured pixels (r, g, b far apart: no grey text or bubble is) and dark grey ink
// (the message text).
struct Ink {
    int coloured = 0;
    QRect colouredBox;
    QRect darkBox;
    QRect paintedBox; // everything not the background
};

Ink inkOf(const QImage &image)
{
    Ink ink;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            const int hi = std::max({c.red(), c.green(), c.blue()});
            const int lo = std::min({c.red(), c.green(), c.blue()});
            if (c != kBackground)
                ink.paintedBox |= QRect(x, y, 1, 1);
            if (hi - lo > 80) {
                ++ink.coloured;
                ink.colouredBox |= QRect(x, y, 1, 1);
            } else if (hi < 0x60 && hi - lo < 40 && c != kBackground) {
                ink.darkBox |= QRect(x, y, 1, 1);
            }
        }
    return ink;
}

QFont appFont()
{
    QFont f = QApplication::font();
    f.setFamily(QStringLiteral("DejaVu Sans"));
    return f;
}

bool colourEmojiFontInstalled()
{
    return QFontDatabase::families().contains(QStringLiteral("Noto Color Emoji"));
}

QStandardItem *message(const QString &body, const QString &quoted = {})
{
    static int next = 0;
    auto *item = new QStandardItem(body);
    item->setData(QStringLiteral("m%1").arg(++next), ConversationModel::IdRole);
    item->setData(1, ConversationModel::RevisionRole);
    item->setData(QStringLiteral("inbound"), ConversationModel::KindRole);
    item->setData(QStringLiteral("received"), ConversationModel::StatusRole);
    item->setData(QDateTime(QDate(2026, 11, 28), QTime(9, 41)), ConversationModel::TimeRole);
    item->setData(false, ConversationModel::DayBreakRole);
    if (!quoted.isEmpty())
        item->setData(quoted, ConversationModel::QuotedRole);
    return item;
}

QImage paintRow(QStyledItemDelegate &delegate, const QModelIndex &index, int width)
{
    QStyleOptionViewItem option;
    option.font = appFont();
    option.rect = QRect(0, 0, width, 100);
    option.rect.setSize(delegate.sizeHint(option, index));
    option.rect.setWidth(width);
    QImage image(option.rect.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(kBackground);
    QPainter painter(&image);
    delegate.paint(&painter, option, index);
    return image;
}

Ink bubbleInk(const QString &body, int width = 600, const QString &quoted = {})
{
    QStandardItemModel model;
    model.appendRow(message(body, quoted));
    console::MessageDelegate delegate;
    return inkOf(paintRow(delegate, model.index(0, 0), width));
}

} // namespace

TEST(EmojiRendering, ABubbleShowsEmojiInColourOnTheTextLine)
{
    ASSERT_TRUE(colourEmojiFontInstalled()) << "installer/deps.sh installs fonts-noto-color-emoji";
    const Ink plain = bubbleInk(QStringLiteral("Olá tudo bem"));
    EXPECT_EQ(plain.coloured, 0) << "no colour without emoji: the bubble and its text are grey";
    ASSERT_FALSE(plain.darkBox.isEmpty());
    for (const QString &emoji : {QStringLiteral("😀"), QStringLiteral("❤️"), QStringLiteral("☺️"),
                                 QStringLiteral("👍🏽"), QStringLiteral("🇧🇷")}) {
        SCOPED_TRACE(emoji.toStdString());
        const Ink ink = bubbleInk(QStringLiteral("Olá ") + emoji + QStringLiteral(" tudo bem"));
        EXPECT_GE(ink.coloured, 20) << "the emoji is drawn in colour";
        if (ink.coloured == 0)
            continue;
        // On the text's line (the same rows as the letters, give or take the emoji's descent), inside the bubble.
        EXPECT_GE(ink.colouredBox.top(), ink.darkBox.top() - 3);
        EXPECT_LE(ink.colouredBox.bottom(), ink.darkBox.bottom() + 5);
        EXPECT_TRUE(ink.paintedBox.adjusted(2, 2, -2, -2).contains(ink.colouredBox));
        // Between "Olá" and "tudo": the colour is where the emoji is, not spread over the line.
        EXPECT_GT(ink.colouredBox.left(), plain.darkBox.left() + 10);
        EXPECT_LT(ink.colouredBox.right(), ink.darkBox.right() - 20);
    }
}

TEST(EmojiRendering, AWrappedBubbleIsTallEnoughForItsEmojiLines)
{
    ASSERT_TRUE(colourEmojiFontInstalled());
    QString body;
    for (int i = 0; i < 12; ++i)
        body += QStringLiteral("muito obrigada 😀 ");
    const Ink wrapped = bubbleInk(body.trimmed(), 320);
    const Ink single = bubbleInk(QStringLiteral("muito obrigada 😀"), 320);
    ASSERT_GE(single.coloured, 20);
    EXPECT_GT(wrapped.paintedBox.height(), 3 * single.paintedBox.height() / 2) << "several lines";
    EXPECT_GE(wrapped.coloured, 12 * single.coloured / 2) << "every emoji drawn, none clipped";
    EXPECT_TRUE(wrapped.paintedBox.adjusted(2, 2, -2, -2).contains(wrapped.colouredBox));
}

TEST(EmojiRendering, AQuotedMessageShowsItsEmojiInColour)
{
    ASSERT_TRUE(colourEmojiFontInstalled());
    const Ink plain = bubbleInk(QStringLiteral("sim"), 600, QStringLiteral("Chegou hoje?"));
    const Ink emoji = bubbleInk(QStringLiteral("sim"), 600, QStringLiteral("Chegou hoje? 😀"));
    EXPECT_GE(emoji.coloured - plain.coloured, 20) << "beyond the accent bar of the quote";
}

TEST(EmojiRendering, TheTicketPreviewShowsEmojiInColourAndStaysInItsRow)
{
    ASSERT_TRUE(colourEmojiFontInstalled());
    console::TicketDelegate delegate;
    auto ink = [&](const QString &name, const QString &preview) {
        QStandardItemModel model;
        auto *item = new QStandardItem(name);
        item->setData(preview, TicketListModel::PreviewRole);
        item->setData(QColor(0x80, 0x80, 0x80), TicketListModel::SectorColorRole);
        item->setData(0, TicketListModel::UnreadRole);
        item->setData(QStringLiteral("in_service"), TicketListModel::StateRole);
        item->setData(QDateTime(QDate(2026, 11, 28), QTime(9, 41)), TicketListModel::TimeRole);
        model.appendRow(item);
        return inkOf(paintRow(delegate, model.index(0, 0), 340));
    };
    EXPECT_EQ(ink(QStringLiteral("Maria Silva"), QStringLiteral("Chegou, obrigada")).coloured, 0);
    EXPECT_GE(ink(QStringLiteral("Maria Silva"), QStringLiteral("Chegou 😀 obrigada ❤️")).coloured, 20);
    EXPECT_GE(ink(QStringLiteral("Maria ☺️"), QStringLiteral("Chegou, obrigada")).coloured, 10) << "the name too";
    // A long preview is cut with "…" before the row's edge, emoji and all.
    QString longPreview = QStringLiteral("Chegou");
    for (int i = 0; i < 30; ++i)
        longPreview += QStringLiteral(" 😀");
    const Ink cut = ink(QStringLiteral("Maria Silva"), longPreview);
    EXPECT_GE(cut.coloured, 20);
    EXPECT_LE(cut.colouredBox.right(), 340 - 12);
}

TEST(EmojiRendering, TheComposerShowsEmojiInColourWithoutChangingTheText)
{
    ASSERT_TRUE(colourEmojiFontInstalled());
    console::Composer composer;
    composer.editor()->setFont(appFont());
    composer.setTicket(QStringLiteral("t1"));
    composer.resize(600, 120);
    composer.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&composer));
    QSignalSpy edited(&composer, &console::Composer::edited);
    composer.insertAtCursor(QStringLiteral("Olá "));
    QWidget *viewport = composer.editor()->viewport();
    QImage image = viewport->grab().toImage();
    EXPECT_EQ(inkOf(image).coloured, 0);
    composer.insertAtCursor(QStringLiteral("😀 ❤️ 1️⃣"));
    QCoreApplication::processEvents();
    image = viewport->grab().toImage();
    EXPECT_GE(inkOf(image).coloured, 30);
    EXPECT_EQ(composer.text(), QStringLiteral("Olá 😀 ❤️ 1️⃣"))
        << "formats only; the text is what was typed";
    EXPECT_EQ(edited.count(), 2) << "one per insertion, none for the formatting";
}

TEST(EmojiRendering, NamesInLabelsShowEmojiInColour)
{
    ASSERT_TRUE(colourEmojiFontInstalled());
    const console::EmojiFont emoji;
    QLabel label;
    label.setFont(appFont());
    console::setLabelText(&label, QStringLiteral("Maria <b>"), emoji);
    EXPECT_EQ(label.textFormat(), Qt::PlainText) << "no emoji: a plain label, markup shown as typed";
    EXPECT_EQ(label.text(), QStringLiteral("Maria <b>"));
    console::setLabelText(&label, QStringLiteral("Maria ☺️ <b>"), emoji);
    EXPECT_EQ(label.textFormat(), Qt::RichText);
    label.adjustSize();
    EXPECT_GE(inkOf(label.grab().toImage()).coloured, 10);

    // The details column: its section titles are in the accent colour, the name's emoji adds to them.
    console::DetailsPanel panel;
    panel.resize(300, 400);
    auto colouredWith = [&](const QString &name) {
        panel.setContact(name, QStringLiteral("5511987650001"), {}, {}, {});
        return inkOf(panel.grab().toImage()).coloured;
    };
    EXPECT_GE(colouredWith(QStringLiteral("Maria ☺️")) - colouredWith(QStringLiteral("Maria")), 10);
}

TEST(EmojiRendering, TheLayoutCacheBoundsLaidOutEmojiText)
{
    QStandardItemModel model;
    for (int i = 0; i < 4'100; ++i)
        model.appendRow(message(QStringLiteral("mensagem %1 😀").arg(i)));
    model.appendRow(message(QStringLiteral("sem emoji")));
    console::MessageDelegate delegate;
    QStyleOptionViewItem option;
    option.font = appFont();
    option.rect = QRect(0, 0, 600, 100);
    for (int row = 0; row < model.rowCount(); ++row)
        (void)delegate.sizeHint(option, model.index(row, 0));
    EXPECT_EQ(delegate.layoutsComputed(), 4'101);
    EXPECT_LE(delegate.cacheSize(), 4'001) << "glyph runs of at most 4,000 emoji messages are kept";
    EXPECT_GE(delegate.cacheSize(), 2);
}
