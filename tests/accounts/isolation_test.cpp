// Cross-tenant: tenant A's admin naming tenant B's users and sectors gets not_found, and B is unchanged.

#include "tests/accounts/accounts_fixture.h"

#include "server/api/permissions.h"
#include "tests/support/status_assertions.h"

#include "atende/api/v1/accounts.pb.h"

namespace atende::test {

namespace v1 = atende::api::v1;

namespace {

std::string idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

TEST_F(AccountsTest, OtherTenantsUsersAreNotFound)
{
    addRefreshToken(agentB);
    const std::string b = idText(agentB.userId);
    const QString beforeB =
        scalar(QStringLiteral("SELECT row_to_json(u)::text FROM users u WHERE id = '%1'").arg(text(agentB.userId)))
            .toString();

    v1::GetUserRequest get;
    get.set_id(b);
    EXPECT_TRUE(isError(call<v1::User>("users.get", adminA, get), core::errc::kNotFound));
    v1::UpdateUserRequest update;
    update.set_id(b);
    update.set_name("pwned");
    update.set_active(false);
    EXPECT_TRUE(isError(call<v1::User>("users.update", adminA, update), core::errc::kNotFound));
    v1::ResetPasswordRequest reset;
    reset.set_id(b);
    EXPECT_TRUE(isError(call<v1::ResetPasswordResponse>("users.reset_password", adminA, reset), core::errc::kNotFound));
    v1::SetUserSectorsRequest sectors;
    sectors.set_id(b);
    EXPECT_TRUE(isError(call<v1::User>("users.set_sectors", adminA, sectors), core::errc::kNotFound));
    v1::SetAvailabilityOfRequest pause;
    pause.set_id(b);
    pause.set_availability("online");
    EXPECT_TRUE(isError(call<v1::User>("users.set_availability_of", adminA, pause), core::errc::kNotFound));

    // B's users never show up in A's list.
    v1::ListUsersRequest search;
    search.set_search("globex");
    core::Result<v1::ListUsersResponse> list = call<v1::ListUsersResponse>("users.list", adminA, search);
    ASSERT_TRUE(isOk(list));
    EXPECT_EQ(list->users_size(), 0);

    EXPECT_EQ(
        scalar(QStringLiteral("SELECT row_to_json(u)::text FROM users u WHERE id = '%1'").arg(text(agentB.userId)))
            .toString(),
        beforeB);
    EXPECT_EQ(liveRefreshTokens(agentB), 1);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE tenant_id = '%1' AND action LIKE 'user.%%'")
                         .arg(text(adminB.tenantId)))
                  .toInt(),
              2); // the two seed users
}

TEST_F(AccountsTest, OtherTenantsSectorsAreNotFound)
{
    const std::string s = idText(sectorB);
    v1::GetSectorRequest get;
    get.set_id(s);
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.get", adminA, get), core::errc::kNotFound));
    v1::UpdateSectorRequest update;
    update.set_id(s);
    update.set_name("pwned");
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.update", adminA, update), core::errc::kNotFound));
    v1::DeleteSectorRequest del;
    del.set_id(s);
    EXPECT_TRUE(isError(call<v1::DeleteSectorResponse>("sectors.delete", adminA, del), core::errc::kNotFound));
    v1::SetSectorMembersRequest members;
    members.set_id(s);
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.set_members", adminA, members), core::errc::kNotFound));

    // Naming B's sector or user from inside A's own objects is not_found too.
    v1::SetUserSectorsRequest sectors;
    sectors.set_id(idText(agentA.userId));
    sectors.add_sector_ids(s);
    EXPECT_TRUE(isError(call<v1::User>("users.set_sectors", adminA, sectors), core::errc::kNotFound));
    v1::CreateSectorRequest create;
    create.set_name("A sector");
    core::Result<v1::Sector> mine = call<v1::Sector>("sectors.create", adminA, create);
    ASSERT_TRUE(isOk(mine));
    v1::SetSectorMembersRequest foreignMember;
    foreignMember.set_id(mine->id());
    foreignMember.add_user_ids(idText(agentB.userId));
    EXPECT_TRUE(isError(call<v1::Sector>("sectors.set_members", adminA, foreignMember), core::errc::kNotFound));

    core::Result<v1::ListSectorsResponse> list =
        call<v1::ListSectorsResponse>("sectors.list", adminA, v1::ListSectorsRequest());
    ASSERT_TRUE(isOk(list));
    EXPECT_EQ(list->sectors_size(), 1);

    EXPECT_EQ(scalar(QStringLiteral("SELECT name FROM sectors WHERE id = '%1'").arg(text(sectorB))).toString(),
              QStringLiteral("Vendas B"));
    EXPECT_EQ(
        scalar(QStringLiteral("SELECT count(*) FROM user_sectors WHERE sector_id = '%1'").arg(text(sectorB))).toInt(),
        1);
}

TEST_F(AccountsTest, EveryOperationNamesAKnownPermission)
{
    EXPECT_EQ(m_table.all().size(), 17);
    for (const server::api::Operation &op : m_table.all())
        EXPECT_TRUE(server::api::perm::isKnown(op.permission)) << op.name.toStdString();
}

} // namespace atende::test
