// Text laid out once with colour emoji (TextBlock): sequences shaped whole in the emoji font, lines stacked as
// QPainter::drawText stacks them, one-line elision that fits its width.

#include "app/console/emoji_font.h"
#include "app/console/text_block.h"

#include <QApplication>
#include <QFontMetrics>
#include <QRawFont>
#include <gtest/gtest.h>

using namespace atende::app::console;

namespace {

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QFont appFont()
{
    QFont f = QApplication::font();
    f.setFamily(QStringLiteral("DejaVu Sans"));
    return f;
}

} // namespace

TEST(TextBlock, SequencesWithSelectorsBecomeOneColourGlyph)
{
    const EmojiFont emoji;
    ASSERT_TRUE(emoji.available()) << "installer/deps.sh installs fonts-noto-color-emoji";
    for (const char *text : {"1️⃣", "🏳️‍🌈", "👨‍👩‍👧‍👦", "❤️", "👍🏽", "🇧🇷"}) {
        const QString s = u(text);
        const TextBlock block = TextBlock::wrapped(s, appFont(), emoji.formats(s), 400);
        ASSERT_EQ(block.glyphRuns().size(), 1) << text << ": nothing taken from the app font";
        EXPECT_EQ(block.glyphRuns().at(0).rawFont().familyName(), emoji.family()) << text;
        EXPECT_EQ(block.glyphRuns().at(0).glyphIndexes().size(), 1) << text << ": one ligature";
    }
}

TEST(TextBlock, StacksLinesLikeDrawText)
{
    const QFont font = appFont();
    const QFontMetrics fm(font);
    QString text;
    for (int i = 0; i < 20; ++i)
        text += QStringLiteral("palavra ");
    text += QStringLiteral("\nnova linha");
    const QRect expected = fm.boundingRect(QRect(0, 0, 200, 1'000'000), Qt::TextWordWrap, text);
    const TextBlock block = TextBlock::wrapped(text, font, {}, 200);
    EXPECT_EQ(block.size().height(), expected.height());
    EXPECT_NEAR(block.size().width(), expected.width(), 1);
    EXPECT_EQ(block.lineCount(), expected.height() / fm.height());
    EXPECT_EQ(TextBlock::wrapped(text, font, {}, 200, false, 2).lineCount(), 2);
}

TEST(TextBlock, ElidesWithEmojiToTheWidth)
{
    const EmojiFont emoji;
    ASSERT_TRUE(emoji.available());
    const QString shortText = u("Chegou 😀");
    EXPECT_EQ(TextBlock::elided(shortText, appFont(), emoji, 300).text(), shortText);
    QString longText = u("Chegou");
    for (int i = 0; i < 40; ++i)
        longText += u(" 😀 👍🏽");
    for (int width : {60, 150, 300}) {
        const TextBlock block = TextBlock::elided(longText, appFont(), emoji, width);
        EXPECT_LE(block.size().width(), width);
        EXPECT_TRUE(block.text().endsWith(QChar(0x2026))) << block.text().toStdString();
        EXPECT_TRUE(longText.startsWith(block.text().chopped(1))) << "cut, not rewritten";
        EXPECT_EQ(block.lineCount(), 1);
    }
}

TEST(TextBlock, NoRoomMeansNothingDrawn)
{
    const EmojiFont emoji;
    EXPECT_TRUE(TextBlock::elided(u("Chegou 😀"), appFont(), emoji, 0).isEmpty());
    EXPECT_TRUE(TextBlock::elided(u("Chegou 😀"), appFont(), emoji, -20).isEmpty());
    const TextBlock tiny = TextBlock::elided(u("😀😀😀"), appFont(), emoji, 3);
    EXPECT_LE(tiny.size().width(), 3) << tiny.text().toStdString();
}
