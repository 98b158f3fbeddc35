// Issue 3 item 10, hostile input across the whole operation table (the token-level cases — malformed JWTs,
// alg none, wrong signature or kid, expiry, refresh reuse, brute force — are in auth_test.cpp): SQL
// metacharacters in every string field of every operation, oversized bodies and a tenant A token used on
// tenant B's objects. Each gets a 4xx (or a 2xx that stores the text literally), never a 5xx or a dropped
// connection, and no table disappears or changes for the other tenant.

#include "op_requests.h"
#include "server_fixture.h"

#include "server/api/operation.h"
#include "server/api/permissions.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

using namespace atende;
using google::protobuf::FieldDescriptor;

namespace {

const QStringList kHostile{
    QStringLiteral("'; DROP TABLE users; --"),
    QStringLiteral("\" OR 1=1 --"),
    QStringLiteral("%_\\%"),
    QStringLiteral("x' UNION SELECT password_hash FROM users --"),
    QStringLiteral("$$; SELECT pg_sleep(5); $$"),
    QStringLiteral("\\x00\u0000nul"),
    QStringLiteral("💥 ünïcödé ✓"),
};

class HostileInput : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(fx.start(QStringLiteral("hostile"), {QStringLiteral("--rate-limit-ip-per-second=0"),
                                                         QStringLiteral("--rate-limit-user-per-second=0"),
                                                         QStringLiteral("--max-body-bytes=65536")}));
    }
    QStringList tables()
    {
        return fx.superuserQuery(QStringLiteral(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"));
    }
    QString tenantDigest(const QUuid &tenant)
    {
        QStringList parts;
        for (const QString &t : fx.superuserQuery(QStringLiteral(
                 "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
                 "USING (table_schema, table_name) WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' "
                 "AND t.table_type = 'BASE TABLE' ORDER BY 1")))
            parts += fx.superuserQuery(QStringLiteral("SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY "
                                                      "x::text)), '-') FROM %1 x WHERE tenant_id = '%2'")
                                           .arg(t, tenant.toString(QUuid::WithoutBraces)));
        return parts.join(QLatin1Char(','));
    }
    test::ServerFixture fx;
};

TEST_F(HostileInput, SqlMetacharactersInEveryStringFieldOfEveryOperation)
{
    const QStringList tablesBefore = tables();
    const QUuid globex = fx.tenant(QStringLiteral("globex")).id;
    const QString globexBefore = tenantDigest(globex);
    const QByteArray token = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    ASSERT_FALSE(token.isEmpty());

    int calls = 0;
    QStringList failures;
    for (const server::api::Operation &op : fx.server().operations().all()) {
        if (op.name == QLatin1String("auth.logout_all"))
            continue; // would sign the admin out; its request has no fields anyway
        for (const QString &payload : kHostile) {
            const test::OpRequest req = test::buildRequest(op, [&](const FieldDescriptor *f) -> std::optional<QJsonValue> {
                if (!test::isStringField(f))
                    return std::nullopt;
                return f->is_repeated() ? QJsonValue(QJsonArray{payload}) : QJsonValue(payload);
            });
            const test::TestResponse r = fx.call(req.method, req.path, req.body, token);
            ++calls;
            if (r.status == 0 || r.status >= 500)
                failures << QStringLiteral("%1 with %2 -> %3").arg(op.name, payload).arg(r.status);
            else if (r.status >= 400 && r.json().value(QStringLiteral("code")).toString().isEmpty())
                failures << QStringLiteral("%1 -> %2 without an error code").arg(op.name).arg(r.status);
        }
    }
    std::printf("hostile: %d calls over %lld operations\n", calls, qlonglong(fx.server().operations().all().size()));
    for (const QString &f : std::as_const(failures))
        ADD_FAILURE() << f.toStdString();
    EXPECT_EQ(tables(), tablesBefore);
    EXPECT_EQ(tenantDigest(globex), globexBefore);
    // The server still answers and the admin can still sign in.
    EXPECT_EQ(fx.call("GET", "/api/v1/auth/me", {}, token).status, 200);
}

TEST_F(HostileInput, OversizedBodiesAre413AndChangeNothing)
{
    const QByteArray token = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
    const QString before = tenantDigest(fx.tenant(QStringLiteral("acme")).id);
    for (const server::api::Operation &op : fx.server().operations().all()) {
        if (op.method == "GET" || op.method == "DELETE")
            continue;
        const QByteArray body = "{\"name\":\"" + QByteArray(70000, 'a') + "\"}";
        const test::TestResponse r = fx.call(op.method, op.path.toUtf8(), body, token);
        EXPECT_EQ(r.status, 413) << op.name.toStdString();
        EXPECT_EQ(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("payload_too_large"))
            << op.name.toStdString();
    }
    EXPECT_EQ(tenantDigest(fx.tenant(QStringLiteral("acme")).id), before);
}

TEST_F(HostileInput, TenantATokenNamesOnlyTenantA)
{
    // The tenant always comes from the token: whatever a request says, auth.me answers for A.
    const QByteArray token = fx.token(QStringLiteral("acme"), QStringLiteral("agent"));
    const QString b = fx.tenant(QStringLiteral("globex")).id.toString(QUuid::WithoutBraces);
    const test::TestResponse r =
        fx.call("GET", QByteArray("/api/v1/auth/me?tenantId=") + b.toUtf8(), {}, token,
                {{QByteArrayLiteral("X-Tenant-Id"), b.toUtf8()}});
    // Unknown query fields are refused rather than ignored...
    EXPECT_EQ(r.status, 400);
    const test::TestResponse me = fx.call("GET", "/api/v1/auth/me", {}, token, {{"X-Tenant-Id", b.toUtf8()}});
    ASSERT_EQ(me.status, 200);
    // ...and a header naming another tenant changes nothing.
    EXPECT_EQ(me.json().value(QStringLiteral("tenantId")).toString(),
              fx.tenant(QStringLiteral("acme")).id.toString(QUuid::WithoutBraces));
}

} // namespace
