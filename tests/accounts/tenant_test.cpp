// tenant.get / tenant.update: settings, validation codes, permissions, audit and the TenantChanged event.

#include "tests/accounts/accounts_fixture.h"

#include "server/api/permissions.h"
#include "tests/support/status_assertions.h"

#include "atende/api/v1/accounts.pb.h"

namespace atende::test {

namespace v1 = atende::api::v1;

namespace {

QString reasonOf(const core::Error &e)
{
    return e.details.value(QStringLiteral("reason")).toString();
}

} // namespace

TEST_F(AccountsTest, TenantGetAndUpdate)
{
    core::Result<v1::Tenant> got = call<v1::Tenant>("tenant.get", agentA, v1::GetTenantRequest());
    ASSERT_TRUE(isOk(got));
    EXPECT_EQ(got->slug(), "acme");
    EXPECT_EQ(got->time_zone(), "America/Sao_Paulo");
    EXPECT_EQ(got->language(), "pt_BR");

    v1::UpdateTenantRequest req;
    req.set_name("  Acme Atendimento  ");
    req.set_time_zone("Europe/Lisbon");
    req.set_language("en");
    core::Result<v1::Tenant> updated = call<v1::Tenant>("tenant.update", adminA, req);
    ASSERT_TRUE(isOk(updated));
    EXPECT_EQ(updated->name(), "Acme Atendimento");
    EXPECT_EQ(updated->time_zone(), "Europe/Lisbon");
    EXPECT_EQ(updated->language(), "en");

    // Only present fields change.
    v1::UpdateTenantRequest onlyLanguage;
    onlyLanguage.set_language("pt_BR");
    updated = call<v1::Tenant>("tenant.update", adminA, onlyLanguage);
    ASSERT_TRUE(isOk(updated));
    EXPECT_EQ(updated->name(), "Acme Atendimento");
    EXPECT_EQ(updated->time_zone(), "Europe/Lisbon");

    const QList<AuditRow> rows = audit(adminA.tenantId, QStringLiteral("tenant.update"));
    ASSERT_EQ(rows.size(), 2);
    EXPECT_EQ(rows[0].before.value(QStringLiteral("name")).toString(), QStringLiteral("Tenant acme"));
    EXPECT_EQ(rows[0].after.value(QStringLiteral("name")).toString(), QStringLiteral("Acme Atendimento"));
    EXPECT_EQ(rows[0].after.value(QStringLiteral("timeZone")).toString(), QStringLiteral("Europe/Lisbon"));
    EXPECT_EQ(rows[0].actor, text(adminA.userId));
    EXPECT_EQ(rows[0].ip, QString::fromLatin1(kPeer));
    // Tenant B untouched.
    EXPECT_EQ(scalar(QStringLiteral("SELECT name FROM tenants WHERE id = '%1'").arg(text(adminB.tenantId))).toString(),
              QStringLiteral("Tenant globex"));
}

TEST_F(AccountsTest, TenantUpdateValidation)
{
    const auto expectInvalid = [&](const v1::UpdateTenantRequest &req, const char *reason) {
        core::Result<v1::Tenant> r = call<v1::Tenant>("tenant.update", adminA, req);
        ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
        EXPECT_EQ(reasonOf(r.error()), QLatin1String(reason));
    };
    v1::UpdateTenantRequest tz;
    tz.set_time_zone("Mars/Olympus_Mons");
    expectInvalid(tz, "invalid_time_zone");
    v1::UpdateTenantRequest lang;
    lang.set_language("fr");
    expectInvalid(lang, "invalid_language");
    v1::UpdateTenantRequest empty;
    empty.set_name("   ");
    expectInvalid(empty, "required");
    v1::UpdateTenantRequest longName;
    longName.set_name(std::string(121, 'x'));
    expectInvalid(longName, "too_long");

    v1::UpdateTenantRequest ok;
    ok.set_name(std::string(120, 'x'));
    EXPECT_TRUE(isOk(call<v1::Tenant>("tenant.update", adminA, ok)));
}

TEST_F(AccountsTest, OnlyAdminsManageTheTenant)
{
    v1::UpdateTenantRequest req;
    req.set_name("Hijacked");
    EXPECT_TRUE(isError(call<v1::Tenant>("tenant.update", agentA, req), core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(call<v1::Tenant>("tenant.update", supervisorA, req), core::errc::kPermissionDenied));
    EXPECT_EQ(scalar(QStringLiteral("SELECT name FROM tenants WHERE id = '%1'").arg(text(adminA.tenantId))).toString(),
              QStringLiteral("Tenant acme"));
    EXPECT_TRUE(audit(adminA.tenantId, QStringLiteral("tenant.update")).isEmpty());
}

TEST_F(AccountsTest, TenantChangeIsPublishedToTheTenantOnly)
{
    QList<v1::Event> gotA, gotB;
    server::api::Subscriber a;
    a.tenantId = adminA.tenantId;
    a.userId = agentA.userId;
    a.permissions = server::api::perm::rolePermissions(QStringLiteral("agent"));
    a.deliver = [&gotA](const v1::Event &e) {
        gotA.append(e);
    };
    m_hub->add(a);
    server::api::Subscriber b = a;
    b.tenantId = adminB.tenantId;
    b.userId = adminB.userId;
    b.permissions = server::api::perm::rolePermissions(QStringLiteral("admin"));
    b.deliver = [&gotB](const v1::Event &e) {
        gotB.append(e);
    };
    m_hub->add(b);

    v1::UpdateTenantRequest req;
    req.set_time_zone("America/Manaus");
    ASSERT_TRUE(isOk(call<v1::Tenant>("tenant.update", adminA, req)));
    ASSERT_EQ(gotA.size(), 1);
    EXPECT_TRUE(gotA[0].has_tenant_changed());
    EXPECT_EQ(gotA[0].tenant_changed().tenant().time_zone(), "America/Manaus");
    EXPECT_EQ(gotA[0].tenant_id(), text(adminA.tenantId).toStdString());
    EXPECT_GT(gotA[0].seq(), 0u);
    EXPECT_TRUE(gotB.isEmpty());
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT last_seq FROM event_sequences WHERE tenant_id = '%1'").arg(text(adminA.tenantId)))
            .toULongLong(),
        gotA[0].seq());
}

} // namespace atende::test
