#pragma once
// Users of one tenant. Runs inside runTenant() for that tenant (RLS binds every query to it); emails are
// stored lower-cased and are unique across all tenants, because login finds the user before it knows the
// tenant (findForLogin(), through the SECURITY DEFINER function auth_find_user_by_email). Passwords are
// hashed with security::PasswordHasher (Argon2id); the hash never leaves this class except to login.
// Every change is audit-logged.

#include "common/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace atende::server::security {
class PasswordHasher;
}

namespace atende::server::tenancy {

struct User {
    QUuid tenantId;
    QUuid id;
    QString email;
    QString name;
    QString role;
    bool active = true;
    QString availability;
    QDateTime createdAt;
};

struct NewUser {
    QString email;
    QString name;
    QString role; // admin, supervisor or agent
    QString password;
};

// What login needs, found by email across tenants.
struct LoginRecord {
    QUuid tenantId;
    QUuid userId;
    QString passwordHash;
    QString role;
    bool active = false;
};

class UserRepository {
public:
    static const QStringList &roles();

    // Errors: invalid_argument (email, name, role, password), conflict (email already used, in any tenant).
    static atende::core::Result<User> create(QSqlDatabase &db, const QUuid &tenantId, const NewUser &user,
                                             const security::PasswordHasher &hasher, const QUuid &actorUserId = {});
    static atende::core::Result<User> find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId);
    // std::nullopt when no user has this email.
    static atende::core::Result<std::optional<LoginRecord>> findForLogin(QSqlDatabase &db, const QString &email);
};

} // namespace atende::server::tenancy
