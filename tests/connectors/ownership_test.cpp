// One owner per connection: supervisors on one database (each with its own instance id and lock session,
// like separate instances) never own the same connection, and when the owner stops another takes over.

#include "tests/connectors/connectors_fixture.h"

#include <QElapsedTimer>
#include <QSet>

namespace atende::test {

namespace cn = server::connectors;

namespace {

class OwnershipTest : public ConnectorsTest {
protected:
    QList<QUuid> wantedConnections(int n)
    {
        QList<QUuid> ids;
        for (int i = 0; i < n; ++i) {
            const QUuid id = createConnection("WA " + std::to_string(i));
            EXPECT_TRUE(startPairing(id).ok());
            ids.append(id);
        }
        return ids;
    }
    // Local view and database agree, and no connection has two local owners.
    void expectExclusive(const QList<QUuid> &ids, const QList<cn::ConnectionSupervisor *> &sups)
    {
        for (const QUuid &id : ids) {
            int owners = 0;
            for (cn::ConnectionSupervisor *s : sups) {
                if (s->owns(id)) {
                    ++owners;
                    EXPECT_EQ(ownerOf(id), s->instanceId());
                }
            }
            EXPECT_LE(owners, 1) << text(id).toStdString();
        }
    }
};

} // namespace

TEST_F(OwnershipTest, TwoSupervisorsNeverOwnTheSameConnection)
{
    const QList<QUuid> ids = wantedConnections(8);
    cn::ConnectionSupervisor *a = supervisor(QStringLiteral("inst-a"));
    cn::ConnectionSupervisor *b = supervisor(QStringLiteral("inst-b"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return a->ownedCount() + b->ownedCount() == ids.size(); }, 10000))
        << a->ownedCount() << " + " << b->ownedCount();
    // Keep watching through several scan and renew rounds.
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 4000) {
        expectExclusive(ids, {a, b});
        EXPECT_EQ(a->ownedCount() + b->ownedCount(), ids.size());
        QTest::qWait(200);
    }
    // Every owned connection also holds its advisory lock (one per connection, none twice).
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM pg_locks l JOIN whatsapp_sessions s "
                                    "ON l.locktype = 'advisory' AND l.granted AND "
                                    "((l.classid::bigint << 32) | l.objid::bigint) = s.lock_key"))
                  .toInt(),
              ids.size());
    std::printf("instance a owns %d, instance b owns %d of %lld\n", a->ownedCount(), b->ownedCount(),
                static_cast<long long>(ids.size()));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM server_instances")).toInt(), 2);
}

TEST_F(OwnershipTest, OwnerStopsAndTheOtherTakesOver)
{
    const QList<QUuid> ids = wantedConnections(3);
    cn::ConnectionSupervisor *a = supervisor(QStringLiteral("inst-a"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return a->ownedCount() == ids.size(); }, 10000));
    cn::ConnectionSupervisor *b = supervisor(QStringLiteral("inst-b"));
    QTest::qWait(1500);
    EXPECT_EQ(b->ownedCount(), 0) << "a live owner is exclusive";

    QElapsedTimer t;
    t.start();
    a->stop(); // releases: no need to wait for the lease
    ASSERT_TRUE(QTest::qWaitFor([&] { return b->ownedCount() == ids.size(); }, 10000));
    std::printf("takeover after a graceful stop: %lld ms\n", static_cast<long long>(t.elapsed()));
    for (const QUuid &id : ids)
        EXPECT_EQ(ownerOf(id), QStringLiteral("inst-b"));
}

TEST_F(OwnershipTest, ALostLockSessionNeverLeadsToTwoOwners)
{
    const QList<QUuid> ids = wantedConnections(2);
    cn::ConnectionSupervisor *a = supervisor(QStringLiteral("inst-a"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return a->ownedCount() == ids.size(); }, 10000));
    cn::ConnectionSupervisor *b = supervisor(QStringLiteral("inst-b"));
    // Kill a's lock session from the server side: its locks are gone at once. a notices on its next renewal
    // (the session was reopened), stops its connections and claims again like everybody else; whoever wins,
    // there is one owner per connection, holding the lock.
    ASSERT_TRUE(m_conn->exec(QStringLiteral(
        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN whatsapp_sessions s ON l.locktype = 'advisory' "
        "AND ((l.classid::bigint << 32) | l.objid::bigint) = s.lock_key")));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 6000) {
        expectExclusive(ids, {a, b});
        QTest::qWait(100);
    }
    EXPECT_EQ(a->ownedCount() + b->ownedCount(), ids.size());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM pg_locks l JOIN whatsapp_sessions s "
                                    "ON l.locktype = 'advisory' AND l.granted AND "
                                    "((l.classid::bigint << 32) | l.objid::bigint) = s.lock_key"))
                  .toInt(),
              ids.size());
}

TEST_F(OwnershipTest, AConnectionNobodyWantsIsNotClaimed)
{
    const QUuid idle = createConnection("Never paired");
    const QUuid test = createConnection("Test kind", "test");
    cn::ConnectionSupervisor *a = supervisor(QStringLiteral("inst-a"));
    QTest::qWait(1200);
    EXPECT_FALSE(a->owns(idle));
    EXPECT_FALSE(a->owns(test));
    EXPECT_EQ(a->ownedCount(), 0);
}

} // namespace atende::test
