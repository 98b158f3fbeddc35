#include "server/auth/api_token_service.h"

#include "server/api/permissions.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/security/opaque_token.h"
#include "server/tenancy/audit_log.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcApiTokens, "atende.server.auth")

namespace atende::server::auth {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

constexpr qsizetype kPrefixLength = 8;
// Longer than any token we issue; the shape check rejects everything else before a lookup.
constexpr qsizetype kMaxTokenLength = 128;

Error internalError()
{
    return Error::make(errc::kInternal, QStringLiteral("internal error"));
}

Error shuttingDown()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

Error invalid(const QString &message, QJsonObject details = {})
{
    return Error::make(errc::kInvalidArgument, message, std::move(details));
}

Error notValid(const char *reason)
{
    return Error::make(errc::kUnauthenticated, QStringLiteral("the API token is not valid"),
                       QJsonObject{{QStringLiteral("reason"), QLatin1String(reason)}});
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

// What the audit log keeps of a token: never the hash, the prefix or the plaintext.
QJsonObject auditJson(const ApiToken &t)
{
    return QJsonObject{{QStringLiteral("name"), t.name},
                       {QStringLiteral("scopes"), QJsonArray::fromStringList(t.scopes)},
                       {QStringLiteral("expiresAt"), timeOrNull(t.expiresAt)},
                       {QStringLiteral("revokedAt"), timeOrNull(t.revokedAt)}};
}

tenancy::AuditEntry auditEntry(const QUuid &actor, const QString &action, const QUuid &tokenId, const QString &ip)
{
    tenancy::AuditEntry e;
    e.actorUserId = actor;
    e.action = action;
    e.objectType = QStringLiteral("api_token");
    e.objectId = uuidText(tokenId);
    e.ip = ip;
    return e;
}

// Unknown scopes -> invalid_argument naming the allowed ones; duplicates are dropped, order kept.
Result<QStringList> validScopes(const QStringList &requested)
{
    const QStringList &allowed = api::perm::scopes();
    const QJsonObject details{{QStringLiteral("allowed"), QJsonArray::fromStringList(allowed)}};
    if (requested.isEmpty())
        return invalid(QStringLiteral("give the token at least one scope"), details);
    QStringList out;
    QStringList unknown;
    for (const QString &s : requested) {
        if (!allowed.contains(s))
            unknown.append(s.left(64));
        else if (!out.contains(s))
            out.append(s);
    }
    if (!unknown.isEmpty()) {
        QJsonObject d = details;
        d.insert(QStringLiteral("unknown"), QJsonArray::fromStringList(unknown));
        return invalid(QStringLiteral("unknown scope; allowed: %1").arg(allowed.join(QStringLiteral(", "))), d);
    }
    return out;
}

ApiTokenPrincipal principalOf(const ApiTokenLookup &l)
{
    ApiTokenPrincipal p;
    p.tenantId = l.tenantId;
    p.tokenId = l.id;
    p.createdBy = l.createdBy;
    p.scopes = l.scopes;
    p.expiresAt = l.expiresAt;
    for (const QString &s : l.scopes)
        p.permissions.unite(api::perm::scopePermissions(s));
    return p;
}

bool expired(const QDateTime &expiresAt)
{
    return expiresAt.isValid() && expiresAt <= QDateTime::currentDateTimeUtc();
}

} // namespace

ApiTokenService::ApiTokenService(db::DbExecutor &db, ApiTokenPolicy policy, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_policy(std::move(policy))
    , m_cache(m_policy.cacheCapacity, m_policy.cacheTtlMs, m_policy.clock)
{}

QCoro::Task<Result<CreatedApiToken>> ApiTokenService::create(QUuid tenantId, QUuid actorId, QString ip, QString name,
                                                             QStringList scopes, int expiresInDays)
{
    QPointer<ApiTokenService> self(this);
    if (tenantId.isNull() || actorId.isNull())
        co_return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    name = name.trimmed();
    if (name.isEmpty() || name.size() > kMaxNameLength)
        co_return invalid(QStringLiteral("the name must have 1 to %1 characters").arg(kMaxNameLength));
    Result<QStringList> validated = validScopes(scopes);
    if (!validated.ok())
        co_return validated.error();
    if (expiresInDays < 0 || expiresInDays > m_policy.maxExpiresInDays)
        co_return invalid(QStringLiteral("expiresInDays must be 0 (never) to %1").arg(m_policy.maxExpiresInDays));

    Result<QString> generated = security::generateToken(security::TokenKind::Api);
    if (!generated.ok()) {
        qCWarning(lcApiTokens) << "cannot generate an API token:" << generated.error().message;
        co_return internalError();
    }
    const QString plaintext = generated.value();
    NewApiToken fresh;
    fresh.id = QUuid::createUuid();
    fresh.name = name;
    fresh.scopes = validated.value();
    fresh.tokenHash = security::tokenHash(plaintext);
    fresh.prefix = plaintext.mid(security::tokenPrefix(security::TokenKind::Api).size(), kPrefixLength);
    fresh.createdBy = actorId;
    fresh.expiresInDays = expiresInDays;

    QFuture<Result<ApiToken>> insertedFuture =
        m_db.runTenant(tenantId, [tenantId, fresh, ip](QSqlDatabase &db) -> Result<ApiToken> {
            Result<ApiToken> t = ApiTokenRepository::insert(db, tenantId, fresh);
            if (!t.ok())
                return t;
            tenancy::AuditEntry e = auditEntry(fresh.createdBy, QStringLiteral("api_token.create"), fresh.id, ip);
            e.after = auditJson(t.value());
            if (Result<tenancy::AuditRecord> a = tenancy::AuditLog::append(db, tenantId, e); !a.ok())
                return a.error();
            return t;
        });
    db::Finished<Result<ApiToken>> insertedDone(insertedFuture);
    co_await insertedDone;
    Result<ApiToken> inserted = insertedFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!inserted.ok()) {
        qCWarning(lcApiTokens) << "cannot create an API token:" << inserted.error().message;
        co_return internalError();
    }
    CreatedApiToken created;
    created.token = plaintext;
    created.info = inserted.value();
    co_return created;
}

QCoro::Task<Result<QList<ApiToken>>> ApiTokenService::list(QUuid tenantId)
{
    QFuture<Result<QList<ApiToken>>> listedFuture =
        m_db.runTenant(tenantId, [tenantId](QSqlDatabase &db) { return ApiTokenRepository::list(db, tenantId); });
    db::Finished<Result<QList<ApiToken>>> listedDone(listedFuture);
    co_await listedDone;
    Result<QList<ApiToken>> listed = listedFuture.result();
    if (!listed.ok()) {
        qCWarning(lcApiTokens) << "cannot list API tokens:" << listed.error().message;
        co_return internalError();
    }
    co_return listed;
}

QCoro::Task<Result<ApiToken>> ApiTokenService::revoke(QUuid tenantId, QUuid id, QUuid actorId, QString ip)
{
    QPointer<ApiTokenService> self(this);
    const auto notFound = [] {
        return Error::make(errc::kNotFound, QStringLiteral("no such API token"));
    };
    if (tenantId.isNull() || id.isNull())
        co_return notFound();
    QFuture<Result<ApiToken>> revokedFuture =
        m_db.runTenant(tenantId, [tenantId, id, actorId, ip, notFound](QSqlDatabase &db) -> Result<ApiToken> {
            Result<std::optional<ApiToken>> before = ApiTokenRepository::lock(db, tenantId, id);
            if (!before.ok())
                return before.error();
            if (!before->has_value())
                return notFound();
            if ((*before)->revokedAt.isValid())
                return **before; // already revoked: nothing changes, nothing to audit
            Result<ApiToken> after = ApiTokenRepository::revoke(db, tenantId, id, actorId);
            if (!after.ok())
                return after;
            tenancy::AuditEntry e = auditEntry(actorId, QStringLiteral("api_token.revoke"), id, ip);
            e.before = auditJson(**before);
            e.after = auditJson(after.value());
            if (Result<tenancy::AuditRecord> a = tenancy::AuditLog::append(db, tenantId, e); !a.ok())
                return a.error();
            return after;
        });
    db::Finished<Result<ApiToken>> revokedDone(revokedFuture);
    co_await revokedDone;
    Result<ApiToken> revoked = revokedFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!revoked.ok()) {
        if (revoked.error().code == QLatin1String(errc::kNotFound))
            co_return revoked;
        qCWarning(lcApiTokens) << "cannot revoke an API token:" << revoked.error().message;
        co_return internalError();
    }
    m_cache.evictToken(id);
    co_return revoked;
}

QCoro::Task<Result<ApiTokenPrincipal>> ApiTokenService::authenticate(QString token)
{
    QPointer<ApiTokenService> self(this);
    if (token.size() > kMaxTokenLength || security::tokenKind(token) != security::TokenKind::Api)
        co_return notValid("malformed");
    const QString hash = security::tokenHash(token);
    if (std::optional<ApiTokenPrincipal> cached = m_cache.find(hash)) {
        if (expired(cached->expiresAt))
            co_return notValid("expired");
        touch(*cached);
        const ApiTokenPrincipal principal = *cached;
        co_return principal;
    }

    const quint64 generation = m_cache.generation();
    QFuture<Result<std::optional<ApiTokenLookup>>> foundFuture =
        m_db.run([hash](QSqlDatabase &db) { return ApiTokenRepository::findByHash(db, hash); });
    db::Finished<Result<std::optional<ApiTokenLookup>>> foundDone(foundFuture);
    co_await foundDone;
    Result<std::optional<ApiTokenLookup>> found = foundFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!found.ok()) {
        qCWarning(lcApiTokens) << "API token lookup failed:" << found.error().message;
        if (found.error().code == QLatin1String(errc::kUnavailable))
            co_return Error::make(errc::kUnavailable, QStringLiteral("the database is unavailable; try again"));
        co_return internalError();
    }
    if (!found->has_value())
        co_return notValid("unknown");
    const ApiTokenLookup lookup = **found;
    if (lookup.revoked)
        co_return notValid("revoked");
    if (expired(lookup.expiresAt))
        co_return notValid("expired");
    if (!lookup.creatorActive)
        co_return notValid("creator_inactive");
    if (!lookup.tenantActive)
        co_return notValid("tenant_inactive");

    const ApiTokenPrincipal principal = principalOf(lookup);
    // A revoke that finished while we were reading must not be undone by caching what we read before it.
    if (generation == m_cache.generation())
        m_cache.insert(hash, principal);
    touch(principal);
    co_return principal;
}

void ApiTokenService::touch(const ApiTokenPrincipal &principal)
{
    if (!m_cache.claimTouch(principal.tokenId, m_policy.touchIntervalMs))
        return;
    const QUuid tenantId = principal.tenantId;
    const QUuid id = principal.tokenId;
    // The database guard keeps several server instances to about one write per interval as well.
    const qint64 minSeconds = m_policy.touchIntervalMs / 2000;
    m_db.runTenant(tenantId, [tenantId, id, minSeconds](
                                 QSqlDatabase &db) { return ApiTokenRepository::touch(db, tenantId, id, minSeconds); })
        .then(this, [id](const Status &st) {
            if (!st.ok())
                qCWarning(lcApiTokens).noquote()
                    << "cannot record the use of API token" << uuidText(id) << ":" << st.error().message;
        });
}

} // namespace atende::server::auth
