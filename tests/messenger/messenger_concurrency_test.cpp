// Message keys and commits. A send of the same account while a received message is between its decrypt and
// its commit: the send's flush writes the whole pending Signal state, so it must wait, or the uncommitted
// message's ratchet step becomes durable and a redelivery after a crash decrypts as a duplicate. And a
// duplicate is receipted only when its id was committed: a new message under a used key is asked for again.
#include "tests/messenger/messenger_fixture.h"

#include <optional>

namespace atende::test {
namespace {

using namespace server::whatsapp;
using SendResult = core::Result<QString>;

// Runs a send in the background; `out` (which must outlive the send) gets its result.
QCoro::Task<> sendInBackground(server::messenger::Messenger *messenger, Jid to, QString text,
                               std::optional<SendResult> *out)
{
    auto sending = messenger->sendText(to, text);
    SendResult result = co_await sending;
    out->emplace(std::move(result));
}

QStringList texts(const wasim::Customer &c)
{
    QStringList out;
    for (const auto &m : c.messages())
        out.append(m.message.content.text);
    return out;
}

// B's handler holds "pendente" (it fails until `release`, as a database that is down would), so the message
// stays decrypted in memory and uncommitted.
void holdMessage(wasim::Customer &b, const bool &release)
{
    b.beforeCommit = [&release](const server::messenger::ReceivedMessage &m) -> core::Status {
        if (m.content.text == QLatin1String("pendente") && !release)
            return core::Error::make(core::errc::kUnavailable, QStringLiteral("committing later (test)"));
        return {};
    };
}

TEST_F(MessengerTest, SendDuringAnUncommittedMessageThenCrashStillHandsItOutOnce)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(send(a, b, QStringLiteral("oi")).ok()); // sessions both ways; "pendente" is then a msg
    ASSERT_TRUE(waitMessages(b, 1));
    ASSERT_TRUE(send(b, a, QStringLiteral("ola")).ok());
    ASSERT_TRUE(waitMessages(a, 1));

    bool release = false;
    holdMessage(b, release);
    const int callsBefore = b.handlerCalls();
    ASSERT_TRUE(send(a, b, QStringLiteral("pendente")).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.handlerCalls() > callsBefore; }, 5000));
    const int flushesBefore = b.signalStore().flushes();

    // B answers while "pendente" awaits its commit.
    std::optional<SendResult> reply;
    auto replying = sendInBackground(b.messenger(), userJid(a), QStringLiteral("resposta"), &reply);
    QTest::qWait(1500); // long enough for a send that does not wait (a few ms) to flush and go out
    EXPECT_FALSE(reply.has_value()) << "the reply went out while a received message was uncommitted";
    EXPECT_EQ(b.signalStore().flushes(), flushesBefore) << "the Signal state was flushed before the commit";

    // Crash before the commit: the server redelivers "pendente", which must decrypt again from the stored state.
    release = true;
    b.crashAndRebuild();
    ASSERT_TRUE(QTest::qWaitFor([&] { return reply.has_value(); }, 5000));
    EXPECT_FALSE(reply->ok()); // dropped with the messenger, never sent
    ASSERT_TRUE(waitConnected(b, 10000));
    ASSERT_TRUE(waitMessages(b, 2, 10000)) << "the message was lost: " << texts(b).join(u',').toStdString();
    EXPECT_EQ(texts(b), (QStringList{QStringLiteral("oi"), QStringLiteral("pendente")}));
    EXPECT_EQ(b.repeatedHandOuts(), 0);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 5000));

    // Both directions still work on the rebuilt account.
    ASSERT_TRUE(send(b, a, QStringLiteral("resposta")).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return texts(a).contains(QStringLiteral("resposta")); }, 10000));
    ASSERT_TRUE(send(a, b, QStringLiteral("de novo")).ok());
    ASSERT_TRUE(waitMessages(b, 3));
    EXPECT_EQ(texts(b).back(), QStringLiteral("de novo"));
}

TEST_F(MessengerTest, SendWaitsForTheUncommittedMessageThenGoesOutInOrder)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(send(a, b, QStringLiteral("oi")).ok());
    ASSERT_TRUE(waitMessages(b, 1));

    bool release = false;
    holdMessage(b, release);
    const int callsBefore = b.handlerCalls();
    ASSERT_TRUE(send(a, b, QStringLiteral("pendente")).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.handlerCalls() > callsBefore; }, 5000));
    std::optional<SendResult> first, second;
    auto sendingFirst = sendInBackground(b.messenger(), userJid(a), QStringLiteral("um"), &first);
    auto sendingSecond = sendInBackground(b.messenger(), userJid(a), QStringLiteral("dois"), &second);
    QTest::qWait(300);
    EXPECT_FALSE(first.has_value());

    // The commit releases the sends; they complete in order and the message is handed out once.
    release = true;
    ASSERT_TRUE(QTest::qWaitFor([&] { return first.has_value() && second.has_value(); }, 10000));
    EXPECT_TRUE(first->ok());
    EXPECT_TRUE(second->ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return a.messages().size() >= 2; }, 10000));
    EXPECT_EQ(texts(a), (QStringList{QStringLiteral("um"), QStringLiteral("dois")}));
    ASSERT_TRUE(waitMessages(b, 2));
    EXPECT_EQ(texts(b), (QStringList{QStringLiteral("oi"), QStringLiteral("pendente")}));
    EXPECT_EQ(b.repeatedHandOuts(), 0);
}

// A sender whose Signal state went back (seen with Baileys when a decrypt and an encrypt of one session
// overlap) sends a NEW message under a message key already used: the decrypt says "duplicate". It is not a
// redelivery (the handler never committed that id), so the receiver asks for it again with a retry receipt
// and the sender re-encrypts it on its current state — instead of receipting it unread, which loses it.
TEST_F(MessengerTest, NewMessageUnderAUsedMessageKeyIsAskedForAgainNotLost)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(send(a, b, QStringLiteral("um")).ok());
    ASSERT_TRUE(waitMessages(b, 1));
    const server::signal::SignalSnapshot before = a.signalStore().snapshot();
    ASSERT_TRUE(send(a, b, QStringLiteral("dois")).ok());
    ASSERT_TRUE(waitMessages(b, 2));
    a.crashAndRebuildFrom(before); // A forgets that it used the key of "dois"
    ASSERT_TRUE(waitConnected(a, 10000));
    auto third = send(a, b, QStringLiteral("três"));
    ASSERT_TRUE(third.ok());
    ASSERT_TRUE(waitMessages(b, 3, 10000)) << "the message under the reused key was lost";
    EXPECT_EQ(texts(b), (QStringList{QStringLiteral("um"), QStringLiteral("dois"), QStringLiteral("três")}));
    EXPECT_EQ(b.messages().back().message.id, *third);
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptCount(a, *third, QStringLiteral("delivered")) == 1; }, 5000));
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 5000));
    EXPECT_EQ(b.repeatedHandOuts(), 0);
    // And the session keeps working both ways.
    ASSERT_TRUE(send(a, b, QStringLiteral("quatro")).ok());
    ASSERT_TRUE(waitMessages(b, 4));
    ASSERT_TRUE(send(b, a, QStringLiteral("recebi")).ok());
    ASSERT_TRUE(waitMessages(a, 1));
}

} // namespace
} // namespace atende::test
