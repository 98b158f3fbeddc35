#include "tests/bench/desk_seed.h"

#include "server/db/embedded_postgres.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

namespace atende::bench {

namespace {

bool run(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = q.lastError().text();
    return false;
}

QString scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql) && q.next())
        return q.value(0).toString();
    return {};
}

QSqlDatabase openAsSuperuser(const QString &dataDir, QString *error)
{
    server::db::EmbeddedPostgresOptions o;
    o.dataDir = dataDir;
    const server::db::DbConfig super = server::db::EmbeddedPostgres(o).superuserConfig();
    QSqlDatabase db = QSqlDatabase::contains(QStringLiteral("bench-seed"))
                          ? QSqlDatabase::database(QStringLiteral("bench-seed"), false)
                          : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bench-seed"));
    db.setHostName(super.host);
    db.setPort(super.port);
    db.setUserName(super.user);
    db.setDatabaseName(QStringLiteral("atende"));
    if (!db.open())
        *error = db.lastError().text();
    return db;
}

} // namespace

DeskSeed seedDesk(const QString &dataDir, const QString &slug, const QString &agentEmail, int tickets,
                  qint64 messages, int longConversation, QString *error)
{
    DeskSeed out;
    QElapsedTimer timer;
    timer.start();
    QSqlDatabase db = openAsSuperuser(dataDir, error);
    if (!db.isOpen())
        return out;
    const QString t = scalar(db, QStringLiteral("SELECT id FROM tenants WHERE slug = '%1'").arg(slug));
    const QString agent = scalar(db, QStringLiteral("SELECT id FROM users WHERE tenant_id = '%1' AND email = '%2'")
                                         .arg(t, agentEmail));
    const QString sectors = scalar(db, QStringLiteral("SELECT array_agg(id ORDER BY name)::text FROM sectors "
                                                      "WHERE tenant_id = '%1'")
                                           .arg(t));
    if (t.isEmpty() || agent.isEmpty() || sectors.isEmpty()) {
        *error = QStringLiteral("tenant, agent or sectors not found");
        return out;
    }
    out.tenantId = QUuid::fromString(t);
    out.connectionId = QUuid::createUuid();
    const QString c = out.connectionId.toString(QUuid::WithoutBraces);
    const qint64 perTicket = std::max<qint64>(1, (messages - longConversation) / tickets);
    // Ticket i: contact md5('c'||i), ticket md5('t'||i); ticket 1 holds the long conversation. Its last
    // activity is i minutes ago, so lists have a realistic spread.
    const QStringList steps{
        QStringLiteral("INSERT INTO connections (tenant_id, id, name, kind) VALUES ('{T}', '{C}', 'Bench', 'test')"),
        QStringLiteral("INSERT INTO contacts (tenant_id, id, name, phone) SELECT '{T}', md5('c' || i)::uuid, "
                       "'Cliente ' || i, (5511900000000 + i)::text FROM generate_series(1, {N}) i"),
        QStringLiteral(
            "INSERT INTO tickets (tenant_id, id, contact_id, connection_id, sector_id, assignee_id, state, "
            "  queued_at, accepted_at, closed_at, last_message_at, last_message_preview, last_activity_at, "
            "  created_at, cycle_started_at) "
            "SELECT '{T}', md5('t' || i)::uuid, md5('c' || i)::uuid, '{C}', ({S}::uuid[])[1 + i % cardinality({S}::uuid[])], "
            "  CASE WHEN s IN ('in_service', 'on_hold') THEN '{A}'::uuid END, s, at, "
            "  CASE WHEN s <> 'waiting' THEN at END, CASE WHEN s = 'closed' THEN at END, at, "
            "  'Mensagem do cliente ' || i, at, at, at "
            "FROM (SELECT i, now() - i * interval '1 minute' AS at, CASE WHEN i = 1 THEN 'in_service' "
            "  WHEN i % 50 = 0 THEN 'on_hold' WHEN i % 10 IN (1, 2) THEN 'waiting' "
            "  WHEN i % 25 IN (3, 4) THEN 'in_service' ELSE 'closed' END AS s FROM generate_series(1, {N}) i) x"),
        QStringLiteral(
            "INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, status, "
            "  external_id, created_at) "
            "SELECT '{T}', md5('t' || i)::uuid, 1, md5('c' || i)::uuid, '{C}', "
            "  CASE WHEN j % 2 = 0 THEN 'outbound' ELSE 'inbound' END, "
            "  'Olá, sobre o pedido ' || i || ': a entrega número ' || j || ' está confirmada para amanhã', "
            "  CASE WHEN j % 2 = 0 THEN 'read' ELSE 'received' END, 'seed-' || i || '-' || j, "
            "  now() - i * interval '1 minute' - ({P} - j) * interval '1 second' "
            "FROM generate_series(2, {N}) i, generate_series(1, {P}) j"),
        QStringLiteral(
            "INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, status, "
            "  external_id, created_at) "
            "SELECT '{T}', md5('t1')::uuid, 1, md5('c1')::uuid, '{C}', "
            "  CASE WHEN j % 2 = 0 THEN 'outbound' ELSE 'inbound' END, 'Conversa longa, mensagem ' || j, "
            "  CASE WHEN j % 2 = 0 THEN 'read' ELSE 'received' END, 'long-' || j, "
            "  now() - ({L} - j) * interval '1 second' FROM generate_series(1, {L}) j"),
        QStringLiteral("ANALYZE")};
    for (const QString &step : steps) {
        QString sql = step;
        sql.replace(QLatin1String("{T}"), t)
            .replace(QLatin1String("{C}"), c)
            .replace(QLatin1String("{N}"), QString::number(tickets))
            .replace(QLatin1String("{S}"), QLatin1Char('\'') + sectors + QLatin1Char('\''))
            .replace(QLatin1String("{A}"), agent)
            .replace(QLatin1String("{P}"), QString::number(perTicket))
            .replace(QLatin1String("{L}"), QString::number(longConversation));
        if (!run(db, sql, error))
            return out;
        std::fprintf(stderr, "seed: %s... done at %.0f s\n", qPrintable(step.left(40)), double(timer.elapsed()) / 1000);
    }
    out.longTicketId = QUuid::fromString(scalar(db, QStringLiteral("SELECT md5('t1')::uuid")));
    out.tickets = tickets;
    out.messages = scalar(db, QStringLiteral("SELECT count(*) FROM messages WHERE tenant_id = '%1'").arg(t)).toLongLong();
    out.seconds = double(timer.elapsed()) / 1000;
    db.close();
    return out;
}

bool addEmoji(const QString &dataDir, const QString &slug, int every, QString *error)
{
    QSqlDatabase db = openAsSuperuser(dataDir, error);
    if (!db.isOpen())
        return false;
    const QString t = scalar(db, QStringLiteral("SELECT id FROM tenants WHERE slug = '%1'").arg(slug));
    // Emoji the app font has monochrome glyphs for (😀, ❤️) and ones it lacks (👍🏽, a flag, a ZWJ family).
    const QString e = QStringLiteral("' 😀 ❤️ 👍🏽 🇧🇷 👨‍👩‍👧'");
    const bool ok =
        run(db,
            QStringLiteral(
                "UPDATE messages SET body = body || %1 WHERE tenant_id = '%2' AND ticket_id = md5('t1')::uuid "
                "AND mod(split_part(external_id, '-', 2)::int, %3) = 0")
                .arg(e, t, QString::number(every)),
            error) &&
        run(db,
            QStringLiteral(
                "UPDATE tickets SET last_message_preview = last_message_preview || %1 WHERE tenant_id = '%2' "
                "AND mod(substr(last_message_preview, 21)::int, %3) = 0")
                .arg(e, t, QString::number(every)),
            error);
    db.close();
    return ok;
}

} // namespace atende::bench
