// Bad input to the connections.* run-time operations: clear 4xx errors with stable codes, never a crash;
// permissions from the production role table; tenant B's ids are not_found for tenant A.

#include "tests/connectors/connectors_fixture.h"

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;

namespace {

class ConnectionApiTest : public ConnectorsTest {};

template <typename Resp> QString codeOf(const Result<Resp> &r)
{
    return r.ok() ? QStringLiteral("ok") : r.error().code;
}

} // namespace

TEST_F(ConnectionApiTest, StartPairingValidation)
{
    const QUuid wa = createConnection("WA");
    const QUuid test = createConnection("Test", "test");
    const QUuid foreign = createConnection("Globex WA", "whatsapp", &adminB);

    EXPECT_EQ(codeOf(startPairing(wa, "smoke-signals")), QStringLiteral("invalid_argument"));
    EXPECT_EQ(codeOf(startPairing(wa, "code")), QStringLiteral("invalid_argument")) << "code needs a phone";
    EXPECT_EQ(codeOf(startPairing(wa, "code", "0123")), QStringLiteral("invalid_argument"));
    EXPECT_EQ(codeOf(startPairing(wa, "qr", "5511912345678")), QStringLiteral("invalid_argument"));
    EXPECT_EQ(codeOf(startPairing(foreign)), QStringLiteral("not_found"));
    EXPECT_EQ(codeOf(startPairing(QUuid::createUuid())), QStringLiteral("not_found"));

    Result<v1::ConnectionHealth> notWa = startPairing(test);
    ASSERT_FALSE(notWa.ok());
    EXPECT_EQ(notWa.error().code, QStringLiteral("conflict"));
    EXPECT_EQ(reasonOf(notWa.error()), QStringLiteral("not_whatsapp"));

    v1::StartPairingRequest badId;
    badId.set_id("not-a-uuid");
    EXPECT_EQ(codeOf(call<v1::ConnectionHealth>("connections.pairing.start", adminA, badId)),
              QStringLiteral("invalid_argument"));

    // Agents may read health but not pair.
    v1::StartPairingRequest req;
    req.set_id(text(wa).toStdString());
    EXPECT_EQ(codeOf(call<v1::ConnectionHealth>("connections.pairing.start", agentA, req)),
              QStringLiteral("permission_denied"));
    v1::GetConnectionHealthRequest hr;
    hr.set_id(text(wa).toStdString());
    EXPECT_EQ(codeOf(call<v1::ConnectionHealth>("connections.health.get", agentA, hr)), QStringLiteral("ok"));

    ASSERT_TRUE(startPairing(wa).ok());
    // A paired account must be logged out before a new pairing.
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral("UPDATE whatsapp_sessions SET paired = true WHERE connection_id = '%1'").arg(text(wa))));
    Result<v1::ConnectionHealth> paired = startPairing(wa);
    ASSERT_FALSE(paired.ok());
    EXPECT_EQ(reasonOf(paired.error()), QStringLiteral("already_paired"));
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("connections.pairing.start")).size(), 1);
}

TEST_F(ConnectionApiTest, LogoutHealthAndEventsValidation)
{
    const QUuid wa = createConnection("WA");
    const QUuid test = createConnection("Test", "test");
    v1::LogoutConnectionRequest lo;
    lo.set_id(text(wa).toStdString());
    Result<v1::ConnectionHealth> unpaired = call<v1::ConnectionHealth>("connections.logout", adminA, lo);
    ASSERT_FALSE(unpaired.ok());
    EXPECT_EQ(reasonOf(unpaired.error()), QStringLiteral("not_paired"));
    lo.set_id(text(test).toStdString());
    Result<v1::ConnectionHealth> notWa = call<v1::ConnectionHealth>("connections.logout", adminA, lo);
    ASSERT_FALSE(notWa.ok());
    EXPECT_EQ(reasonOf(notWa.error()), QStringLiteral("not_whatsapp"));
    lo.set_id(text(wa).toStdString());
    EXPECT_EQ(codeOf(call<v1::ConnectionHealth>("connections.logout", agentA, lo)),
              QStringLiteral("permission_denied"));

    // A connection that never ran: health says so.
    v1::GetConnectionHealthRequest hr;
    hr.set_id(text(wa).toStdString());
    Result<v1::ConnectionHealth> h = call<v1::ConnectionHealth>("connections.health.get", adminA, hr);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->state(), "disconnected");
    EXPECT_TRUE(h->needs_pairing());
    EXPECT_TRUE(h->owner_instance_id().empty());
    EXPECT_EQ(codeOf(call<v1::ConnectionHealth>("connections.health.get", adminB, hr)), QStringLiteral("not_found"));

    v1::ListConnectionEventsRequest er;
    er.set_id(text(wa).toStdString());
    er.set_cursor("yesterday");
    EXPECT_EQ(codeOf(call<v1::ListConnectionEventsResponse>("connections.events.list", adminA, er)),
              QStringLiteral("invalid_argument"));
    er.set_cursor("");
    er.set_limit(5000);
    EXPECT_EQ(codeOf(call<v1::ListConnectionEventsResponse>("connections.events.list", adminA, er)),
              QStringLiteral("invalid_argument"));
    er.set_limit(0);
    Result<v1::ListConnectionEventsResponse> empty =
        call<v1::ListConnectionEventsResponse>("connections.events.list", adminA, er);
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty->events_size(), 0);
    EXPECT_EQ(codeOf(call<v1::ListConnectionEventsResponse>("connections.events.list", adminB, er)),
              QStringLiteral("not_found"));
    v1::GetPairingRequest pr;
    pr.set_id(text(wa).toStdString());
    EXPECT_EQ(codeOf(call<v1::PairingState>("connections.pairing.get", agentA, pr)),
              QStringLiteral("permission_denied"));
    EXPECT_EQ(codeOf(call<v1::PairingState>("connections.pairing.get", adminB, pr)), QStringLiteral("not_found"));
}

} // namespace atende::test
