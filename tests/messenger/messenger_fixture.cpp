#include "tests/messenger/messenger_fixture.h"

namespace atende::test {

using namespace server::whatsapp;

void MessengerTest::SetUp()
{
    sim = std::make_unique<wasim::Simulator>();
    ASSERT_TRUE(sim->start().ok());
    ASSERT_TRUE(sim->createUser({QString::fromLatin1(kPhoneA), QStringLiteral("Alice"), {}}).ok());
    ASSERT_TRUE(sim->createUser({QString::fromLatin1(kPhoneB), QStringLiteral("Bob"), {}}).ok());
}

void MessengerTest::TearDown()
{
    customers.clear();
    QTest::qWait(20); // queued deletions and resumptions of the destroyed peers
    sim.reset();
}

wasim::Customer &MessengerTest::add(const QString &phone)
{
    customers.push_back(std::make_unique<wasim::Customer>(*sim, context, phone));
    wasim::Customer &c = *customers.back();
    c.start();
    EXPECT_TRUE(waitConnected(c, 20000)) << "customer " << phone.toStdString() << " did not connect";
    return c;
}

Jid MessengerTest::userJid(const wasim::Customer &c)
{
    const auto jid = c.deviceJid();
    return jid ? Jid::make(jid->user, jid->server) : Jid();
}

QString MessengerTest::deviceKey(const wasim::Customer &c)
{
    const auto jid = c.deviceJid();
    return jid ? jid->user + u':' + QString::number(jid->device) : QString();
}

core::Result<QString> MessengerTest::send(wasim::Customer &from, const wasim::Customer &to, const QString &text,
                                          server::messenger::SendOptions options)
{
    return await(from.messenger()->sendText(userJid(to), text, std::move(options)));
}

bool MessengerTest::waitMessages(const wasim::Customer &c, size_t count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return c.messages().size() >= count; }, timeoutMs);
}

bool MessengerTest::waitConnected(const wasim::Customer &c, int timeoutMs)
{
    return QTest::qWaitFor([&] { return c.isConnected(); }, timeoutMs);
}

int MessengerTest::receiptCount(const wasim::Customer &c, const QString &id, const QString &type)
{
    int n = 0;
    for (const wasim::CustomerReceipt &r : c.receipts())
        if (r.id == id && r.type == type)
            ++n;
    return n;
}

} // namespace atende::test
