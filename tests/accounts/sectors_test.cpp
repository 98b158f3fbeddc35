// sectors.* and memberships: CRUD, the case-insensitive name conflict, validation codes, members in both
// directions, audit rows and events.

#include "tests/accounts/accounts_fixture.h"

#include "server/api/permissions.h"
#include "tests/support/status_assertions.h"

#include "atende/api/v1/accounts.pb.h"

#include <QJsonArray>
#include <QSignalSpy>

namespace atende::test {

namespace v1 = atende::api::v1;

namespace {

QString reasonOf(const core::Error &e)
{
    return e.details.value(QStringLiteral("reason")).toString();
}

std::string idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

v1::CreateSectorRequest newSector(const char *name, const char *color = "")
{
    v1::CreateSectorRequest r;
    r.set_name(name);
    r.set_color(color);
    return r;
}

} // namespace

TEST_F(AccountsTest, SectorCrud)
{
    v1::CreateSectorRequest req = newSector("Suporte", "#1a2B3c");
    req.set_greeting("Olá! Em que podemos ajudar?");
    core::Result<v1::Sector> created = call<v1::Sector>("sectors.create", adminA, req);
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(created->name(), "Suporte");
    EXPECT_EQ(created->color(), "#1a2B3c");
    EXPECT_EQ(created->reopen_window_minutes(), 120);
    EXPECT_EQ(created->greeting(), "Olá! Em que podemos ajudar?");

    v1::UpdateSectorRequest update;
    update.set_id(created->id());
    update.set_reopen_window_minutes(30);
    update.set_name("Suporte Técnico");
    core::Result<v1::Sector> updated = call<v1::Sector>("sectors.update", adminA, update);
    ASSERT_TRUE(isOk(updated));
    EXPECT_EQ(updated->reopen_window_minutes(), 30);
    EXPECT_EQ(updated->name(), "Suporte Técnico");
    EXPECT_EQ(updated->color(), "#1a2B3c");

    v1::GetSectorRequest get;
    get.set_id(created->id());
    core::Result<v1::Sector> got = call<v1::Sector>("sectors.get", agentA, get);
    ASSERT_TRUE(isOk(got));
    EXPECT_EQ(got->name(), "Suporte Técnico");
    core::Result<v1::ListSectorsResponse> list =
        call<v1::ListSectorsResponse>("sectors.list", agentA, v1::ListSectorsRequest());
    ASSERT_TRUE(isOk(list));
    EXPECT_EQ(list->sectors_size(), 1);

    const QList<AuditRow> updates = audit(adminA.tenantId, QStringLiteral("sector.update"));
    ASSERT_EQ(updates.size(), 1);
    EXPECT_EQ(updates[0].before.value(QStringLiteral("reopenWindowMinutes")).toInt(), 120);
    EXPECT_EQ(updates[0].after.value(QStringLiteral("reopenWindowMinutes")).toInt(), 30);
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("sector.create")).size(), 1);

    v1::DeleteSectorRequest del;
    del.set_id(created->id());
    ASSERT_TRUE(isOk(call<v1::DeleteSectorResponse>("sectors.delete", adminA, del)));
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.get", adminA, get), core::errc::kNotFound));
    EXPECT_TRUE(isError(call<v1::DeleteSectorResponse>("sectors.delete", adminA, del), core::errc::kNotFound));
    const QList<AuditRow> deletes = audit(adminA.tenantId, QStringLiteral("sector.delete"));
    ASSERT_EQ(deletes.size(), 1);
    EXPECT_EQ(deletes[0].before.value(QStringLiteral("name")).toString(), QStringLiteral("Suporte Técnico"));
    EXPECT_FALSE(deletes[0].hasAfter);
}

TEST_F(AccountsTest, SectorNamesAreUniqueIgnoringCase)
{
    ASSERT_TRUE(isOk(call<v1::Sector>("sectors.create", adminA, newSector("Financeiro"))));
    core::Result<v1::Sector> dup = call<v1::Sector>("sectors.create", adminA, newSector("  FINANCEIRO "));
    ASSERT_TRUE(isError(dup, core::errc::kConflict));
    EXPECT_EQ(reasonOf(dup.error()), QStringLiteral("name_taken"));
    // Another tenant may use the same name (B has "Vendas B"; A can have it too).
    EXPECT_TRUE(isOk(call<v1::Sector>("sectors.create", adminA, newSector("vendas b"))));

    core::Result<v1::Sector> other = call<v1::Sector>("sectors.create", adminA, newSector("Outro"));
    ASSERT_TRUE(isOk(other));
    v1::UpdateSectorRequest rename;
    rename.set_id(other->id());
    rename.set_name("financeiro");
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.update", adminA, rename), core::errc::kConflict));
}

TEST_F(AccountsTest, SectorValidationAndPermissions)
{
    const auto expectInvalid = [&](const v1::CreateSectorRequest &req, const char *reason) {
        core::Result<v1::Sector> r = call<v1::Sector>("sectors.create", adminA, req);
        ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
        EXPECT_EQ(reasonOf(r.error()), QLatin1String(reason));
    };
    expectInvalid(newSector("", "#000000"), "required");
    expectInvalid(newSector("Cor", "red"), "invalid_color");
    expectInvalid(newSector("Cor", "#12345"), "invalid_color");
    v1::CreateSectorRequest window = newSector("Janela");
    window.set_reopen_window_minutes(-1);
    expectInvalid(window, "out_of_range");

    EXPECT_TRUE(
        isError(call<v1::Sector>("sectors.create", supervisorA, newSector("X")), core::errc::kPermissionDenied));
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.create", agentA, newSector("X")), core::errc::kPermissionDenied));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM sectors WHERE tenant_id = '%1'").arg(text(adminA.tenantId)))
                  .toInt(),
              0);
}

TEST_F(AccountsTest, MembersFromBothSides)
{
    core::Result<v1::Sector> vendas = call<v1::Sector>("sectors.create", adminA, newSector("Vendas"));
    core::Result<v1::Sector> suporte = call<v1::Sector>("sectors.create", adminA, newSector("Suporte"));
    ASSERT_TRUE(isOk(vendas));
    ASSERT_TRUE(isOk(suporte));
    QSignalSpy principal(m_hub.get(), &server::api::EventHub::principalChanged);

    v1::SetSectorMembersRequest members;
    members.set_id(vendas->id());
    members.add_user_ids(idText(agentA.userId));
    members.add_user_ids(idText(supervisorA.userId));
    core::Result<v1::Sector> withMembers = call<v1::Sector>("sectors.set_members", adminA, members);
    ASSERT_TRUE(isOk(withMembers));
    EXPECT_EQ(withMembers->member_ids_size(), 2);
    EXPECT_EQ(principal.count(), 2);

    v1::SetUserSectorsRequest sectors;
    sectors.set_id(idText(agentA.userId));
    sectors.add_sector_ids(suporte->id());
    core::Result<v1::User> agent = call<v1::User>("users.set_sectors", adminA, sectors);
    ASSERT_TRUE(isOk(agent));
    ASSERT_EQ(agent->sector_ids_size(), 1);
    EXPECT_EQ(agent->sector_ids(0), suporte->id());

    v1::GetSectorRequest get;
    get.set_id(vendas->id());
    core::Result<v1::Sector> v = call<v1::Sector>("sectors.get", adminA, get);
    ASSERT_TRUE(isOk(v));
    ASSERT_EQ(v->member_ids_size(), 1);
    EXPECT_EQ(v->member_ids(0), idText(supervisorA.userId));

    v1::ListUsersRequest bySector;
    bySector.set_sector_id(suporte->id());
    core::Result<v1::ListUsersResponse> inSuporte = call<v1::ListUsersResponse>("users.list", adminA, bySector);
    ASSERT_TRUE(isOk(inSuporte));
    ASSERT_EQ(inSuporte->users_size(), 1);
    EXPECT_EQ(inSuporte->users(0).id(), idText(agentA.userId));

    const QList<AuditRow> rows = audit(adminA.tenantId, QStringLiteral("user.set_sectors"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].before.value(QStringLiteral("sectorIds")).toArray().size(), 1);
    EXPECT_EQ(rows[0].after.value(QStringLiteral("sectorIds")).toArray().at(0).toString(),
              QString::fromStdString(suporte->id()));
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("sector.set_members")).size(), 1);

    // Deleting a sector removes its memberships.
    v1::DeleteSectorRequest del;
    del.set_id(suporte->id());
    ASSERT_TRUE(isOk(call<v1::DeleteSectorResponse>("sectors.delete", adminA, del)));
    v1::GetUserRequest getAgent;
    getAgent.set_id(idText(agentA.userId));
    core::Result<v1::User> after = call<v1::User>("users.get", adminA, getAgent);
    ASSERT_TRUE(isOk(after));
    EXPECT_EQ(after->sector_ids_size(), 0);

    // Unknown and malformed ids.
    v1::SetUserSectorsRequest unknown;
    unknown.set_id(idText(agentA.userId));
    unknown.add_sector_ids(idText(QUuid::createUuid()));
    EXPECT_TRUE(isError(call<v1::User>("users.set_sectors", adminA, unknown), core::errc::kNotFound));
    v1::SetSectorMembersRequest malformed;
    malformed.set_id(vendas->id());
    malformed.add_user_ids("1 OR 1=1");
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.set_members", adminA, malformed), core::errc::kInvalidArgument));
}

TEST_F(AccountsTest, SectorSearchIsLiteralAndEventsAreScoped)
{
    QList<v1::Event> mine, noSectorsRead, otherTenant;
    const auto subscribe = [&](const Person &p, QSet<QString> perms, QList<v1::Event> *sink) {
        server::api::Subscriber s;
        s.tenantId = p.tenantId;
        s.userId = p.userId;
        s.permissions = std::move(perms);
        s.deliver = [sink](const v1::Event &e) {
            sink->append(e);
        };
        m_hub->add(s);
    };
    subscribe(agentA, server::api::perm::rolePermissions(QStringLiteral("agent")), &mine);
    subscribe(supervisorA, {QString::fromLatin1(server::api::perm::kUsersRead)}, &noSectorsRead);
    subscribe(adminB, server::api::perm::rolePermissions(QStringLiteral("admin")), &otherTenant);

    const char *odd = "50% off_'; DROP TABLE sectors; --";
    core::Result<v1::Sector> created = call<v1::Sector>("sectors.create", adminA, newSector(odd));
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(created->name(), odd);
    ASSERT_TRUE(isOk(call<v1::Sector>("sectors.create", adminA, newSector("Plain"))));
    v1::ListSectorsRequest search;
    for (const char *needle : {"%", "_", "'", "; DROP"}) {
        search.set_search(needle);
        core::Result<v1::ListSectorsResponse> r = call<v1::ListSectorsResponse>("sectors.list", adminA, search);
        ASSERT_TRUE(isOk(r));
        ASSERT_EQ(r->sectors_size(), 1) << needle;
        EXPECT_EQ(r->sectors(0).name(), odd);
    }

    ASSERT_EQ(mine.size(), 2);
    EXPECT_TRUE(mine[0].has_sector_changed());
    EXPECT_EQ(mine[0].sector_changed().sector().name(), odd);
    EXPECT_FALSE(mine[0].sector_changed().deleted());
    EXPECT_TRUE(noSectorsRead.isEmpty());
    EXPECT_TRUE(otherTenant.isEmpty());

    v1::DeleteSectorRequest del;
    del.set_id(created->id());
    ASSERT_TRUE(isOk(call<v1::DeleteSectorResponse>("sectors.delete", adminA, del)));
    ASSERT_EQ(mine.size(), 3);
    EXPECT_TRUE(mine[2].sector_changed().deleted());
    EXPECT_TRUE(otherTenant.isEmpty());
}

} // namespace atende::test
