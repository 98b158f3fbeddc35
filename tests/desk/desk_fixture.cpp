#include "tests/desk/desk_fixture.h"

#include "server/api/permissions.h"
#include "server/db/migrator.h"
#include "server/desk/contacts_operations.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/status_assertions.h"
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

void DeskTest::SetUp()
{
    m_config = freshDatabase(QStringLiteral("desk"));
    m_conn = std::make_unique<TestConnection>(m_config);
    ASSERT_TRUE(m_conn->isOpen()) << m_conn->openError().toStdString();
    Result<int> migrated = server::db::Migrator(server::db::Migrator::builtIn()).migrate(m_conn->db());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message.toStdString();

    m_db = std::make_unique<server::db::DbExecutor>(m_config, 2);
    ASSERT_TRUE(m_db->start().ok());
    m_hub = std::make_unique<server::api::EventHub>();
    m_service = std::make_unique<server::desk::ContactsService>(*m_db, m_hub.get());
    server::desk::addDeskContactOperations(m_table, *m_service);
    m_dispatcher = std::make_unique<server::api::Dispatcher>(m_table, m_metrics);
    m_dispatcher->setAuthenticator(
        [this](QString token) -> QCoro::Task<Result<server::api::Principal>> { co_return principalFor(token); });
    m_dispatcher->setRateLimits({0, 0, 0, 0});

    const QUuid tenantA = server::tenancy::TenantRepository::newId();
    const QUuid tenantB = server::tenancy::TenantRepository::newId();
    for (const auto &[id, slug] :
         {std::pair{tenantA, QStringLiteral("acme")}, std::pair{tenantB, QStringLiteral("globex")}}) {
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
    agentA = seedUser(tenantA, QStringLiteral("agent"), QStringLiteral("agent@acme.example"));
    adminB = seedUser(tenantB, QStringLiteral("admin"), QStringLiteral("admin@globex.example"));
}

void DeskTest::TearDown()
{
    m_dispatcher.reset();
    m_service.reset();
    if (m_db)
        m_db->stop();
    m_db.reset();
    m_conn.reset();
}

DeskPerson DeskTest::seedUser(const QUuid &tenantId, const QString &role, const QString &email)
{
    DeskPerson p{tenantId, {}, role};
    Result<QUuid> id = m_db->runTenant(tenantId,
                                       [tenantId, role, email](QSqlDatabase &db) -> Result<QUuid> {
                                           server::tenancy::NewUser nu{email, QStringLiteral("Seed ") + role, role,
                                                                       QStringLiteral("initial password 1")};
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

Result<server::api::Principal> DeskTest::principalFor(const QString &token) const
{
    for (const DeskPerson &p : m_people) {
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

Result<server::api::MessagePtr> DeskTest::callRaw(const QString &name, const DeskPerson &who,
                                                  const google::protobuf::Message &request)
{
    const server::api::Operation *op = m_table.find(name);
    if (!op)
        return core::Error::make(core::errc::kNotFound, QStringLiteral("no operation ") + name);
    server::api::MessagePtr req = op->newRequest();
    req->CopyFrom(request);
    server::api::CallContext ctx;
    ctx.transport = server::api::Transport::InProcess;
    ctx.peer = QHostAddress(QStringLiteral("203.0.113.7"));
    ctx.bearerToken = text(who.userId);
    return await(m_dispatcher->call(op, ctx, std::move(req)));
}

atende::api::v1::Contact DeskTest::createContact(const DeskPerson &who, const std::string &name,
                                                 const std::string &phone)
{
    atende::api::v1::CreateContactRequest req;
    req.set_name(name);
    req.set_phone(phone);
    Result<atende::api::v1::Contact> r = call<atende::api::v1::Contact>("contacts.create", who, req);
    EXPECT_TRUE(isOk(r));
    return r.ok() ? r.value() : atende::api::v1::Contact();
}

QString DeskTest::reasonOf(const core::Error &error)
{
    return error.details.value(QStringLiteral("reason")).toString();
}

QList<DeskAuditRow> DeskTest::audit(const QUuid &tenantId, const QString &action)
{
    QList<DeskAuditRow> rows;
    QSqlQuery q(m_conn->db());
    q.prepare(QStringLiteral("SELECT actor_user_id::text, object_id, before::text, after::text "
                             "FROM audit_log WHERE tenant_id = ?::uuid AND action = ? ORDER BY seq"));
    q.addBindValue(text(tenantId));
    q.addBindValue(action);
    EXPECT_TRUE(q.exec());
    while (q.next()) {
        DeskAuditRow r;
        r.actor = q.value(0).toString();
        r.objectId = q.value(1).toString();
        r.before = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
        r.after = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
        rows.append(r);
    }
    return rows;
}

} // namespace atende::test
