#include "server/connectors/connections_control.h"

#include "server/accounts/change_log.h"
#include "server/accounts/sql_values.h"
#include "server/connectors/connection_store.h"
#include "server/connectors/logging.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/db/sql_util.h"

#include <QRegularExpression>
#include <QSqlQuery>

namespace atende::server::connectors {

namespace v1 = atende::api::v1;
namespace sql = atende::server::accounts::sql;
namespace errc = atende::core::errc;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using db::Finished;

namespace {

Error conflict(const QString &reason, const QString &message)
{
    return Error::make(
        errc::kConflict, message,
        QJsonObject{{QStringLiteral("field"), QStringLiteral("id")}, {QStringLiteral("reason"), reason}});
}

Error invalid(const QString &field, const QString &message)
{
    return Error::make(errc::kInvalidArgument, message, QJsonObject{{QStringLiteral("field"), field}});
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

v1::ConnectionHealth toHealth(const SessionRow &row)
{
    v1::ConnectionHealth h;
    h.set_connection_id(row.connectionId.toString(QUuid::WithoutBraces).toStdString());
    h.set_state(row.state.toStdString());
    h.set_reason(row.reason.toStdString());
    h.set_since(timeText(row.since));
    h.set_last_frame_at(timeText(row.lastFrameAt));
    h.set_reconnects(row.reconnects);
    if (row.state == QLatin1String("connected") && row.connectedAt.isValid())
        h.set_uptime_seconds(qMax<qint64>(0, row.connectedAt.secsTo(QDateTime::currentDateTimeUtc())));
    h.set_owner_instance_id(row.owner.toStdString());
    h.set_paired(row.paired);
    h.set_needs_pairing(row.needsPairing || !row.paired);
    return h;
}

// A live WhatsApp connection of the tenant, or the error the API answers with.
Result<SessionRow> whatsappRow(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId, bool forUpdate)
{
    Result<SessionRow> row = ConnectionStore::load(db, nullptr, tenantId, connectionId, forUpdate);
    if (!row.ok())
        return row;
    if (row->connectionDeleted)
        return Error::make(errc::kNotFound, QStringLiteral("no such connection"));
    if (row->kind != QLatin1String("whatsapp"))
        return conflict(QStringLiteral("not_whatsapp"), QStringLiteral("only WhatsApp connections pair and log out"));
    return row;
}

Status writeCommand(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId, const QString &command,
                    const QString &method, const QString &phone)
{
    db::Query q(db, QStringLiteral("UPDATE whatsapp_sessions SET command = ?, command_seq = command_seq + 1, "
                                   "pairing_method = ?, pairing_phone = ?, wanted = ?, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid"));
    q.addBindValue(command);
    q.addBindValue(sql::nullable(method));
    q.addBindValue(sql::nullable(phone));
    q.addBindValue(command == QLatin1String("pair"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    return db::exec(q);
}

} // namespace

ConnectionsControl::ConnectionsControl(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, api::EventHub *hub,
                                       QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_keys(std::move(keys))
    , m_hub(hub)
{}

QCoro::Task<Result<v1::ConnectionHealth>> ConnectionsControl::startPairing(accounts::Actor actor, QUuid connectionId,
                                                                           QString method, QString phone)
{
    if (method.isEmpty())
        method = QStringLiteral("qr");
    if (method != QLatin1String("qr") && method != QLatin1String("code"))
        co_return invalid(QStringLiteral("method"), QStringLiteral("method must be \"qr\" or \"code\""));
    phone.remove(QRegularExpression(QStringLiteral("[\\s+().-]")));
    if (method == QLatin1String("code")) {
        static const QRegularExpression digits(QStringLiteral("^[1-9][0-9]{6,14}$"));
        if (!digits.match(phone).hasMatch())
            co_return invalid(QStringLiteral("phone_number"),
                              QStringLiteral("pairing by code needs the phone number with country code"));
    } else if (!phone.isEmpty()) {
        co_return invalid(QStringLiteral("phone_number"), QStringLiteral("phone_number is only for method \"code\""));
    }
    QFuture<Result<SessionRow>> f =
        m_db.runTenant(actor.tenantId, [actor, connectionId, method, phone](QSqlDatabase &d) -> Result<SessionRow> {
            Result<SessionRow> row = whatsappRow(d, actor.tenantId, connectionId, true);
            if (!row.ok())
                return row;
            if (row->paired)
                return conflict(QStringLiteral("already_paired"),
                                QStringLiteral("the connection is paired; log it out before pairing again"));
            if (Status s = ConnectionStore::ensureRow(d, actor.tenantId, connectionId); !s.ok())
                return s.error();
            if (Status s = writeCommand(d, actor.tenantId, connectionId, QStringLiteral("pair"), method,
                                        method == QLatin1String("code") ? phone : QString());
                !s.ok())
                return s.error();
            if (Status s =
                    accounts::audit(d, actor, QStringLiteral("connections.pairing.start"), QStringLiteral("connection"),
                                    connectionId, std::nullopt, QJsonObject{{QStringLiteral("method"), method}});
                !s.ok())
                return s.error();
            return ConnectionStore::load(d, nullptr, actor.tenantId, connectionId);
        });
    co_await Finished(f);
    Result<SessionRow> r = f.result();
    if (!r.ok())
        co_return r.error();
    co_return toHealth(r.value());
}

QCoro::Task<Result<v1::PairingState>> ConnectionsControl::pairing(QUuid tenantId, QUuid connectionId)
{
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    using Pair = std::pair<SessionRow, PairingSecret>;
    QFuture<Result<Pair>> f = m_db.runTenant(tenantId, [tenantId, connectionId, keys](QSqlDatabase &d) -> Result<Pair> {
        Result<SessionRow> row = whatsappRow(d, tenantId, connectionId, false);
        if (!row.ok())
            return row.error();
        if (!keys)
            return Pair{row.value(), PairingSecret{}};
        Result<PairingSecret> secret = ConnectionStore::pairingSecret(d, *keys, tenantId, connectionId);
        if (!secret.ok())
            return secret.error();
        return Pair{row.value(), secret.value()};
    });
    co_await Finished(f);
    Result<Pair> r = f.result();
    if (!r.ok())
        co_return r.error();
    v1::PairingState out;
    out.set_connection_id(connectionId.toString(QUuid::WithoutBraces).toStdString());
    out.set_state(r->first.state.toStdString());
    out.set_kind(r->second.kind.toStdString());
    out.set_value(r->second.value.toStdString());
    out.set_valid_until(timeText(r->second.validUntil));
    co_return out;
}

QCoro::Task<Result<v1::ConnectionHealth>> ConnectionsControl::health(QUuid tenantId, QUuid connectionId)
{
    QFuture<Result<SessionRow>> f = m_db.runTenant(
        tenantId, [tenantId, connectionId](QSqlDatabase &d) { return whatsappRow(d, tenantId, connectionId, false); });
    co_await Finished(f);
    Result<SessionRow> r = f.result();
    if (!r.ok())
        co_return r.error();
    co_return toHealth(r.value());
}

QCoro::Task<Result<v1::ListConnectionEventsResponse>> ConnectionsControl::events(QUuid tenantId, QUuid connectionId,
                                                                                 QString cursor, int limit)
{
    if (limit == 0)
        limit = 50;
    if (limit < 1 || limit > 200)
        co_return invalid(QStringLiteral("limit"), QStringLiteral("limit must be between 1 and 200"));
    qint64 before = 0;
    if (!cursor.isEmpty()) {
        bool ok = false;
        before = cursor.toLongLong(&ok);
        if (!ok || before < 1)
            co_return invalid(QStringLiteral("cursor"), QStringLiteral("cursor is not one this server gave"));
    }
    QFuture<Result<QList<StateEventRow>>> f = m_db.runTenant(
        tenantId, [tenantId, connectionId, before, limit](QSqlDatabase &d) -> Result<QList<StateEventRow>> {
            Result<SessionRow> row = ConnectionStore::load(d, nullptr, tenantId, connectionId);
            if (!row.ok())
                return row.error();
            if (row->connectionDeleted)
                return Error::make(errc::kNotFound, QStringLiteral("no such connection"));
            return ConnectionStore::events(d, tenantId, connectionId, before, limit + 1);
        });
    co_await Finished(f);
    Result<QList<StateEventRow>> r = f.result();
    if (!r.ok())
        co_return r.error();
    v1::ListConnectionEventsResponse out;
    const QList<StateEventRow> &rows = r.value();
    for (int i = 0; i < rows.size() && i < limit; ++i) {
        v1::ConnectionStateEvent *e = out.add_events();
        e->set_id(std::to_string(rows.at(i).id));
        e->set_at(timeText(rows.at(i).at));
        e->set_state(rows.at(i).state.toStdString());
        e->set_reason(rows.at(i).reason.toStdString());
        e->set_instance_id(rows.at(i).instanceId.toStdString());
    }
    if (rows.size() > limit)
        out.set_next_cursor(std::to_string(rows.at(limit - 1).id));
    co_return out;
}

QCoro::Task<Result<v1::ConnectionHealth>> ConnectionsControl::logout(accounts::Actor actor, QUuid connectionId)
{
    QFuture<Result<SessionRow>> f =
        m_db.runTenant(actor.tenantId, [actor, connectionId](QSqlDatabase &d) -> Result<SessionRow> {
            Result<SessionRow> row = whatsappRow(d, actor.tenantId, connectionId, true);
            if (!row.ok())
                return row;
            if (!row->exists || (!row->paired && !row->wanted))
                return conflict(QStringLiteral("not_paired"), QStringLiteral("the connection is not paired"));
            if (Status s = writeCommand(d, actor.tenantId, connectionId, QStringLiteral("logout"), {}, {}); !s.ok())
                return s.error();
            if (Status s = accounts::audit(d, actor, QStringLiteral("connections.logout"), QStringLiteral("connection"),
                                           connectionId, std::nullopt, std::nullopt);
                !s.ok())
                return s.error();
            return ConnectionStore::load(d, nullptr, actor.tenantId, connectionId);
        });
    co_await Finished(f);
    Result<SessionRow> r = f.result();
    if (!r.ok())
        co_return r.error();
    co_return toHealth(r.value());
}

} // namespace atende::server::connectors
