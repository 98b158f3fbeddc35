#pragma once
// A fresh migrated database with two tenants (A: admin, agent; B: admin), a ContactsService with an
// EventHub, and the desk operations behind an api::Dispatcher with the production permission rules and a
// test authenticator that signs the call in as a chosen seeded user with api::perm::rolePermissions(role).

#include "common/core/result.h"
#include "server/api/dispatcher.h"
#include "server/api/event_hub.h"
#include "server/api/metrics.h"
#include "server/api/principal.h"
#include "server/db/db_config.h"
#include "server/db/db_executor.h"
#include "server/desk/contacts_service.h"
#include "tests/support/await.h"
#include "tests/support/test_connection.h"

#include "atende/api/v1/contacts.pb.h"

#include <QJsonObject>
#include <QList>
#include <QUuid>

#include <gtest/gtest.h>

#include <memory>

namespace atende::test {

struct DeskPerson {
    QUuid tenantId;
    QUuid userId;
    QString role;
};

struct DeskAuditRow {
    QString actor;
    QString objectId;
    QJsonObject before;
    QJsonObject after;
};

class DeskTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    template <typename Resp>
    core::Result<Resp> call(const char *name, const DeskPerson &who, const google::protobuf::Message &request)
    {
        core::Result<server::api::MessagePtr> r = callRaw(QString::fromLatin1(name), who, request);
        if (!r.ok())
            return r.error();
        Resp out;
        out.CopyFrom(*r.value());
        return out;
    }
    core::Result<server::api::MessagePtr> callRaw(const QString &name, const DeskPerson &who,
                                                  const google::protobuf::Message &request);

    // contacts.create as `who` with a name and optional phone; fails the test on error.
    atende::api::v1::Contact createContact(const DeskPerson &who, const std::string &name,
                                           const std::string &phone = {});
    // The reason in an error's details.
    static QString reasonOf(const core::Error &error);
    QList<DeskAuditRow> audit(const QUuid &tenantId, const QString &action);
    QVariant scalar(const QString &sql) { return m_conn->scalar(sql); }
    static QString text(const QUuid &id) { return id.toString(QUuid::WithoutBraces); }

    server::db::DbConfig m_config;
    std::unique_ptr<TestConnection> m_conn;
    std::unique_ptr<server::db::DbExecutor> m_db;
    std::unique_ptr<server::api::EventHub> m_hub;
    std::unique_ptr<server::desk::ContactsService> m_service;
    server::api::OperationTable m_table;
    server::api::Metrics m_metrics;
    std::unique_ptr<server::api::Dispatcher> m_dispatcher;

    DeskPerson adminA, agentA, adminB;

    // A user of the tenant with that role, signed in by callRaw() with rolePermissions(role).
    DeskPerson seedUser(const QUuid &tenantId, const QString &role, const QString &email);

private:
    core::Result<server::api::Principal> principalFor(const QString &token) const;
    QList<DeskPerson> m_people;
};

} // namespace atende::test
