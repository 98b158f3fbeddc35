// Finding emoji in text (emoji_runs) and the formats that put them in the colour emoji font (EmojiFont).

#include "app/console/emoji_font.h"
#include "app/console/emoji_runs.h"

#include <gtest/gtest.h>

using namespace atende::app::console;

namespace {

using Runs = QList<EmojiRun>;

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

TEST(EmojiRuns, TextWithoutEmojiHasNone)
{
    for (const char *text : {"", "Olá, tudo bem? Ação, pé, avó, Ü", "Pedido nº 4521 — R$ 10,00 · às 18h…",
                             "مرحبا بك في المتجر", "שלום עולם", "你好，世界", "123 #4 *5*", "© 2026 Loja®",
                             "Marca™ ← → ↔", "❤ sem seletor", "☺ também", "⌚︎ pediu texto"})
        EXPECT_EQ(emojiRuns(u(text)), Runs()) << text;
}

TEST(EmojiRuns, FindsEmojiAmongText)
{
    EXPECT_EQ(emojiRuns(u("Oi 😀 tudo")), Runs({{3, 2}}));
    EXPECT_EQ(emojiRuns(u("😀 no início e no fim 😀")), Runs({{0, 2}, {22, 2}}));
    EXPECT_EQ(emojiRuns(u("Oi😀😀tudo")), Runs({{2, 4}})) << "adjacent emoji are one run";
    EXPECT_EQ(emojiRuns(u("مرحبا 😀 بك")), Runs({{6, 2}})) << "right-to-left text";
    EXPECT_EQ(emojiRuns(u("שלום ⚽ עולם")), Runs({{5, 1}})) << "an emoji-by-default character of the BMP";
    EXPECT_EQ(emojiRuns(u("Pronto ✅")), Runs({{7, 1}}));
}

TEST(EmojiRuns, TextDefaultPictographsNeedTheEmojiSelector)
{
    EXPECT_EQ(emojiRuns(u("❤️")), Runs({{0, 2}}));
    EXPECT_EQ(emojiRuns(u("Te amo ❤️!")), Runs({{7, 2}}));
    EXPECT_EQ(emojiRuns(u("☺️")), Runs({{0, 2}}));
    EXPECT_EQ(emojiRuns(u("©️")), Runs({{0, 2}}));
    EXPECT_EQ(emojiRuns(u("❤")), Runs());
    EXPECT_EQ(emojiRuns(u("❤︎")), Runs()) << "U+FE0E asks for text";
    EXPECT_EQ(emojiRuns(u("😀︎")), Runs()) << "even for an emoji-by-default one";
    EXPECT_EQ(emojiRuns(u("☝🏽")), Runs({{0, 3}})) << "a skin tone makes it an emoji too";
}

TEST(EmojiRuns, SkinTonesFamiliesAndOtherZwjSequencesAreOneEmoji)
{
    EXPECT_EQ(emojiRuns(u("👍🏽")), Runs({{0, 4}}));
    EXPECT_EQ(emojiRuns(u("ok 👍🏽!")), Runs({{3, 4}}));
    EXPECT_EQ(emojiRuns(u("👨‍👩‍👧‍👦")), Runs({{0, 11}})) << "4 people, 3 joiners";
    EXPECT_EQ(emojiRuns(u("👩🏽‍💻")), Runs({{0, 7}}));
    EXPECT_EQ(emojiRuns(u("❤️‍🔥")), Runs({{0, 5}}));
    EXPECT_EQ(emojiRuns(u("🏳️‍🌈")), Runs({{0, 6}}));
    EXPECT_EQ(emojiRuns(u("🐻‍❄")), Runs({{0, 4}})) << "no selector needed after a joiner";
    EXPECT_EQ(emojiRuns(u("😀‍ fim")), Runs({{0, 2}})) << "a joiner with nothing to join is not part of it";
    EXPECT_EQ(emojiRuns(u("🏴󠁧󠁢󠁥󠁮󠁧󠁿")), Runs({{0, 14}})) << "a tag sequence (England)";
}

TEST(EmojiRuns, FlagsArePairsOfRegionalIndicators)
{
    EXPECT_EQ(emojiRuns(u("🇧🇷")), Runs({{0, 4}}));
    EXPECT_EQ(emojiRuns(u("Brasil 🇧🇷 e Portugal 🇵🇹")), Runs({{7, 4}, {23, 4}}));
    EXPECT_EQ(emojiRuns(u("🇧🇷 🇵")), Runs({{0, 4}, {5, 2}})) << "a lone indicator still shows as an emoji";
}

TEST(EmojiRuns, KeycapsNeedTheEnclosingKeycap)
{
    EXPECT_EQ(emojiRuns(u("1️⃣")), Runs({{0, 3}}));
    EXPECT_EQ(emojiRuns(u("Opção 2️⃣ ou #️⃣")), Runs({{6, 3}, {13, 3}}));
    EXPECT_EQ(emojiRuns(u("*⃣")), Runs({{0, 2}})) << "without the selector, as older phones send it";
    EXPECT_EQ(emojiRuns(u("1️ e 2")), Runs()) << "a digit and a selector are no keycap";
}

TEST(EmojiRuns, BrokenTextIsNoProblem)
{
    QString lone = u("a ");
    lone.append(QChar(0xD83D)); // a high surrogate without its pair
    lone.append(u(" b 😀"));
    EXPECT_EQ(emojiRuns(lone), Runs({{6, 2}}));
    QString cut = u("😀");
    cut.chop(1);
    EXPECT_EQ(emojiRuns(cut), Runs());
    EXPECT_EQ(emojiRuns(QString(QChar(0xFE0F))), Runs());
    EXPECT_EQ(emojiRuns(QString(QChar(0x20E3))), Runs());
}

TEST(EmojiFont, PicksAKnownColourFamilyOrNone)
{
    EXPECT_EQ(EmojiFont::findFamily({QStringLiteral("DejaVu Sans"), QStringLiteral("Noto Color Emoji")}),
              QStringLiteral("Noto Color Emoji"));
    EXPECT_EQ(EmojiFont::findFamily({QStringLiteral("Segoe UI"), QStringLiteral("Segoe UI Emoji")}),
              QStringLiteral("Segoe UI Emoji"));
    EXPECT_EQ(EmojiFont::findFamily({QStringLiteral("DejaVu Sans"), QStringLiteral("Symbola")}), QString());
    const EmojiFont none{QString()};
    EXPECT_FALSE(none.available());
    EXPECT_TRUE(none.formats(u("Oi 😀")).isEmpty()) << "no colour font: the text keeps the app font";
    EXPECT_TRUE(none.richText(u("Oi 😀")).isEmpty());
}

TEST(EmojiFont, FormatsPutEmojiRunsInTheEmojiFontWithoutMerging)
{
    const EmojiFont emoji(QStringLiteral("Noto Color Emoji"));
    const QList<QTextLayout::FormatRange> formats = emoji.formats(u("Oi 😀 e ❤️ fim"));
    ASSERT_EQ(formats.size(), 2);
    EXPECT_EQ(formats.at(0).start, 3);
    EXPECT_EQ(formats.at(0).length, 2);
    EXPECT_EQ(formats.at(1).start, 8);
    EXPECT_EQ(formats.at(1).length, 2);
    EXPECT_EQ(formats.at(0).format.fontFamilies().toStringList(), QStringList{QStringLiteral("Noto Color Emoji")});
    EXPECT_EQ(formats.at(0).format.fontStyleStrategy(), QFont::NoFontMerging);
    EXPECT_TRUE(emoji.formats(u("Oi, tudo bem?")).isEmpty());
}

TEST(EmojiFont, RichTextEscapesTheTextAndDropsSelectorsInsideEmoji)
{
    const EmojiFont emoji(QStringLiteral("Noto Color Emoji"));
    EXPECT_TRUE(emoji.richText(u("<b>sem emoji</b>")).isEmpty()) << "a plain label does";
    const QString rich = emoji.richText(u("<b>R&D</b> ❤️"));
    EXPECT_TRUE(rich.contains(u("&lt;b&gt;R&amp;D&lt;/b&gt; "))) << rich.toStdString();
    EXPECT_TRUE(rich.contains(u("<span style=\"font-family:'Noto Color Emoji'\">❤</span>"))) << rich.toStdString();
    EXPECT_FALSE(rich.contains(QChar(0xFE0F)));
}
