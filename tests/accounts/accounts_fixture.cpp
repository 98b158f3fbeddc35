#include "tests/accounts/accounts_fixture.h"

#include "server/accounts/accounts_operations.h"
#include "server/api/permissions.h"
#include "server/db/migrator.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/test_postgres.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace atende::test {

using core::Result;
using core::Status;

namespace {

server::security::PasswordHasher fastHasher()
{
    server::security::Argon2Params p;
    p.memoryKiB = 256;
    p.iterations = 1;
    return server::security::PasswordHasher(p);
}

} // namespace

void AccountsTest::SetUp()
{
    m_config = freshDatabase(QStringLiteral("accounts"));
    m_conn = std::make_unique<TestConnection>(m_config);
    ASSERT_TRUE(m_conn->isOpen()) << m_conn->openError().toStdString();
    Result<int> migrated = server::db::Migrator(server::db::Migrator::builtIn()).migrate(m_conn->db());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message.toStdString();

    m_db = std::make_unique<server::db::DbExecutor>(m_config, 2);
    ASSERT_TRUE(m_db->start().ok());
    m_hub = std::make_unique<server::api::EventHub>();
    m_service = std::make_unique<server::accounts::AccountsService>(*m_db, fastHasher(), m_hub.get());
    server::accounts::addAccountsOperations(m_table, *m_service);
    m_dispatcher = std::make_unique<server::api::Dispatcher>(m_table, m_metrics);
    // The production rule set (public / self / permission) with a test authenticator: the bearer token is
    // the user id of a seeded person, who gets the permissions of their role.
    m_dispatcher->setAuthenticator(
        [this](QString token) -> QCoro::Task<Result<server::api::Principal>> { co_return principalFor(token); });
    m_dispatcher->setRateLimits({0, 0, 0, 0});

    const QUuid tenantA = server::tenancy::TenantRepository::newId();
    const QUuid tenantB = server::tenancy::TenantRepository::newId();
    slugA = QStringLiteral("acme");
    slugB = QStringLiteral("globex");
    for (const auto &[id, slug] : {std::pair{tenantA, slugA}, std::pair{tenantB, slugB}}) {
        const QUuid tid = id;
        const QString s = slug;
        Status st = m_db->runTenant(tid,
                                    [tid, s](QSqlDatabase &db) -> Status {
                                        Result<server::tenancy::Tenant> t = server::tenancy::TenantRepository::create(
                                            db, tid, QStringLiteral("Tenant ") + s, s);
                                        if (!t.ok())
                                            return t.error();
                                        return {};
                                    })
                        .result();
        ASSERT_TRUE(st.ok()) << st.error().message.toStdString();
    }
    adminA = seedUser(tenantA, QStringLiteral("admin"), QStringLiteral("admin@acme.example"));
    supervisorA = seedUser(tenantA, QStringLiteral("supervisor"), QStringLiteral("sup@acme.example"));
    agentA = seedUser(tenantA, QStringLiteral("agent"), QStringLiteral("agent@acme.example"));
    adminB = seedUser(tenantB, QStringLiteral("admin"), QStringLiteral("admin@globex.example"));
    agentB = seedUser(tenantB, QStringLiteral("agent"), QStringLiteral("agent@globex.example"));
    sectorB = QUuid::createUuid();
    ASSERT_TRUE(exec(QStringLiteral("INSERT INTO sectors (tenant_id, id, name, color) VALUES ('%1', '%2', 'Vendas B', "
                                    "'#00aa00'); INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES "
                                    "('%1', '%3', '%2')")
                         .arg(text(tenantB), text(sectorB), text(agentB.userId))));
}

void AccountsTest::TearDown()
{
    m_dispatcher.reset();
    m_service.reset();
    if (m_db)
        m_db->stop();
    m_db.reset();
    m_conn.reset();
}

Person AccountsTest::seedUser(const QUuid &tenantId, const QString &role, const QString &email)
{
    Person p{tenantId, {}, role, email};
    Result<QUuid> id = m_db->runTenant(tenantId,
                                       [tenantId, role, email](QSqlDatabase &db) -> Result<QUuid> {
                                           server::tenancy::NewUser nu{email, QStringLiteral("Seed ") + role, role,
                                                                       QString::fromLatin1(kPassword)};
                                           Result<server::tenancy::User> u =
                                               server::tenancy::UserRepository::create(db, tenantId, nu, fastHasher());
                                           if (!u.ok())
                                               return u.error();
                                           return u->id;
                                       })
                           .result();
    EXPECT_TRUE(id.ok()) << id.error().message.toStdString();
    if (id.ok())
        p.userId = id.value();
    m_people.append(p);
    return p;
}

Result<server::api::Principal> AccountsTest::principalFor(const QString &token) const
{
    for (const Person &p : m_people) {
        if (text(p.userId) != token)
            continue;
        server::api::Principal principal;
        principal.tenantId = p.tenantId;
        principal.userId = p.userId;
        principal.role = p.role;
        principal.permissions = server::api::perm::rolePermissions(p.role);
        return principal;
    }
    return core::Error::make(core::errc::kUnauthenticated, QStringLiteral("sign in first"));
}

Result<server::api::MessagePtr> AccountsTest::callRaw(const QString &name, const Person &who,
                                                      const google::protobuf::Message &request)
{
    const server::api::Operation *op = m_table.find(name);
    if (!op)
        return core::Error::make(core::errc::kNotFound, QStringLiteral("no operation ") + name);
    server::api::MessagePtr req = op->newRequest();
    req->CopyFrom(request);
    server::api::CallContext ctx;
    ctx.transport = server::api::Transport::InProcess;
    ctx.peer = QHostAddress(QString::fromLatin1(kPeer));
    ctx.bearerToken = text(who.userId);
    return await(m_dispatcher->call(op, ctx, std::move(req)));
}

QList<AuditRow> AccountsTest::audit(const QUuid &tenantId, const QString &action)
{
    QList<AuditRow> rows;
    QSqlQuery q(m_conn->db());
    q.prepare(QStringLiteral("SELECT action, actor_user_id::text, object_id, before::text, after::text, ip "
                             "FROM audit_log WHERE tenant_id = ?::uuid AND action = ? ORDER BY seq"));
    q.addBindValue(text(tenantId));
    q.addBindValue(action);
    EXPECT_TRUE(q.exec());
    while (q.next()) {
        AuditRow r;
        r.action = q.value(0).toString();
        r.actor = q.value(1).toString();
        r.objectId = q.value(2).toString();
        r.hasBefore = !q.value(3).isNull();
        r.hasAfter = !q.value(4).isNull();
        r.before = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
        r.after = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
        r.ip = q.value(5).toString();
        rows.append(r);
    }
    return rows;
}

void AccountsTest::addRefreshToken(const Person &who)
{
    EXPECT_TRUE(
        exec(QStringLiteral("INSERT INTO refresh_tokens (tenant_id, family_id, user_id, token_hash, expires_at) "
                            "VALUES ('%1', gen_random_uuid(), '%2', gen_random_uuid()::text, "
                            "now() + interval '1 day')")
                 .arg(text(who.tenantId), text(who.userId))));
}

qint64 AccountsTest::liveRefreshTokens(const Person &who)
{
    return scalar(QStringLiteral("SELECT count(*) FROM refresh_tokens WHERE tenant_id = '%1' AND user_id = '%2' "
                                 "AND revoked_at IS NULL")
                      .arg(text(who.tenantId), text(who.userId)))
        .toLongLong();
}

} // namespace atende::test
