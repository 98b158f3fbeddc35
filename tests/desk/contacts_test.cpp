// contacts.create / get / update: normalisation, validation codes, merged contacts, audit rows, events
// reaching only the tenant's subscribers, and cross-tenant ids.

#include "tests/desk/desk_fixture.h"

#include "server/api/permissions.h"
#include "tests/support/status_assertions.h"

#include <QJsonArray>

namespace atende::test {

namespace v1 = atende::api::v1;

TEST_F(DeskTest, CreateGetUpdateContact)
{
    v1::CreateContactRequest create;
    create.set_name("  Maria Silva ");
    create.set_phone("+55 (11) 98765-4321");
    create.set_email("Maria@Example.COM");
    create.add_tags("vip");
    create.add_tags("vip");
    (*create.mutable_custom_fields())["cpf"] = "123";
    core::Result<v1::Contact> c = call<v1::Contact>("contacts.create", agentA, create);
    ASSERT_TRUE(isOk(c));
    EXPECT_EQ(c->name(), "Maria Silva");
    EXPECT_EQ(c->phone(), "5511987654321");
    EXPECT_EQ(c->email(), "maria@example.com");
    ASSERT_EQ(c->tags_size(), 1);
    EXPECT_EQ(c->custom_fields().at("cpf"), "123");

    v1::UpdateContactRequest update;
    update.set_id(c->id());
    update.set_notes("prefers mornings");
    update.set_set_tags(true);
    update.add_tags("lead");
    core::Result<v1::Contact> u = call<v1::Contact>("contacts.update", agentA, update);
    ASSERT_TRUE(isOk(u));
    EXPECT_EQ(u->name(), "Maria Silva");
    EXPECT_EQ(u->notes(), "prefers mornings");
    ASSERT_EQ(u->tags_size(), 1);
    EXPECT_EQ(u->tags(0), "lead");
    EXPECT_EQ(u->custom_fields().at("cpf"), "123");

    v1::GetContactRequest get;
    get.set_id(c->id());
    core::Result<v1::Contact> g = call<v1::Contact>("contacts.get", agentA, get);
    ASSERT_TRUE(isOk(g));
    EXPECT_EQ(g->notes(), "prefers mornings");

    const QList<DeskAuditRow> rows = audit(agentA.tenantId, QStringLiteral("contacts.update"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].actor, text(agentA.userId));
    EXPECT_EQ(rows[0].before.value(QStringLiteral("notes")).toString(), QString());
    EXPECT_EQ(rows[0].after.value(QStringLiteral("notes")).toString(), QStringLiteral("prefers mornings"));
    EXPECT_EQ(audit(agentA.tenantId, QStringLiteral("contacts.create")).size(), 1);
}

TEST_F(DeskTest, ContactValidationReasons)
{
    const auto reason = [&](const v1::CreateContactRequest &req) {
        core::Result<v1::Contact> r = call<v1::Contact>("contacts.create", adminA, req);
        EXPECT_TRUE(isError(r, core::errc::kInvalidArgument));
        return r.ok() ? QString() : reasonOf(r.error());
    };
    v1::CreateContactRequest req;
    req.set_name("   ");
    EXPECT_EQ(reason(req), QStringLiteral("required"));
    req.set_name(std::string(121, 'x'));
    EXPECT_EQ(reason(req), QStringLiteral("too_long"));
    req.set_name("Ok");
    req.set_phone("12ab");
    EXPECT_EQ(reason(req), QStringLiteral("invalid_phone"));
    req.set_phone("0119876");
    EXPECT_EQ(reason(req), QStringLiteral("invalid_phone"));
    req.set_phone("");
    req.set_email("not-an-email");
    EXPECT_EQ(reason(req), QStringLiteral("invalid_email"));
    req.set_email("");
    req.add_tags(" ");
    EXPECT_EQ(reason(req), QStringLiteral("invalid_tag"));
    req.clear_tags();
    (*req.mutable_custom_fields())[""] = "x";
    EXPECT_EQ(reason(req), QStringLiteral("invalid_custom_field"));
    req.clear_custom_fields();

    v1::GetContactRequest get;
    get.set_id("nope");
    core::Result<v1::Contact> g = call<v1::Contact>("contacts.get", adminA, get);
    ASSERT_TRUE(isError(g, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(g.error()), QStringLiteral("invalid_uuid"));
    get.set_id(text(QUuid::createUuid()).toStdString());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.get", adminA, get), core::errc::kNotFound));
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 0);
}

TEST_F(DeskTest, OtherTenantsContactsAreNotFound)
{
    const v1::Contact b = createContact(adminB, "Bruno B", "5521999990000");
    const QString before = scalar(QStringLiteral("SELECT row_to_json(c)::text FROM contacts c WHERE id = '%1'")
                                      .arg(QString::fromStdString(b.id())))
                               .toString();
    const v1::Contact a = createContact(adminA, "Ana A");

    v1::GetContactRequest get;
    get.set_id(b.id());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.get", adminA, get), core::errc::kNotFound));
    v1::UpdateContactRequest update;
    update.set_id(b.id());
    update.set_name("pwned");
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.update", adminA, update), core::errc::kNotFound));
    v1::AddContactIdentityRequest add;
    add.set_contact_id(b.id());
    add.set_kind("wa_lid");
    add.set_value("123@lid");
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.add_identity", adminA, add), core::errc::kNotFound));
    v1::MergeContactsRequest merge;
    merge.set_source_id(b.id());
    merge.set_target_id(a.id());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.merge", adminA, merge), core::errc::kNotFound));
    merge.set_source_id(a.id());
    merge.set_target_id(b.id());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.merge", adminA, merge), core::errc::kNotFound));

    v1::ListContactsRequest list;
    core::Result<v1::ListContactsResponse> l = call<v1::ListContactsResponse>("contacts.list", adminA, list);
    ASSERT_TRUE(isOk(l));
    ASSERT_EQ(l->contacts_size(), 1);
    EXPECT_EQ(l->contacts(0).id(), a.id());
    EXPECT_EQ(scalar(QStringLiteral("SELECT row_to_json(c)::text FROM contacts c WHERE id = '%1'")
                         .arg(QString::fromStdString(b.id())))
                  .toString(),
              before);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contact_identities")).toInt(), 0);
}

TEST_F(DeskTest, ContactEventsReachOnlyTheTenant)
{
    QList<v1::Event> mine, noContactsRead, otherTenant;
    const auto subscribe = [&](const DeskPerson &p, QSet<QString> perms, QList<v1::Event> *sink) {
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
    subscribe(adminA, {QString::fromLatin1(server::api::perm::kUsersRead)}, &noContactsRead);
    subscribe(adminB, server::api::perm::rolePermissions(QStringLiteral("admin")), &otherTenant);

    const v1::Contact c = createContact(adminA, "Carla");
    ASSERT_EQ(mine.size(), 1);
    EXPECT_TRUE(mine[0].has_contact_changed());
    EXPECT_EQ(mine[0].contact_changed().contact().id(), c.id());
    EXPECT_TRUE(noContactsRead.isEmpty());
    EXPECT_TRUE(otherTenant.isEmpty());

    v1::CreateConnectionRequest conn;
    conn.set_name("Main number");
    conn.set_kind("whatsapp");
    ASSERT_TRUE(isOk(call<v1::Connection>("connections.create", adminA, conn)));
    ASSERT_EQ(mine.size(), 2); // agents hold connections.read
    EXPECT_TRUE(mine[1].has_connection_changed());
    EXPECT_LT(mine[0].seq(), mine[1].seq());
    EXPECT_TRUE(otherTenant.isEmpty());
}

} // namespace atende::test
