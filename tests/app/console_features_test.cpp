// Offscreen tests of the console pieces that need no server: the ticket action rules, the filter bar, the
// emoji catalogue and picker, @mentions and quoted replies in the composer.

#include "app/console/composer.h"
#include "app/console/emoji_catalog.h"
#include "app/console/emoji_picker.h"
#include "app/console/mention_tracker.h"
#include "app/console/ticket_filter_bar.h"
#include "app/console/ticket_rules.h"
#include "app/console/typing_notifier.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <gtest/gtest.h>

#include "tests/app/type_text.h"

using namespace atende::app::console;
using atende::app::models::TicketFilter;
using atende::app::models::TicketRow;

namespace {
bool may(const char *action, const QString &state, const QString &assignee, const ActorFacts &me, int unread = 0)
{
    return ticketActionAllowed(QLatin1String(action), {state, assignee, unread}, me);
}
} // namespace

TEST(TicketRules, FollowTheServersStateAndRoleRules)
{
    const ActorFacts agent{QStringLiteral("me"), false};
    const ActorFacts supervisor{QStringLiteral("boss"), true};
    namespace a = ticket_action;
    // Accepting: a waiting ticket, whoever sees it; never one with the bot or already taken.
    EXPECT_TRUE(may(a::kAccept, QStringLiteral("waiting"), {}, agent));
    EXPECT_FALSE(may(a::kAccept, QStringLiteral("bot"), {}, agent));
    EXPECT_FALSE(may(a::kAccept, QStringLiteral("in_service"), QStringLiteral("me"), agent));
    // The agent's own ticket in service: hold, close, transfer, tag, send; not resume or reopen.
    for (const char *yes : {a::kHold, a::kClose, a::kTransfer, a::kTag, a::kSend})
        EXPECT_TRUE(may(yes, QStringLiteral("in_service"), QStringLiteral("me"), agent)) << yes;
    for (const char *no : {a::kResume, a::kReopen})
        EXPECT_FALSE(may(no, QStringLiteral("in_service"), QStringLiteral("me"), agent)) << no;
    // Someone else's ticket: nothing for an agent, everything fitting the state for a supervisor.
    for (const char *name : {a::kHold, a::kClose, a::kTransfer, a::kTag, a::kSend}) {
        EXPECT_FALSE(may(name, QStringLiteral("in_service"), QStringLiteral("other"), agent)) << name;
        EXPECT_TRUE(may(name, QStringLiteral("in_service"), QStringLiteral("other"), supervisor)) << name;
    }
    // A waiting ticket has no agent yet: only a supervisor closes or transfers it.
    EXPECT_FALSE(may(a::kClose, QStringLiteral("waiting"), {}, agent));
    EXPECT_TRUE(may(a::kClose, QStringLiteral("waiting"), {}, supervisor));
    EXPECT_TRUE(may(a::kResume, QStringLiteral("on_hold"), QStringLiteral("me"), agent));
    EXPECT_TRUE(may(a::kSend, QStringLiteral("on_hold"), QStringLiteral("me"), agent));
    EXPECT_TRUE(may(a::kReopen, QStringLiteral("closed"), QStringLiteral("me"), agent)) << "the last agent";
    EXPECT_FALSE(may(a::kReopen, QStringLiteral("closed"), QStringLiteral("other"), agent));
    EXPECT_FALSE(may(a::kSend, QStringLiteral("closed"), QStringLiteral("me"), agent));
    EXPECT_FALSE(may(a::kClose, QStringLiteral("closed"), QStringLiteral("me"), agent));
    EXPECT_TRUE(may(a::kMarkRead, QStringLiteral("waiting"), {}, agent, 3));
    EXPECT_FALSE(may(a::kMarkRead, QStringLiteral("waiting"), {}, agent, 0));
    EXPECT_FALSE(may(a::kAccept, QString(), {}, supervisor)) << "no ticket, no action";
}

TEST(TicketFilter, MatchesEveryFieldThatIsSet)
{
    TicketRow row;
    row.sectorId = QStringLiteral("s1");
    row.connectionId = QStringLiteral("c1");
    row.tags = {QStringLiteral("vip"), QStringLiteral("troca")};
    EXPECT_TRUE(TicketFilter{}.matches(row));
    EXPECT_TRUE(TicketFilter{}.isEmpty());
    EXPECT_TRUE((TicketFilter{QStringLiteral("s1"), QStringLiteral("c1"), QStringLiteral("vip")}.matches(row)));
    EXPECT_FALSE((TicketFilter{QStringLiteral("s2"), {}, {}}.matches(row)));
    EXPECT_FALSE((TicketFilter{{}, QStringLiteral("c2"), {}}.matches(row)));
    EXPECT_FALSE((TicketFilter{{}, {}, QStringLiteral("urgente")}.matches(row)));
}

TEST(TicketFilterBar, ReportsChoicesAndClears)
{
    TicketFilterBar bar;
    bar.setChoices(
        {{QStringLiteral("s1"), QStringLiteral("Suporte")}, {QStringLiteral("s2"), QStringLiteral("Vendas")}},
        {{QStringLiteral("c1"), QStringLiteral("Loja")}}, {QStringLiteral("vip")});
    bar.show();
    QSignalSpy changed(&bar, &TicketFilterBar::filterChanged);
    bar.sectorBox()->setCurrentIndex(2);
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.last().at(0).value<TicketFilter>().sectorId, QStringLiteral("s2"));
    bar.tagBox()->lineEdit()->setFocus();
    atende::test::typeText(bar.tagBox()->lineEdit(), QStringLiteral("vip"));
    QTest::keyClick(bar.tagBox()->lineEdit(), Qt::Key_Return);
    EXPECT_EQ(bar.filter(), (TicketFilter{QStringLiteral("s2"), {}, QStringLiteral("vip")}));
    EXPECT_EQ(changed.last().at(0).value<TicketFilter>().tag, QStringLiteral("vip"));
    // A remembered filter is shown without being reported back; a sector that is gone stops filtering.
    const int before = changed.count();
    bar.setFilter({QStringLiteral("s1"), QStringLiteral("c1"), {}});
    EXPECT_EQ(changed.count(), before);
    EXPECT_EQ(bar.filter(), (TicketFilter{QStringLiteral("s1"), QStringLiteral("c1"), {}}));
    bar.setChoices({{QStringLiteral("s2"), QStringLiteral("Vendas")}}, {{QStringLiteral("c1"), QStringLiteral("Loja")}},
                   {});
    EXPECT_EQ(bar.filter(), (TicketFilter{{}, QStringLiteral("c1"), {}}));
    EXPECT_EQ(changed.count(), before + 1);
    QTest::mouseClick(bar.clearButton(), Qt::LeftButton);
    EXPECT_TRUE(bar.filter().isEmpty());
    EXPECT_TRUE(changed.last().at(0).value<TicketFilter>().isEmpty());
}

TEST(EmojiCatalog, SearchesEnglishAndPortugueseNamesWithoutAccents)
{
    const auto texts = [](const QList<Emoji> &list) {
        QStringList out;
        for (const Emoji &e : list)
            out.append(e.text);
        return out;
    };
    const QString thumbsUp = QStringLiteral("👍");
    EXPECT_TRUE(texts(searchEmoji(QStringLiteral("thumbs up"))).contains(thumbsUp));
    EXPECT_TRUE(texts(searchEmoji(QStringLiteral("joinha"))).contains(thumbsUp));
    const QStringList hearts = texts(searchEmoji(QStringLiteral("coracao vermelho")));
    EXPECT_EQ(hearts, QStringList{QStringLiteral("❤️")}) << "both words, accents ignored";
    EXPECT_TRUE(texts(searchEmoji(QStringLiteral("CORAÇÃO"))).size() > 3);
    EXPECT_TRUE(searchEmoji(QStringLiteral("xyzzy")).isEmpty());
    EXPECT_TRUE(searchEmoji(QString()).isEmpty());
    int total = 0;
    for (const EmojiCategory &c : emojiCatalog()) {
        EXPECT_FALSE(emojiCategoryName(c.key).isEmpty());
        for (const Emoji &e : c.emoji)
            EXPECT_TRUE(!e.nameEn.isEmpty() && !e.namePt.isEmpty()) << e.text.toStdString();
        total += int(c.emoji.size());
    }
    EXPECT_GE(total, 100);
}

TEST(EmojiPicker, InsertsAtTheCursor)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.show();
    atende::test::typeText(composer.editor(), QStringLiteral("Obrigado pelo contato"));
    QTextCursor cursor = composer.editor()->textCursor();
    cursor.setPosition(8); // after "Obrigado"
    composer.editor()->setTextCursor(cursor);
    QTest::mouseClick(composer.emojiButton(), Qt::LeftButton);
    EmojiPicker *picker = composer.emojiPicker();
    ASSERT_NE(picker, nullptr);
    EXPECT_TRUE(picker->isVisible());
    EXPECT_EQ(picker->shownEmoji().size(), emojiCatalog().first().emoji.size()) << "the first category";
    picker->categories()->setCurrentIndex(1);
    EXPECT_EQ(picker->shownEmoji().first(), emojiCatalog().at(1).emoji.first().text);
    atende::test::typeText(picker->searchEdit(), QStringLiteral("maos juntas"));
    ASSERT_EQ(picker->shownEmoji(), QStringList{QStringLiteral("🙏")});
    QTest::keyClick(picker->searchEdit(), Qt::Key_Return);
    EXPECT_EQ(composer.text(), QStringLiteral("Obrigado🙏 pelo contato"));
    picker->searchEdit()->clear();
    QListWidget *grid = picker->grid();
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(2)).center());
    EXPECT_EQ(composer.text(),
              QStringLiteral("Obrigado🙏") + picker->shownEmoji().at(2) + QStringLiteral(" pelo contato"));
}

TEST(MentionTracker, FindsTheQueryAndKeepsOnlyMentionsStillInTheText)
{
    EXPECT_EQ(MentionTracker::queryStart(QStringLiteral("@an"), 3), 0);
    EXPECT_EQ(MentionTracker::queryStart(QStringLiteral("veja @an"), 8), 5);
    EXPECT_EQ(MentionTracker::queryStart(QStringLiteral("mail@an"), 7), -1) << "an e-mail address is no mention";
    EXPECT_EQ(MentionTracker::queryStart(QStringLiteral("@ana costa"), 10), -1);
    MentionTracker t;
    t.setCandidates({{QStringLiteral("u1"), QStringLiteral("Ana Costa")},
                     {QStringLiteral("u2"), QStringLiteral("André Lima")},
                     {QStringLiteral("u3"), QStringLiteral("Bruna Anastácio")}});
    QStringList names;
    for (const MentionCandidate &c : t.matches(QStringLiteral("an"), 8))
        names.append(c.name);
    EXPECT_EQ(names, (QStringList{QStringLiteral("Ana Costa"), QStringLiteral("André Lima"),
                                  QStringLiteral("Bruna Anastácio")}))
        << "names starting with it first, then a later word";
    t.remember({QStringLiteral("u1"), QStringLiteral("Ana Costa")});
    t.remember({QStringLiteral("u2"), QStringLiteral("André Lima")});
    EXPECT_EQ(t.mentionedIds(QStringLiteral("@Ana Costa e @André Lima, vejam")),
              (QStringList{QStringLiteral("u1"), QStringLiteral("u2")}));
    EXPECT_EQ(t.mentionedIds(QStringLiteral("@Ana Costa, veja")), QStringList{QStringLiteral("u1")})
        << "a mention deleted from the text alerts nobody";
}

TEST(Composer, AtListsColleaguesInNotesModeAndSendsTheirIds)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.setMentionCandidates(
        {{QStringLiteral("u1"), QStringLiteral("Ana Costa")}, {QStringLiteral("u2"), QStringLiteral("Bruno Dias")}});
    composer.show();
    QSignalSpy submitted(&composer, &Composer::submitted);
    atende::test::typeText(composer.editor(), QStringLiteral("@an"));
    EXPECT_FALSE(composer.mentionsShown()) << "a message to the customer mentions nobody";
    composer.editor()->clear();
    composer.setNoteMode(true);
    atende::test::typeText(composer.editor(), QStringLiteral("falar com @b"));
    ASSERT_TRUE(composer.mentionsShown());
    EXPECT_EQ(composer.shownMentions(), QStringList{QStringLiteral("Bruno Dias")});
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    EXPECT_FALSE(composer.mentionsShown());
    EXPECT_EQ(composer.text(), QStringLiteral("falar com @Bruno Dias "));
    EXPECT_EQ(submitted.count(), 0) << "Enter took the mention";
    atende::test::typeText(composer.editor(), QStringLiteral("sobre a troca"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    ASSERT_EQ(submitted.count(), 1);
    EXPECT_EQ(submitted.at(0).at(0).toString(), QStringLiteral("falar com @Bruno Dias sobre a troca"));
    EXPECT_TRUE(submitted.at(0).at(1).toBool());
    EXPECT_EQ(submitted.at(0).at(3).toStringList(), QStringList{QStringLiteral("u2")});
}

TEST(Composer, ReplyingQuotesTheMessageOnce)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.show();
    QSignalSpy submitted(&composer, &Composer::submitted);
    composer.setQuote(QStringLiteral("m42"), QStringLiteral("Meu pedido 4521 não chegou"));
    EXPECT_TRUE(composer.quoteBar()->isVisible());
    atende::test::typeText(composer.editor(), QStringLiteral("Vou verificar"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    ASSERT_EQ(submitted.count(), 1);
    EXPECT_EQ(submitted.at(0).at(2).toString(), QStringLiteral("m42"));
    EXPECT_FALSE(composer.quoteBar()->isVisible());
    atende::test::typeText(composer.editor(), QStringLiteral("Mais uma"));
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    EXPECT_TRUE(submitted.at(1).at(2).toString().isEmpty()) << "the quote was for one message";
    composer.setQuote(QStringLiteral("m43"), QStringLiteral("x"));
    composer.setTicket(QStringLiteral("t2"));
    EXPECT_TRUE(composer.quotedId().isEmpty()) << "another ticket quotes nothing";
}

TEST(TypingNotifier, ThrottlesWhileTypingAndStopsWhenIdleSentOrSwitched)
{
    TypingNotifier typing;
    typing.setIntervals(300, 500);
    QSignalSpy changes(&typing, &TypingNotifier::composingChanged);
    const auto last = [&] {
        return std::pair{changes.last().at(0).toString(), changes.last().at(1).toBool()};
    };
    typing.edited(QStringLiteral("t1"));
    ASSERT_EQ(changes.count(), 1);
    EXPECT_EQ(last(), (std::pair{QStringLiteral("t1"), true}));
    // Keys every 100 ms for a second: one "composing" per 300 ms, never a pause in between.
    for (int i = 0; i < 10; ++i) {
        QTest::qWait(100);
        typing.edited(QStringLiteral("t1"));
    }
    EXPECT_GE(changes.count(), 3);
    EXPECT_LE(changes.count(), 5);
    for (const QList<QVariant> &c : changes)
        EXPECT_TRUE(c.at(1).toBool());
    // Idle: paused once.
    const int before = changes.count();
    ASSERT_TRUE(QTest::qWaitFor([&] { return changes.count() == before + 1; }, 2000));
    EXPECT_EQ(last(), (std::pair{QStringLiteral("t1"), false}));
    EXPECT_FALSE(typing.composing());
    // Switching tickets pauses the first one, then composes on the second.
    typing.edited(QStringLiteral("t1"));
    typing.edited(QStringLiteral("t2"));
    ASSERT_EQ(changes.count(), before + 4);
    EXPECT_EQ(changes.at(before + 2), (QList<QVariant>{QStringLiteral("t1"), false}));
    EXPECT_EQ(last(), (std::pair{QStringLiteral("t2"), true}));
    // Sending pauses at once, and only once.
    typing.stop();
    typing.stop();
    EXPECT_EQ(changes.count(), before + 5);
    EXPECT_EQ(last(), (std::pair{QStringLiteral("t2"), false}));
    QTest::qWait(700);
    EXPECT_EQ(changes.count(), before + 5) << "no idle pause after the send's";
}
