// Resuming after a reconnect (issue 4 item 8) against one in-process server: sync.resume returns exactly the
// events a client missed, in seq order and none twice, even while more events are committed during the
// resume; a seq older than the retained log (pruned) or unknown gets resync_required; pruning removes only
// old rows, per tenant, one instance at a time.

#include "server_fixture.h"
#include "ws_recorder.h"

#include "server/db/db_executor.h"
#include "server/events/event_log_pruner.h"
#include "tests/support/await.h"
#include "tests/support/test_connection.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace atende;
using test::WsRecorder;

namespace {

class ResumeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_fx = new test::ServerFixture;
        ASSERT_TRUE(s_fx->start(QStringLiteral("events_resume")));
    }
    static void TearDownTestSuite()
    {
        delete s_fx;
        s_fx = nullptr;
    }

    test::ServerFixture &fx() { return *s_fx; }
    QString tenantText(const QString &slug) { return fx().tenant(slug).id.toString(QUuid::WithoutBraces); }

    // contacts.create over REST; one ContactChanged event (contacts.read) each.
    void createContact(const QString &slug, const QString &name)
    {
        const test::TestResponse r =
            fx().callJson("POST", "/api/v1/contacts", QJsonObject{{QStringLiteral("name"), name}},
                          fx().token(slug, QStringLiteral("admin")));
        ASSERT_EQ(r.status, 200) << r.body.toStdString();
    }
    // The tenant's stored seqs after `after`, in order.
    QList<quint64> storedSeqs(const QString &slug, quint64 after = 0)
    {
        QList<quint64> out;
        for (const QString &s : fx().superuserQuery(
                 QStringLiteral("SELECT seq FROM event_log WHERE tenant_id = '%1' AND seq > %2 ORDER BY seq")
                     .arg(tenantText(slug))
                     .arg(after)))
            out.append(s.toULongLong());
        return out;
    }
    quint64 head(const QString &slug)
    {
        const QStringList r = fx().superuserQuery(
            QStringLiteral("SELECT coalesce(max(last_seq), 0) FROM event_sequences WHERE tenant_id = '%1'")
                .arg(tenantText(slug)));
        return r.isEmpty() ? 0 : r.first().toULongLong();
    }
    static QJsonObject resumeBody(quint64 after, int limit = 0)
    {
        QJsonObject b{{QStringLiteral("afterSeq"), QString::number(after)}};
        if (limit)
            b.insert(QStringLiteral("limit"), limit);
        return b;
    }
    static QJsonObject bodyOf(const QJsonObject &reply) { return reply.value(QStringLiteral("body")).toObject(); }

    static test::ServerFixture *s_fx;
};

test::ServerFixture *ResumeTest::s_fx = nullptr;

bool strictlyIncreasing(const QList<quint64> &seqs)
{
    for (qsizetype i = 1; i < seqs.size(); ++i)
        if (seqs[i] <= seqs[i - 1])
            return false;
    return true;
}

} // namespace

TEST_F(ResumeTest, ReconnectingClientGetsExactlyTheMissedEventsWhileMoreAreCommitted)
{
    const QString admin = QString::fromUtf8(fx().token(QStringLiteral("acme"), QStringLiteral("admin")));
    quint64 lastSeen = 0;
    {
        WsRecorder before;
        ASSERT_TRUE(before.open(fx().port()));
        ASSERT_TRUE(before.authenticate(admin).contains(QStringLiteral("session")));
        createContact(QStringLiteral("acme"), QStringLiteral("Before the break"));
        ASSERT_TRUE(before.waitUntil([&] { return !before.seqStream().isEmpty(); }));
        lastSeen = before.seqStream().last();
        before.socket.close();
    }
    // Committed while the client is away (more than one page of 7).
    for (int i = 0; i < 20; ++i)
        createContact(QStringLiteral("acme"), QStringLiteral("Missed %1").arg(i));

    WsRecorder client;
    ASSERT_TRUE(client.open(fx().port()));
    // The token and the resume in one frame: live events are held back from the subscription on.
    QString id = client.send(QStringLiteral("sync.resume"), resumeBody(lastSeen, 7), admin);
    // Committed while the first page is read.
    for (int i = 0; i < 3; ++i)
        createContact(QStringLiteral("acme"), QStringLiteral("During page 1 #%1").arg(i));
    int pages = 0;
    for (;;) {
        const QJsonObject reply = client.reply(id);
        ASSERT_TRUE(reply.value(QStringLiteral("ok")).toBool()) << QJsonDocument(reply).toJson().toStdString();
        const QJsonObject body = bodyOf(reply);
        EXPECT_FALSE(body.value(QStringLiteral("resyncRequired")).toBool());
        EXPECT_LE(body.value(QStringLiteral("events")).toArray().size(), 7);
        ++pages;
        if (!body.value(QStringLiteral("more")).toBool())
            break;
        ASSERT_LT(pages, 50);
        // Committed between pages.
        createContact(QStringLiteral("acme"), QStringLiteral("Between pages %1").arg(pages));
        id = client.send(QStringLiteral("sync.resume"),
                         resumeBody(body.value(QStringLiteral("lastSeq")).toString().toULongLong(), 7));
    }
    EXPECT_GE(pages, 3);
    // And live ones after the resume finished.
    for (int i = 0; i < 2; ++i)
        createContact(QStringLiteral("acme"), QStringLiteral("After %1").arg(i));

    const QList<quint64> expected = storedSeqs(QStringLiteral("acme"), lastSeen);
    ASSERT_EQ(expected.size(), 20 + 3 + (pages - 1) + 2);
    ASSERT_TRUE(client.waitUntil([&] {
        const QList<quint64> got = client.seqStream();
        return !got.isEmpty() && got.last() >= expected.last();
    }));
    const QList<quint64> got = client.seqStream();
    EXPECT_EQ(got, expected) << "every missed and live event once, in seq order";
    EXPECT_TRUE(strictlyIncreasing(got));
}

TEST_F(ResumeTest, ResumeAfterSigningInDoesNotRepeatLiveEvents)
{
    const QString admin = QString::fromUtf8(fx().token(QStringLiteral("acme"), QStringLiteral("admin")));
    const quint64 start = head(QStringLiteral("acme"));
    createContact(QStringLiteral("acme"), QStringLiteral("Missed while away"));

    WsRecorder client;
    ASSERT_TRUE(client.open(fx().port()));
    ASSERT_TRUE(client.authenticate(admin).contains(QStringLiteral("session")));
    for (int i = 0; i < 3; ++i)
        createContact(QStringLiteral("acme"), QStringLiteral("Live %1").arg(i));
    ASSERT_TRUE(client.waitUntil([&] { return client.seqStream().size() == 3; }));

    const QJsonObject reply = client.call(QStringLiteral("sync.resume"), resumeBody(start));
    ASSERT_TRUE(reply.value(QStringLiteral("ok")).toBool());
    createContact(QStringLiteral("acme"), QStringLiteral("Live after resume"));
    const QList<quint64> expected = storedSeqs(QStringLiteral("acme"), start);
    ASSERT_EQ(expected.size(), 5);
    ASSERT_TRUE(client.waitUntil([&] { return client.seqStream().size() >= 5; }));
    QList<quint64> got = client.seqStream();
    // The backlog only had the one event the session had not delivered live.
    EXPECT_EQ(bodyOf(reply).value(QStringLiteral("events")).toArray().size(), 1);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected) << "no event twice, none missing";
}

TEST_F(ResumeTest, ResumeIsFilteredByPermissionAndTenant)
{
    const quint64 acmeStart = head(QStringLiteral("acme"));
    createContact(QStringLiteral("acme"), QStringLiteral("Only for contacts.read"));
    createContact(QStringLiteral("globex"), QStringLiteral("Another tenant"));

    // An API token that may only read reports: no contact events.
    const test::TestResponse made =
        fx().callJson("POST", "/api/v1/api-tokens",
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("Reports")},
                                  {QStringLiteral("scopes"), QJsonArray{QStringLiteral("reports:read")}}},
                      fx().token(QStringLiteral("acme"), QStringLiteral("admin")));
    ASSERT_EQ(made.status, 200) << made.body.toStdString();
    const QString reportsToken = made.json().value(QStringLiteral("token")).toString();

    WsRecorder reports, agent;
    ASSERT_TRUE(reports.open(fx().port()));
    ASSERT_TRUE(agent.open(fx().port()));
    const QJsonObject r1 = reports.call(QStringLiteral("sync.resume"), resumeBody(acmeStart), reportsToken);
    const QJsonObject r2 = agent.call(QStringLiteral("sync.resume"), resumeBody(acmeStart),
                                      QString::fromUtf8(fx().token(QStringLiteral("acme"), QStringLiteral("agent"))));
    ASSERT_TRUE(r1.value(QStringLiteral("ok")).toBool());
    ASSERT_TRUE(r2.value(QStringLiteral("ok")).toBool());
    EXPECT_TRUE(bodyOf(r1).value(QStringLiteral("events")).toArray().isEmpty());
    // Its position still moves past the events it may not see.
    EXPECT_EQ(bodyOf(r1).value(QStringLiteral("lastSeq")).toString().toULongLong(), head(QStringLiteral("acme")));
    const QJsonArray agentEvents = bodyOf(r2).value(QStringLiteral("events")).toArray();
    ASSERT_EQ(agentEvents.size(), 1);
    EXPECT_EQ(agentEvents[0].toObject().value(QStringLiteral("tenantId")).toString(),
              tenantText(QStringLiteral("acme")));
    EXPECT_TRUE(agentEvents[0].toObject().contains(QStringLiteral("contactChanged")));
}

TEST_F(ResumeTest, RefusesBadResumeRequests)
{
    WsRecorder anonymous;
    ASSERT_TRUE(anonymous.open(fx().port()));
    const QJsonObject r = anonymous.call(QStringLiteral("sync.resume"), resumeBody(0));
    EXPECT_FALSE(r.value(QStringLiteral("ok")).toBool());
    EXPECT_EQ(r.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("unauthenticated"));

    WsRecorder client;
    ASSERT_TRUE(client.open(fx().port()));
    const QJsonObject big = client.call(QStringLiteral("sync.resume"), resumeBody(0, 5000),
                                        QString::fromUtf8(fx().token(QStringLiteral("acme"), QStringLiteral("admin"))));
    EXPECT_EQ(big.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("invalid_argument"));
    const QJsonObject malformed =
        client.call(QStringLiteral("sync.resume"), QJsonObject{{QStringLiteral("afterSeq"), QStringLiteral("x")}});
    EXPECT_FALSE(malformed.value(QStringLiteral("ok")).toBool());
    // Beyond the tenant's head: not this database's sequence.
    const QJsonObject future =
        client.call(QStringLiteral("sync.resume"), resumeBody(head(QStringLiteral("acme")) + 1000));
    ASSERT_TRUE(future.value(QStringLiteral("ok")).toBool());
    EXPECT_TRUE(bodyOf(future).value(QStringLiteral("resyncRequired")).toBool());
}

TEST_F(ResumeTest, PruningRemovesOnlyOldRowsAndResumeAcrossThePrunedRangeNeedsResync)
{
    const QString acme = tenantText(QStringLiteral("acme"));
    const quint64 start = head(QStringLiteral("acme"));
    for (int i = 0; i < 10; ++i)
        createContact(QStringLiteral("acme"), QStringLiteral("Prune %1").arg(i));
    createContact(QStringLiteral("globex"), QStringLiteral("Globex stays"));
    const QList<quint64> acmeSeqs = storedSeqs(QStringLiteral("acme"), start);
    ASSERT_EQ(acmeSeqs.size(), 10);
    const quint64 oldUpTo = acmeSeqs[4];
    const int globexBefore = storedSeqs(QStringLiteral("globex")).size();
    const int acmeBefore = storedSeqs(QStringLiteral("acme")).size();
    // Age everything of acme up to oldUpTo beyond the retention (72 h).
    fx().superuserQuery(QStringLiteral("UPDATE event_log SET created_at = now() - interval '100 hours' "
                                       "WHERE tenant_id = '%1' AND seq <= %2 RETURNING seq")
                            .arg(acme)
                            .arg(oldUpTo));

    server::events::EventLogPruner pruner(*fx().server().database(), 72);
    core::Result<qint64> pruned = test::await(pruner.pruneNow());
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(pruned.value(), acmeBefore - 5);
    EXPECT_EQ(storedSeqs(QStringLiteral("acme")), acmeSeqs.mid(5));
    EXPECT_EQ(storedSeqs(QStringLiteral("globex")).size(), globexBefore);
    // Nothing old is left: a second round removes nothing.
    core::Result<qint64> again = test::await(pruner.pruneNow());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), 0);

    WsRecorder client;
    ASSERT_TRUE(client.open(fx().port()));
    const QString admin = QString::fromUtf8(fx().token(QStringLiteral("acme"), QStringLiteral("admin")));
    // From the last pruned seq on, everything is still there.
    const QJsonObject ok = client.call(QStringLiteral("sync.resume"), resumeBody(oldUpTo), admin);
    ASSERT_TRUE(ok.value(QStringLiteral("ok")).toBool());
    EXPECT_FALSE(bodyOf(ok).value(QStringLiteral("resyncRequired")).toBool());
    EXPECT_EQ(bodyOf(ok).value(QStringLiteral("events")).toArray().size(), 5);
    // One before it: an event is gone, the client must resync; it continues from the head.
    const QJsonObject gone = client.call(QStringLiteral("sync.resume"), resumeBody(oldUpTo - 1));
    ASSERT_TRUE(gone.value(QStringLiteral("ok")).toBool());
    EXPECT_TRUE(bodyOf(gone).value(QStringLiteral("resyncRequired")).toBool());
    EXPECT_TRUE(bodyOf(gone).value(QStringLiteral("events")).toArray().isEmpty());
    const quint64 headSeq = bodyOf(gone).value(QStringLiteral("headSeq")).toString().toULongLong();
    EXPECT_EQ(headSeq, head(QStringLiteral("acme")));
    // Live events follow after the resync answer.
    const qsizetype before = client.seqStream().size();
    createContact(QStringLiteral("acme"), QStringLiteral("After resync"));
    ASSERT_TRUE(client.waitUntil([&] { return client.seqStream().size() == before + 1; }));
    EXPECT_EQ(client.seqStream().last(), headSeq + 1);
}

TEST_F(ResumeTest, OnlyOneInstancePrunesAtATime)
{
    test::TestConnection holder(fx().server().database()->config());
    ASSERT_TRUE(holder.isOpen());
    ASSERT_TRUE(
        holder.scalar(QStringLiteral("SELECT pg_try_advisory_lock(hashtext('atende.event_log_prune'))")).toBool());
    server::events::EventLogPruner pruner(*fx().server().database(), 72);
    core::Result<qint64> busy = test::await(pruner.pruneNow());
    ASSERT_TRUE(busy.ok());
    EXPECT_EQ(busy.value(), -1);
    holder.scalar(QStringLiteral("SELECT pg_advisory_unlock(hashtext('atende.event_log_prune'))"));
    core::Result<qint64> free = test::await(pruner.pruneNow());
    ASSERT_TRUE(free.ok());
    EXPECT_GE(free.value(), 0);
}
