// Teardown while writes are in flight: a connection's runner destroys its SignalAccount and its
// PreKeyForwardingStore without waiting for the database, so a prekey save or a Signal flush may resume after
// both are gone. They must then touch nothing of them (was a use-after-free at shutdown: the resumed save
// added its keys to the destroyed account). Run under valgrind or ASan to see the difference.
#include "server/messenger/prekey_forwarding_store.h"
#include "server/signal/signal_account.h"
#include "server/signal/signal_context.h"
#include "server/signal/signal_store.h"
#include "server/whatsapp/credentials.h"
#include "server/whatsapp/crypto.h"

#include <QTest>
#include <gtest/gtest.h>
#include <qcoro/qcorotimer.h>

#include <memory>
#include <optional>

namespace atende::test {
namespace {

using namespace std::chrono_literals;
using server::signal::SignalAddress;

// A database that answers later: saves succeed, Signal flushes fail (so the account would requeue the batch).
class SlowStores : public server::whatsapp::SessionStore, public server::signal::SignalStore {
public:
    QCoro::Task<core::Status> saveCredentials(const server::whatsapp::Credentials &) override
    {
        co_return core::Status();
    }
    QCoro::Task<core::Status> savePreKeys(const QList<server::whatsapp::PreKeyRecord> &) override
    {
        co_await QCoro::sleepFor(50ms);
        co_return core::Status();
    }
    QCoro::Task<core::Status> clear() override { co_return core::Status(); }
    QCoro::Task<core::Result<server::signal::SignalSnapshot>> load() override
    {
        co_return server::signal::SignalSnapshot();
    }
    QCoro::Task<core::Status> flush(server::signal::SignalChanges) override
    {
        co_await QCoro::sleepFor(50ms);
        co_return core::Error::make(core::errc::kUnavailable, QStringLiteral("database down (test)"));
    }
};

QCoro::Task<> recordInto(QCoro::Task<core::Status> task, std::optional<core::Status> *out)
{
    core::Status status = co_await task;
    out->emplace(std::move(status));
}

TEST(MessengerTeardownTest, PreKeySaveAndSignalFlushResumingAfterTheAccountIsGoneTouchNothing)
{
    server::signal::SignalContext context;
    SlowStores stores;
    const SignalAddress peer{QStringLiteral("15550000009"), 0};
    server::signal::SignalSnapshot snapshot;
    snapshot.sessions.insert_or_assign(peer, QByteArray("session record (test)"));
    auto account = std::make_unique<server::signal::SignalAccount>(
        context, &stores, server::whatsapp::Credentials::generate(), std::move(snapshot));
    auto forwarding = std::make_unique<server::messenger::PreKeyForwardingStore>(stores, account.get());

    const QList<server::whatsapp::PreKeyRecord> keys{{7, server::whatsapp::crypto::generateX25519KeyPair()}};
    std::optional<core::Status> saved, flushed;
    auto saving = forwarding->savePreKeys(keys);
    auto savingRecorded = recordInto(std::move(saving), &saved);
    account->deleteSession(peer); // a pending change, so the flush really writes
    ASSERT_TRUE(account->hasPendingChanges());
    auto flushing = account->flush();
    auto flushingRecorded = recordInto(std::move(flushing), &flushed);

    // The runner's teardown: both go while their writes are still running.
    forwarding.reset();
    account.reset();
    ASSERT_TRUE(QTest::qWaitFor([&] { return saved.has_value() && flushed.has_value(); }, 2000));
    EXPECT_TRUE(saved->ok()); // the keys are durable; a rebuilt account loads them
    EXPECT_FALSE(flushed->ok());
}

TEST(MessengerTeardownTest, PreKeySaveStillReachesALivingAccount)
{
    server::signal::SignalContext context;
    SlowStores stores;
    server::signal::SignalAccount account(context, &stores, server::whatsapp::Credentials::generate(), {});
    server::messenger::PreKeyForwardingStore forwarding(stores, &account);
    const qsizetype before = account.preKeyCount();
    std::optional<core::Status> saved;
    auto saving = forwarding.savePreKeys({{8, server::whatsapp::crypto::generateX25519KeyPair()}});
    auto recorded = recordInto(std::move(saving), &saved);
    ASSERT_TRUE(QTest::qWaitFor([&] { return saved.has_value(); }, 2000));
    EXPECT_TRUE(saved->ok());
    EXPECT_EQ(account.preKeyCount(), before + 1);
}

} // namespace
} // namespace atende::test
