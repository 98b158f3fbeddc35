#include "server/auth/auth_service.h"

#include "server/db/finished.h"


#include "server/auth/refresh_token_repository.h"
#include "server/db/db_executor.h"
#include "server/security/opaque_token.h"
#include "server/tenancy/audit_log.h"
#include "server/tenancy/user_repository.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <coroutine>

Q_LOGGING_CATEGORY(lcAuth, "atende.server.auth")

namespace atende::server::auth {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

namespace {

constexpr qsizetype kMaxRefreshTokenLength = 256;
constexpr qsizetype kMaxEmailLength = 320;

Error invalidCredentials()
{
    return Error::make(errc::kUnauthenticated, QStringLiteral("invalid email or password"));
}

Error invalidRefreshToken()
{
    return Error::make(errc::kUnauthenticated, QStringLiteral("the refresh token is not valid; sign in again"));
}

Error shuttingDown()
{
    return Error::make(errc::kShuttingDown, QStringLiteral("the server is shutting down"));
}

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

bool plausibleRefreshToken(const QString &token)
{
    return token.size() <= kMaxRefreshTokenLength && security::tokenKind(token) == security::TokenKind::Refresh;
}

tenancy::AuditEntry auditEntry(const QUuid &actor, const QString &action, const QUuid &userId, const QString &ip,
                               std::optional<QJsonObject> after = std::nullopt)
{
    tenancy::AuditEntry e;
    e.actorUserId = actor;
    e.action = action;
    e.objectType = QStringLiteral("user");
    e.objectId = uuidText(userId);
    e.after = std::move(after);
    e.ip = ip;
    return e;
}

// What the tenant-side transaction of a refresh decided. Reuse is not an error of the transaction: the
// family's revocation and the audit row must commit.
using db::Finished;

struct RefreshOutcome {
    enum class Kind { Rotated, Invalid, Reused };
    Kind kind = Kind::Invalid;
    QUuid userId;
    QString role;
    QString token;
};

} // namespace

AuthService::AuthService(db::DbExecutor &db, security::KeyRing keys, security::PasswordHasher hasher,
                         security::LoginThrottlePolicy throttle, AuthPolicy policy, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_jwt(std::move(keys), security::JwtValidation{policy.issuer, {}, 0, true})
    , m_hasher(std::move(hasher))
    , m_throttle(throttle)
    , m_policy(std::move(policy))
{}

Result<QString> AuthService::issueAccessToken(const QUuid &tenantId, const QUuid &userId, const QString &role) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims{{QStringLiteral("sub"), uuidText(userId)},
                       {QStringLiteral("tid"), uuidText(tenantId)},
                       {QStringLiteral("role"), role},
                       {QStringLiteral("iat"), double(now)},
                       {QStringLiteral("exp"), double(now + m_policy.accessTokenSeconds)}};
    return m_jwt.sign(std::move(claims));
}

QCoro::Task<Result<AuthTokens>> AuthService::login(QString email, QString password, QString ip)
{
    QPointer<AuthService> self(this);
    email = email.trimmed().toLower();
    if (email.size() > kMaxEmailLength)
        email.truncate(kMaxEmailLength);

    if (const security::RateDecision d = m_throttle.check(email, ip); !d.allowed)
        co_return Error::make(errc::kRateLimited, QStringLiteral("too many failed sign-in attempts; try again later"),
                              QJsonObject{{QStringLiteral("retryAfter"), double(d.retryAfterSeconds)}});

    QFuture<Result<std::optional<tenancy::LoginRecord>>> foundFuture =
        m_db.run([email](QSqlDatabase &db) { return tenancy::UserRepository::findForLogin(db, email); });
    Finished<Result<std::optional<tenancy::LoginRecord>>> foundDone(foundFuture);
    co_await foundDone;
    Result<std::optional<tenancy::LoginRecord>> found = foundFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!found.ok()) {
        qCWarning(lcAuth) << "login lookup failed:" << found.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    const std::optional<tenancy::LoginRecord> record = found.value();

    // Unknown emails pay for one verification too, so timing does not tell them apart.
    const security::PasswordHasher hasher = m_hasher;
    const QString hash = record ? record->passwordHash : QString();
    const bool known = record.has_value();
    QFuture<bool> passwordOkFuture = QtConcurrent::run([hasher, password, hash, known] {
        if (!known) {
            (void)hasher.dummyVerify(password);
            return false;
        }
        return hasher.verify(password, hash);
    });
    Finished<bool> passwordOkDone(passwordOkFuture);
    co_await passwordOkDone;
    const bool passwordOk = passwordOkFuture.result();
    if (!self)
        co_return shuttingDown();

    if (!passwordOk || !record->active) {
        m_throttle.recordFailure(email, ip);
        if (record)
            co_await auditLoginFailure(record->tenantId, record->userId, passwordOk, ip);
        if (!self)
            co_return shuttingDown();
        co_return invalidCredentials();
    }

    m_throttle.recordSuccess(email, ip);
    const QUuid tenantId = record->tenantId;
    const QUuid userId = record->userId;
    const qint64 lifetime = m_policy.refreshTokenSeconds;
    QFuture<Result<IssuedRefreshToken>> issuedFuture =
        m_db.runTenant(tenantId, [tenantId, userId, lifetime, ip](QSqlDatabase &db) -> Result<IssuedRefreshToken> {
            Result<IssuedRefreshToken> t =
                RefreshTokenRepository::issue(db, tenantId, userId, QUuid::createUuid(), lifetime);
            if (!t.ok())
                return t;
            Result<tenancy::AuditRecord> a =
                tenancy::AuditLog::append(db, tenantId, auditEntry(userId, QStringLiteral("login.ok"), userId, ip));
            if (!a.ok())
                return a.error();
            return t;
        });
    Finished<Result<IssuedRefreshToken>> issuedDone(issuedFuture);
    co_await issuedDone;
    Result<IssuedRefreshToken> issued = issuedFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!issued.ok()) {
        qCWarning(lcAuth) << "cannot issue a refresh token:" << issued.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    Result<QString> access = issueAccessToken(tenantId, userId, record->role);
    if (!access.ok())
        co_return access.error();
    AuthTokens tokens;
    tokens.accessToken = access.value();
    tokens.refreshToken = issued->token;
    tokens.expiresIn = m_policy.accessTokenSeconds;
    co_return tokens;
}

QCoro::Task<> AuthService::auditLoginFailure(QUuid tenantId, QUuid userId, bool inactive, QString ip)
{
    const tenancy::AuditEntry entry =
        auditEntry({}, QStringLiteral("login.failed"), userId, ip,
                   QJsonObject{{QStringLiteral("reason"),
                                inactive ? QStringLiteral("inactive") : QStringLiteral("bad_password")}});
    QFuture<Status> auditedFuture = m_db.runTenant(tenantId, [tenantId, entry](QSqlDatabase &db) -> Status {
        Result<tenancy::AuditRecord> r = tenancy::AuditLog::append(db, tenantId, entry);
        if (!r.ok())
            return r.error();
        return {};
    });
    Finished<Status> auditedDone(auditedFuture);
    co_await auditedDone;
    const Status audited = auditedFuture.result();
    if (!audited.ok())
        qCWarning(lcAuth) << "cannot audit a failed login:" << audited.error().message;
}

QCoro::Task<Result<AuthTokens>> AuthService::refresh(QString refreshToken, QString ip)
{
    QPointer<AuthService> self(this);
    if (!plausibleRefreshToken(refreshToken))
        co_return invalidRefreshToken();
    const QString hash = security::tokenHash(refreshToken);
    QFuture<Result<std::optional<RefreshTokenRef>>> foundFuture =
        m_db.run([hash](QSqlDatabase &db) { return RefreshTokenRepository::findByHash(db, hash); });
    Finished<Result<std::optional<RefreshTokenRef>>> foundDone(foundFuture);
    co_await foundDone;
    Result<std::optional<RefreshTokenRef>> found = foundFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!found.ok()) {
        qCWarning(lcAuth) << "refresh lookup failed:" << found.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    if (!found->has_value())
        co_return invalidRefreshToken();
    const RefreshTokenRef ref = **found;
    const qint64 lifetime = m_policy.refreshTokenSeconds;

    QFuture<Result<RefreshOutcome>> outcomeFuture =
        m_db.runTenant(ref.tenantId, [ref, lifetime, ip](QSqlDatabase &db) -> Result<RefreshOutcome> {
            RefreshOutcome out;
            Result<std::optional<RefreshTokenState>> state = RefreshTokenRepository::lock(db, ref.tenantId, ref.id);
            if (!state.ok())
                return state.error();
            if (!state->has_value() || (*state)->revoked || (*state)->expired)
                return out;
            const RefreshTokenState st = **state;
            out.userId = st.userId;
            if (st.used) {
                // Someone presents a token that was already exchanged: one of the two holders is not the
                // user. Revoke the family, so both must sign in again.
                Result<int> revoked = RefreshTokenRepository::revokeFamily(db, ref.tenantId, st.familyId);
                if (!revoked.ok())
                    return revoked.error();
                tenancy::AuditEntry e = auditEntry({}, QStringLiteral("auth.refresh_reuse"), st.userId, ip,
                                                   QJsonObject{{QStringLiteral("familyId"), uuidText(st.familyId)},
                                                               {QStringLiteral("revoked"), revoked.value()}});
                if (Result<tenancy::AuditRecord> a = tenancy::AuditLog::append(db, ref.tenantId, e); !a.ok())
                    return a.error();
                out.kind = RefreshOutcome::Kind::Reused;
                return out;
            }
            Result<tenancy::User> user = tenancy::UserRepository::find(db, ref.tenantId, st.userId);
            if (!user.ok() || !user->active)
                return out;
            if (Status s = RefreshTokenRepository::markUsed(db, ref.tenantId, ref.id); !s.ok())
                return s.error();
            Result<IssuedRefreshToken> next =
                RefreshTokenRepository::issue(db, ref.tenantId, st.userId, st.familyId, lifetime);
            if (!next.ok())
                return next.error();
            out.kind = RefreshOutcome::Kind::Rotated;
            out.role = user->role;
            out.token = next->token;
            return out;
        });
    Finished<Result<RefreshOutcome>> outcomeDone(outcomeFuture);
    co_await outcomeDone;
    Result<RefreshOutcome> outcome = outcomeFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!outcome.ok()) {
        qCWarning(lcAuth) << "refresh failed:" << outcome.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    if (outcome->kind == RefreshOutcome::Kind::Reused)
        qCWarning(lcAuth).noquote() << "refresh token reuse; family revoked, tenant" << uuidText(ref.tenantId) << "user"
                                    << uuidText(outcome->userId);
    if (outcome->kind != RefreshOutcome::Kind::Rotated)
        co_return invalidRefreshToken();
    Result<QString> access = issueAccessToken(ref.tenantId, outcome->userId, outcome->role);
    if (!access.ok())
        co_return access.error();
    AuthTokens tokens;
    tokens.accessToken = access.value();
    tokens.refreshToken = outcome->token;
    tokens.expiresIn = m_policy.accessTokenSeconds;
    co_return tokens;
}

QCoro::Task<Status> AuthService::logout(QString refreshToken, QString ip)
{
    QPointer<AuthService> self(this);
    if (!plausibleRefreshToken(refreshToken))
        co_return invalidRefreshToken();
    const QString hash = security::tokenHash(refreshToken);
    QFuture<Result<std::optional<RefreshTokenRef>>> foundFuture =
        m_db.run([hash](QSqlDatabase &db) { return RefreshTokenRepository::findByHash(db, hash); });
    Finished<Result<std::optional<RefreshTokenRef>>> foundDone(foundFuture);
    co_await foundDone;
    Result<std::optional<RefreshTokenRef>> found = foundFuture.result();
    if (!self)
        co_return shuttingDown();
    if (!found.ok())
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    if (!found->has_value())
        co_return invalidRefreshToken();
    const RefreshTokenRef ref = **found;
    QFuture<Status> stFuture = m_db.runTenant(ref.tenantId, [ref, ip](QSqlDatabase &db) -> Status {
        Result<std::optional<RefreshTokenState>> state = RefreshTokenRepository::lock(db, ref.tenantId, ref.id);
        if (!state.ok())
            return state.error();
        if (!state->has_value())
            return {};
        const RefreshTokenState s = **state;
        Result<int> revoked = RefreshTokenRepository::revokeFamily(db, ref.tenantId, s.familyId);
        if (!revoked.ok())
            return revoked.error();
        if (revoked.value() == 0)
            return {};
        Result<tenancy::AuditRecord> a = tenancy::AuditLog::append(
            db, ref.tenantId, auditEntry(s.userId, QStringLiteral("auth.logout"), s.userId, ip));
        if (!a.ok())
            return a.error();
        return {};
    });
    Finished<Status> stDone(stFuture);
    co_await stDone;
    Status st = stFuture.result();
    if (!st.ok()) {
        qCWarning(lcAuth) << "logout failed:" << st.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    const Status done;
    co_return done;
}

QCoro::Task<Result<int>> AuthService::logoutAll(QUuid tenantId, QUuid userId, QString ip)
{
    QFuture<Result<int>> revokedFuture =
        m_db.runTenant(tenantId, [tenantId, userId, ip](QSqlDatabase &db) -> Result<int> {
            Result<int> n = RefreshTokenRepository::revokeUser(db, tenantId, userId);
            if (!n.ok())
                return n;
            Result<tenancy::AuditRecord> a =
                tenancy::AuditLog::append(db, tenantId,
                                          auditEntry(userId, QStringLiteral("auth.logout_all"), userId, ip,
                                                     QJsonObject{{QStringLiteral("revoked"), n.value()}}));
            if (!a.ok())
                return a.error();
            return n;
        });
    Finished<Result<int>> revokedDone(revokedFuture);
    co_await revokedDone;
    Result<int> revoked = revokedFuture.result();
    if (!revoked.ok()) {
        qCWarning(lcAuth) << "logout-all failed:" << revoked.error().message;
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    co_return revoked;
}

QCoro::Task<Result<Me>> AuthService::me(QUuid tenantId, QUuid userId)
{
    QFuture<Result<tenancy::User>> userFuture = m_db.runTenant(
        tenantId, [tenantId, userId](QSqlDatabase &db) { return tenancy::UserRepository::find(db, tenantId, userId); });
    Finished<Result<tenancy::User>> userDone(userFuture);
    co_await userDone;
    Result<tenancy::User> user = userFuture.result();
    if (!user.ok()) {
        if (user.error().code == QLatin1String(errc::kNotFound))
            co_return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
        co_return Error::make(errc::kInternal, QStringLiteral("internal error"));
    }
    if (!user->active)
        co_return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"));
    Me me;
    me.tenantId = user->tenantId;
    me.userId = user->id;
    me.email = user->email;
    me.name = user->name;
    me.role = user->role;
    co_return me;
}

Result<Principal> AuthService::authenticate(QStringView accessToken) const
{
    const auto unauthenticated = [](const QString &reason) {
        return Error::make(errc::kUnauthenticated, QStringLiteral("sign in first"),
                           QJsonObject{{QStringLiteral("reason"), reason}});
    };
    if (accessToken.isEmpty())
        return unauthenticated(QStringLiteral("no_token"));
    Result<QJsonObject> claims = m_jwt.verify(accessToken, QDateTime::currentSecsSinceEpoch());
    if (!claims.ok())
        return unauthenticated(claims.error().code);
    Principal p;
    p.userId = QUuid::fromString(claims->value(QLatin1String("sub")).toString());
    p.tenantId = QUuid::fromString(claims->value(QLatin1String("tid")).toString());
    p.role = claims->value(QLatin1String("role")).toString();
    if (const auto it = m_revokedBefore.constFind(p.userId);
        it != m_revokedBefore.cend() && qint64(claims->value(QLatin1String("iat")).toDouble()) <= *it)
        return unauthenticated(QStringLiteral("revoked"));
    p.expiresAt = QDateTime::fromSecsSinceEpoch(qint64(claims->value(QLatin1String("exp")).toDouble()), Qt::UTC);
    if (p.userId.isNull() || p.tenantId.isNull() || !tenancy::UserRepository::roles().contains(p.role))
        return unauthenticated(QStringLiteral("jwt_malformed"));
    return p;
}

void AuthService::revokeAccessTokensOf(const QUuid &userId)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (auto it = m_revokedBefore.begin(); it != m_revokedBefore.end();)
        it = *it < now - m_policy.accessTokenSeconds - 60 ? m_revokedBefore.erase(it) : std::next(it);
    m_revokedBefore.insert(userId, now);
}

} // namespace atende::server::auth
