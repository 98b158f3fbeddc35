#pragma once
// Authentication (issue 3 item 3): email + password login, short-lived access JWTs and rotating opaque
// refresh tokens.
//
// login() answers one generic "unauthenticated" error for an unknown email, a wrong password and an inactive
// account (unknown emails still pay for an Argon2 verification, PasswordHasher::dummyVerify), goes through
// LoginThrottle per account and per IP, and audit-logs login.ok / login.failed into the user's tenant.
// Access tokens are EdDSA JWTs (sub, tid, role, iat, exp; kid in the header) signed with the KeyRing's
// active key. Refresh tokens are opaque ("atr_..."), stored only as tokenHash(); each refresh marks the
// presented token used and issues the next one of the same family. Presenting an already-used token
// revokes the whole family and writes an auth.refresh_reuse audit row.
//
// Lives on the main thread: the coroutines resume there after each database call, so the throttle and the
// Jwt are only touched from one thread. Password hashing runs on the global thread pool.
#include "common/core/result.h"
#include "server/security/jwt.h"
#include "server/security/login_throttle.h"
#include "server/security/password_hasher.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUuid>
#include <qcoro/qcorotask.h>

namespace atende::server::db {
class DbExecutor;
}

namespace atende::server::auth {

struct AuthPolicy {
    qint64 accessTokenSeconds = 15 * 60;
    qint64 refreshTokenSeconds = 30LL * 24 * 60 * 60;
    QString issuer = QStringLiteral("atende");
};

struct AuthTokens {
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0; // seconds until accessToken expires
};

// Who an access token names; filled by authenticate().
struct Principal {
    QUuid tenantId;
    QUuid userId;
    QString role;
    QDateTime expiresAt;
};

struct Me {
    QUuid tenantId;
    QUuid userId;
    QString email;
    QString name;
    QString role;
};

class AuthService : public QObject {
    Q_OBJECT
public:
    AuthService(db::DbExecutor &db, security::KeyRing keys, security::PasswordHasher hasher,
                security::LoginThrottlePolicy throttle = {}, AuthPolicy policy = {}, QObject *parent = nullptr);

    // Errors: unauthenticated (generic), rate_limited (details.retryAfter), internal.
    QCoro::Task<atende::core::Result<AuthTokens>> login(QString email, QString password, QString ip);
    // Errors: unauthenticated (unknown, expired, revoked or reused token), internal.
    QCoro::Task<atende::core::Result<AuthTokens>> refresh(QString refreshToken, QString ip);
    // Revokes the token's family. Errors: unauthenticated (unknown token), internal.
    QCoro::Task<atende::core::Status> logout(QString refreshToken, QString ip);
    // Revokes every family of the user; returns how many tokens were revoked.
    QCoro::Task<atende::core::Result<int>> logoutAll(QUuid tenantId, QUuid userId, QString ip);
    QCoro::Task<atende::core::Result<Me>> me(QUuid tenantId, QUuid userId);

    // Verifies an access token (signature, kid, exp, iss) and returns whom it names. Any failure is
    // "unauthenticated"; the jwt_* reason stays in details.reason.
    atende::core::Result<Principal> authenticate(QStringView accessToken) const;

    const security::Jwt &jwt() const { return m_jwt; }
    // Access tokens of this user issued up to now stop working (this instance; tokens live at most
    // accessTokenSeconds, so entries older than that are forgotten).
    void revokeAccessTokensOf(const QUuid &userId);

    // Swaps in a reloaded signing key ring (keys rotated by another instance, or an unknown kid seen).
    void replaceKeys(security::KeyRing keys) { m_jwt.keyRing() = std::move(keys); }
    const AuthPolicy &policy() const { return m_policy; }

private:
    QCoro::Task<> auditLoginFailure(QUuid tenantId, QUuid userId, bool inactive, QString ip);
    atende::core::Result<QString> issueAccessToken(const QUuid &tenantId, const QUuid &userId,
                                                   const QString &role) const;

    db::DbExecutor &m_db;
    security::Jwt m_jwt;
    security::PasswordHasher m_hasher;
    security::LoginThrottle m_throttle;
    AuthPolicy m_policy;
    QHash<QUuid, qint64> m_revokedBefore; // user -> tokens with iat <= this (seconds) are refused
};

} // namespace atende::server::auth
