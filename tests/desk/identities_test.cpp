// Identities: uniqueness per tenant, removal, find-or-create racing from two workers, merge (identities
// move, audit with both contacts, merged contact resolves to the target, conflicts).

#include "tests/desk/desk_fixture.h"

#include "server/desk/identity_repository.h"
#include "tests/support/status_assertions.h"

#include <QJsonArray>

namespace atende::test {

namespace v1 = atende::api::v1;
using server::desk::FoundContact;
using server::desk::IdentityRepository;

namespace {

v1::AddContactIdentityRequest identity(const std::string &contactId, const std::string &kind, const std::string &value)
{
    v1::AddContactIdentityRequest r;
    r.set_contact_id(contactId);
    r.set_kind(kind);
    r.set_value(value);
    return r;
}

} // namespace

TEST_F(DeskTest, IdentityIsUniquePerTenant)
{
    const v1::Contact a = createContact(agentA, "A");
    const v1::Contact b = createContact(agentA, "B");
    core::Result<v1::Contact> r =
        call<v1::Contact>("contacts.add_identity", agentA, identity(a.id(), "wa_phone", "+55 11 98765-4321"));
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(r->identities_size(), 1);
    EXPECT_EQ(r->identities(0).value(), "5511987654321");

    r = call<v1::Contact>("contacts.add_identity", agentA, identity(b.id(), "wa_phone", "5511987654321"));
    ASSERT_TRUE(isError(r, core::errc::kConflict));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("identity_taken"));
    r = call<v1::Contact>("contacts.add_identity", agentA, identity(a.id(), "wa_phone", "5511987654321"));
    EXPECT_TRUE(isError(r, core::errc::kConflict));
    r = call<v1::Contact>("contacts.add_identity", agentA, identity(a.id(), "fax", "1"));
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("invalid_kind"));

    // A connection of another tenant is not_found; one of the tenant is recorded.
    v1::CreateConnectionRequest conn;
    conn.set_name("B's number");
    conn.set_kind("test");
    core::Result<v1::Connection> connB = call<v1::Connection>("connections.create", adminB, conn);
    ASSERT_TRUE(isOk(connB));
    v1::AddContactIdentityRequest viaB = identity(a.id(), "other", "crm-1");
    viaB.set_connection_id(connB->id());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.add_identity", agentA, viaB), core::errc::kNotFound));
    core::Result<v1::Connection> connA = call<v1::Connection>("connections.create", adminA, conn);
    ASSERT_TRUE(isOk(connA));
    v1::AddContactIdentityRequest viaA = identity(b.id(), "other", "crm-1");
    viaA.set_connection_id(connA->id());
    core::Result<v1::Contact> withConn = call<v1::Contact>("contacts.add_identity", agentA, viaA);
    ASSERT_TRUE(isOk(withConn));
    EXPECT_EQ(withConn->identities(0).connection_id(), connA->id());

    // Another tenant may hold the same identity.
    const v1::Contact other = createContact(adminB, "Other");
    EXPECT_TRUE(
        isOk(call<v1::Contact>("contacts.add_identity", adminB, identity(other.id(), "wa_phone", "5511987654321"))));

    v1::RemoveContactIdentityRequest remove;
    remove.set_contact_id(b.id());
    core::Result<v1::Contact> got =
        call<v1::Contact>("contacts.add_identity", agentA, identity(a.id(), "wa_lid", "999@lid"));
    ASSERT_TRUE(isOk(got));
    remove.set_identity_id(got->identities(0).id());
    EXPECT_TRUE(isError(call<v1::Contact>("contacts.remove_identity", agentA, remove), core::errc::kNotFound));
    remove.set_contact_id(a.id());
    core::Result<v1::Contact> removed = call<v1::Contact>("contacts.remove_identity", agentA, remove);
    ASSERT_TRUE(isOk(removed));
    EXPECT_EQ(removed->identities_size(), 1);
    EXPECT_EQ(audit(agentA.tenantId, QStringLiteral("contacts.remove_identity")).size(), 1);
}

TEST_F(DeskTest, FindOrCreateFromTwoWorkersMakesOneContact)
{
    const QUuid tenant = adminA.tenantId;
    for (int round = 0; round < 10; ++round) {
        const QString value = QStringLiteral("55119000000%1").arg(round, 2, 10, QLatin1Char('0'));
        const auto job = [tenant, value](QSqlDatabase &db) {
            return IdentityRepository::findOrCreateByIdentity(db, tenant, QStringLiteral("wa_phone"), value, {},
                                                              QStringLiteral("Race"));
        };
        QFuture<core::Result<FoundContact>> f1 = m_db->runTenantKeyed(0, tenant, job);
        QFuture<core::Result<FoundContact>> f2 = m_db->runTenantKeyed(1, tenant, job);
        const core::Result<FoundContact> r1 = f1.result();
        const core::Result<FoundContact> r2 = f2.result();
        ASSERT_TRUE(isOk(r1));
        ASSERT_TRUE(isOk(r2));
        EXPECT_EQ(r1->contactId, r2->contactId);
        EXPECT_NE(r1->created, r2->created);
    }
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 10);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contact_identities")).toInt(), 10);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts WHERE phone LIKE '5511900000%'")).toInt(), 10);
}

TEST_F(DeskTest, MergeMovesIdentitiesAndIsAudited)
{
    const v1::Contact source = createContact(agentA, "Joao (LID)");
    const v1::Contact target = createContact(agentA, "Joao", "5511911112222");
    ASSERT_TRUE(isOk(call<v1::Contact>("contacts.add_identity", agentA, identity(source.id(), "wa_lid", "777@lid"))));
    ASSERT_TRUE(
        isOk(call<v1::Contact>("contacts.add_identity", agentA, identity(target.id(), "wa_phone", "5511911112222"))));

    v1::MergeContactsRequest merge;
    merge.set_source_id(source.id());
    merge.set_target_id(target.id());
    core::Result<v1::Contact> merged = call<v1::Contact>("contacts.merge", agentA, merge);
    ASSERT_TRUE(isOk(merged));
    EXPECT_EQ(merged->id(), target.id());
    EXPECT_EQ(merged->identities_size(), 2);

    v1::GetContactRequest get;
    get.set_id(source.id());
    core::Result<v1::Contact> gone = call<v1::Contact>("contacts.get", agentA, get);
    ASSERT_TRUE(isOk(gone));
    EXPECT_EQ(gone->merged_into(), target.id());
    EXPECT_EQ(gone->identities_size(), 0);

    // Ingest seeing the LID again lands on the surviving contact.
    const QUuid tenant = agentA.tenantId;
    core::Result<FoundContact> found = m_db->runTenant(tenant,
                                                       [tenant](QSqlDatabase &db) {
                                                           return IdentityRepository::findOrCreateByIdentity(
                                                               db, tenant, QStringLiteral("wa_lid"),
                                                               QStringLiteral("777@lid"), {}, QStringLiteral("x"));
                                                       })
                                           .result();
    ASSERT_TRUE(isOk(found));
    EXPECT_FALSE(found->created);
    EXPECT_EQ(text(found->contactId).toStdString(), target.id());

    const QList<DeskAuditRow> rows = audit(agentA.tenantId, QStringLiteral("contacts.merge"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].objectId.toStdString(), source.id());
    const QJsonObject sb = rows[0].before.value(QStringLiteral("source")).toObject();
    const QJsonObject sa = rows[0].after.value(QStringLiteral("source")).toObject();
    const QJsonObject ta = rows[0].after.value(QStringLiteral("target")).toObject();
    EXPECT_EQ(sb.value(QStringLiteral("identities")).toArray().size(), 1);
    EXPECT_EQ(sa.value(QStringLiteral("mergedInto")).toString().toStdString(), target.id());
    EXPECT_EQ(ta.value(QStringLiteral("identities")).toArray().size(), 2);
    EXPECT_EQ(
        rows[0].before.value(QStringLiteral("target")).toObject().value(QStringLiteral("identities")).toArray().size(),
        1);

    // Merged contacts leave the list and cannot be merged or edited again.
    v1::ListContactsRequest list;
    core::Result<v1::ListContactsResponse> l = call<v1::ListContactsResponse>("contacts.list", agentA, list);
    ASSERT_TRUE(isOk(l));
    EXPECT_EQ(l->contacts_size(), 1);
    core::Result<v1::Contact> again = call<v1::Contact>("contacts.merge", agentA, merge);
    ASSERT_TRUE(isError(again, core::errc::kConflict));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("source_merged"));
    const v1::Contact third = createContact(agentA, "Third");
    merge.set_source_id(third.id());
    merge.set_target_id(source.id());
    again = call<v1::Contact>("contacts.merge", agentA, merge);
    ASSERT_TRUE(isError(again, core::errc::kConflict));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("target_merged"));
    merge.set_target_id(third.id());
    again = call<v1::Contact>("contacts.merge", agentA, merge);
    ASSERT_TRUE(isError(again, core::errc::kConflict));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("merge_into_self"));
    v1::UpdateContactRequest update;
    update.set_id(source.id());
    update.set_name("edit");
    again = call<v1::Contact>("contacts.update", agentA, update);
    ASSERT_TRUE(isError(again, core::errc::kConflict));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("contact_merged"));
}

} // namespace atende::test

namespace atende::test {

TEST_F(DeskTest, ServiceFindOrCreateAuditsAndAnnouncesOnlyNewContacts)
{
    QList<v1::Event> events;
    server::api::Subscriber s;
    s.tenantId = agentA.tenantId;
    s.userId = agentA.userId;
    s.permissions = {QStringLiteral("contacts.read")};
    s.deliver = [&events](const v1::Event &e) {
        events.append(e);
    };
    m_hub->add(s);

    const QUuid tenant = agentA.tenantId;
    // Tasks are created in their own statement (the module's GCC 12 rule), then awaited.
    auto firstTask = m_service->findOrCreateByIdentity(tenant, QStringLiteral("wa_phone"),
                                                       QStringLiteral("+55 11 95555-0000"), {}, QStringLiteral("Zeca"));
    core::Result<FoundContact> first = await(std::move(firstTask));
    ASSERT_TRUE(isOk(first));
    EXPECT_TRUE(first->created);
    auto againTask = m_service->findOrCreateByIdentity(tenant, QStringLiteral("wa_phone"),
                                                       QStringLiteral("5511955550000"), {}, QStringLiteral("Other"));
    core::Result<FoundContact> again = await(std::move(againTask));
    ASSERT_TRUE(isOk(again));
    EXPECT_FALSE(again->created);
    EXPECT_EQ(again->contactId, first->contactId);

    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events[0].contact_changed().contact().name(), "Zeca");
    EXPECT_EQ(events[0].contact_changed().contact().phone(), "5511955550000");
    const QList<DeskAuditRow> rows = audit(tenant, QStringLiteral("contacts.create"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_TRUE(rows[0].actor.isEmpty());

    auto badTask = m_service->findOrCreateByIdentity(tenant, QStringLiteral("wa_phone"), QStringLiteral("abc"), {},
                                                     QStringLiteral("x"));
    core::Result<FoundContact> bad = await(std::move(badTask));
    ASSERT_TRUE(isError(bad, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(bad.error()), QStringLiteral("invalid_phone"));
}

} // namespace atende::test

namespace atende::test {
namespace {

TEST_F(DeskTest, MergeMovesTicketsAndMessagesAndClosesADuplicateActiveTicket)
{
    const v1::Contact source = createContact(agentA, "Maria (LID)");
    const v1::Contact target = createContact(agentA, "Maria", "5511933334444");
    const QString t = text(agentA.tenantId);
    const QString conn = text(QUuid::createUuid()), other = text(QUuid::createUuid());
    const QString srcActive = text(QUuid::createUuid()), srcOther = text(QUuid::createUuid()),
                  dstActive = text(QUuid::createUuid());
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral(
            "INSERT INTO connections (tenant_id, id, name, kind) VALUES ('%1', '%2', 'Loja', 'test'), "
            "  ('%1', '%3', 'Filial', 'test');"
            "INSERT INTO tickets (tenant_id, id, contact_id, connection_id, state) VALUES "
            "  ('%1', '%4', '%6', '%2', 'waiting'), ('%1', '%5', '%6', '%3', 'waiting'), "
            "  ('%1', '%7', '%8', '%2', 'waiting');"
            "INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, status) "
            "  VALUES ('%1', '%4', 1, '%6', '%2', 'inbound', 'oi', 'received')")
            .arg(t, conn, other, srcActive, srcOther, QString::fromStdString(source.id()), dstActive,
                 QString::fromStdString(target.id()))));

    v1::MergeContactsRequest merge;
    merge.set_source_id(source.id());
    merge.set_target_id(target.id());
    ASSERT_TRUE(isOk(call<v1::Contact>("contacts.merge", agentA, merge)));

    const QString src = QString::fromStdString(source.id()), dst = QString::fromStdString(target.id());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM tickets WHERE contact_id = '%1'").arg(src)).toInt(), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM tickets WHERE contact_id = '%1'").arg(dst)).toInt(), 3);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM messages WHERE contact_id = '%1'").arg(dst)).toInt(), 1);
    // On the shared connection the target's ticket stays active; the source's was closed, with its reason.
    EXPECT_EQ(scalar(QStringLiteral("SELECT state FROM tickets WHERE id = '%1'").arg(srcActive)).toString(),
              QStringLiteral("closed"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT state FROM tickets WHERE id = '%1'").arg(dstActive)).toString(),
              QStringLiteral("waiting"));
    EXPECT_EQ(scalar(QStringLiteral("SELECT reason || ':' || from_state || ':' || (data->>'merged_into') FROM "
                                    "ticket_events WHERE ticket_id = '%1' AND kind = 'closed'")
                         .arg(srcActive))
                  .toString(),
              QStringLiteral("contact_merged:waiting:") + dst);
    // The other connection's ticket simply moved, still active.
    EXPECT_EQ(scalar(QStringLiteral("SELECT state FROM tickets WHERE id = '%1'").arg(srcOther)).toString(),
              QStringLiteral("waiting"));
}

} // namespace
} // namespace atende::test
