// A WhatsApp connection through the API and the supervisor: pairing (QR as an ephemeral event and through
// connections.pairing.get), state changes as connection_events rows + connections.status + connection_changed
// events, health and the keyset-paginated timeline, a restart that logs in with the stored credentials
// without a new QR, logout, removal from the phone, and delete. The session is a ScriptedRunner here.

#include "server/api/permissions.h"
#include "server/connectors/connection_store.h"
#include "tests/connectors/connectors_fixture.h"
#include "tests/connectors/scripted_runner.h"

namespace atende::test {

namespace cn = server::connectors;
namespace v1 = atende::api::v1;
using core::Result;
using core::Status;

namespace {

class ConnectionLifecycleTest : public ConnectorsTest {
protected:
    void SetUp() override
    {
        ConnectorsTest::SetUp();
        if (HasFatalFailure())
            return;
        server::api::Subscriber sub;
        sub.tenantId = adminA.tenantId;
        sub.userId = adminA.userId;
        sub.permissions = server::api::perm::rolePermissions(QStringLiteral("admin"));
        sub.deliver = [this](const v1::Event &e) {
            m_events.append(e);
        };
        m_hub->add(sub);
    }
    QStringList timeline(const QUuid &id)
    {
        QStringList out;
        QSqlQuery q(m_conn->db());
        q.exec(QStringLiteral("SELECT state || '/' || reason || '@' || instance_id FROM connection_events "
                              "WHERE connection_id = '%1' ORDER BY id")
                   .arg(text(id)));
        while (q.next())
            out << q.value(0).toString();
        return out;
    }
    bool waitState(const QUuid &id, const QString &state, int ms = 10000)
    {
        return QTest::qWaitFor(
            [&] {
                return scalar(QStringLiteral("SELECT status FROM connections WHERE id = '%1'").arg(text(id)))
                           .toString() == state;
            },
            ms);
    }
    Result<v1::ConnectionHealth> health(const QUuid &id, const DeskPerson &who)
    {
        v1::GetConnectionHealthRequest req;
        req.set_id(text(id).toStdString());
        return call<v1::ConnectionHealth>("connections.health.get", who, req);
    }
    // What the session's store does when pairing succeeded (PgSessionStore::saveCredentials).
    void storePairedCredentials(const QUuid &id, const QString &instance, const QByteArray &bytes)
    {
        const QUuid tenant = adminA.tenantId;
        auto keys = m_keys;
        Status s = m_db->runTenant(tenant,
                                   [=](QSqlDatabase &d) {
                                       return cn::ConnectionStore::saveCredentials(d, *keys, tenant, id, instance,
                                                                                   bytes, true);
                                   })
                       .result();
        ASSERT_TRUE(s.ok()) << s.error().message.toStdString();
    }
    int eventsOf(v1::Event::PayloadCase kind, const std::function<bool(const v1::Event &)> &match = {})
    {
        int n = 0;
        for (const v1::Event &e : std::as_const(m_events))
            n += e.payload_case() == kind && (!match || match(e)) ? 1 : 0;
        return n;
    }

    QList<v1::Event> m_events;
    ScriptedRunners m_runners;
};

} // namespace

TEST_F(ConnectionLifecycleTest, PairRestartLogout)
{
    const QUuid id = createConnection("Vendas");
    cn::ConnectionSupervisor *a = supervisor(QStringLiteral("inst-a"), m_runners.factory());
    Result<v1::ConnectionHealth> started = startPairing(id);
    ASSERT_TRUE(started.ok()) << started.error().message.toStdString();
    EXPECT_TRUE(started->needs_pairing());

    ASSERT_TRUE(waitState(id, QStringLiteral("awaiting_qr")));
    ASSERT_EQ(m_runners.created.size(), 1);
    EXPECT_TRUE(m_runners.created.at(0)->context.credentials.isEmpty()) << "a new pairing starts from fresh keys";
    EXPECT_EQ(timeline(id), (QStringList{QStringLiteral("connecting/started@inst-a"),
                                         QStringLiteral("awaiting_qr/registration@inst-a")}));

    // The QR reached the admin as an ephemeral event, is readable while valid, and is not in the event log.
    ASSERT_TRUE(QTest::qWaitFor([&] { return eventsOf(v1::Event::kConnectionPairing) == 1; }, 5000));
    for (const v1::Event &e : std::as_const(m_events)) {
        if (e.payload_case() == v1::Event::kConnectionPairing) {
            EXPECT_EQ(e.seq(), 0u);
            EXPECT_EQ(e.connection_pairing().pairing().value(), "2@scripted-ref,noise,identity,adv");
            EXPECT_EQ(e.connection_pairing().pairing().connection_id(), text(id).toStdString());
        }
    }
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT count(*) FROM event_log WHERE position('scripted-ref'::bytea in payload) > 0"))
            .toInt(),
        0);
    v1::GetPairingRequest pr;
    pr.set_id(text(id).toStdString());
    Result<v1::PairingState> qr = call<v1::PairingState>("connections.pairing.get", adminA, pr);
    ASSERT_TRUE(qr.ok());
    EXPECT_EQ(qr->kind(), "qr");
    EXPECT_EQ(qr->value(), "2@scripted-ref,noise,identity,adv");
    EXPECT_EQ(qr->state(), "awaiting_qr");
    EXPECT_GE(
        eventsOf(v1::Event::kConnectionChanged,
                 [](const v1::Event &e) { return e.connection_changed().connection().status() == "awaiting_qr"; }),
        1);

    // The phone scans: the session stores the paired account, then reports connected.
    storePairedCredentials(id, QStringLiteral("inst-a"), QByteArrayLiteral("paired-account-bytes"));
    m_runners.created.at(0)->enter(QStringLiteral("connected"), QStringLiteral("pair_success"));
    ASSERT_TRUE(waitState(id, QStringLiteral("connected")));
    Result<v1::ConnectionHealth> h = health(id, agentA); // connections.read is enough
    ASSERT_TRUE(h.ok()) << h.error().message.toStdString();
    EXPECT_EQ(h->state(), "connected");
    EXPECT_EQ(h->reason(), "pair_success");
    EXPECT_EQ(h->owner_instance_id(), "inst-a");
    EXPECT_TRUE(h->paired());
    EXPECT_FALSE(h->needs_pairing());
    EXPECT_EQ(h->reconnects(), 1);
    EXPECT_FALSE(h->since().empty());
    EXPECT_FALSE(h->last_frame_at().empty());
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return call<v1::PairingState>("connections.pairing.get", adminA, pr)->kind().empty(); }, 5000))
        << "the QR is forgotten once paired";

    Result<v1::ConnectionHealth> again = startPairing(id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("already_paired"));

    // Restart: another instance logs in with the stored credentials, no new QR.
    a->stop();
    EXPECT_EQ(scalar(QStringLiteral("SELECT status FROM connections WHERE id = '%1'").arg(text(id))).toString(),
              QStringLiteral("disconnected"));
    const int qrsBefore = eventsOf(v1::Event::kConnectionPairing);
    supervisor(QStringLiteral("inst-b"), m_runners.factory());
    ASSERT_TRUE(waitState(id, QStringLiteral("connected")));
    ASSERT_EQ(m_runners.created.size(), 2);
    EXPECT_EQ(m_runners.created.at(1)->context.credentials, QByteArrayLiteral("paired-account-bytes"));
    EXPECT_EQ(eventsOf(v1::Event::kConnectionPairing), qrsBefore);
    EXPECT_EQ(ownerOf(id), QStringLiteral("inst-b"));

    // Timeline through the API, newest first, two per page.
    v1::ListConnectionEventsRequest lr;
    lr.set_id(text(id).toStdString());
    lr.set_limit(2);
    QStringList seen;
    for (int page = 0; page < 10; ++page) {
        Result<v1::ListConnectionEventsResponse> p =
            call<v1::ListConnectionEventsResponse>("connections.events.list", agentA, lr);
        ASSERT_TRUE(p.ok()) << p.error().message.toStdString();
        for (const v1::ConnectionStateEvent &e : p->events())
            seen << QString::fromStdString(e.state() + "/" + e.reason() + "@" + e.instance_id());
        if (p->next_cursor().empty())
            break;
        lr.set_cursor(p->next_cursor());
    }
    QStringList expected = timeline(id);
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected);
    EXPECT_TRUE(expected.contains(QStringLiteral("disconnected/stopped@inst-a")));

    // Logout through the API (any instance): the owner unlinks, forgets the account and gives the connection up.
    v1::LogoutConnectionRequest out;
    out.set_id(text(id).toStdString());
    Result<v1::ConnectionHealth> lo = call<v1::ConnectionHealth>("connections.logout", adminA, out);
    ASSERT_TRUE(lo.ok()) << lo.error().message.toStdString();
    ASSERT_TRUE(waitState(id, QStringLiteral("logged_out")));
    EXPECT_EQ(m_runners.logouts, 1);
    EXPECT_TRUE(QTest::qWaitFor([&] { return ownerOf(id).isEmpty(); }, 5000));
    EXPECT_TRUE(scalar(QStringLiteral("SELECT credentials IS NULL AND NOT paired AND needs_pairing AND NOT wanted "
                                      "FROM whatsapp_sessions WHERE connection_id = '%1'")
                           .arg(text(id)))
                    .toBool());
    EXPECT_EQ(eventsOf(v1::Event::kNotice,
                       [](const v1::Event &e) { return e.notice().kind() == "connection_needs_pairing"; }),
              1);
    QTest::qWait(800);
    EXPECT_EQ(ownerOf(id), QString()) << "a logged-out connection is not run again";
}

TEST_F(ConnectionLifecycleTest, RemovedFromThePhoneNeedsPairingAndRaisesAnAlert)
{
    const QUuid id = createConnection("Suporte");
    supervisor(QStringLiteral("inst-a"), m_runners.factory());
    ASSERT_TRUE(startPairing(id).ok());
    ASSERT_TRUE(waitState(id, QStringLiteral("awaiting_qr")));
    storePairedCredentials(id, QStringLiteral("inst-a"), QByteArrayLiteral("account"));
    m_runners.created.at(0)->enter(QStringLiteral("connected"), QStringLiteral("pair_success"));
    ASSERT_TRUE(waitState(id, QStringLiteral("connected")));

    m_runners.created.at(0)->enter(QStringLiteral("logged_out"), QStringLiteral("device_removed"));
    ASSERT_TRUE(waitState(id, QStringLiteral("logged_out")));
    EXPECT_TRUE(QTest::qWaitFor([&] { return ownerOf(id).isEmpty(); }, 5000));
    EXPECT_TRUE(timeline(id).contains(QStringLiteral("logged_out/device_removed@inst-a")));
    EXPECT_TRUE(
        scalar(QStringLiteral("SELECT credentials IS NULL AND needs_pairing AND NOT wanted FROM whatsapp_sessions "
                              "WHERE connection_id = '%1'")
                   .arg(text(id)))
            .toBool());
    EXPECT_EQ(eventsOf(v1::Event::kNotice,
                       [](const v1::Event &e) { return e.notice().kind() == "connection_needs_pairing"; }),
              1);
    Result<v1::ConnectionHealth> h = health(id, adminA);
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(h->needs_pairing());
    // Pairing again is allowed now.
    EXPECT_TRUE(startPairing(id).ok());
}

TEST_F(ConnectionLifecycleTest, PairingByPhoneNumberCode)
{
    const QUuid id = createConnection("Código");
    supervisor(QStringLiteral("inst-a"), m_runners.factory());
    ASSERT_TRUE(startPairing(id, "code", "+55 11 91234-5678").ok());
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return !m_runners.created.isEmpty() && !m_runners.created.at(0)->codePhone.isEmpty(); }, 10000));
    EXPECT_EQ(m_runners.created.at(0)->codePhone, QStringLiteral("5511912345678"));
    v1::GetPairingRequest pr;
    pr.set_id(text(id).toStdString());
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return call<v1::PairingState>("connections.pairing.get", adminA, pr)->kind() == "code"; }, 5000));
    EXPECT_EQ(call<v1::PairingState>("connections.pairing.get", adminA, pr)->value(), "ABCD-EFGH");
}

TEST_F(ConnectionLifecycleTest, DeleteStopsAndLogsOutTheSession)
{
    const QUuid id = createConnection("Apagar");
    supervisor(QStringLiteral("inst-a"), m_runners.factory());
    ASSERT_TRUE(startPairing(id).ok());
    ASSERT_TRUE(waitState(id, QStringLiteral("awaiting_qr")));
    storePairedCredentials(id, QStringLiteral("inst-a"), QByteArrayLiteral("account"));
    m_runners.created.at(0)->enter(QStringLiteral("connected"), QStringLiteral("pair_success"));
    ASSERT_TRUE(waitState(id, QStringLiteral("connected")));

    v1::DeleteConnectionRequest del;
    del.set_id(text(id).toStdString());
    ASSERT_TRUE(call<v1::DeleteConnectionResponse>("connections.delete", adminA, del).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_runners.logouts == 1; }, 10000)) << "the connected session unlinks";
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return m_runners.created.at(0).isNull() || m_runners.created.at(0)->stopped; }, 10000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return ownerOf(id).isEmpty(); }, 5000));
    EXPECT_TRUE(scalar(QStringLiteral("SELECT credentials IS NULL FROM whatsapp_sessions WHERE connection_id = '%1'")
                           .arg(text(id)))
                    .toBool());
    EXPECT_TRUE(timeline(id).contains(QStringLiteral("logged_out/logged_out@inst-a")));
}

} // namespace atende::test
