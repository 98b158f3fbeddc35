#pragma once
// A fresh migrated database with two tenants (A: admin, supervisor, agent; B: admin, agent and a sector),
// an AccountsService with an EventHub, and the accounts operations behind an api::Dispatcher with the
// production permission rules and a test authenticator that signs the call in as a chosen seeded user with
// api::perm::rolePermissions(role).

#include "common/core/result.h"
#include "server/accounts/accounts_service.h"
#include "server/api/dispatcher.h"
#include "server/api/event_hub.h"
#include "server/api/metrics.h"
#include "server/api/principal.h"
#include "server/db/db_config.h"
#include "server/db/db_executor.h"
#include "tests/support/await.h"
#include "tests/support/test_connection.h"

#include <QJsonObject>
#include <QList>
#include <QUuid>

#include <gtest/gtest.h>

#include <memory>

namespace atende::test {

struct Person {
    QUuid tenantId;
    QUuid userId;
    QString role;
    QString email;
};

struct AuditRow {
    QString action;
    QString actor;
    QString objectId;
    QJsonObject before;
    QJsonObject after;
    bool hasBefore = false;
    bool hasAfter = false;
    QString ip;
};

class AccountsTest : public ::testing::Test {
protected:
    static constexpr auto kPassword = "initial password 1";
    static constexpr auto kPeer = "203.0.113.9";

    void SetUp() override;
    void TearDown() override;

    // Calls `name` through the dispatcher as `who`; Resp is the operation's response type.
    template <typename Resp>
    core::Result<Resp> call(const char *name, const Person &who, const google::protobuf::Message &request)
    {
        core::Result<server::api::MessagePtr> r = callRaw(QString::fromLatin1(name), who, request);
        if (!r.ok())
            return r.error();
        Resp out;
        out.CopyFrom(*r.value());
        return out;
    }
    core::Result<server::api::MessagePtr> callRaw(const QString &name, const Person &who,
                                                  const google::protobuf::Message &request);

    // Audit rows of a tenant with this action, oldest first (read as superuser).
    QList<AuditRow> audit(const QUuid &tenantId, const QString &action);
    // First column of the first row, as superuser.
    QVariant scalar(const QString &sql) { return m_conn->scalar(sql); }
    bool exec(const QString &sql) { return m_conn->exec(sql); }
    static QString text(const QUuid &id) { return id.toString(QUuid::WithoutBraces); }

    // Adds a live refresh token row for the user (as superuser).
    void addRefreshToken(const Person &who);
    qint64 liveRefreshTokens(const Person &who);

    server::db::DbConfig m_config;
    std::unique_ptr<TestConnection> m_conn;
    std::unique_ptr<server::db::DbExecutor> m_db;
    std::unique_ptr<server::api::EventHub> m_hub;
    std::unique_ptr<server::accounts::AccountsService> m_service;
    server::api::OperationTable m_table;
    server::api::Metrics m_metrics;
    std::unique_ptr<server::api::Dispatcher> m_dispatcher;

    Person adminA, supervisorA, agentA, adminB, agentB;
    QUuid sectorB;
    QString slugA, slugB;

private:
    core::Result<server::api::Principal> principalFor(const QString &token) const;
    Person seedUser(const QUuid &tenantId, const QString &role, const QString &email);
    QList<Person> m_people;
};

} // namespace atende::test
