// connections.*: CRUD with defaults, soft delete, validation, permissions (agents read but cannot manage),
// audit rows and cross-tenant ids.

#include "tests/desk/desk_fixture.h"

#include "tests/support/status_assertions.h"

namespace atende::test {

namespace v1 = atende::api::v1;

TEST_F(DeskTest, ConnectionCrudAndSoftDelete)
{
    v1::CreateConnectionRequest create;
    create.set_name(" Sales ");
    create.set_kind("whatsapp");
    core::Result<v1::Connection> c = call<v1::Connection>("connections.create", adminA, create);
    ASSERT_TRUE(isOk(c));
    EXPECT_EQ(c->name(), "Sales");
    EXPECT_EQ(c->status(), "disconnected");
    EXPECT_TRUE(c->ignore_groups());
    EXPECT_TRUE(c->send_read_receipts());

    v1::UpdateConnectionRequest update;
    update.set_id(c->id());
    update.set_ignore_groups(false);
    core::Result<v1::Connection> u = call<v1::Connection>("connections.update", adminA, update);
    ASSERT_TRUE(isOk(u));
    EXPECT_FALSE(u->ignore_groups());
    EXPECT_EQ(u->name(), "Sales");

    v1::ListConnectionsRequest list;
    core::Result<v1::ListConnectionsResponse> l = call<v1::ListConnectionsResponse>("connections.list", agentA, list);
    ASSERT_TRUE(isOk(l));
    EXPECT_EQ(l->connections_size(), 1);

    v1::DeleteConnectionRequest del;
    del.set_id(c->id());
    EXPECT_TRUE(isOk(call<v1::DeleteConnectionResponse>("connections.delete", adminA, del)));
    EXPECT_TRUE(isError(call<v1::DeleteConnectionResponse>("connections.delete", adminA, del), core::errc::kNotFound));
    l = call<v1::ListConnectionsResponse>("connections.list", agentA, list);
    ASSERT_TRUE(isOk(l));
    EXPECT_EQ(l->connections_size(), 0);
    v1::GetConnectionRequest get;
    get.set_id(c->id());
    EXPECT_TRUE(isError(call<v1::Connection>("connections.get", adminA, get), core::errc::kNotFound));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM connections WHERE deleted_at IS NOT NULL")).toInt(), 1);

    const QList<DeskAuditRow> rows = audit(adminA.tenantId, QStringLiteral("connections.update"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_TRUE(rows[0].before.value(QStringLiteral("ignoreGroups")).toBool());
    EXPECT_FALSE(rows[0].after.value(QStringLiteral("ignoreGroups")).toBool());
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("connections.delete")).size(), 1);
}

TEST_F(DeskTest, ConnectionValidationAndPermissions)
{
    v1::CreateConnectionRequest create;
    create.set_name("Support");
    create.set_kind("telegram");
    core::Result<v1::Connection> r = call<v1::Connection>("connections.create", adminA, create);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("invalid_kind"));
    create.set_kind("test");
    create.set_name("");
    r = call<v1::Connection>("connections.create", adminA, create);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("required"));

    create.set_name("Support");
    EXPECT_TRUE(isError(call<v1::Connection>("connections.create", agentA, create), core::errc::kPermissionDenied));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM connections")).toInt(), 0);
    r = call<v1::Connection>("connections.create", adminA, create);
    ASSERT_TRUE(isOk(r));
    v1::UpdateConnectionRequest update;
    update.set_id(r->id());
    update.set_name("mine now");
    EXPECT_TRUE(isError(call<v1::Connection>("connections.update", agentA, update), core::errc::kPermissionDenied));

    // Another tenant's admin: not_found, and A's row is unchanged.
    EXPECT_TRUE(isError(call<v1::Connection>("connections.update", adminB, update), core::errc::kNotFound));
    v1::DeleteConnectionRequest del;
    del.set_id(r->id());
    EXPECT_TRUE(isError(call<v1::DeleteConnectionResponse>("connections.delete", adminB, del), core::errc::kNotFound));
    v1::GetConnectionRequest get;
    get.set_id(r->id());
    core::Result<v1::Connection> g = call<v1::Connection>("connections.get", agentA, get);
    ASSERT_TRUE(isOk(g));
    EXPECT_EQ(g->name(), "Support");
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM connections WHERE deleted_at IS NULL")).toInt(), 1);
}

} // namespace atende::test
