// Issue 3 item 5, the isolation matrix: two tenants with data; for EVERY operation in the table a user of
// tenant A (its admin, who holds every permission) tries to read, change or delete tenant B's objects by
// id, by search and by subscription. An attempt leaks when its answer contains any of B's data (ids other
// than the one sent, emails, names), when a call naming a B object in its path succeeds, or when B's rows
// change in any table. Prints `isolation: <N> operations, <M> attempts, <L> leaks` and fails unless L is 0
// and N is the size of the operation table.

#include "op_requests.h"
#include "server_fixture.h"

#include "server/api/operation.h"
#include "server/api/permissions.h"
#include "server/core/server_application.h"
#include "server/desk/inbox.h"
#include "tests/support/await.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

using namespace atende;
using google::protobuf::FieldDescriptor;

namespace {

class IsolationMatrix : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(fx.start(QStringLiteral("isomatrix"),
                             {QStringLiteral("--rate-limit-ip-per-second=0"),
                              QStringLiteral("--rate-limit-user-per-second=0")}));
    }

    QStringList tenantTables()
    {
        return fx.superuserQuery(QStringLiteral(
            "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
            "USING (table_schema, table_name) WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' "
            "AND t.table_type = 'BASE TABLE' ORDER BY 1"));
    }

    // One digest per tenant-owned table of everything tenant B has there (plus B's tenants row).
    QStringList digestOf(const QUuid &tenant)
    {
        QStringList out;
        const QString t = tenant.toString(QUuid::WithoutBraces);
        for (const QString &table : tenantTables())
            out += table + QLatin1Char('=') +
                   fx.superuserQuery(QStringLiteral("SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), "
                                                    "'-') FROM %1 x WHERE tenant_id = '%2'")
                                         .arg(table, t))
                       .value(0);
        out += fx.superuserQuery(QStringLiteral("SELECT md5(x::text) FROM tenants x WHERE id = '%1'").arg(t));
        return out;
    }

    // Every uuid tenant B owns in any table, and its distinctive strings.
    void collectMarkers(const QUuid &tenant)
    {
        const QString t = tenant.toString(QUuid::WithoutBraces);
        bIds << t;
        for (const QString &table : tenantTables()) {
            const QStringList cols = fx.superuserQuery(
                QStringLiteral("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                               "AND table_name = '%1' AND data_type = 'uuid' AND column_name <> 'tenant_id'")
                    .arg(table));
            for (const QString &col : cols)
                for (const QString &v :
                     fx.superuserQuery(QStringLiteral("SELECT DISTINCT %1::text FROM %2 WHERE tenant_id = '%3' AND "
                                                      "%1 IS NOT NULL")
                                           .arg(col, table, t)))
                    if (!bIds.contains(v))
                        bIds << v;
        }
        bStrings << QStringLiteral("Globex") << QStringLiteral("globex.example");
        bStrings += fx.superuserQuery(QStringLiteral("SELECT email FROM users WHERE tenant_id = '%1'").arg(t));
        bStrings += fx.superuserQuery(QStringLiteral("SELECT name FROM users WHERE tenant_id = '%1'").arg(t));
        bStrings += fx.superuserQuery(
            QStringLiteral("SELECT name FROM sectors WHERE tenant_id = '%1' AND name IS NOT NULL").arg(t));
        for (const char *table : {"contacts", "connections"})
            bStrings += fx.superuserQuery(QStringLiteral("SELECT name FROM %1 WHERE tenant_id = '%2' AND name <> ''")
                                              .arg(QLatin1String(table), t));
        bStrings += fx.superuserQuery(
            QStringLiteral("SELECT value FROM contact_identities WHERE tenant_id = '%1'").arg(t));
        bStrings += fx.superuserQuery(QStringLiteral("SELECT body FROM messages WHERE tenant_id = '%1'").arg(t));
    }

    // Objects for tenant B made through its own admin, with whatever operations the table has.
    void createTenantBData(test::WsJsonClient &bAdmin)
    {
        const auto has = [this](const char *op) {
            return fx.server().operations().find(QLatin1String(op)) != nullptr;
        };
        QString sectorId;
        if (has("sectors.create")) {
            const QJsonObject r = bAdmin.call(QStringLiteral("sectors.create"),
                                              {{QStringLiteral("name"), QStringLiteral("Globex Vendas")},
                                               {QStringLiteral("color"), QStringLiteral("#aa3300")}});
            sectorId = r.value(QStringLiteral("body")).toObject().value(QStringLiteral("id")).toString();
            if (sectorId.isEmpty())
                sectorId = r.value(QStringLiteral("body"))
                               .toObject()
                               .value(QStringLiteral("sector"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        }
        if (has("users.create"))
            bAdmin.call(QStringLiteral("users.create"),
                        {{QStringLiteral("email"), QStringLiteral("bia@globex.example")},
                         {QStringLiteral("name"), QStringLiteral("Bia Globex")},
                         {QStringLiteral("role"), QStringLiteral("agent")},
                         {QStringLiteral("sectorIds"), QJsonArray{sectorId}}});
        if (has("users.set_sectors") && !sectorId.isEmpty())
            bAdmin.call(QStringLiteral("users.set_sectors"),
                        {{QStringLiteral("id"),
                          fx.tenant(QStringLiteral("globex"))
                              .users.value(QStringLiteral("agent"))
                              .id.toString(QUuid::WithoutBraces)},
                         {QStringLiteral("sectorIds"), QJsonArray{sectorId}}});
        QString connectionId;
        if (has("connections.create"))
            connectionId = bAdmin
                               .call(QStringLiteral("connections.create"),
                                     {{QStringLiteral("name"), QStringLiteral("Globex WhatsApp")},
                                      {QStringLiteral("kind"), QStringLiteral("whatsapp")}})
                               .value(QStringLiteral("body"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        QString contactId;
        if (has("contacts.create")) {
            contactId = bAdmin
                            .call(QStringLiteral("contacts.create"),
                                  {{QStringLiteral("name"), QStringLiteral("Globex Cliente")},
                                   {QStringLiteral("phone"), QStringLiteral("+55 11 98888-7777")},
                                   {QStringLiteral("email"), QStringLiteral("cliente@globex.example")},
                                   {QStringLiteral("tags"), QJsonArray{QStringLiteral("globex-vip")}}})
                            .value(QStringLiteral("body"))
                            .toObject()
                            .value(QStringLiteral("id"))
                            .toString();
            if (has("contacts.add_identity") && !contactId.isEmpty())
                bAdmin.call(QStringLiteral("contacts.add_identity"),
                            {{QStringLiteral("contactId"), contactId},
                             {QStringLiteral("kind"), QStringLiteral("wa_lid")},
                             {QStringLiteral("value"), QStringLiteral("99887766554433")},
                             {QStringLiteral("connectionId"), connectionId}});
        }
        if (has("tickets.create") && !contactId.isEmpty() && !connectionId.isEmpty()) {
            // A closed ticket (tagged, with its events) and an open one transferred with an internal note.
            const QJsonObject conversation{{QStringLiteral("contactId"), contactId},
                                           {QStringLiteral("connectionId"), connectionId}};
            const auto ticketId = [](const QJsonObject &reply) {
                return reply.value(QStringLiteral("body")).toObject().value(QStringLiteral("id")).toString();
            };
            const QString closed = ticketId(bAdmin.call(QStringLiteral("tickets.create"), conversation));
            bAdmin.call(QStringLiteral("tickets.tag"),
                        {{QStringLiteral("id"), closed}, {QStringLiteral("tag"), QStringLiteral("globex-ticket")}});
            bAdmin.call(QStringLiteral("tickets.close"),
                        {{QStringLiteral("id"), closed}, {QStringLiteral("reason"), QStringLiteral("Globex done")}});
            const QString open = ticketId(bAdmin.call(QStringLiteral("tickets.create"), conversation));
            if (!sectorId.isEmpty())
                bAdmin.call(QStringLiteral("tickets.transfer"),
                            {{QStringLiteral("id"), open},
                             {QStringLiteral("sectorId"), sectorId},
                             {QStringLiteral("note"), QStringLiteral("Globex nota interna")}});
        }
        if (has("messages.send"))
            createTenantBMessages(bAdmin);
        if (has("quick_replies.create"))
            bAdmin.call(QStringLiteral("quick_replies.create"),
                        {{QStringLiteral("scope"), QStringLiteral("tenant")},
                         {QStringLiteral("shortcut"), QStringLiteral("globexpromo")},
                         {QStringLiteral("body"), QStringLiteral("Globex Black Friday")}});
        if (has("api_tokens.create"))
            bAdmin.call(QStringLiteral("api_tokens.create"),
                        {{QStringLiteral("name"), QStringLiteral("Globex ERP")},
                         {QStringLiteral("scopes"), QJsonArray{QStringLiteral("tickets:read")}}});
    }

    // A conversation of B: an inbound message delivered through the server's Inbox (as a connector does) on a
    // "test" connection, a note, and a reply the test connector sends (so B's rows are settled before the
    // matrix takes its digest).
    void createTenantBMessages(test::WsJsonClient &bAdmin)
    {
        const QString connectionId =
            bAdmin
                .call(QStringLiteral("connections.create"), {{QStringLiteral("name"), QStringLiteral("Globex Teste")},
                                                             {QStringLiteral("kind"), QStringLiteral("test")}})
                .value(QStringLiteral("body"))
                .toObject()
                .value(QStringLiteral("id"))
                .toString();
        server::desk::InboundMessage m;
        m.tenantId = fx.tenant(QStringLiteral("globex")).id;
        m.connectionId = QUuid::fromString(connectionId);
        m.senderKind = QStringLiteral("wa_phone");
        m.senderValue = QStringLiteral("5511977776666");
        m.displayName = QStringLiteral("Globex Comprador");
        m.externalId = QStringLiteral("GLOBEX-WAMID-1");
        m.body = QStringLiteral("Globex pedido secreto 4471");
        core::Result<server::desk::IngestResult> in = test::await(fx.server().inbox()->ingest(m));
        ASSERT_TRUE(in.ok()) << in.error().message.toStdString();
        const QString ticketId = in->ticketId.toString(QUuid::WithoutBraces);
        bAdmin.call(QStringLiteral("messages.note"), {{QStringLiteral("ticketId"), ticketId},
                                                      {QStringLiteral("body"), QStringLiteral("Globex nota interna")}});
        fx.superuserQuery(QStringLiteral("UPDATE tickets SET state = 'in_service', assignee_id = '%1', "
                                         "accepted_at = now() WHERE id = '%2' RETURNING id")
                              .arg(fx.tenant(QStringLiteral("globex"))
                                       .users.value(QStringLiteral("admin"))
                                       .id.toString(QUuid::WithoutBraces),
                                   ticketId));
        const QJsonObject sent = bAdmin.call(QStringLiteral("messages.send"),
                                             {{QStringLiteral("ticketId"), ticketId},
                                              {QStringLiteral("body"), QStringLiteral("Globex resposta enviada")},
                                              {QStringLiteral("clientRequestId"), QStringLiteral("globex-req-1")}});
        const QString sentId = sent.value(QStringLiteral("body")).toObject().value(QStringLiteral("id")).toString();
        ASSERT_FALSE(sentId.isEmpty());
        (void)QTest::qWaitFor([&] {
            return fx.superuserQuery(QStringLiteral("SELECT status FROM messages WHERE id = '%1'").arg(sentId))
                       .value(0) == QLatin1String("sent");
        });
    }

    // Which of B's markers the text contains, leaving out what the attacker sent.
    QStringList leakedIn(const QByteArray &body, const QString &sent) const
    {
        QStringList found;
        const QString text = QString::fromUtf8(body);
        for (const QString &m : bIds)
            if (m != sent && text.contains(m, Qt::CaseInsensitive))
                found << m;
        for (const QString &m : bStrings)
            if (m != sent && !m.isEmpty() && text.contains(m, Qt::CaseInsensitive))
                found << m;
        return found;
    }

    test::ServerFixture fx;
    QStringList bIds;
    QStringList bStrings;
};

TEST_F(IsolationMatrix, TenantACannotReachTenantB)
{
    const QString acme = QStringLiteral("acme");
    const QString globex = QStringLiteral("globex");
    const QUuid bTenant = fx.tenant(globex).id;

    // Subscriptions: A's admin and B's admin listen to events during the whole run.
    test::WsJsonClient aWs, bWs;
    ASSERT_TRUE(aWs.open(fx.port()) && bWs.open(fx.port()));
    ASSERT_TRUE(aWs.authenticate(QString::fromUtf8(fx.token(acme, QStringLiteral("admin"))))
                    .contains(QStringLiteral("session")));
    ASSERT_TRUE(bWs.authenticate(QString::fromUtf8(fx.token(globex, QStringLiteral("admin"))))
                    .contains(QStringLiteral("session")));
    // B's other users sign in too, so refresh tokens and audit rows exist for B.
    for (const QString &role : {QStringLiteral("supervisor"), QStringLiteral("agent")})
        ASSERT_FALSE(fx.token(globex, role).isEmpty());
    createTenantBData(bWs);
    // Rows no operation creates yet (jobs are made by the desk's senders): straight into B's tables.
    fx.superuserQuery(QStringLiteral("INSERT INTO jobs (tenant_id, kind, payload, state, attempts, max_attempts, "
                                     "last_error, finished_at) VALUES ('%1', 'whatsapp.send', '{}', 'dead', 8, 8, "
                                     "'Globex peer gone', now()) RETURNING id")
                          .arg(bTenant.toString(QUuid::WithoutBraces)));
    // B's paired WhatsApp session (not wanted, so no instance runs it and its rows stay still for the digest)
    // with a prekey, and a state timeline entry (written by a supervisor in production).
    fx.superuserQuery(QStringLiteral("INSERT INTO whatsapp_sessions (tenant_id, connection_id, paired, needs_pairing, "
                                     "credentials, credentials_key_id, state, state_reason) SELECT tenant_id, id, "
                                     "true, false, '\\x0102'::bytea, '\\x0304'::bytea, 'disconnected', "
                                     "'globex_reason' FROM connections WHERE tenant_id = '%1' RETURNING connection_id")
                          .arg(bTenant.toString(QUuid::WithoutBraces)));
    fx.superuserQuery(QStringLiteral("INSERT INTO whatsapp_prekeys (tenant_id, connection_id, prekey_id, key_pair, "
                                     "key_id) SELECT tenant_id, connection_id, 7, '\\x0506'::bytea, "
                                     "'\\x0708'::bytea FROM whatsapp_sessions WHERE tenant_id = '%1' "
                                     "RETURNING prekey_id")
                          .arg(bTenant.toString(QUuid::WithoutBraces)));
    fx.superuserQuery(QStringLiteral("INSERT INTO connection_events (tenant_id, connection_id, state, reason, "
                                     "instance_id) SELECT tenant_id, id, 'connected', 'globex_reason', "
                                     "'globex-instance' FROM connections WHERE tenant_id = '%1' RETURNING id")
                          .arg(bTenant.toString(QUuid::WithoutBraces)));
    collectMarkers(bTenant);
    bStrings << QStringLiteral("Globex peer gone") << QStringLiteral("globexpromo") << QStringLiteral("globex_reason")
             << QStringLiteral("globex-instance");
    ASSERT_GE(bIds.size(), 4);
    // B's own changes reached B's session (so the channel works) and none reached A.
    QTest::qWait(300);
    const int bEvents = int(bWs.events().size());

    const QStringList before = digestOf(bTenant);
    const QByteArray aToken = fx.token(acme, QStringLiteral("admin"));
    ASSERT_FALSE(aToken.isEmpty());

    int operations = 0, attempts = 0, leaks = 0;
    QStringList leakReport;
    const auto attempt = [&](const server::api::Operation &op, const test::OpRequest &req, const QString &sent,
                             bool sentInPath) {
        ++attempts;
        const test::TestResponse r = fx.call(req.method, req.path, req.body, aToken);
        const QStringList found = leakedIn(r.body, sent);
        const bool pathAccepted = sentInPath && r.status >= 200 && r.status < 300;
        if (!found.isEmpty() || pathAccepted || r.status == 0 || r.status >= 500) {
            ++leaks;
            leakReport << QStringLiteral("%1 %2 -> %3 %4").arg(op.name, QString::fromUtf8(req.path)).arg(r.status)
                              .arg(found.join(QLatin1Char(',')));
        }
    };

    for (const server::api::Operation &op : fx.server().operations().all()) {
        ++operations;
        QList<const FieldDescriptor *> idFields, searchFields;
        for (int i = 0; i < op.request->field_count(); ++i) {
            const FieldDescriptor *f = op.request->field(i);
            if (test::isIdField(f))
                idFields << f;
            else if (test::isSearchField(f))
                searchFields << f;
        }
        const QStringList params = test::pathParameters(op);
        bool attempted = false;
        // Public operations (login, refresh) act for nobody: they are called plainly, as anyone could. Logging
        // in with B's email is B's business (B's audit log records the failure), not a reach through A.
        if (op.permission == QLatin1String(server::api::perm::kPublic))
            idFields.clear(), searchFields.clear();
        // By id: every id field names the same B object, for every object B has.
        if (!idFields.isEmpty()) {
            bool idInPath = false;
            for (const FieldDescriptor *f : idFields)
                idInPath |= params.contains(QString::fromStdString(f->name()));
            for (const QString &id : std::as_const(bIds)) {
                const test::OpRequest req =
                    test::buildRequest(op, [&](const FieldDescriptor *f) -> std::optional<QJsonValue> {
                        if (!idFields.contains(f))
                            return std::nullopt;
                        return f->is_repeated() ? QJsonValue(QJsonArray{id}) : QJsonValue(id);
                    });
                attempt(op, req, id, idInPath);
            }
            attempted = true;
        }
        // By search: B's names and emails as search terms.
        if (!searchFields.isEmpty()) {
            for (const QString &term : std::as_const(bStrings)) {
                const test::OpRequest req =
                    test::buildRequest(op, [&](const FieldDescriptor *f) -> std::optional<QJsonValue> {
                        if (searchFields.contains(f))
                            return QJsonValue(term);
                        if (idFields.contains(f))
                            return QJsonValue(QString()); // no id: a plain search
                        return std::nullopt;
                    });
                attempt(op, req, term, false);
            }
            attempted = true;
        }
        // Otherwise: the plain call (lists, "me", settings) must show nothing of B.
        if (!attempted)
            attempt(op, test::buildRequest(op, {}), QString(), false);
    }

    // Subscription: nothing of B's reached A's session while B changed things; A's session saw no B data.
    QTest::qWait(300);
    for (const QJsonObject &e : aWs.events()) {
        ++attempts;
        const QStringList found = leakedIn(QJsonDocument(e).toJson(QJsonDocument::Compact), QString());
        if (!found.isEmpty() || e.value(QStringLiteral("tenantId")).toString() == bTenant.toString(QUuid::WithoutBraces)) {
            ++leaks;
            leakReport << QStringLiteral("event to A: %1").arg(found.join(QLatin1Char(',')));
        }
    }
    ++attempts; // the subscription attempt as such
    // B's rows are exactly as they were.
    const QStringList after = digestOf(bTenant);
    for (qsizetype i = 0; i < before.size(); ++i)
        if (before[i] != after.value(i)) {
            ++leaks;
            leakReport << QStringLiteral("tenant B changed: %1").arg(before[i].section(QLatin1Char('='), 0, 0));
        }

    std::printf("isolation: %d operations, %d attempts, %d leaks\n", operations, attempts, leaks);
    std::printf("isolation: %lld B objects, %lld B strings, B session saw %d own events\n", qlonglong(bIds.size()),
                qlonglong(bStrings.size()), bEvents);
    for (const QString &l : std::as_const(leakReport))
        std::printf("  leak: %s\n", qPrintable(l));
    std::fflush(stdout);
    EXPECT_EQ(operations, int(fx.server().operations().all().size()));
    EXPECT_EQ(leaks, 0);
}

} // namespace
