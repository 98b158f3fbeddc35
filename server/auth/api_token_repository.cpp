#include "server/auth/api_token_repository.h"

#include "server/db/sql_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace atende::server::auth {

namespace {

using atende::core::Result;
using atende::core::Status;

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// Timestamps travel as UTC text with milliseconds, so no driver time-zone guessing is involved.
QString utc(const QString &column)
{
    return QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')").arg(column);
}

QDateTime readTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

QUuid readUuid(const QVariant &v)
{
    return v.isNull() ? QUuid() : QUuid::fromString(v.toString());
}

// Arrays go through JSON: QPSQL binds no text[]; scopes come from a fixed catalogue anyway.
QString scopesJson(const QStringList &scopes)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(scopes)).toJson(QJsonDocument::Compact));
}

QStringList readScopes(const QVariant &v)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    for (const QJsonValue &s : a)
        out.append(s.toString());
    return out;
}

QString columns()
{
    return QStringLiteral("tenant_id, id, name, array_to_json(scopes)::text, prefix, created_by, %1, %2, %3, %4, "
                          "revoked_by")
        .arg(utc(QStringLiteral("created_at")), utc(QStringLiteral("expires_at")), utc(QStringLiteral("last_used_at")),
             utc(QStringLiteral("revoked_at")));
}

ApiToken readToken(const QSqlQuery &q)
{
    ApiToken t;
    t.tenantId = readUuid(q.value(0));
    t.id = readUuid(q.value(1));
    t.name = q.value(2).toString();
    t.scopes = readScopes(q.value(3));
    t.prefix = q.value(4).toString();
    t.createdBy = readUuid(q.value(5));
    t.createdAt = readTime(q.value(6));
    t.expiresAt = readTime(q.value(7));
    t.lastUsedAt = readTime(q.value(8));
    t.revokedAt = readTime(q.value(9));
    t.revokedBy = readUuid(q.value(10));
    return t;
}

} // namespace

Result<std::optional<ApiTokenLookup>> ApiTokenRepository::findByHash(QSqlDatabase &db, const QString &hash)
{
    db::Query q(db, QStringLiteral("SELECT tenant_id, id, array_to_json(scopes)::text, created_by, %1, "
                                   "revoked_at IS NOT NULL, creator_active, tenant_active FROM auth_find_api_token(?)")
                        .arg(utc(QStringLiteral("expires_at"))));
    q.addBindValue(hash);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<ApiTokenLookup>();
    ApiTokenLookup r;
    r.tenantId = readUuid(q.value(0));
    r.id = readUuid(q.value(1));
    r.scopes = readScopes(q.value(2));
    r.createdBy = readUuid(q.value(3));
    r.expiresAt = readTime(q.value(4));
    r.revoked = q.value(5).toBool();
    r.creatorActive = q.value(6).toBool();
    r.tenantActive = q.value(7).toBool();
    return std::optional<ApiTokenLookup>(r);
}

Result<ApiToken> ApiTokenRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const NewApiToken &token)
{
    db::Query q(db, QStringLiteral(
                        "INSERT INTO api_tokens (tenant_id, id, name, scopes, token_hash, prefix, created_by, "
                        "expires_at) VALUES (?::uuid, ?::uuid, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), "
                        "?, ?, ?::uuid, CASE WHEN ?::int > 0 THEN now() + make_interval(days => ?::int) END) "
                        "RETURNING %1")
                        .arg(columns()));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(token.id));
    q.addBindValue(token.name);
    q.addBindValue(scopesJson(token.scopes));
    q.addBindValue(token.tokenHash);
    q.addBindValue(token.prefix);
    q.addBindValue(uuidText(token.createdBy));
    q.addBindValue(token.expiresInDays);
    q.addBindValue(token.expiresInDays);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kInternal, QStringLiteral("insert returned no row"));
    return readToken(q);
}

Result<QList<ApiToken>> ApiTokenRepository::list(QSqlDatabase &db, const QUuid &tenantId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM api_tokens WHERE tenant_id = ?::uuid ORDER BY created_at DESC, id")
                  .arg(columns()));
    q.addBindValue(uuidText(tenantId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<ApiToken> out;
    while (q.next())
        out.append(readToken(q));
    return out;
}

Result<std::optional<ApiToken>> ApiTokenRepository::lock(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id)
{
    db::Query q(db, QStringLiteral("SELECT %1 FROM api_tokens WHERE tenant_id = ?::uuid AND id = ?::uuid FOR UPDATE")
                        .arg(columns()));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(id));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return std::optional<ApiToken>();
    return std::optional<ApiToken>(readToken(q));
}

Result<ApiToken> ApiTokenRepository::revoke(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id,
                                            const QUuid &actorId)
{
    db::Query q(db, QStringLiteral("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()), "
                                   "revoked_by = CASE WHEN revoked_at IS NULL THEN ?::uuid ELSE revoked_by END "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid RETURNING %1")
                        .arg(columns()));
    q.addBindValue(actorId.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(uuidText(actorId)));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(id));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return atende::core::Error::make(atende::core::errc::kNotFound, QStringLiteral("no such API token"));
    return readToken(q);
}

Status ApiTokenRepository::touch(QSqlDatabase &db, const QUuid &tenantId, const QUuid &id, qint64 minIntervalSeconds)
{
    db::Query q(
        db, QStringLiteral("UPDATE api_tokens SET last_used_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid "
                           "AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ?::float8))"));
    q.addBindValue(uuidText(tenantId));
    q.addBindValue(uuidText(id));
    q.addBindValue(double(minIntervalSeconds));
    return db::exec(q);
}

} // namespace atende::server::auth
