// Two server instances on one database (in one process, each with its own DbExecutor, LISTEN connection,
// EventHub and HTTP/WebSocket listener; the same master key, so tokens of one work on the other):
// events committed through instance A reach WebSocket clients of instance B with the same seq, filtered by
// tenant, permission and sector; A's own clients get each event once although its NOTIFY comes back;
// ephemeral events cross instances without being stored; deactivating a user on A stops their access token
// and WebSocket session on B at once.

#include "server_fixture.h"
#include "ws_recorder.h"

#include "server/accounts/change_log.h"
#include "server/api/event_hub.h"
#include "server/api/permissions.h"
#include "server/db/db_executor.h"
#include "server/events/event_relay.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

#include <gtest/gtest.h>

using namespace atende;
using test::WsRecorder;
namespace v1 = atende::api::v1;
namespace perm = server::api::perm;

namespace {

class CrossInstanceTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        QByteArray raw(32, '\0');
        for (char &c : raw)
            c = char(QRandomGenerator::system()->bounded(256));
        const QStringList key{QStringLiteral("--master-key=") + QString::fromLatin1(raw.toBase64())};
        s_a = new test::ServerFixture;
        s_b = new test::ServerFixture;
        ASSERT_TRUE(s_a->start(QStringLiteral("events_two_a"), key));
        ASSERT_TRUE(s_b->startPeer(*s_a, QStringLiteral("events_two_b"), key));
        ASSERT_TRUE(s_a->server().relay()->isListening());
        ASSERT_TRUE(s_b->server().relay()->isListening());
    }
    static void TearDownTestSuite()
    {
        delete s_b;
        delete s_a;
        s_a = s_b = nullptr;
    }

    test::ServerFixture &a() { return *s_a; }
    test::ServerFixture &b() { return *s_b; }
    QUuid tenant(const QString &slug) { return a().tenant(slug).id; }
    QString admin(const char *slug)
    {
        return QString::fromUtf8(a().token(QLatin1String(slug), QStringLiteral("admin")));
    }

    QJsonObject post(test::ServerFixture &fx, const QByteArray &path, const QJsonObject &body, const QString &token,
                     const QByteArray &method = "POST")
    {
        const test::TestResponse r = fx.callJson(method, path, body, token.toUtf8());
        EXPECT_EQ(r.status, 200) << path.toStdString() << ": " << r.body.toStdString();
        return r.json();
    }
    QString createContact(const char *slug, const QString &name)
    {
        return post(a(), "/api/v1/contacts", QJsonObject{{QStringLiteral("name"), name}}, admin(slug))
            .value(QStringLiteral("id"))
            .toString();
    }
    // Stores an event for `audience` through instance A the way a service does (Outbox in the transaction,
    // publish on A's hub after COMMIT); returns its seq.
    quint64 commitOnA(const server::api::Audience &audience, const QString &label)
    {
        v1::Event e;
        e.mutable_notice()->set_kind("test");
        e.mutable_notice()->set_text(label.toStdString());
        QFuture<core::Result<server::accounts::Outbox>> f = a().server().database()->runTenant(
            audience.tenantId, [audience, e](QSqlDatabase &db) -> core::Result<server::accounts::Outbox> {
                server::accounts::Outbox out;
                if (core::Status s = out.add(db, audience, e); !s.ok())
                    return s.error();
                return out;
            });
        const core::Result<server::accounts::Outbox> out = f.result();
        EXPECT_TRUE(out.ok());
        if (!out.ok())
            return 0;
        for (const server::accounts::PendingEvent &p : out->events)
            a().server().events()->publish(p.audience, p.event);
        return out->events.first().event.seq();
    }
    QList<quint64> storedSeqs(const QUuid &tenantId, quint64 after)
    {
        QList<quint64> out;
        for (const QString &s : a().superuserQuery(
                 QStringLiteral("SELECT seq FROM event_log WHERE tenant_id = '%1' AND seq > %2 ORDER BY seq")
                     .arg(tenantId.toString(QUuid::WithoutBraces))
                     .arg(after)))
            out.append(s.toULongLong());
        return out;
    }
    quint64 head(const QUuid &tenantId)
    {
        const QStringList r = a().superuserQuery(
            QStringLiteral("SELECT coalesce(max(last_seq), 0) FROM event_sequences WHERE tenant_id = '%1'")
                .arg(tenantId.toString(QUuid::WithoutBraces)));
        return r.isEmpty() ? 0 : r.first().toULongLong();
    }
    static bool hasSeq(const WsRecorder &c, quint64 seq) { return c.seqStream().contains(seq); }
    static QStringList noticeTexts(const WsRecorder &c)
    {
        QStringList out;
        for (const QJsonObject &e : c.events())
            out.append(e.value(QStringLiteral("notice")).toObject().value(QStringLiteral("text")).toString());
        return out;
    }

    static test::ServerFixture *s_a;
    static test::ServerFixture *s_b;
};

test::ServerFixture *CrossInstanceTest::s_a = nullptr;
test::ServerFixture *CrossInstanceTest::s_b = nullptr;

} // namespace

TEST_F(CrossInstanceTest, EventsCommittedOnOneInstanceReachTheOtherFilteredAndOnce)
{
    const QUuid acme = tenant(QStringLiteral("acme"));
    // Sectors and the agent's membership first, so the agent's session on B loads them at sign-in.
    const QString s1 =
        post(a(), "/api/v1/sectors", QJsonObject{{QStringLiteral("name"), QStringLiteral("Vendas")}}, admin("acme"))
            .value(QStringLiteral("id"))
            .toString();
    const QString s2 =
        post(a(), "/api/v1/sectors", QJsonObject{{QStringLiteral("name"), QStringLiteral("Suporte")}}, admin("acme"))
            .value(QStringLiteral("id"))
            .toString();
    ASSERT_FALSE(s1.isEmpty());
    const QString agentId =
        a().tenant(QStringLiteral("acme")).users.value(QStringLiteral("agent")).id.toString(QUuid::WithoutBraces);
    post(a(), "/api/v1/users/" + agentId.toUtf8() + "/sectors",
         QJsonObject{{QStringLiteral("sectorIds"), QJsonArray{s1}}}, admin("acme"), "PUT");
    const test::TestResponse tokenMade =
        a().callJson("POST", "/api/v1/api-tokens",
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("Reports")},
                                 {QStringLiteral("scopes"), QJsonArray{QStringLiteral("reports:read")}}},
                     admin("acme").toUtf8());
    ASSERT_EQ(tokenMade.status, 200);

    WsRecorder adminA, adminB, agentB, reportsB, globexB;
    for (WsRecorder *c : {&adminB, &agentB, &reportsB, &globexB})
        ASSERT_TRUE(c->open(b().port()));
    ASSERT_TRUE(adminA.open(a().port()));
    ASSERT_TRUE(adminA.authenticate(admin("acme")).contains(QStringLiteral("session")));
    ASSERT_TRUE(adminB.authenticate(admin("acme")).contains(QStringLiteral("session")));
    ASSERT_TRUE(agentB.authenticate(QString::fromUtf8(a().token(QStringLiteral("acme"), QStringLiteral("agent"))))
                    .contains(QStringLiteral("session")));
    ASSERT_TRUE(reportsB.authenticate(tokenMade.json().value(QStringLiteral("token")).toString())
                    .contains(QStringLiteral("session")));
    ASSERT_TRUE(globexB.authenticate(admin("globex")).contains(QStringLiteral("session")));
    const quint64 start = head(acme);

    createContact("acme", QStringLiteral("Cliente A"));
    const quint64 contactSeq = start + 1;
    const quint64 otherSector =
        commitOnA({acme, QLatin1String(perm::kTicketsRead), QUuid::fromString(s2), {}, {}}, QStringLiteral("sector 2"));
    const quint64 mySector =
        commitOnA({acme, QLatin1String(perm::kTicketsRead), QUuid::fromString(s1), {}, {}}, QStringLiteral("sector 1"));
    const quint64 reports = commitOnA({acme, QLatin1String(perm::kReportsRead), {}, {}, {}}, QStringLiteral("reports"));
    createContact("globex", QStringLiteral("Cliente G"));
    ASSERT_EQ(storedSeqs(acme, start), (QList<quint64>{contactSeq, otherSector, mySector, reports}));

    // B's admin sees all of acme's events, with the seqs of the log, in order.
    ASSERT_TRUE(adminB.waitUntil([&] { return hasSeq(adminB, reports); }));
    EXPECT_EQ(adminB.seqStream(), storedSeqs(acme, start));
    const QJsonObject contactEvent = adminB.events().first();
    EXPECT_EQ(test::seqOf(contactEvent), contactSeq);
    EXPECT_EQ(contactEvent.value(QStringLiteral("contactChanged"))
                  .toObject()
                  .value(QStringLiteral("contact"))
                  .toObject()
                  .value(QStringLiteral("name"))
                  .toString(),
              QStringLiteral("Cliente A"));
    // A's own client: each event once, although A published it after COMMIT and got its NOTIFY back.
    ASSERT_TRUE(adminA.waitUntil([&] { return hasSeq(adminA, reports); }));
    EXPECT_EQ(adminA.seqStream(), storedSeqs(acme, start));
    ASSERT_TRUE(a().server().relay() != nullptr);
    // The agent: the contact and its own sector's event; the later one arrived, so the other sector's (an
    // earlier seq, events go out in order) was filtered out.
    ASSERT_TRUE(agentB.waitUntil([&] { return hasSeq(agentB, mySector); }));
    EXPECT_EQ(agentB.seqStream(), (QList<quint64>{contactSeq, mySector}));
    // No contacts.read, no tickets.read: only the reports event.
    ASSERT_TRUE(reportsB.waitUntil([&] { return hasSeq(reportsB, reports); }));
    EXPECT_EQ(reportsB.seqStream(), QList<quint64>{reports});
    // Another tenant: only its own event.
    ASSERT_TRUE(globexB.waitUntil([&] { return !globexB.seqStream().isEmpty(); }));
    for (const QJsonObject &e : globexB.events())
        EXPECT_EQ(e.value(QStringLiteral("tenantId")).toString(),
                  tenant(QStringLiteral("globex")).toString(QUuid::WithoutBraces));
}

TEST_F(CrossInstanceTest, EphemeralEventsCrossInstancesAndAreNotStored)
{
    const QUuid acme = tenant(QStringLiteral("acme"));
    WsRecorder adminA, adminB, globexB;
    ASSERT_TRUE(adminA.open(a().port()));
    ASSERT_TRUE(adminB.open(b().port()));
    ASSERT_TRUE(globexB.open(b().port()));
    ASSERT_TRUE(adminA.authenticate(admin("acme")).contains(QStringLiteral("session")));
    ASSERT_TRUE(adminB.authenticate(admin("acme")).contains(QStringLiteral("session")));
    ASSERT_TRUE(globexB.authenticate(admin("globex")).contains(QStringLiteral("session")));
    const QString stored = a().superuserQuery(QStringLiteral("SELECT count(*) FROM event_log")).value(0);

    v1::Event typing;
    typing.mutable_notice()->set_kind("typing");
    typing.mutable_notice()->set_text("agent is typing");
    EXPECT_EQ(a().server().events()->publishEphemeral({acme, QLatin1String(perm::kContactsRead), {}, {}, {}}, typing),
              1); // adminA
    ASSERT_TRUE(adminB.waitUntil([&] { return noticeTexts(adminB).contains(QStringLiteral("agent is typing")); }));
    const QJsonObject got = adminB.notices(QStringLiteral("typing")).first();
    EXPECT_EQ(test::seqOf(got), 0u) << "ephemeral events have no seq";
    // B delivered it to all its sessions at once: the other tenant's session did not get it.
    EXPECT_TRUE(globexB.notices(QStringLiteral("typing")).isEmpty());
    // A's own client got it once (A skips its own NOTIFY).
    EXPECT_EQ(adminA.notices(QStringLiteral("typing")).size(), 1);
    EXPECT_EQ(a().superuserQuery(QStringLiteral("SELECT count(*) FROM event_log")).value(0), stored);

    // Too large for NOTIFY: delivered on A only, and nothing breaks.
    v1::Event big;
    big.mutable_notice()->set_kind("typing");
    big.mutable_notice()->set_text(std::string(9000, 'x'));
    EXPECT_EQ(a().server().events()->publishEphemeral({acme, QLatin1String(perm::kContactsRead), {}, {}, {}}, big), 1);
    typing.mutable_notice()->set_text("still typing");
    a().server().events()->publishEphemeral({acme, QLatin1String(perm::kContactsRead), {}, {}, {}}, typing);
    ASSERT_TRUE(adminB.waitUntil([&] { return noticeTexts(adminB).contains(QStringLiteral("still typing")); }));
    EXPECT_EQ(adminB.notices(QStringLiteral("typing")).size(), 2);
    EXPECT_EQ(adminA.notices(QStringLiteral("typing")).size(), 3);
}

TEST_F(CrossInstanceTest, DeactivationOnOneInstanceStopsTokenAndSessionOnTheOther)
{
    const QJsonObject made = post(a(), "/api/v1/users",
                                  QJsonObject{{QStringLiteral("email"), QStringLiteral("temp@acme.example")},
                                              {QStringLiteral("name"), QStringLiteral("Temp Agent")},
                                              {QStringLiteral("role"), QStringLiteral("agent")}},
                                  admin("acme"));
    const QString userId = made.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    const QString password = made.value(QStringLiteral("generatedPassword")).toString();
    ASSERT_FALSE(userId.isEmpty());
    const QByteArray token = b().login(QStringLiteral("temp@acme.example"), password)
                                 .value(QStringLiteral("accessToken"))
                                 .toString()
                                 .toUtf8();
    ASSERT_FALSE(token.isEmpty());
    EXPECT_EQ(b().call("GET", "/api/v1/auth/me", {}, token).status, 200);

    WsRecorder tempB, adminB;
    ASSERT_TRUE(tempB.open(b().port()));
    ASSERT_TRUE(adminB.open(b().port()));
    ASSERT_TRUE(tempB.authenticate(QString::fromUtf8(token)).contains(QStringLiteral("session")));
    ASSERT_TRUE(adminB.authenticate(admin("acme")).contains(QStringLiteral("session")));

    post(a(), "/api/v1/users/" + userId.toUtf8(), QJsonObject{{QStringLiteral("active"), false}}, admin("acme"),
         "PATCH");
    // B refuses the token as soon as A's notification arrived (not after the token's 15 minutes).
    EXPECT_TRUE(b().call("GET", "/api/v1/auth/me", {}, token).status == 401 ||
                QTest::qWaitFor([&] { return b().call("GET", "/api/v1/auth/me", {}, token).status == 401; }, 5000));
    // The WebSocket session on B is told and stops receiving.
    ASSERT_TRUE(tempB.waitUntil([&] { return !tempB.notices(QStringLiteral("auth_revoked")).isEmpty(); }, 5000));
    const qsizetype seen = tempB.seqStream().size();
    const QString contact = createContact("acme", QStringLiteral("After deactivation"));
    ASSERT_TRUE(adminB.waitUntil([&] {
        for (const QJsonObject &e : adminB.events())
            if (e.value(QStringLiteral("contactChanged"))
                    .toObject()
                    .value(QStringLiteral("contact"))
                    .toObject()
                    .value(QStringLiteral("id")) == contact)
                return true;
        return false;
    }));
    EXPECT_EQ(tempB.seqStream().size(), seen);
    const QJsonObject call = tempB.call(QStringLiteral("contacts.list"), {});
    EXPECT_EQ(call.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
              QStringLiteral("unauthenticated"));
}
